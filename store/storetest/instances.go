package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// What several instances sharing one database must guarantee, each proven with two (or more)
// store.DB handles opened on one DSN, as two Doorway processes would open it.

// twoInstances opens a fresh database twice.
func (s suite) twoInstances(t *testing.T) (a, b *store.DB) {
	t.Helper()
	dsn := s.DSN(t)
	return open(t, dsn), open(t, dsn)
}

// testInstancesStartTogether: instances started at the same moment on an empty database all
// open it, and each migration is applied once.
func testInstancesStartTogether(t *testing.T, s suite) {
	dsn := s.DSN(t)
	dbs := make([]*store.DB, 4)
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = store.Open(context.Background(), dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	var rows, versions int
	must(t, dbs[0].QueryRow(`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &versions))
	if rows == 0 || rows != versions {
		t.Errorf("schema_migrations has %d rows for %d versions; want each version once", rows, versions)
	}
	for i, db := range dbs {
		sl := testSlot(fmt.Sprintf("P%d", i), t0.Add(time.Hour), 30)
		if err := db.PutHold(context.Background(), testHold(fmt.Sprintf("S%d", i), sl, t0), t0); err != nil {
			t.Errorf("instance %d: PutHold = %v", i, err)
		}
	}
}

// testInstancesRaceForOverlappingTimes: patients on two instances race to hold four mutually
// overlapping times of one provider (different lengths, so different slot keys: no unique
// constraint can refuse them). Exactly one may hold; the calendar lock is what refuses the
// rest. Five rounds, a provider each, to give a missing lock its chances.
func testInstancesRaceForOverlappingTimes(t *testing.T, s suite) {
	a, b := s.twoInstances(t)
	nine := t0.Add(24 * time.Hour)
	for round := range 5 {
		provider := fmt.Sprintf("P%d", round)
		slots := []booking.Slot{testSlot(provider, nine, 30), testSlot(provider, nine.Add(15*time.Minute), 30),
			testSlot(provider, nine.Add(10*time.Minute), 60), testSlot(provider, nine.Add(20*time.Minute), 15)}
		errs := make([]error, 24)
		var wg sync.WaitGroup
		for i := range errs {
			db := []*store.DB{a, b}[i%2]
			wg.Go(func() {
				errs[i] = db.PutHold(context.Background(), testHold(fmt.Sprintf("R%d-S%d", round, i), slots[i%len(slots)], t0), t0)
			})
		}
		wg.Wait()
		if ok := successes(t, errs, booking.ErrSlotTaken); ok != 1 {
			t.Errorf("round %d: %d patients hold overlapping times of %s; want 1", round, ok, provider)
		}
	}
}

// testInstancesRaceToBookOneTime: 20 patients, half on each instance, hold and book one time:
// exactly one appointment and one outbox message.
func testInstancesRaceToBookOneTime(t *testing.T, s suite) {
	a, b := s.twoInstances(t)
	ctx := context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range errs {
		db := []*store.DB{a, b}[i%2]
		wg.Go(func() {
			session := fmt.Sprintf("S%d", i)
			if errs[i] = db.PutHold(ctx, testHold(session, sl, t0), t0); errs[i] != nil {
				return
			}
			_, _, errs[i] = db.CreateAppointment(ctx, booking.Booking{Key: session, SessionID: session, Appointment: testAppointment(sl)}, t0)
		})
	}
	wg.Wait()
	if ok := successes(t, errs, booking.ErrSlotTaken); ok != 1 || count(t, a, "appointments") != 1 || count(t, b, "outbox") != 1 {
		t.Errorf("successes = %d, appointments = %d, outbox = %d; want 1 each", ok, count(t, a, "appointments"), count(t, b, "outbox"))
	}
}

// successes counts the nil errors and fails the test on any error that is not want.
func successes(t *testing.T, errs []error, want error) int {
	t.Helper()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, want):
			t.Errorf("patient %d: %v; want nil or %v", i, err, want)
		}
	}
	return ok
}

// testInstancesClaimDisjointMessages: two deliverers on each of two instances claim 60
// messages three at a time: every message is claimed exactly once.
func testInstancesClaimDisjointMessages(t *testing.T, s suite) {
	a, b := s.twoInstances(t)
	queue(t, a, 60)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for i := range 4 {
		db := []*store.DB{a, b}[i%2]
		wg.Go(func() {
			for {
				msgs, err := db.DueMessages(context.Background(), t0, 3)
				if err != nil || len(msgs) == 0 {
					if err != nil {
						t.Error(err)
					}
					return
				}
				mu.Lock()
				for _, m := range msgs {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 60 {
		t.Errorf("claimed %d distinct messages; want 60", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d claimed %d times; want once", id, n)
		}
	}
}

// testInstancesTakeOverClaimsOfAGoneInstance: a message claimed by a live instance is left to
// it (ReleaseClaims at another's startup does not touch it); once that instance's connection
// is gone, the other instance claims the message at once, well within the lease, marked
// Interrupted so it is checked against the EHR before being sent again.
func testInstancesTakeOverClaimsOfAGoneInstance(t *testing.T, s suite) {
	a, b := s.twoInstances(t)
	ctx := context.Background()
	queue(t, a, 1)
	if msgs, err := a.DueMessages(ctx, t0, 10); err != nil || len(msgs) != 1 {
		t.Fatalf("a claims = %d, %v; want 1", len(msgs), err)
	}
	if n, err := b.ReleaseClaims(ctx, t0.Add(time.Second)); err != nil || n != 0 {
		t.Errorf("ReleaseClaims on b while a lives = %d, %v; want 0", n, err)
	}
	if msgs, err := b.DueMessages(ctx, t0.Add(time.Second), 10); err != nil || len(msgs) != 0 {
		t.Fatalf("b claims while a lives = %d, %v; want 0", len(msgs), err)
	}
	a.Close() // as when a process dies: its connections close
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs, err := b.DueMessages(ctx, t0.Add(2*time.Second), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 1 {
			if !msgs[0].Interrupted {
				t.Error("taken-over message is not marked Interrupted")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("b did not take over the gone instance's claim within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
