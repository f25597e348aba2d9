package redox

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // FormatTime of the result
	}{
		{"2021-02-05T17:45:00.000Z", "2021-02-05T17:45:00.000Z"},
		{"2021-02-05T17:45:00Z", "2021-02-05T17:45:00.000Z"},
		{"2021-02-05T17:45:00.123456789Z", "2021-02-05T17:45:00.123Z"},
		{"2020-01-01T00:00:00+00:00", "2020-01-01T00:00:00.000Z"},
		{"2021-02-13T15:03:38-05:00", "2021-02-13T20:03:38.000Z"},
		{"2021-02-13T15:03:38.5-0500", "2021-02-13T20:03:38.500Z"},
		{"2021-02-13t15:03:38z", "2021-02-13T15:03:38.000Z"},
		{"2021-02-13T15:03:38", "2021-02-13T15:03:38.000Z"},
		{"2021-02-13T15:03", "2021-02-13T15:03:00.000Z"},
		{" 2021-02-05 ", "2021-02-05T00:00:00.000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in)
			if err != nil {
				t.Fatalf("ParseTime: %v", err)
			}
			if got.Location() != time.UTC {
				t.Errorf("location = %v, want UTC", got.Location())
			}
			if s := FormatTime(got); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "yesterday", "2021-02-30", "2021-02-05T25:00:00Z", "05/02/2021", "2021-02-05T17:45:00+25:00"} {
		t.Run("rejects "+bad, func(t *testing.T) {
			if got, err := ParseTime(bad); err == nil {
				t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
			}
		})
	}
}

func TestFormatTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	in := time.Date(2025, 3, 10, 10, 0, 0, 999_999_999, ny)
	if got, want := FormatTime(in), "2025-03-10T14:00:00.999Z"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestDecodeLenient(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		check func(*Message) string // returns what is wrong, "" when fine
	}{
		{"unknown fields ignored", `{"Meta":{"DataModel":"Scheduling","EventType":"New","Shiny":1},"Extra":{"a":[1]},"Visit":{"Bed":"2","VisitNumber":"9"}}`,
			func(m *Message) string { return want(m.Visit != nil && m.Visit.VisitNumber == "9", "VisitNumber lost") }},
		{"nulls everywhere", nullPadded,
			func(m *Message) string {
				return want(m.Visit.Location.Department == "3N" && m.Patient.Identifiers == nil, "nulls not zero values")
			}},
		{"null top-level keys", `{"Meta":null,"Patient":null,"Visit":null,"Visits":null,"AvailableSlots":null}`,
			func(m *Message) string { return want(m.Visit == nil && m.Visits == nil, "null objects not nil") }},
		{"Logs IDs as numbers", `{"Meta":{"Logs":[{"ID":1234567890,"AttemptID":987654321}]}}`,
			func(m *Message) string {
				return want(m.Meta.Logs[0].ID == "1234567890" && m.Meta.Logs[0].AttemptID == "987654321", "numeric IDs")
			}},
		{"Logs IDs as strings", `{"Meta":{"Logs":[{"ID":"7f3c-uuid","AttemptID":"91ab"}]}}`,
			func(m *Message) string { return want(m.Meta.Logs[0].ID == "7f3c-uuid", "string IDs") }},
		{"Message ID number", `{"Meta":{"Message":{"ID":4627063887},"Transmission":{"ID":12414}}}`,
			func(m *Message) string {
				return want(m.Meta.Message.ID == "4627063887" && m.Meta.Transmission.ID == "12414", "Message ID")
			}},
		{"Duration as string", `{"Visit":{"Duration":"30"},"AvailableSlots":[{"Duration":"15.0"}]}`,
			func(m *Message) string {
				return want(*m.Visit.Duration == 30 && m.AvailableSlots[0].Duration == 15, "string durations")
			}},
		{"VisitPreference Duration as number", `{"Visit":{"VisitPreference":[{"Duration":30}]}}`,
			func(m *Message) string {
				return want(m.Visit.VisitPreference[0].Duration == "30", "numeric preference")
			}},
		{"timestamps kept verbatim", `{"StartDateTime":"2020-01-01T00:00:00+00:00","EndDateTime":"2021-02-05T17:45:00.000Z"}`,
			func(m *Message) string {
				return want(m.StartDateTime == "2020-01-01T00:00:00+00:00", "timestamp changed")
			}},
		{"empty Visits array is a response", `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"Visits":[]}`,
			func(m *Message) string {
				return want(m.IsResponse() && m.Kind() == EventBookedResponse, "not seen as a response")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode([]byte(tt.data))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if problem := tt.check(m); problem != "" {
				t.Errorf("%s: got %+v", problem, m)
			}
		})
	}
}

// want returns "" when ok, else why.
func want(ok bool, why string) string {
	if ok {
		return ""
	}
	return why
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		wantField string
		wantText  string
	}{
		{"empty", "  ", "", "message is empty"},
		{"truncated", `{"Meta":{"DataModel":"Scheduling"`, "", "ends too early"},
		{"garbage after", `{"Meta":{}} x`, "", "not valid JSON"},
		{"array at top", `[{"Meta":{}}]`, "", "must be a JSON object"},
		{"string VisitNumber as number", `{"Visit":{"VisitNumber":1234}}`, "Visit.VisitNumber", "got number, want string"},
		{"Visits not an array", `{"Visits":{"VisitNumber":"1"}}`, "Visits", "want array"},
		{"nested visit field", `{"Visits":[{"VisitNumber":"1","Location":{"Department":7}}]}`, "Visits.Location.Department", "wrong type"},
		{"embedded visit field", `{"Visits":[{"VisitNumber":7}]}`, "Visits.VisitNumber", "got number, want string"},
		{"Test as string", `{"Meta":{"Test":"yes"}}`, "Meta.Test", "want boolean"},
		{"Duration not numeric", `{"Visit":{"Duration":"thirty"}}`, "Visit.Duration", "wrong type"},
		{"Duration NaN", `{"Visit":{"Duration":"NaN"}}`, "Visit.Duration", "wrong type"},
		{"Duration object", `{"AvailableSlots":[{"Duration":{}}]}`, "AvailableSlots.Duration", "got object"},
		{"Logs ID bool", `{"Meta":{"Logs":[{"ID":true}]}}`, "Meta.Logs.ID", "got bool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode([]byte(tt.data))
			if err == nil {
				t.Fatalf("Decode = %+v, want an error", m)
			}
			var be *booking.Error
			if !errors.As(err, &be) || be.Code != booking.CodeInvalid {
				t.Fatalf("err = %#v, want *booking.Error CodeInvalid", err)
			}
			if be.Field != tt.wantField || !strings.Contains(be.Detail, tt.wantText) {
				t.Errorf("got field %q message %q, want %q containing %q", be.Field, be.Detail, tt.wantField, tt.wantText)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	m := ErrorMessage(EventAvailableSlots, 400, "StartDateTime is required", "second")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	// Redox writes error IDs as numbers; the sandbox must too.
	if !strings.Contains(string(b), `"Errors":[{"ID":19551136,"Text":"StartDateTime is required","Type":"message","Module":"Scheduling"}`) {
		t.Errorf("got %s, want Redox's error shape with numeric IDs", b)
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	var apiErr *APIError
	if !errors.As(ErrorsOf(back), &apiErr) {
		t.Fatalf("ErrorsOf did not return *APIError")
	}
	apiErr.Status = 400
	if got := apiErr.Texts(); !slices.Equal(got, []string{"StartDateTime is required", "second"}) {
		t.Errorf("Texts() = %q", got)
	}
	if got, want := apiErr.Error(), "redox: AvailableSlots failed (status 400): StartDateTime is required; second"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if err := ErrorsOf(NewBooked(testMeta, testBookedQuery())); err != nil {
		t.Errorf("ErrorsOf(no errors) = %v, want nil", err)
	}
	if err := ErrorsOf(nil); err != nil {
		t.Errorf("ErrorsOf(nil) = %v, want nil", err)
	}
}

func TestNumericIDsEncodeAsNumbers(t *testing.T) {
	meta := Meta{Message: &NumericID{ID: "4627063887"}, Transmission: &NumericID{ID: "not-a-number"},
		Errors: []MetaError{{ID: "", Text: "no id"}}}
	b, err := json.Marshal(meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"Message":{"ID":4627063887}`, `"Transmission":{"ID":"not-a-number"}`, `"Errors":[{"Text":"no id"}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("got %s, want it to contain %s", b, want)
		}
	}
}
