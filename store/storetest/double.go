package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"doorway/booking"
)

// doubleBook is the appointment the desk double-books on sl (marked booked) for session.
func doubleBook(sl booking.Slot) booking.Appointment {
	a := testAppointment(sl)
	a.Override = booking.Override{Rules: []booking.Rule{booking.RuleDoubleBook}, Reason: "urgent"}
	return a
}

// testDoubleBookTakesTheSecondSeat: beside a live appointment, a time takes one double-book
// (its second seat, booking.Slot.SeatKey) and no more: of clerks racing for it exactly one
// wins; a patient can never hold the booked time, and the double-book keeps the provider busy
// after the visit it joined is canceled.
func testDoubleBookTakesTheSecondSeat(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	first := book(t, db, "patient", sl, "k-patient")
	if err := db.PutHold(ctx, testHold("patient2", sl, t0), t0); !errors.Is(err, booking.ErrSlotTaken) {
		t.Errorf("a patient holds a booked time: %v, want ErrSlotTaken", err)
	}
	doubled := sl
	doubled.Booked = true
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			clerk := fmt.Sprintf("desk%d", i)
			if errs[i] = db.PutHold(ctx, testHold(clerk, doubled, t0), t0); errs[i] != nil {
				return
			}
			_, _, errs[i] = db.CreateAppointment(ctx, booking.Booking{Key: clerk, SessionID: clerk, Appointment: doubleBook(doubled)}, t0)
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, booking.ErrSlotTaken):
			t.Errorf("clerk %d: %v; want nil or ErrSlotTaken", i, err)
		}
	}
	if won != 1 || count(t, db, "appointments") != 2 {
		t.Fatalf("%d clerks double-booked, %d appointments; want 1 beside the patient's", won, count(t, db, "appointments"))
	}
	taken, err := db.TakenKeys(ctx, t0, t0.Add(24*time.Hour), "someone", t0)
	if err != nil || !taken[sl.Key()] || !taken[doubled.SeatKey()] {
		t.Errorf("TakenKeys = %v, %v; want the time and its second seat", taken, err)
	}
	for i := range errs { // a loser may still hold the seat: the booking must refuse on its own
		must(t, db.ReleaseHold(ctx, fmt.Sprintf("desk%d", i)))
	}
	if err := db.PutHold(ctx, testHold("desk9", doubled, t0), t0); !errors.Is(err, booking.ErrSlotTaken) {
		t.Errorf("a hold on a double-booked time's second seat: %v, want ErrSlotTaken", err)
	}
	must(t, db.RequestCancel(ctx, first.VisitNumber, "", t0))
	if err := db.PutHold(ctx, testHold("patient3", sl, t0), t0); !errors.Is(err, booking.ErrSlotTaken) {
		t.Errorf("a patient holds the time whose first visit was canceled beside a double-book: %v, want ErrSlotTaken", err)
	}
}

// testRefusedDoubleBookRetried: a double-book the EHR refused goes back in the queue from the
// desk's "Needs attention" although the visit it joins still books the time; once someone
// else has the second seat, the retry is refused as taken.
func testRefusedDoubleBookRetried(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	book(t, db, "patient", sl, "k-patient")
	doubled := sl
	doubled.Booked = true
	must(t, db.PutHold(ctx, testHold("desk", doubled, t0), t0))
	a, _, err := db.CreateAppointment(ctx, booking.Booking{Key: "k-desk", SessionID: "desk", Appointment: doubleBook(doubled)}, t0)
	must(t, err)
	msg := record(t, db, a.VisitNumber, t0, "rejected: no", true)
	retryAt := t0.Add(time.Minute)
	must(t, db.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, a.VisitNumber, retryAt), retryAt))
	if got, _ := db.Appointment(ctx, a.VisitNumber); got.Status != booking.StatusRequested {
		t.Fatalf("the retried double-book is %s, want requested", got.Status)
	}
	record(t, db, a.VisitNumber, retryAt, "rejected: still no", true)
	must(t, db.PutHold(ctx, testHold("desk2", doubled, retryAt), retryAt))
	if err := db.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, a.VisitNumber, retryAt), retryAt.Add(time.Minute)); !errors.Is(err, booking.ErrSlotTaken) {
		t.Errorf("a retry with the second seat held by another clerk: %v, want ErrSlotTaken", err)
	}
}
