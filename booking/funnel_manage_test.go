package booking_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"doorway/booking"
)

// counted is a Counter keeping every key counted.
type counted struct {
	mu   sync.Mutex
	keys []booking.FunnelKey
}

func (c *counted) Count(k booking.FunnelKey) {
	c.mu.Lock()
	c.keys = append(c.keys, k)
	c.mu.Unlock()
}

func (c *counted) of(e booking.FunnelEvent) []booking.FunnelKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []booking.FunnelKey
	for _, k := range c.keys {
		if k.Event == e {
			out = append(out, k)
		}
	}
	return out
}

// countingRig is the real-store rig with the EHR's mirror, counting its funnel.
func countingRig(t *testing.T) (*rig, *counted) {
	t.Helper()
	r, c := newRig(t), &counted{}
	r.svc = booking.NewService(booking.Config{Clinic: r.svc.Clinic(), EHR: r.ehr, Holds: r.db, Appointments: r.db, Manage: r.db,
		Mirror: r.db, Counter: c, Now: func() time.Time { return r.now }, CacheFor: -1})
	return r, c
}

// TestCancelCounts: the patient's cancel, the desk's and the clinic's (a Cancel from the EHR)
// each count once, under the appointment's visit type; the EHR's echo of a cancel made here,
// and a second cancel, count nothing.
func TestCancelCounts(t *testing.T) {
	ctx := context.Background()
	r, c := countingRig(t)
	a := r.booked(t)
	if err := r.svc.CancelByPatient(ctx, booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict", Actor: patient}); err != nil {
		t.Fatal(err)
	}
	r.svc.CancelByPatient(ctx, booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict", Actor: patient})
	echo := a
	echo.Status = booking.StatusCanceled
	if _, err := r.svc.ApplyNotification(ctx, booking.Notification{Key: "echo", Event: "Cancel", Appointment: echo}); err != nil {
		t.Fatal(err)
	}
	want := booking.FunnelKey{Day: "2026-12-01", Event: booking.EventCancel, Reason: booking.ReasonUnknown, VisitType: "FU", Channel: booking.ChannelWeb}
	if got := c.of(booking.EventCancel); len(got) != 1 || got[0] != want {
		t.Fatalf("cancels %+v, want the patient's alone: %+v", got, want)
	}

	r, c = countingRig(t)
	a = r.booked(t)
	if err := r.svc.CancelByPatient(ctx, booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict", Actor: patient, ByStaff: true}); err != nil {
		t.Fatal(err)
	}
	if got := c.of(booking.EventCancel); len(got) != 1 || got[0].Channel != booking.ChannelDesk {
		t.Errorf("the desk's cancel counted %+v, want one, the desk's", got)
	}

	r, c = countingRig(t)
	a = r.booked(t)
	gone := a
	gone.Status = booking.StatusCanceled
	for range 2 { // delivered twice: applied once
		if _, err := r.svc.ApplyNotification(ctx, booking.Notification{Key: "clinic-cancel", Event: "Cancel", Appointment: gone}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := r.svc.Appointment(ctx, a.VisitNumber); got.Status != booking.StatusCanceled {
		t.Fatalf("after the EHR's Cancel: %s", got.Status)
	}
	if got := c.of(booking.EventCancel); len(got) != 1 || got[0].Channel != booking.ChannelClinic || got[0].VisitType != "FU" {
		t.Errorf("the clinic's cancel counted %+v, want one, the clinic's", got)
	}
}

// TestRescheduleCountsOnce: a move counts as a move (not a booking or a cancel), once, even
// when its confirm is replayed.
func TestRescheduleCountsOnce(t *testing.T) {
	r, c := countingRig(t)
	a := r.booked(t)
	moved, err := r.reschedule(t, a, "K-move")
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.svc.Reschedule(context.Background(), booking.RescheduleRequest{Key: "K-move", SessionID: "s", Old: a.VisitNumber, Actor: patient})
	if err != nil || again.VisitNumber != moved.VisitNumber {
		t.Fatalf("replay: %+v %v", again, err)
	}
	if got := c.of(booking.EventReschedule); len(got) != 1 || got[0].VisitType != "FU" || got[0].Channel != booking.ChannelWeb {
		t.Errorf("moves counted %+v, want one", got)
	}
	if b, x := len(c.of(booking.EventBooking)), len(c.of(booking.EventCancel)); b != 1 || x != 0 {
		t.Errorf("%d bookings and %d cancels counted, want the first booking only", b, x)
	}
}
