package redox

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// Fixtures shared by the round-trip, schema and fuzz tests.

var (
	testMeta = Meta{Test: new(true), EventDateTime: "2025-03-03T15:00:00.000Z",
		Destinations: []Endpoint{{ID: "af394f14-b34a-464f-8d24-895f370af4c9", Name: "Clinic EHR"}}}
	testStart    = time.Date(2025, 3, 10, 14, 0, 0, 0, time.UTC)
	testProvider = booking.ProviderRef{ID: "4356789876", IDType: "NPI", FirstName: "Pat", LastName: "Granite", Credentials: []string{"MD"}}
	testLocation = booking.LocationRef{ID: "L-1", Type: "Outpatient", Facility: "Main Street Clinic", Department: "Family Medicine", Room: "4"}
)

func testAppointment() booking.Appointment {
	return booking.Appointment{
		VisitNumber: "SB-100045",
		Patient: booking.Patient{Identifiers: []booking.Identifier{{ID: "0000000001", IDType: "MR"}},
			FirstName: "Ada", LastName: "Lovell", DOB: "1990-04-12", Sex: "Female",
			Phone: "+15555550100", Email: "ada@example.org", Language: "en"},
		Start: testStart, Minutes: 30,
		VisitType:    booking.Coded{Code: "NP30", Codeset: "ClinicVisitTypes", Description: "New patient visit"},
		Reason:       "Knee pain",
		Provider:     testProvider,
		Location:     testLocation,
		Status:       booking.StatusBooked,
		Instructions: []string{"Arrive 15 min early"},
		SlotID:       "S-20250310-0900-DRG",
		Notes:        "Left knee, since Tuesday",
		Override: booking.Override{Rules: []booking.Rule{booking.RuleLeadTime, booking.RuleSelfBook}, Reason: "urgent",
			Note: "seen today (walk-in): Dr Lee"},
	}
}

// testHold is a block from the EHR: no patient at all.
func testHold() booking.Appointment {
	return booking.Appointment{VisitNumber: "HOLD-77", Start: testStart.Add(4 * time.Hour), Minutes: 60,
		Reason: "Lunch block", Location: booking.LocationRef{Department: "Family Medicine"}, Status: booking.StatusBooked}
}

func testSlotQuery() booking.SlotQuery {
	return booking.SlotQuery{
		Start: testStart, End: testStart.Add(5 * 24 * time.Hour),
		Reasons:   []string{"knee pain"},
		VisitType: booking.Coded{Code: "NP30", Codeset: "ClinicVisitTypes", Description: "New patient visit"},
		Minutes:   30,
		Days:      []time.Weekday{time.Monday, time.Wednesday},
		Bands:     []booking.Band{booking.Morning, booking.Evening},
		Providers: []booking.ProviderRef{testProvider},
		Locations: []booking.LocationRef{testLocation},
		Patient:   []booking.Identifier{{ID: "0000000001", IDType: "MR"}},
	}
}

func testSlots() []booking.Slot {
	return []booking.Slot{
		{ID: "S-1", Start: testStart, Minutes: 30, Reason: "New patient visit", Provider: testProvider, Location: testLocation},
		{Start: testStart.Add(30 * time.Minute), Minutes: 30, Provider: booking.ProviderRef{ID: "4356789876", IDType: "NPI"},
			Location: booking.LocationRef{Department: "Family Medicine"}},
	}
}

func testBookedQuery() booking.BookedQuery {
	return booking.BookedQuery{Start: testStart, End: testStart.Add(30 * 24 * time.Hour),
		Patient: []booking.Identifier{{ID: "0000000001", IDType: "MR"}}, Providers: []booking.ProviderRef{testProvider}, Location: &testLocation}
}

// reencode encodes m and decodes it again, as the far side of the wire would.
func reencode(t *testing.T, m *Message) *Message {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	if strings.Contains(string(b), "SSN") {
		t.Errorf("encoded message contains SSN: %s", b)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode(%s): %v", b, err)
	}
	return got
}

func checkEqual(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the value\n got: %+v\nwant: %+v", got, want)
	}
}

func TestRoundTripNotifications(t *testing.T) {
	a, old := testAppointment(), testAppointment()
	old.Start = testStart.Add(-48 * time.Hour)
	canceled, noshow := a, a
	canceled.Status, noshow.Status = booking.StatusCanceled, booking.StatusNoShow
	tests := []struct {
		name string
		msg  *Message
		want booking.Appointment
	}{
		{"New", NewVisitMessage(EventNew, testMeta, a), a},
		{"New hold without patient", NewVisitMessage(EventNew, testMeta, testHold()), testHold()},
		{"Modification", NewVisitMessage(EventModification, testMeta, a), a},
		{"Reschedule", NewReschedule(testMeta, a, old), a},
		{"Cancel", NewCancel(testMeta, a, "Patient request"), canceled},
		{"NoShow", NewNoShow(testMeta, a, "Did not arrive"), noshow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := reencode(t, tt.msg)
			got, err := AppointmentOf(m)
			if err != nil {
				t.Fatalf("AppointmentOf: %v", err)
			}
			checkEqual(t, got, tt.want)
		})
	}
}

func TestNotificationWireDetails(t *testing.T) {
	a, old := testAppointment(), testAppointment()
	old.VisitNumber, old.Start = "SB-99", testStart.Add(-time.Hour)
	r := reencode(t, NewReschedule(testMeta, a, old))
	if r.Visit.OldVisitNumber != "SB-99" || r.Visit.OldDateTime != "2025-03-10T13:00:00.000Z" {
		t.Errorf("Reschedule old = %q %q, want SB-99 2025-03-10T13:00:00.000Z", r.Visit.OldVisitNumber, r.Visit.OldDateTime)
	}
	c := reencode(t, NewCancel(testMeta, a, "Patient request"))
	if c.Visit.CancelReason != "Patient request" || c.Visit.Status != "Canceled" {
		t.Errorf("Cancel reason %q status %q", c.Visit.CancelReason, c.Visit.Status)
	}
	n := reencode(t, NewNoShow(testMeta, a, "Did not arrive"))
	if n.Visit.NoShowReason != "Did not arrive" || n.Visit.Status != "NoShow" {
		t.Errorf("NoShow reason %q status %q", n.Visit.NoShowReason, n.Visit.Status)
	}
	h := NewVisitMessage(EventNew, testMeta, testHold())
	if h.Patient != nil {
		t.Errorf("hold carries Patient %+v, want none", h.Patient)
	}
	v := reencode(t, NewVisitMessage(EventNew, testMeta, a)).Visit
	if v.PatientClass != "Outpatient" || v.VisitDateTime != "2025-03-10T14:00:00.000Z" || v.Status != "Scheduled" {
		t.Errorf("visit class %q time %q status %q", v.PatientClass, v.VisitDateTime, v.Status)
	}
}

func TestRoundTripQueries(t *testing.T) {
	t.Run("AvailableSlots", func(t *testing.T) {
		got, err := SlotQueryOf(reencode(t, NewAvailableSlots(testMeta, testSlotQuery())))
		if err != nil {
			t.Fatalf("SlotQueryOf: %v", err)
		}
		checkEqual(t, got, testSlotQuery())
	})
	t.Run("AvailableSlots minimal", func(t *testing.T) {
		q := booking.SlotQuery{Start: testStart}
		got, err := SlotQueryOf(reencode(t, NewAvailableSlots(testMeta, q)))
		if err != nil {
			t.Fatalf("SlotQueryOf: %v", err)
		}
		checkEqual(t, got, q)
	})
	t.Run("Booked", func(t *testing.T) {
		got, err := BookedQueryOf(reencode(t, NewBooked(testMeta, testBookedQuery())))
		if err != nil {
			t.Fatalf("BookedQueryOf: %v", err)
		}
		checkEqual(t, got, testBookedQuery())
	})
}

func TestRoundTripResponses(t *testing.T) {
	for _, n := range []int{0, 2} {
		slots := testSlots()[:n]
		t.Run(fmt.Sprintf("AvailableSlotsResponse with %d slots", n), func(t *testing.T) {
			m := reencode(t, NewAvailableSlotsResponse(testMeta, slots, n == 0))
			got, err := SlotsOf(m)
			if err != nil {
				t.Fatalf("SlotsOf: %v", err)
			}
			checkEqual(t, got, slots)
			if m.Meta.IsIncomplete == nil || *m.Meta.IsIncomplete != (n == 0) {
				t.Errorf("IsIncomplete = %v, want %v", m.Meta.IsIncomplete, n == 0)
			}
		})
	}
	t.Run("PushSlots", func(t *testing.T) {
		meta := testMeta
		meta.BatchID, meta.CurrentBatch, meta.TotalBatches = "b-1", "1", "2"
		m := reencode(t, NewPushSlots(meta, testSlots()))
		got, err := SlotsOf(m)
		if err != nil {
			t.Fatalf("SlotsOf: %v", err)
		}
		checkEqual(t, got, testSlots())
		if m.Meta.BatchID != "b-1" || m.Meta.CurrentBatch != "1" || m.Meta.TotalBatches != "2" {
			t.Errorf("batch = %q %q %q, want b-1 1 2", m.Meta.BatchID, m.Meta.CurrentBatch, m.Meta.TotalBatches)
		}
	})
	for _, visits := range [][]booking.Appointment{{}, {testAppointment(), testHold()}} {
		t.Run(fmt.Sprintf("BookedResponse with %d visits", len(visits)), func(t *testing.T) {
			got, err := VisitsOf(reencode(t, NewBookedResponse(testMeta, visits, false)))
			if err != nil {
				t.Fatalf("VisitsOf: %v", err)
			}
			checkEqual(t, got, visits)
		})
	}
}

func TestConvertRejectsWrongEvent(t *testing.T) {
	slotsMsg := NewAvailableSlots(testMeta, testSlotQuery())
	tests := []struct {
		name string
		run  func() error
	}{
		{"AppointmentOf on AvailableSlots", func() error { _, err := AppointmentOf(slotsMsg); return err }},
		{"SlotsOf on New", func() error { _, err := SlotsOf(NewVisitMessage(EventNew, testMeta, testAppointment())); return err }},
		{"VisitsOf on a Booked query", func() error { _, err := VisitsOf(NewBooked(testMeta, testBookedQuery())); return err }},
		{"BookedQueryOf on nil", func() error { _, err := BookedQueryOf(nil); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if booking.ErrorCode(err) != booking.CodeInvalid {
				t.Errorf("err = %v, want CodeInvalid", err)
			}
		})
	}
}

func TestStatusIn(t *testing.T) {
	tests := map[string]booking.Status{
		"Scheduled": booking.StatusBooked, "": booking.StatusBooked, "Confirmed": booking.StatusBooked,
		"Canceled": booking.StatusCanceled, "CANCELLED": booking.StatusCanceled,
		"NoShow": booking.StatusNoShow, "no show": booking.StatusNoShow, "No-Show": booking.StatusNoShow,
		"Arrived": booking.StatusArrived, "arrived": booking.StatusArrived, "Comp": booking.StatusArrived,
	}
	for text, want := range tests {
		t.Run(text, func(t *testing.T) {
			if got := statusIn(text); got != want {
				t.Errorf("statusIn(%q) = %q, want %q", text, got, want)
			}
		})
	}
}

// TestEHRShapedInput reads what an EHR (not Doorway) sends: no AppointmentInfo of ours,
// the provider only as VisitProvider, the visit type only in Visit.Type, a cancellation
// shown only by CancelDateTime.
func TestEHRShapedInput(t *testing.T) {
	t.Run("notification", func(t *testing.T) {
		m, err := Decode([]byte(`{"Meta":{"DataModel":"Scheduling","EventType":"Modification"},
			"AppointmentInfo":[{"Code":"23457","Codeset":"Redox EHR Codes","Description":"Priority","Value":"Normal"}],
			"Visit":{"VisitNumber":"77","VisitDateTime":"2025-03-10T09:00:00-05:00","Duration":"45","Status":"Checked In","Type":"Office Visit",
			"VisitProvider":{"ID":"P9","IDType":"NPI"},"Location":{"Department":"FM"}}}`))
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		a, err := AppointmentOf(m)
		if err != nil {
			t.Fatalf("AppointmentOf: %v", err)
		}
		want := booking.Appointment{VisitNumber: "77", Start: testStart, Minutes: 45, Status: booking.StatusArrived,
			VisitType: booking.Coded{Description: "Office Visit"}, Provider: booking.ProviderRef{ID: "P9", IDType: "NPI"},
			Location: booking.LocationRef{Department: "FM"}}
		checkEqual(t, a, want)
		if !a.IsBlock() {
			t.Errorf("a visit without Patient should read as a hold/block")
		}
	})
	t.Run("booked visit canceled by CancelDateTime", func(t *testing.T) {
		m, err := Decode([]byte(`{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"Visits":[{"VisitNumber":"1",
			"VisitDateTime":"2025-03-10T14:00:00Z","Duration":15,"CancelDateTime":"2025-03-09T10:00:00Z","Location":{"Department":"FM"},
			"Patient":{"Identifiers":[{"ID":"1","IDType":"MR"}]}}]}`))
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		visits, err := VisitsOf(m)
		if err != nil {
			t.Fatalf("VisitsOf: %v", err)
		}
		if len(visits) != 1 || visits[0].Status != booking.StatusCanceled {
			t.Errorf("got %+v, want one canceled visit", visits)
		}
	})
	t.Run("failure envelope gives its APIError", func(t *testing.T) {
		_, err := VisitsOf(ErrorMessage(EventBooked, 400, "destination returned 400"))
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Texts()[0] != "destination returned 400" {
			t.Errorf("err = %v, want the *APIError", err)
		}
	})
	t.Run("AvailableSlots preference in hours merges entries", func(t *testing.T) {
		m, err := Decode([]byte(`{"Meta":{"DataModel":"Scheduling","EventType":"AvailableSlots"},"StartDateTime":"2025-03-10",
			"Visit":{"VisitPreference":[{"Duration":"1","DurationUnit":"hrs","Day":["tue","Tuesday"]},{"Day":["Sat"],"Time":["EVENING"]}]}}`))
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		q, err := SlotQueryOf(m)
		if err != nil {
			t.Fatalf("SlotQueryOf: %v", err)
		}
		want := booking.SlotQuery{Start: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), Minutes: 60,
			Days: []time.Weekday{time.Tuesday, time.Saturday}, Bands: []booking.Band{booking.Evening}}
		checkEqual(t, q, want)
	})
}
