package redox

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"doorway/booking"
)

// sharedDir returns ../../../shared/redox/<sub>, which CI checks out beside the repo. A
// missing directory fails under CI=true (the contract must be checked there) and skips
// elsewhere (a bare clone still runs the other tests).
func sharedDir(tb testing.TB, sub string) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "redox", sub)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("shared Redox %s missing at %s: %v", sub, dir, err)
		}
		tb.Skipf("shared Redox %s not found at %s", sub, dir)
	}
	return dir
}

// samples returns every sample file's name and bytes.
func samples(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(sharedDir(tb, "samples"), "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no samples found: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

func TestSamplesDecode(t *testing.T) {
	for name, data := range samples(t) {
		t.Run(name, func(t *testing.T) {
			m, err := Decode(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if m.Meta.EventType == "" {
				t.Errorf("Meta.EventType is empty after decoding")
			}
			// Every Scheduling sample that is not a failure must also pass strict validation.
			if m.Meta.DataModel == DataModel && len(m.Meta.Errors) == 0 {
				if err := m.Validate(); err != nil {
					t.Errorf("Validate: %v", err)
				}
			}
		})
	}
}

func TestSamplesErrors(t *testing.T) {
	all := samples(t)
	tests := []struct {
		file      string
		wantEvent string
		wantText  string
	}{
		{"Error.Query400.json", "Query", "Data Chateau v2 service returned status code 400"},
		{"Error.PatientSearch.NoSubscription.json", "Query", "No subscriptions. Meta.Destinations needs to contain"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, err := Decode(all[tt.file])
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			var apiErr *APIError
			if err := ErrorsOf(m); !errors.As(err, &apiErr) {
				t.Fatalf("ErrorsOf = %v, want *APIError", err)
			}
			if apiErr.EventType != tt.wantEvent {
				t.Errorf("EventType = %q, want %q", apiErr.EventType, tt.wantEvent)
			}
			texts := apiErr.Texts()
			if len(texts) != 1 || !strings.HasPrefix(texts[0], tt.wantText) {
				t.Errorf("Texts() = %q, want one starting %q", texts, tt.wantText)
			}
			if !strings.Contains(apiErr.Error(), tt.wantText) {
				t.Errorf("Error() = %q, want it to contain %q", apiErr.Error(), tt.wantText)
			}
			if apiErr.Errors[0].ID == "" {
				t.Errorf("numeric error ID was lost")
			}
		})
	}
}

func TestSamplesNotifications(t *testing.T) {
	all := samples(t)
	tests := []struct {
		file       string
		wantStatus booking.Status
		wantMin    int
		wantStart  string
	}{
		{"Scheduling.Cancel.json", booking.StatusCanceled, 15, "2020-12-14T17:30:30.191Z"},
		{"Scheduling.Modification.json", booking.StatusBooked, 30, "2021-05-28T14:53:04.941Z"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, err := Decode(all[tt.file])
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			a, err := AppointmentOf(m)
			if err != nil {
				t.Fatalf("AppointmentOf: %v", err)
			}
			if a.VisitNumber != "1234" || a.Status != tt.wantStatus || a.Minutes != tt.wantMin {
				t.Errorf("got visit %q status %q minutes %d, want 1234 %q %d", a.VisitNumber, a.Status, a.Minutes, tt.wantStatus, tt.wantMin)
			}
			if got := FormatTime(a.Start); got != tt.wantStart {
				t.Errorf("Start = %s, want %s", got, tt.wantStart)
			}
			if a.IsBlock() || len(a.Patient.Identifiers) != 3 || a.Patient.Phone != "+18088675301" {
				t.Errorf("patient = %+v, want 3 identifiers and the home phone", a.Patient)
			}
			if a.Location.Department != "3N" || a.Provider.ID != "4356789876" || a.Reason != "Check up" {
				t.Errorf("got department %q provider %q reason %q", a.Location.Department, a.Provider.ID, a.Reason)
			}
		})
	}
}

func TestSamplesBookedResponse(t *testing.T) {
	all := samples(t)
	tests := []struct {
		file      string
		wantCount int
	}{
		{"Scheduling.BookedResponse.json", 1},
		{"Scheduling.BookedResponse.Empty.json", 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, err := Decode(all[tt.file])
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if m.Meta.EventType != EventBooked || !m.IsResponse() || m.Kind() != EventBookedResponse {
				t.Errorf("EventType %q IsResponse %v Kind %q, want Booked true BookedResponse", m.Meta.EventType, m.IsResponse(), m.Kind())
			}
			visits, err := VisitsOf(m)
			if err != nil {
				t.Fatalf("VisitsOf: %v", err)
			}
			if len(visits) != tt.wantCount {
				t.Fatalf("got %d visits, want %d", len(visits), tt.wantCount)
			}
			if tt.wantCount == 0 {
				return
			}
			v := visits[0]
			if v.VisitNumber != "9841" || v.Status != booking.StatusArrived || v.Minutes != 20 || v.Location.Department != "D1" {
				t.Errorf("got %q %q %d %q, want 9841 arrived 20 D1", v.VisitNumber, v.Status, v.Minutes, v.Location.Department)
			}
			wantIDs := []booking.Identifier{{ID: "600224", IDType: "ST01"}}
			if !slices.Equal(v.Patient.Identifiers, wantIDs) || v.Provider.IDType != "STARPROVID" {
				t.Errorf("got identifiers %v provider %+v", v.Patient.Identifiers, v.Provider)
			}
		})
	}
}

func TestSampleBookedQuery(t *testing.T) {
	m, err := Decode(samples(t)["Scheduling.Booked.json"])
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	q, err := BookedQueryOf(m)
	if err != nil {
		t.Fatalf("BookedQueryOf: %v", err)
	}
	want := []booking.Identifier{{ID: "60067224", IDType: "ST01"}}
	if !slices.Equal(q.Patient, want) || FormatTime(q.Start) != "2020-01-01T00:00:00.000Z" || FormatTime(q.End) != "2022-01-01T00:00:00.000Z" {
		t.Errorf("got %+v, want patient %v and 2020-2022", q, want)
	}
}
