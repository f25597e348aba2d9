package sandbox

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
)

// A New on a time already booked is refused, as ever, unless it is a double-book the clinic
// allows: its override names double_book and its visit type may be double-booked (the demo's
// follow-up, not its physical). It then joins the visit there, once; never a block.
func TestNewOnABookedTimeOnlyAsAnAllowedDoubleBook(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	sl := f.firstSlot(tok, "1487203956")
	visit := func(number, visitType string, rules ...booking.Rule) booking.Appointment {
		a := appointmentFor(sl, number)
		a.VisitType = booking.Coded{Code: visitType, Codeset: "DoorwayVisitType"}
		if len(rules) > 0 {
			a.Override = booking.Override{Rules: rules, Reason: "urgent"}
		}
		return a
	}
	if status, m := f.post("/endpoint", tok, newMsg(visit("V-1", "FOLLOWUP"))); status != http.StatusOK {
		t.Fatalf("New: %d %s", status, errorTexts(m))
	}
	for _, tt := range []struct {
		name string
		a    booking.Appointment
		want int
	}{
		{"no override", visit("V-2", "FOLLOWUP"), http.StatusConflict},
		{"another rule bent", visit("V-3", "FOLLOWUP", booking.RuleLeadTime), http.StatusConflict},
		{"a visit type that may not be double-booked", visit("V-4", "PHYSICAL", booking.RuleDoubleBook), http.StatusConflict},
		{"a double-book the clinic allows", visit("V-5", "FOLLOWUP", booking.RuleLeadTime, booking.RuleDoubleBook), http.StatusOK},
		{"a third visit at the time", visit("V-6", "FOLLOWUP", booking.RuleDoubleBook), http.StatusConflict},
	} {
		if status, m := f.post("/endpoint", tok, newMsg(tt.a)); status != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, status, errorTexts(m), tt.want)
		}
	}
	status, m := f.post("/query", tok, redox.NewBooked(testMeta(), booking.BookedQuery{Start: sl.Start, End: sl.End()}))
	if status != http.StatusOK || len(m.Visits) != 2 {
		t.Errorf("Booked at the time: %d with %d visits, want the visit and its double-book", status, len(m.Visits))
	}

	next := f.firstSlot(tok, "1487203956") // the next open time: a hold, then a double-book on it
	hold := appointmentFor(next, "HOLD-1")
	hold.Patient = booking.Patient{}
	if status, m := f.post("/endpoint", tok, newMsg(hold)); status != http.StatusOK {
		t.Fatalf("hold: %d %s", status, errorTexts(m))
	}
	onHold := appointmentFor(next, "V-7")
	onHold.VisitType, onHold.Override = booking.Coded{Code: "FOLLOWUP"}, booking.Override{Rules: []booking.Rule{booking.RuleDoubleBook}, Reason: "urgent"}
	if status, m := f.post("/endpoint", tok, newMsg(onHold)); status != http.StatusConflict {
		t.Errorf("a double-book on a hold: %d %s, want 409", status, errorTexts(m))
	}
}

// A move onto a time already booked is a double-book too: refused without the marker, taken
// with it.
func TestRescheduleOntoABookedTimeAsADoubleBook(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	q := week()
	q.Providers = []booking.ProviderRef{{ID: "1970125864"}}
	q.VisitType = booking.Coded{Code: "FOLLOWUP"}
	slots := f.slotsFor(tok, q)
	from, to := slots[0], slots[len(slots)-1]
	there, moving := appointmentFor(to, "R-1"), appointmentFor(from, "R-2")
	for _, a := range []booking.Appointment{there, moving} {
		if status, m := f.post("/endpoint", tok, newMsg(a)); status != http.StatusOK {
			t.Fatalf("New %s: %d %s", a.VisitNumber, status, errorTexts(m))
		}
	}
	moved := appointmentFor(to, "R-3")
	moved.VisitType = booking.Coded{Code: "FOLLOWUP"}
	if status, m := f.post("/endpoint", tok, redox.NewReschedule(testMeta(), moved, moving)); status != http.StatusConflict {
		t.Errorf("a move onto a booked time without the marker: %d %s, want 409", status, errorTexts(m))
	}
	moved.Override = booking.Override{Rules: []booking.Rule{booking.RuleDoubleBook}, Reason: "access"}
	if status, m := f.post("/endpoint", tok, redox.NewReschedule(testMeta(), moved, moving)); status != http.StatusOK {
		t.Errorf("a move onto a booked time as a double-book: %d %s, want 200", status, errorTexts(m))
	}
}

// TestDoorwayDoubleBooksThroughRedox: Doorway's service on its real store, asking the sandbox
// through the real Redox client, offers the desk a time booked by phone, books a sick visit
// beside it with the override, and the sandbox takes the New: both visits are there.
func TestDoorwayDoubleBooksThroughRedox(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	sl := f.firstSlot(tok, "1487203956")
	if status, m := f.post("/endpoint", tok, newMsg(appointmentFor(sl, "PHONE-1"))); status != http.StatusOK {
		t.Fatalf("the phone booking: %d %s", status, errorTexts(m))
	}
	client, err := redox.NewClient(redox.Config{BaseURL: f.ts.URL, ClientID: DemoClientID, Secret: DemoSecret,
		DestinationID: "sandbox-ehr", Test: true, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "doorway.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	def := f.srv.def
	svc := booking.NewService(booking.Config{Clinic: &def.Clinic, EHR: client, Holds: db, Appointments: db, Mirror: db,
		Now: f.clock.Now, CacheFor: -1})
	loc, _ := def.Clinic.LocationByDepartment("", sl.Location.Department)
	day := sl.Start.In(loc.Zone()).Format(time.DateOnly)
	p := booking.Preferences{VisitType: "SICK", From: day, To: day, Providers: []string{sl.Provider.ID}}
	lift := []booking.Rule{booking.RuleLeadTime, booking.RuleHorizon, booking.RuleDoubleBook}
	ctx := context.Background()
	res, err := svc.Search(ctx, p, "desk", lift...)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(res.Slots, func(s booking.Slot) bool { return s.Key() == sl.Key() })
	if i < 0 || !res.Slots[i].Booked {
		t.Fatalf("the desk is not offered the phone visit's time to double-book: %+v", res.Slots)
	}
	if _, _, err := svc.Hold(ctx, "desk", p, sl.Key(), lift...); err != nil {
		t.Fatal(err)
	}
	vt, _ := def.Clinic.VisitType("SICK")
	a, err := svc.Confirm(ctx, booking.ConfirmRequest{Key: "k", SessionID: "desk", VisitType: vt,
		By:       &booking.Actor{Kind: "staff", Session: "staff:1"},
		Override: &booking.Override{Rules: svc.Bends(res.Slots[i], vt), Reason: "urgent"},
		Patient:  booking.Patient{FirstName: "Sick", LastName: "Child", DOB: "2019-05-01"}})
	if err != nil || a.Status != booking.StatusBooked {
		t.Fatalf("the double-book: %s, %v; want booked at the EHR", a.Status, err)
	}
	page, err := client.Booked(ctx, booking.BookedQuery{Start: sl.Start, End: sl.End()})
	if err != nil || len(page.Visits) != 2 {
		t.Errorf("the EHR has %d visits at the time (%v), want the phone visit and the double-book", len(page.Visits), err)
	}
}
