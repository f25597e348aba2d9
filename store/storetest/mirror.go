package storetest

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"doorway/booking"
)

func testApplyNotificationDedupesAndFollowsEHR(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	ours := book(t, db, "A", sl, "k1")
	n := booking.Notification{Key: "log-1|" + ours.VisitNumber + "|New", Event: "New", Appointment: ours}
	for i, want := range []bool{true, false} { // a replayed delivery changes nothing
		applied, err := db.ApplyNotification(ctx, n, t0)
		if err != nil || applied != want {
			t.Fatalf("delivery %d: applied = %v, %v; want %v", i, applied, err, want)
		}
	}
	if got := appointment(t, db, ours.VisitNumber); got.Status != booking.StatusBooked {
		t.Errorf("our appointment after the EHR's New: %s, want booked", got.Status)
	}
	busy, err := db.BusyIntervals(ctx, t0, t0.Add(3*time.Hour))
	if err != nil || len(busy) != 1 || busy[0].ProviderID != "P1" {
		t.Fatalf("busy = %+v, %v; want the visit", busy, err)
	}
	cancel := booking.Notification{Key: "log-2|" + ours.VisitNumber + "|Cancel", Event: "Cancel", Appointment: ours}
	if _, err := db.ApplyNotification(ctx, cancel, t0); err != nil {
		t.Fatal(err)
	}
	if got := appointment(t, db, ours.VisitNumber); got.Status != booking.StatusCanceled {
		t.Errorf("after the EHR's Cancel: %s, want canceled", got.Status)
	}
	if busy, err := db.BusyIntervals(ctx, t0, t0.Add(3*time.Hour)); err != nil || len(busy) != 0 {
		t.Errorf("canceled visit still busy: %+v, %v", busy, err)
	}
}

// testEHRStatusesFollowed: what the EHR says of a visit Doorway booked becomes its status,
// stamped when it is booked or canceled: a New without a status books it; a NoShow marks it.
func testEHRStatusesFollowed(t *testing.T, s suite) {
	tests := []struct {
		name   string
		event  string
		status booking.Status // the notification's
		want   booking.Status
		column string // stamped with the notification's time
	}{
		{"a New without a status", "New", "", booking.StatusBooked, "booked_at"},
		{"a New still requested", "New", booking.StatusRequested, booking.StatusBooked, "booked_at"},
		{"a Cancel", "Cancel", "", booking.StatusCanceled, "canceled_at"},
		{"a NoShow", "NoShow", "", booking.StatusNoShow, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			ours := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k1")
			ehr := ours
			ehr.Status = tt.status
			at := t0.Add(time.Minute)
			if applied, err := db.ApplyNotification(ctx, booking.Notification{Key: "n", Event: tt.event, Appointment: ehr}, at); err != nil || !applied {
				t.Fatalf("ApplyNotification = %v, %v", applied, err)
			}
			if got := appointment(t, db, ours.VisitNumber); got.Status != tt.want {
				t.Errorf("status %s, want %s", got.Status, tt.want)
			}
			if tt.column != "" {
				var stamp sql.NullInt64
				must(t, db.QueryRow(`SELECT `+tt.column+` FROM appointments WHERE visit_number = $1`, ours.VisitNumber).Scan(&stamp))
				if stamp.Int64 != at.Unix() {
					t.Errorf("%s = %v, want %v", tt.column, stamp, at.Unix())
				}
			}
		})
	}
}

func testBlockFromEHRMakesTimeUnavailable(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	block := booking.Appointment{VisitNumber: "HOLD-77", Start: sl.Start.Add(-15 * time.Minute), Minutes: 60,
		Provider: sl.Provider, Location: sl.Location, Reason: "Lunch block"}
	if _, err := db.ApplyNotification(ctx, booking.Notification{Key: "x", Event: "New", Appointment: block}, t0); err != nil {
		t.Fatal(err)
	}
	err := db.PutHold(ctx, testHold("A", sl, t0), t0)
	if !errors.Is(err, booking.ErrSlotTaken) {
		t.Fatalf("hold over an EHR block: %v, want slot taken", err)
	}
	// Rescheduled away: the old visit frees, the new one takes its own time.
	moved := block
	moved.VisitNumber, moved.Start = "HOLD-78", t0.Add(5*time.Hour)
	if _, err := db.ApplyNotification(ctx, booking.Notification{Key: "y", Event: "Reschedule", Appointment: moved, OldVisit: "HOLD-77"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.PutHold(ctx, testHold("A", sl, t0), t0); err != nil {
		t.Errorf("hold after the block moved: %v", err)
	}
}

func testPushSlotsBatches(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	open := testSlot("P1", t0.Add(time.Hour), 30)
	open.Reason = "Open"
	taken := testSlot("P1", t0.Add(2*time.Hour), 30)
	taken.Reason = "Booked"
	first := booking.SlotPush{Key: "d1", BatchID: "b", Batch: "1", Batches: "2", Slots: []booking.Slot{open}}
	if _, err := db.SavePush(ctx, first, t0); err != nil {
		t.Fatal(err)
	}
	if got, err := db.CachedSlots(ctx, t0, t0.Add(24*time.Hour)); err != nil || len(got) != 0 {
		t.Fatalf("half a push is visible: %d slots, %v", len(got), err)
	}
	if n, err := db.SavePush(ctx, first, t0); err != nil || n != 0 {
		t.Errorf("replayed batch stored %d slots, %v; want 0", n, err)
	}
	if n, err := db.SavePush(ctx, booking.SlotPush{Key: "d2", BatchID: "b", Batch: "2", Batches: "2", Slots: []booking.Slot{taken}}, t0); err != nil || n != 1 {
		t.Fatalf("the last batch stored %d slots, %v; want 1", n, err)
	}
	got, err := db.CachedSlots(ctx, t0, t0.Add(24*time.Hour))
	if err != nil || len(got) != 1 || !got[0].Start.Equal(open.Start) {
		t.Fatalf("cached open slots = %+v, %v; want the open one", got, err)
	}
	busy, err := db.BusyIntervals(ctx, t0, t0.Add(24*time.Hour))
	if err != nil || len(busy) != 1 || !busy[0].Start.Equal(taken.Start) {
		t.Errorf("busy = %+v, %v; want the pushed booked slot", busy, err)
	}
}
