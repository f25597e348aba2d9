package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

func testSlot(provider string, start time.Time, minutes int) booking.Slot {
	return booking.Slot{ID: "S1", Start: start.UTC(), Minutes: minutes, Reason: "Knee",
		Provider: booking.ProviderRef{ID: provider, IDType: "NPI", LastName: "Okafor"},
		Location: booking.LocationRef{ID: "main", Facility: "Doorway Clinic", Department: "ORTHO"}}
}

func testHold(session string, sl booking.Slot, now time.Time) booking.Hold {
	return booking.Hold{ID: booking.NewID("H"), SessionID: session, Slot: sl, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
}

var t0 = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func testPutHoldConflicts(t *testing.T, s suite) {
	nine := t0.Add(24 * time.Hour)
	tests := []struct {
		name    string
		session string
		slot    booking.Slot
		want    error
	}{
		{"same slot, other session", "B", testSlot("P1", nine, 30), booking.ErrSlotTaken},
		{"overlapping slot of the same provider", "B", testSlot("P1", nine.Add(15*time.Minute), 15), booking.ErrSlotTaken},
		{"adjacent slot of the same provider", "B", testSlot("P1", nine.Add(30*time.Minute), 30), nil},
		{"same time, other provider", "B", testSlot("P2", nine, 30), nil},
		{"same slot again, same session", "A", testSlot("P1", nine, 30), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			if err := db.PutHold(ctx, testHold("A", testSlot("P1", nine, 30), t0), t0); err != nil {
				t.Fatal(err)
			}
			err := db.PutHold(ctx, testHold(tt.session, tt.slot, t0), t0)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("PutHold = %v; want %v", err, tt.want)
			}
		})
	}
}

// testPutHoldWithoutProvider: a slot whose provider ID is empty (the EHR offers a room, not a
// person) is guarded by its key alone. The overlap checks skip such slots, so a second session
// reaches the INSERT and only the holds.slot_key UNIQUE constraint refuses it: the refusal must
// still be "slot taken" (what the patient is shown), never a raw constraint error (a 500). Other
// provider-less slots do not collide with it.
func testPutHoldWithoutProvider(t *testing.T, s suite) {
	nine := t0.Add(24 * time.Hour)
	tests := []struct {
		name    string
		session string
		slot    booking.Slot
		want    error
	}{
		{"same slot, other session", "B", testSlot("", nine, 30), booking.ErrSlotTaken},
		{"overlapping slot, other session (checked by key only)", "B", testSlot("", nine.Add(15*time.Minute), 30), nil},
		{"same slot, same session", "A", testSlot("", nine, 30), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			must(t, db.PutHold(ctx, testHold("A", testSlot("", nine, 30), t0), t0))
			err := db.PutHold(ctx, testHold(tt.session, tt.slot, t0), t0)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("PutHold = %v; want nil", err)
				}
				return
			}
			var e *booking.Error
			if !errors.As(err, &e) || e.Code != booking.CodeSlotTaken || e.Msg != booking.MsgSlotHeld {
				t.Fatalf("PutHold = %v; want a booking.Error coded %s with the slot-held message", err, booking.CodeSlotTaken)
			}
			if h, err := db.SessionHold(ctx, "A", t0); err != nil || h.Slot.Key() != tt.slot.Key() {
				t.Errorf("A's hold after B was refused = %q, %v; want it kept", h.Slot.Key(), err)
			}
		})
	}
}

func testPutHoldTakesOverExpiredHold(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	if err := db.PutHold(ctx, testHold("A", sl, t0), t0); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(10 * time.Minute) // A's hold expires exactly now
	if err := db.PutHold(ctx, testHold("B", sl, later), later); err != nil {
		t.Fatalf("PutHold over an expired hold = %v; want nil", err)
	}
	if _, err := db.SessionHold(ctx, "A", later); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("A's hold = %v; want ErrNotFound", err)
	}
}

func testPutHoldOnePerSession(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	first, second := testSlot("P1", t0.Add(time.Hour), 30), testSlot("P1", t0.Add(2*time.Hour), 30)
	for _, sl := range []booking.Slot{first, second} {
		if err := db.PutHold(ctx, testHold("A", sl, t0), t0); err != nil {
			t.Fatal(err)
		}
	}
	h, err := db.SessionHold(ctx, "A", t0)
	if err != nil || h.Slot.Key() != second.Key() || !h.Slot.Start.Equal(second.Start) {
		t.Errorf("SessionHold = %v, %v; want the second slot", h.Slot.Key(), err)
	}
	if err := db.PutHold(ctx, testHold("B", first, t0), t0); err != nil {
		t.Errorf("first slot still held after A moved on: %v", err)
	}
}

func testPutHoldRefusedByLiveAppointment(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	book(t, db, "A", sl, "key-A")
	tests := []struct {
		name string
		slot booking.Slot
	}{
		{"same slot", sl},
		{"overlapping at another department", func() booking.Slot {
			s := testSlot("P1", sl.Start.Add(10*time.Minute), 30)
			s.Location.Department = "SPORTS"
			return s
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.PutHold(ctx, testHold("B", tt.slot, t0), t0); !errors.Is(err, booking.ErrSlotTaken) {
				t.Errorf("PutHold = %v; want ErrSlotTaken", err)
			}
		})
	}
}

func testRenewHold(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	if err := db.PutHold(ctx, testHold("A", sl, t0), t0); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(5 * time.Minute)
	h, err := db.RenewHold(ctx, "A", now.Add(10*time.Minute), now)
	if err != nil || !h.ExpiresAt.Equal(now.Add(10*time.Minute)) || h.Slot.Key() != sl.Key() {
		t.Errorf("RenewHold = %v (expires %v), %v; want expiry %v", h.Slot.Key(), h.ExpiresAt, err, now.Add(10*time.Minute))
	}
	late := now.Add(11 * time.Minute)
	if _, err := db.RenewHold(ctx, "A", late.Add(10*time.Minute), late); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("RenewHold of an expired hold = %v; want ErrNotFound", err)
	}
	if err := db.ReleaseHold(ctx, "A"); err != nil {
		t.Error(err)
	}
}

func testTakenKeys(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	day := t0.Add(24 * time.Hour)
	mine, others, expired := testSlot("P1", day, 30), testSlot("P1", day.Add(time.Hour), 30), testSlot("P1", day.Add(2*time.Hour), 30)
	booked, canceled, outside := testSlot("P2", day, 30), testSlot("P2", day.Add(time.Hour), 30), testSlot("P2", day.Add(72*time.Hour), 30)
	must(t, db.PutHold(ctx, testHold("me", mine, t0), t0))
	must(t, db.PutHold(ctx, testHold("other", others, t0), t0))
	must(t, db.PutHold(ctx, testHold("gone", expired, t0.Add(-20*time.Minute)), t0.Add(-20*time.Minute)))
	book(t, db, "b1", booked, "k1")
	book(t, db, "b2", outside, "k3")
	a := book(t, db, "b3", canceled, "k2")
	must(t, db.RequestCancel(ctx, a.VisitNumber, "", t0))

	taken, err := db.TakenKeys(ctx, day, day.Add(24*time.Hour), "me", t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		slot booking.Slot
		want bool
	}{
		{"my own hold", mine, false}, {"another session's hold", others, true}, {"expired hold", expired, false},
		{"requested appointment", booked, true}, {"canceled appointment", canceled, false}, {"outside window", outside, false},
	} {
		if taken[tt.slot.Key()] != tt.want {
			t.Errorf("%s: taken = %v; want %v", tt.name, taken[tt.slot.Key()], tt.want)
		}
	}
}

func testSweepHolds(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	must(t, db.PutHold(ctx, testHold("A", testSlot("P1", t0.Add(time.Hour), 30), t0), t0))
	must(t, db.PutHold(ctx, testHold("B", testSlot("P1", t0.Add(2*time.Hour), 30), t0.Add(5*time.Minute)), t0.Add(5*time.Minute)))
	n, err := db.SweepHolds(ctx, t0.Add(12*time.Minute))
	if err != nil || n != 1 {
		t.Errorf("SweepHolds = %d, %v; want 1", n, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// appointment reads visit back, failing the test when it cannot: an assertion on the zero
// Appointment of a failed read could pass for the wrong reason.
func appointment(t *testing.T, db *store.DB, visit string) booking.Appointment {
	t.Helper()
	a, err := db.Appointment(context.Background(), visit)
	if err != nil {
		t.Fatalf("Appointment(%s): %v", visit, err)
	}
	return a
}

// dueAt returns the outbox messages due at now (at most limit), failing the test on an error:
// "nothing due" must mean nothing is due, not that the query failed.
func dueAt(t *testing.T, db *store.DB, now time.Time, limit int) []booking.OutboxMessage {
	t.Helper()
	msgs, err := db.DueMessages(context.Background(), now, limit)
	if err != nil {
		t.Fatalf("DueMessages: %v", err)
	}
	return msgs
}

// testPutHoldCapPerClient: one client keeps at most ClientCap live holds across its sessions;
// moving its own hold, expired holds and other clients are not counted.
func testPutHoldCapPerClient(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	hold := func(session, client string, start time.Time) error {
		h := testHold(session, testSlot("P1", start, 30), t0)
		h.Client, h.ClientCap = client, 2
		return db.PutHold(ctx, h, t0)
	}
	must(t, hold("A", "192.0.2.1", t0.Add(time.Hour)))
	must(t, hold("B", "192.0.2.1", t0.Add(2*time.Hour)))
	if err := hold("C", "192.0.2.1", t0.Add(3*time.Hour)); booking.MsgOf(err) != booking.MsgTooManyHolds {
		t.Errorf("a third hold of one client: %v, want too many", err)
	}
	must(t, hold("A", "192.0.2.1", t0.Add(4*time.Hour))) // A moves its own hold
	must(t, hold("D", "192.0.2.2", t0.Add(5*time.Hour))) // another client
	expired := testHold("E", testSlot("P1", t0.Add(6*time.Hour), 30), t0.Add(-time.Hour))
	expired.ExpiresAt = t0.Add(-time.Minute)
	expired.Client = "192.0.2.3"
	must(t, db.PutHold(ctx, expired, t0.Add(-time.Hour)))
	h := testHold("F", testSlot("P1", t0.Add(7*time.Hour), 30), t0)
	h.Client, h.ClientCap = "192.0.2.3", 1
	if err := db.PutHold(ctx, h, t0); err != nil {
		t.Errorf("an expired hold counted against its client: %v", err)
	}
}
