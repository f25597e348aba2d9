package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
)

// firstSlot returns the first open FOLLOWUP slot of provider id in the test week.
func (f *fixture) firstSlot(tok, provider string) booking.Slot {
	f.t.Helper()
	q := week()
	q.Providers = []booking.ProviderRef{{ID: provider, IDType: "NPI"}}
	q.VisitType = booking.Coded{Code: "FOLLOWUP"}
	slots := f.slotsFor(tok, q)
	if len(slots) < 3 {
		f.t.Fatalf("got %d slots for %s, want at least 3", len(slots), provider)
	}
	return slots[0]
}

// stillOpen reports whether sl is offered again.
func (f *fixture) stillOpen(tok string, sl booking.Slot) bool {
	q := booking.SlotQuery{Start: sl.Start, End: sl.End(), Providers: []booking.ProviderRef{{ID: sl.Provider.ID}},
		VisitType: booking.Coded{Code: "FOLLOWUP"}}
	return hasSlot(f.slotsFor(tok, q), sl)
}

func TestBookedSlotDisappearsCanceledComesBack(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	sl := f.firstSlot(tok, "1487203956")
	a := appointmentFor(sl, "V-1")

	if status, m := f.post("/endpoint", tok, newMsg(a)); status != http.StatusOK {
		t.Fatalf("New: got %d %s, want 200", status, errorTexts(m))
	} else if len(m.Meta.Logs) != 1 || m.Meta.Logs[0].ID == "" {
		t.Errorf("New answer: got Logs %+v, want one with an ID", m.Meta.Logs)
	}
	if f.stillOpen(tok, sl) {
		t.Fatalf("booked slot is still offered")
	}
	if status, m := f.post("/endpoint", tok, newMsg(a)); status != http.StatusOK {
		t.Errorf("retried New (same visit): got %d %s, want 200", status, errorTexts(m))
	}
	other := appointmentFor(sl, "V-2")
	if status, m := f.post("/endpoint", tok, newMsg(other)); status != http.StatusConflict {
		t.Errorf("second New for the slot: got %d %s, want 409", status, errorTexts(m))
	}
	if status, m := f.post("/endpoint", tok, redox.NewCancel(testMeta(), a, "patient request")); status != http.StatusOK {
		t.Fatalf("Cancel: got %d %s, want 200", status, errorTexts(m))
	}
	if !f.stillOpen(tok, sl) {
		t.Errorf("canceled slot is not offered again")
	}
	if status, _ := f.post("/endpoint", tok, redox.NewCancel(testMeta(), a, "again")); status != http.StatusOK {
		t.Errorf("repeated Cancel: got %d, want 200", status)
	}
	reuse := appointmentFor(sl, "V-1")
	if status, m := f.post("/endpoint", tok, newMsg(reuse)); status != http.StatusConflict {
		t.Errorf("New reusing a canceled visit number: got %d %s, want 409", status, errorTexts(m))
	}
}

func TestConcurrentNewForOneSlot(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	sl := f.firstSlot(tok, "1598274631")
	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			statuses[i], _ = f.post("/endpoint", tok, newMsg(appointmentFor(sl, fmt.Sprintf("C-%02d", i))))
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusOK] != 1 || count[http.StatusConflict] != n-1 {
		t.Errorf("got statuses %v, want exactly one 200 and %d 409", count, n-1)
	}
	status, m := f.post("/query", tok, redox.NewBooked(testMeta(), booking.BookedQuery{Start: sl.Start, End: sl.End()}))
	if status != http.StatusOK || len(m.Visits) != 1 {
		t.Errorf("Booked: got %d with %d visits, want 200 with 1", status, len(m.Visits))
	}
}

func TestHoldMakesTimeBusy(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	sl := f.firstSlot(tok, "1487203956")
	hold := appointmentFor(sl, "HOLD-1")
	hold.Patient = booking.Patient{}
	if status, m := f.post("/endpoint", tok, newMsg(hold)); status != http.StatusOK {
		t.Fatalf("patient-less New: got %d %s, want 200", status, errorTexts(m))
	}
	if f.stillOpen(tok, sl) {
		t.Errorf("held slot is still offered")
	}
	// A department-wide block (no provider) blocks everyone working there.
	next := f.firstSlot(tok, "1203968452")
	block := booking.Appointment{VisitNumber: "BLOCK-1", Start: next.Start, Minutes: next.Minutes,
		Reason: "Fire drill", Location: next.Location}
	if status, m := f.post("/endpoint", tok, newMsg(block)); status != http.StatusOK {
		t.Fatalf("department block: got %d %s, want 200", status, errorTexts(m))
	}
	if f.stillOpen(tok, next) {
		t.Errorf("slot under a department block is still offered")
	}
	status, m := f.post("/query", tok, redox.NewBooked(testMeta(), booking.BookedQuery{Start: week().Start, End: week().End}))
	if status != http.StatusOK || len(m.Visits) != 0 {
		t.Errorf("Booked: got %d with %d visits, want 200 and no holds or blocks", status, len(m.Visits))
	}
}

func TestRescheduleFreesOldTime(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	q := week()
	q.Providers = []booking.ProviderRef{{ID: "1970125864"}}
	q.VisitType = booking.Coded{Code: "FOLLOWUP"}
	slots := f.slotsFor(tok, q)
	from, to := slots[0], slots[len(slots)-1]
	old := appointmentFor(from, "R-1")
	if status, m := f.post("/endpoint", tok, newMsg(old)); status != http.StatusOK {
		t.Fatalf("New: got %d %s", status, errorTexts(m))
	}
	moved := appointmentFor(to, "R-2")
	if status, m := f.post("/endpoint", tok, redox.NewReschedule(testMeta(), moved, old)); status != http.StatusOK {
		t.Fatalf("Reschedule: got %d %s, want 200", status, errorTexts(m))
	}
	if !f.stillOpen(tok, from) {
		t.Errorf("old time is not offered again after the reschedule")
	}
	if f.stillOpen(tok, to) {
		t.Errorf("new time is still offered after the reschedule")
	}
	stale := appointmentFor(from, "R-3")
	if status, m := f.post("/endpoint", tok, redox.NewReschedule(testMeta(), stale, old)); status != http.StatusConflict {
		t.Errorf("rescheduling the already moved visit: got %d %s, want 409", status, errorTexts(m))
	}
	// Modification to a time another visit holds is refused; to a free time it moves.
	blocker := appointmentFor(from, "R-4")
	if status, _ := f.post("/endpoint", tok, newMsg(blocker)); status != http.StatusOK {
		t.Fatalf("New R-4: got %d", status)
	}
	clash := moved
	clash.Start = from.Start
	if status, m := f.post("/endpoint", tok, redox.NewVisitMessage(redox.EventModification, testMeta(), clash)); status != http.StatusConflict {
		t.Errorf("Modification onto a booked time: got %d %s, want 409", status, errorTexts(m))
	}
}

func TestBookedQueryFilters(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	a := appointmentFor(f.firstSlot(tok, "1487203956"), "B-1")
	b := appointmentFor(f.firstSlot(tok, "1145987321"), "B-2")
	for _, v := range []booking.Appointment{a, b} {
		if status, m := f.post("/endpoint", tok, newMsg(v)); status != http.StatusOK {
			t.Fatalf("New %s: got %d %s", v.VisitNumber, status, errorTexts(m))
		}
	}
	w := week()
	tests := []struct {
		name string
		q    booking.BookedQuery
		want []string
	}{
		{"window", booking.BookedQuery{Start: w.Start, End: w.End}, []string{"B-1", "B-2"}},
		{"patient", booking.BookedQuery{Start: w.Start, End: w.End, Patient: []booking.Identifier{{ID: "MRN-B-2", IDType: "mr"}}}, []string{"B-2"}},
		{"provider", booking.BookedQuery{Start: w.Start, End: w.End, Providers: []booking.ProviderRef{{ID: "1487203956"}}}, []string{"B-1"}},
		{"location", booking.BookedQuery{Start: w.Start, End: w.End, Location: &booking.LocationRef{Department: b.Location.Department}}, []string{"B-2"}},
		{"empty window", booking.BookedQuery{Start: w.End, End: w.End.Add(time.Hour)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := f.post("/query", tok, redox.NewBooked(testMeta(), tt.q))
			if status != http.StatusOK {
				t.Fatalf("got %d %s", status, errorTexts(m))
			}
			var got []string
			for _, v := range m.Visits {
				got = append(got, v.VisitNumber)
			}
			slices.Sort(got) // the answer is in time order; the test cares about which
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got visits %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStatePersistsAcrossReopen(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	sl := f.firstSlot(tok, "1487203956")
	if status, m := f.post("/endpoint", tok, newMsg(appointmentFor(sl, "P-1"))); status != http.StatusOK {
		t.Fatalf("New: got %d %s", status, errorTexts(m))
	}
	f.ts.Close()
	f.db.Close()

	db := openDB(t, f.path)
	defer db.Close()
	cfg := DemoConfig(db, nil)
	cfg.Now = f.clock.Now
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	busy, err := srv.busy(context.Background(), sl.Start, sl.End())
	if err != nil || len(busy) != 1 || busy[0].ProviderID != sl.Provider.ID {
		t.Fatalf("busy after reopen: got %+v, %v; want the booked visit", busy, err)
	}
	visits, _, err := srv.booked(context.Background(), booking.BookedQuery{Start: sl.Start, End: sl.End()})
	if err != nil || len(visits) != 1 || visits[0].VisitNumber != "P-1" || visits[0].Patient.Identifiers[0].ID != "MRN-P-1" {
		t.Fatalf("booked after reopen: got %+v, %v; want P-1 with its patient", visits, err)
	}
	if _, err := srv.book(context.Background(), appointmentFor(sl, "P-2"), nil); booking.ErrorCode(err) != booking.CodeSlotTaken {
		t.Errorf("New for the same time after reopen: got %v, want slot_taken", err)
	}
}

// TestTwoServersOneDatabase books one slot from two servers, each with its own connection
// pool and mutex, as two processes would: only SQLite's write lock stands between them.
func TestTwoServersOneDatabase(t *testing.T) {
	f := newFixture(t)
	sl := f.firstSlot(f.login(), "1145987321")
	other := openDB(t, f.path)
	defer other.Close()
	cfg := DemoConfig(other, nil)
	cfg.Now = f.clock.Now
	srv2, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		srv := f.srv
		if i%2 == 1 {
			srv = srv2
		}
		wg.Go(func() { _, errs[i] = srv.book(context.Background(), appointmentFor(sl, fmt.Sprintf("X-%02d", i)), nil) })
	}
	wg.Wait()
	count := map[booking.Code]int{}
	for _, err := range errs {
		count[booking.ErrorCode(err)]++
	}
	if count[""] != 1 || count[booking.CodeSlotTaken] != n-1 {
		t.Errorf("got outcomes %v, want one success and %d slot_taken", count, n-1)
	}
}
