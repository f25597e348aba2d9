package booking_test

import (
	"context"
	"testing"

	"doorway/booking"
)

// The desk moves an appointment onto a time already booked (a double-book) only for a visit
// type that allows it and with the override, on the real store: the time then has both
// visits, the one there untouched. Moving keeps the visit type, so only the time's rules
// count, whether patients may book the visit type or not.
func TestDeskMovesOntoABookedTime(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	there := r.booked(t) // the one slot, 2 December
	r.ehr.more = []booking.Slot{r.later()}
	p := booking.Preferences{VisitType: "FU", From: "2026-12-01", To: "2026-12-07"}
	if _, _, err := r.svc.Hold(ctx, "s2", p, r.later().Key()); err != nil {
		t.Fatal(err)
	}
	vt, _ := r.svc.Clinic().VisitType("FU")
	moving, err := r.svc.Confirm(ctx, booking.ConfirmRequest{Key: "K-2", SessionID: "s2", VisitType: vt,
		Patient: booking.Patient{FirstName: "Bo", LastName: "B", DOB: "1990-01-01"}})
	if err != nil {
		t.Fatal(err)
	}
	lift := []booking.Rule{booking.RuleDoubleBook}
	if _, _, err := r.svc.Hold(ctx, "desk", p, there.Slot().Key(), lift...); booking.ErrorCode(err) != booking.CodeSlotTaken {
		t.Fatalf("a follow-up that may not be double-booked, held on a booked time: %v", err)
	}
	r.svc.Clinic().VisitTypes[0].DoubleBook = true
	if _, _, err := r.svc.Hold(ctx, "desk", p, there.Slot().Key(), lift...); err != nil {
		t.Fatal(err)
	}
	move := booking.RescheduleRequest{Key: "R-1", SessionID: "desk", Old: moving.VisitNumber, ByStaff: true,
		Actor: booking.Actor{Kind: "staff", Session: "staff:3"}}
	if _, err := r.svc.Reschedule(ctx, move); booking.MsgOf(err) != booking.MsgOverrideNeeded {
		t.Errorf("a move onto a booked time without the override: %v", err)
	}
	r.svc.Clinic().VisitTypes[0].SelfBook = false // a move keeps the visit type: staff-only bends nothing
	move.Override = &booking.Override{Rules: lift, Reason: "access"}
	moved, err := r.svc.Reschedule(ctx, move)
	if err != nil || moved.Override.String() != "double_book: access" || !moved.Start.Equal(there.Start) {
		t.Fatalf("moved: %+v, %v", moved, err)
	}
	if still, _ := r.svc.Appointment(ctx, there.VisitNumber); still.Status != booking.StatusBooked {
		t.Errorf("the visit there is %s, want booked still", still.Status)
	}
}
