package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// queue books n appointments (one New message each) and returns their visit numbers.
func queue(t *testing.T, db *store.DB, n int) []string {
	t.Helper()
	var vns []string
	for i := range n {
		a := book(t, db, fmt.Sprintf("S%d", i), testSlot("P1", t0.Add(time.Duration(i+1)*time.Hour), 30), fmt.Sprintf("k%d", i))
		vns = append(vns, a.VisitNumber)
	}
	return vns
}

func testDueMessagesConcurrentClaimsDisjoint(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	queue(t, db, 40)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				msgs, err := db.DueMessages(ctx, t0, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(msgs) == 0 {
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
	if len(seen) != 40 {
		t.Errorf("claimed %d distinct messages; want 40", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d claimed %d times; want once", id, n)
		}
	}
}

func testDueMessagesLease(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	queue(t, db, 1)
	for _, tt := range []struct {
		name string
		at   time.Time
		want int
	}{
		{"first claim", t0, 1},
		{"claimed, within the lease", t0.Add(59 * time.Second), 0},
		{"lease ran out (deliverer crashed)", t0.Add(store.OutboxLease), 1},
	} {
		msgs, err := db.DueMessages(ctx, tt.at, 10)
		if err != nil || len(msgs) != tt.want {
			t.Errorf("%s: DueMessages = %d messages, %v; want %d", tt.name, len(msgs), err, tt.want)
		}
	}
}

func testDueMessagesKeepsVisitOrder(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	vn := queue(t, db, 1)[0]
	must(t, db.RequestCancel(ctx, vn, "", t0))
	msgs := dueAt(t, db, t0, 10)
	if len(msgs) != 1 || msgs[0].Kind != booking.OutboxNew {
		t.Fatalf("DueMessages = %+v; want only the New (the Cancel waits behind it)", msgs)
	}
	must(t, db.RecordAttempt(ctx, msgs[0].ID, "", true, time.Time{}, t0))
	msgs = dueAt(t, db, t0, 10)
	if len(msgs) != 1 || msgs[0].Kind != booking.OutboxCancel {
		t.Errorf("DueMessages after New delivered = %+v; want the Cancel", msgs)
	}
}

func testRecordAttempt(t *testing.T, s suite) {
	type attempt struct {
		errText string
		done    bool
	}
	retryAt := t0.Add(2 * time.Minute)
	tests := []struct {
		name          string
		attempts      []attempt
		wantDelivered bool
		wantFailed    bool
		wantDueAt     time.Time // zero when the message left the queue
	}{
		{"delivered first time", []attempt{{"", true}}, true, false, time.Time{}},
		{"retry scheduled", []attempt{{"timeout", false}}, false, false, retryAt},
		{"retry then delivered", []attempt{{"timeout", false}, {"", true}}, true, false, time.Time{}},
		{"rejected", []attempt{{"timeout", false}, {"slot taken", true}}, false, true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			vn := queue(t, db, 1)[0]
			msgs, err := db.DueMessages(ctx, t0, 1)
			if err != nil || len(msgs) != 1 {
				t.Fatalf("DueMessages = %v, %v", msgs, err)
			}
			for i, a := range tt.attempts {
				must(t, db.RecordAttempt(ctx, msgs[0].ID, a.errText, a.done, retryAt, t0.Add(time.Duration(i)*time.Second)))
			}
			var attempts int
			var delivered, failed sql.NullInt64
			var next int64
			must(t, db.QueryRow(`SELECT attempts, delivered_at, failed_at, next_attempt_at FROM outbox`).Scan(&attempts, &delivered, &failed, &next))
			if attempts != len(tt.attempts) || delivered.Valid != tt.wantDelivered || failed.Valid != tt.wantFailed {
				t.Errorf("attempts=%d delivered=%v failed=%v; want %d %v %v", attempts, delivered.Valid, failed.Valid, len(tt.attempts), tt.wantDelivered, tt.wantFailed)
			}
			if !tt.wantDueAt.IsZero() && next != tt.wantDueAt.Unix() {
				t.Errorf("next_attempt_at = %v; want %v", time.Unix(next, 0).UTC(), tt.wantDueAt)
			}
			due := dueAt(t, db, t0.Add(time.Hour), 10)
			if (len(due) == 1) != !tt.wantDueAt.IsZero() {
				t.Errorf("due an hour later = %d messages; want due=%v", len(due), !tt.wantDueAt.IsZero())
			}
			got, err := db.Attempts(ctx, vn)
			if err != nil || len(got) != len(tt.attempts) {
				t.Fatalf("Attempts = %d, %v; want %d", len(got), err, len(tt.attempts))
			}
			for i, a := range got {
				if a.Attempt != i+1 || a.Error != tt.attempts[i].errText || a.Kind != booking.OutboxNew {
					t.Errorf("attempt %d = %+v; want number %d error %q", i, a, i+1, tt.attempts[i].errText)
				}
			}
		})
	}
}

func testRecordAttemptUnknownMessage(t *testing.T, s suite) {
	err := s.db(t).RecordAttempt(context.Background(), 42, "", true, time.Time{}, t0)
	if !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("RecordAttempt = %v; want ErrNotFound", err)
	}
}

// testInterruptedClaimReleasedAtStartup: a deliverer that dies mid-send leaves its claim; at
// the next start (the database opened again, as a restarted process opens it) ReleaseClaims
// makes the message due at once, and DueMessages marks it Interrupted (the EHR may have it)
// until an attempt is recorded.
func testInterruptedClaimReleasedAtStartup(t *testing.T, s suite) {
	dsn, ctx := s.DSN(t), context.Background()
	db := open(t, dsn)
	queue(t, db, 2)
	first, err := db.DueMessages(ctx, t0, 2)
	if err != nil || len(first) != 2 || first[0].Interrupted || first[1].Interrupted {
		t.Fatalf("first claim = %+v, %v; want 2 messages, not interrupted", first, err)
	}
	must(t, db.RecordAttempt(ctx, first[1].ID, "timeout", false, t0.Add(time.Hour), t0)) // the second was recorded
	db.Close()
	db = open(t, dsn)
	restart := t0.Add(5 * time.Second)
	// With PostgreSQL the dead process's claim is released once the server has ended its
	// session, which may take a moment after the close.
	n, err := db.ReleaseClaims(ctx, restart)
	for deadline := time.Now().Add(5 * time.Second); err == nil && n == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		n, err = db.ReleaseClaims(ctx, restart)
	}
	if err != nil || n != 1 {
		t.Fatalf("ReleaseClaims = %d, %v; want 1 (the recorded retry keeps its backoff)", n, err)
	}
	due, err := db.DueMessages(ctx, restart, 10)
	if err != nil || len(due) != 1 || due[0].ID != first[0].ID || !due[0].Interrupted {
		t.Fatalf("due after restart = %+v, %v; want the unrecorded message, interrupted", due, err)
	}
	must(t, db.RecordAttempt(ctx, due[0].ID, "timeout", false, restart, restart))
	again := dueAt(t, db, restart, 10)
	if len(again) != 1 || again[0].Interrupted {
		t.Errorf("due after a recorded attempt = %+v; want it, not interrupted", again)
	}
}

// TestRecordAttemptSettlesTheAppointment: the outcome of a New and the appointment's status
// are one write, so no crash can leave a delivered booking "requested".
func testRecordAttemptSettlesTheAppointment(t *testing.T, s suite) {
	tests := []struct {
		name    string
		errText string
		cancel  bool
		want    booking.Status
	}{
		{"delivered", "", false, booking.StatusBooked},
		{"refused for good", "slot taken", false, booking.StatusFailed},
		{"canceled meanwhile keeps canceled", "", true, booking.StatusCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			a := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k")
			msgs, err := db.DueMessages(ctx, t0, 1)
			if err != nil || len(msgs) != 1 {
				t.Fatalf("due = %v, %v", msgs, err)
			}
			if tt.cancel {
				must(t, db.RequestCancel(ctx, a.VisitNumber, "changed my mind", t0))
			}
			must(t, db.RecordAttempt(ctx, msgs[0].ID, tt.errText, true, time.Time{}, t0))
			if got := appointment(t, db, a.VisitNumber); got.Status != tt.want {
				t.Errorf("status = %s, want %s", got.Status, tt.want)
			}
		})
	}
}
