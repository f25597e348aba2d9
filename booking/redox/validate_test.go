package redox

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// edit encodes m into generic JSON, sets the dotted path ("Visits.0.Patient") to value
// (deleting it when value is del), and returns the bytes: a message off the wire with
// exactly one thing wrong.
func edit(t *testing.T, m *Message, path string, value any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	node := doc
	for _, k := range keys[:len(keys)-1] {
		switch n := node.(type) {
		case map[string]any:
			node = n[k]
		case []any:
			i, _ := strconv.Atoi(k)
			node = n[i]
		}
	}
	obj, ok := node.(map[string]any)
	if !ok {
		t.Fatalf("path %s does not lead to an object", path)
	}
	if last := keys[len(keys)-1]; value == del {
		delete(obj, last)
	} else {
		obj[last] = value
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// del marks a key for deletion in edit.
var del = &struct{ deleted bool }{}

// problemsOf decodes and validates data, returning the problems found.
func problemsOf(t *testing.T, data []byte) []Problem {
	t.Helper()
	m, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	err = m.Validate()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate returned %T, want *ValidationError", err)
	}
	return ve.Problems
}

func TestValidateProblems(t *testing.T) {
	a := testAppointment()
	newMsg := NewVisitMessage(EventNew, testMeta, a)
	resp := NewBookedResponse(testMeta, []booking.Appointment{a}, false)
	slots := NewAvailableSlots(testMeta, testSlotQuery())
	slotResp := NewAvailableSlotsResponse(testMeta, testSlots(), false)
	tests := []struct {
		name     string
		data     []byte
		wantPath string
		wantText string
	}{
		{"missing DataModel", edit(t, newMsg, "Meta.DataModel", del), "Meta.DataModel", "Meta.DataModel is required"},
		{"bad DataModel", edit(t, newMsg, "Meta.DataModel", "PatientAdmin"), "Meta.DataModel", `must be "Scheduling"`},
		{"missing EventType", edit(t, newMsg, "Meta.EventType", del), "Meta.EventType", "Meta.EventType is required"},
		{"unknown EventType", edit(t, newMsg, "Meta.EventType", "Arrival"), "Meta.EventType", `got "Arrival"`},
		{"bad EventDateTime", edit(t, newMsg, "Meta.EventDateTime", "yesterday"), "Meta.EventDateTime", "ISO 8601"},
		{"New missing Visit", edit(t, newMsg, "Visit", del), "Visit", "Visit is required"},
		{"New missing VisitNumber", edit(t, newMsg, "Visit.VisitNumber", del), "Visit.VisitNumber", "Visit.VisitNumber is required"},
		{"New missing VisitDateTime", edit(t, newMsg, "Visit.VisitDateTime", del), "Visit.VisitDateTime", "Visit.VisitDateTime is required"},
		{"New bad VisitDateTime", edit(t, newMsg, "Visit.VisitDateTime", "2025-13-40T99:00"), "Visit.VisitDateTime", "ISO 8601"},
		{"New missing Duration", edit(t, newMsg, "Visit.Duration", del), "Visit.Duration", "Visit.Duration is required"},
		{"New null Duration", edit(t, newMsg, "Visit.Duration", nil), "Visit.Duration", "Visit.Duration is required"},
		{"New negative Duration", edit(t, newMsg, "Visit.Duration", -5), "Visit.Duration", "positive"},
		{"New missing Location", edit(t, newMsg, "Visit.Location", del), "Visit.Location", "Visit.Location is required"},
		{"New missing Department", edit(t, newMsg, "Visit.Location.Department", del), "Visit.Location.Department", "Visit.Location.Department is required"},
		{"New blank Department", edit(t, newMsg, "Visit.Location.Department", "  "), "Visit.Location.Department", "is required"},
		{"Reschedule bad OldDateTime", edit(t, NewReschedule(testMeta, a, a), "Visit.OldDateTime", "soon"), "Visit.OldDateTime", "ISO 8601"},
		{"Cancel missing VisitNumber", edit(t, NewCancel(testMeta, a, ""), "Visit.VisitNumber", del), "Visit.VisitNumber", "is required"},
		{"NoShow missing Department", edit(t, NewNoShow(testMeta, a, ""), "Visit.Location.Department", del), "Visit.Location.Department", "is required"},
		{"Booked missing StartDateTime", edit(t, NewBooked(testMeta, testBookedQuery()), "StartDateTime", del), "StartDateTime", "StartDateTime is required"},
		{"Booked End before Start", edit(t, NewBooked(testMeta, testBookedQuery()), "EndDateTime", "2025-03-01T00:00:00Z"), "EndDateTime", "after StartDateTime"},
		{"Booked two destinations", edit(t, NewBooked(testMeta, testBookedQuery()), "Meta.Destinations", []any{map[string]any{"ID": "a"}, map[string]any{"ID": "b"}}), "Meta.Destinations", "one destination"},
		{"AvailableSlots missing StartDateTime", edit(t, slots, "StartDateTime", del), "StartDateTime", "is required"},
		{"AvailableSlots bad StartDateTime", edit(t, slots, "StartDateTime", "10/03/2025"), "StartDateTime", "ISO 8601"},
		{"AvailableSlots End equals Start", edit(t, slots, "EndDateTime", FormatTime(testStart)), "EndDateTime", "after StartDateTime"},
		{"AvailableSlots window too long", edit(t, slots, "EndDateTime", FormatTime(testStart.Add(booking.MaxWindow+time.Hour))), "EndDateTime", "at most 92 days"},
		{"AvailableSlots bad Day", edit(t, slots, "Visit.VisitPreference.0.Day", []any{"Funday"}), "Visit.VisitPreference[0].Day[0]", "day of the week"},
		{"AvailableSlots bad Time", edit(t, slots, "Visit.VisitPreference.0.Time", []any{"Night"}), "Visit.VisitPreference[0].Time[0]", "Morning, Afternoon or Evening"},
		{"AvailableSlots bad DurationUnit", edit(t, slots, "Visit.VisitPreference.0.DurationUnit", "fortnights"), "Visit.VisitPreference[0].DurationUnit", "minutes or hours"},
		{"AvailableSlots bad Duration", edit(t, slots, "Visit.VisitPreference.0.Duration", "half an hour"), "Visit.VisitPreference[0].Duration", "must be a number"},
		{"BookedResponse missing Visits", edit(t, resp, "Visits", del), "Visits", "Visits is required"},
		{"BookedResponse missing VisitNumber", edit(t, resp, "Visits.0.VisitNumber", del), "Visits[0].VisitNumber", "is required"},
		{"BookedResponse missing Duration", edit(t, resp, "Visits.0.Duration", del), "Visits[0].Duration", "is required"},
		{"BookedResponse missing Department", edit(t, resp, "Visits.0.Location.Department", del), "Visits[0].Location.Department", "is required"},
		{"BookedResponse missing Patient", edit(t, resp, "Visits.0.Patient", del), "Visits[0].Patient", "Visits[0].Patient is required"},
		{"BookedResponse missing Identifiers", edit(t, resp, "Visits.0.Patient.Identifiers", del), "Visits[0].Patient.Identifiers", "is required"},
		{"BookedResponse missing IDType", edit(t, resp, "Visits.0.Patient.Identifiers.0.IDType", del), "Visits[0].Patient.Identifiers[0].IDType", "is required"},
		{"BookedResponse bad ScheduledDateTime", edit(t, resp, "Visits.0.ScheduledDateTime", "x"), "Visits[0].ScheduledDateTime", "ISO 8601"},
		{"AvailableSlotsResponse missing AvailableSlots", edit(t, slotResp, "AvailableSlots", del), "AvailableSlots", "AvailableSlots is required"},
		{"AvailableSlotsResponse missing DateTime", edit(t, slotResp, "AvailableSlots.1.DateTime", del), "AvailableSlots[1].DateTime", "is required"},
		{"AvailableSlotsResponse missing Duration", edit(t, slotResp, "AvailableSlots.0.Duration", del), "AvailableSlots[0].Duration", "is required"},
		{"PushSlots missing Slots", edit(t, NewPushSlots(testMeta, testSlots()), "Slots", del), "Slots", "Slots is required"},
		{"PushSlots bad DateTime", edit(t, NewPushSlots(testMeta, testSlots()), "Slots.0.DateTime", "noon"), "Slots[0].DateTime", "ISO 8601"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := problemsOf(t, tt.data)
			if len(problems) != 1 {
				t.Fatalf("got problems %+v, want exactly one at %s", problems, tt.wantPath)
			}
			if p := problems[0]; p.Path != tt.wantPath || !strings.Contains(p.Message, tt.wantText) {
				t.Errorf("got %q: %q, want %q containing %q", p.Path, p.Message, tt.wantPath, tt.wantText)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	a := testAppointment()
	tests := []struct {
		name string
		data []byte
	}{
		{"Cancel without Duration", edit(t, NewCancel(testMeta, a, ""), "Visit.Duration", del)},
		{"NoShow with null Duration", edit(t, NewNoShow(testMeta, a, ""), "Visit.Duration", nil)},
		{"Booked over two years (real traffic)", edit(t, NewBooked(testMeta, testBookedQuery()), "EndDateTime", "2027-03-10T00:00:00Z")},
		{"AvailableSlots without EndDateTime", edit(t, NewAvailableSlots(testMeta, testSlotQuery()), "EndDateTime", nil)},
		{"AvailableSlots lower-case vocabulary", edit(t, NewAvailableSlots(testMeta, testSlotQuery()), "Visit.VisitPreference",
			[]any{map[string]any{"Duration": "1", "DurationUnit": "HOURS", "Day": []any{"mon", "FRIDAY"}, "Time": []any{"afternoon"}}})},
		{"AvailableSlots numeric Duration", edit(t, NewAvailableSlots(testMeta, testSlotQuery()), "Visit.VisitPreference.0.Duration", 45)},
		{"BookedResponse echoing Booked", edit(t, NewBookedResponse(testMeta, []booking.Appointment{a}, false), "Meta.EventType", "Booked")},
		{"AvailableSlotsResponse echoing AvailableSlots", edit(t, NewAvailableSlotsResponse(testMeta, testSlots(), false), "Meta.EventType", "AvailableSlots")},
		{"timestamps with offsets", edit(t, NewVisitMessage(EventNew, testMeta, a), "Visit.VisitDateTime", "2025-03-10T09:00:00-05:00")},
		{"failure envelope with no body", []byte(`{"Meta":{"DataModel":"Scheduling","EventType":"New","Errors":[{"ID":1,"Text":"no"}]}}`)},
		{"nulls everywhere", []byte(nullPadded)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if problems := problemsOf(t, tt.data); problems != nil {
				t.Errorf("got problems %+v, want none", problems)
			}
		})
	}
}

// nullPadded is a New shaped like Redox Dev Tools output: every optional field null.
const nullPadded = `{"Meta":{"DataModel":"Scheduling","EventType":"New","EventDateTime":null,"Test":null,
 "Source":null,"Destinations":null,"Logs":[{"ID":null,"AttemptID":null}],"Message":null,"FacilityCode":null,
 "IsIncomplete":null,"BatchID":null,"CurrentBatch":null,"Errors":null},
 "Patient":{"Identifiers":null,"Demographics":{"FirstName":null,"IsHispanic":null,"PhoneNumber":null,"EmailAddresses":null,"Address":null},"Notes":null},
 "AppointmentInfo":[{"Code":null,"Codeset":null,"Description":null,"Value":null}],
 "Visit":{"VisitNumber":"1","AccountNumber":null,"VisitDateTime":"2025-03-10T14:00:00Z","PatientClass":null,"Status":null,
  "Duration":15,"Reason":null,"Type":null,"Instructions":null,"AttendingProvider":null,
  "ConsultingProvider":{"ID":null,"Credentials":null,"Address":null,"PhoneNumber":{"Office":null},"Location":null},
  "Location":{"Type":null,"Facility":null,"Department":"3N","Room":null},
  "AdditionalStaff":[{"ID":null,"Role":null,"StartDateTime":null,"Duration":null}],"Diagnoses":null,"Equipment":null,
  "OldVisitNumber":null,"Reasons":null,"VisitPreference":[{"Duration":null,"DurationUnit":null,"Day":null,"Time":null}]}}`

func TestValidationErrorConverts(t *testing.T) {
	err := error(&ValidationError{Problems: []Problem{
		{Path: "Visit.VisitNumber", Message: "Visit.VisitNumber is required"},
		{Path: "Visit.Duration", Message: "Visit.Duration is required"},
	}})
	if got, want := err.Error(), "Visit.VisitNumber is required; Visit.Duration is required"; !strings.Contains(got, want) {
		t.Errorf("Error() = %q, want it to contain %q", got, want)
	}
	var be *booking.Error
	if !errors.As(err, &be) {
		t.Fatalf("errors.As to *booking.Error failed")
	}
	if be.Code != booking.CodeInvalid || be.Field != "Visit.VisitNumber" || be.Detail != "Visit.VisitNumber is required" {
		t.Errorf("got %+v, want CodeInvalid on Visit.VisitNumber", be)
	}
	if !errors.Is(err, booking.ErrInvalid) || booking.ErrorCode(err) != booking.CodeInvalid {
		t.Errorf("errors.Is(err, ErrInvalid) = false or ErrorCode = %q", booking.ErrorCode(err))
	}
}

func TestValidateCollectsEveryProblem(t *testing.T) {
	data := []byte(`{"Meta":{"DataModel":"Scheduling","EventType":"New"},"Visit":{"Location":{}}}`)
	var paths []string
	for _, p := range problemsOf(t, data) {
		paths = append(paths, p.Path)
	}
	want := "Visit.VisitNumber Visit.VisitDateTime Visit.Duration Visit.Location.Department"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("got paths %q, want %q", got, want)
	}
}
