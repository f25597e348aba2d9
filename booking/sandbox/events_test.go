package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
	"doorway/booking/redox"
)

// checkAnswer asserts every slot of an AvailableSlotsResponse satisfies q: window, weekday and band in the location's
// zone, provider, location, duration, visit type; and that none repeats.
func checkAnswer(t *testing.T, def *clinicfile.File, q booking.SlotQuery, slots []booking.Slot) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range slots {
		loc, ok := def.Clinic.LocationByDepartment(s.Location.Facility, s.Location.Department)
		if !ok {
			t.Errorf("slot %s: unknown location %+v", s.ID, s.Location)
			continue
		}
		if !q.Matches(s, loc.Zone()) {
			t.Errorf("slot %s at %s (%s, %d min, provider %s) does not match %+v", s.ID,
				s.Start.In(loc.Zone()).Format(time.RFC1123), s.Location.Department, s.Minutes, s.Provider.ID, q)
		}
		if q.VisitType.Code != "" {
			vt, _ := def.Clinic.VisitType(q.VisitType.Code)
			if s.Minutes != vt.Minutes || !vt.OfferedBy(s.Provider.ID) {
				t.Errorf("slot %s: %d min with %s, want a %s slot (%d min)", s.ID, s.Minutes, s.Provider.ID, vt.Code, vt.Minutes)
			}
		}
		key := s.Key() + "|" + s.Reason + "|" + fmt.Sprint(s.Minutes)
		if seen[key] {
			t.Errorf("slot %s returned twice", key)
		}
		seen[key] = true
	}
}

func TestAvailableSlotsHonoursFilters(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	base := week()
	with := func(edit func(*booking.SlotQuery)) booking.SlotQuery {
		q := base
		edit(&q)
		return q
	}
	tests := []struct {
		name string
		q    booking.SlotQuery
	}{
		{"window only", base},
		{"provider", with(func(q *booking.SlotQuery) { q.Providers = []booking.ProviderRef{{ID: "1487203956", IDType: "NPI"}} })},
		{"location department", with(func(q *booking.SlotQuery) {
			q.Locations = []booking.LocationRef{{Department: "Scottsbluff Family Medicine"}}
		})},
		{"evenings on Tuesday and Thursday", with(func(q *booking.SlotQuery) {
			q.Days, q.Bands = []time.Weekday{time.Tuesday, time.Thursday}, []booking.Band{booking.Evening}
		})},
		{"visit type NEW", with(func(q *booking.SlotQuery) {
			q.VisitType = booking.Coded{Code: "NEW", Codeset: "DoorwayVisitType"}
		})},
		{"40 minutes", with(func(q *booking.SlotQuery) { q.Minutes = 40 })},
		{"everything at once", with(func(q *booking.SlotQuery) {
			q.Providers = []booking.ProviderRef{{ID: "1365042179", IDType: "NPI"}}
			q.Locations = []booking.LocationRef{{Department: "North Platte Family Medicine", Facility: "Riverbend Family Health"}}
			q.Days, q.Bands = []time.Weekday{time.Tuesday, time.Thursday}, []booking.Band{booking.Afternoon}
			q.VisitType, q.Minutes = booking.Coded{Code: "INJURY"}, 30
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slots := f.slotsFor(tok, tt.q)
			if len(slots) == 0 {
				t.Fatalf("got no slots, want some")
			}
			checkAnswer(t, f.srv.def, tt.q, slots)
		})
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	slots := f.slotsFor(tok, week())
	good := redox.NewAvailableSlots(testMeta(), week())
	noStart := redox.NewAvailableSlots(testMeta(), week())
	noStart.StartDateTime = ""
	backwards := redox.NewAvailableSlots(testMeta(), week())
	backwards.StartDateTime, backwards.EndDateTime = backwards.EndDateTime, backwards.StartDateTime
	unknown := redox.NewAvailableSlots(testMeta(), week())
	unknown.Meta.EventType = "AvailableRooms"
	wrongModel := redox.NewAvailableSlots(testMeta(), week())
	wrongModel.Meta.DataModel = "PatientAdmin"
	night := appointmentFor(slots[0], "BAD-NIGHT")
	night.Start = time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC) // 02:00 in Nebraska
	noTime := newMsg(appointmentFor(slots[0], "BAD-NOTIME"))
	noTime.Visit.VisitDateTime = ""
	cancel := redox.NewCancel(testMeta(), appointmentFor(slots[0], "NO-SUCH-VISIT"), "test")
	goodJSON, _ := json.Marshal(good)

	tests := []struct {
		name   string
		token  string
		body   any
		status int
		want   string
	}{
		{"truncated JSON", tok, goodJSON[:len(goodJSON)/2], 400, "JSON"},
		{"missing StartDateTime", tok, noStart, 400, "StartDateTime is required"},
		{"unknown EventType", tok, unknown, 400, "EventType"},
		{"End before Start", tok, backwards, 400, "EndDateTime must be after StartDateTime"},
		{"wrong DataModel", tok, wrongModel, 400, "DataModel"},
		{"no token", "", good, 401, "bearer token"},
		{"forged token", strings.Repeat("ab", 32), good, 401, "invalid access token"},
		{"too large", tok, `{"Meta":{"DataModel":"Scheduling","EventType":"New"},"x":"` + strings.Repeat("a", maxBody) + `"}`, 413, "limit"},
		{"New without VisitDateTime", tok, noTime, 400, "VisitDateTime"},
		{"New outside the template", tok, newMsg(night), 409, "is not available"},
		{"Cancel of an unknown visit", tok, cancel, 404, "NO-SUCH-VISIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := f.post("/query", tt.token, tt.body)
			if status != tt.status {
				t.Errorf("status: got %d, want %d (errors %s)", status, tt.status, errorTexts(m))
			}
			if len(m.Meta.Errors) == 0 {
				t.Fatalf("got no Meta.Errors")
			}
			if got := errorTexts(m); !strings.Contains(got, tt.want) {
				t.Errorf("Meta.Errors: got %q, want it to name %q", got, tt.want)
			}
		})
	}
}
