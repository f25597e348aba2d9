package booking_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
)

// These tests run Deliver and Replay on the real SQLite store, with the real Redox decoder:
// what they prove about keeping and replaying once is the store's behaviour.

// newHookRig is newRig with the EHR's mirror and dead letters wired, as serve wires them.
func newHookRig(t *testing.T) (*rig, *store.DeadLetterStore) {
	t.Helper()
	r := newRig(t)
	dl, err := store.NewDeadLetterStore(r.db, []byte("a dead-letter secret of 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	r.svc = booking.NewService(booking.Config{Clinic: r.svc.Clinic(), EHR: r.ehr, Holds: r.db, Appointments: r.db,
		Mirror: r.db, SlotCache: r.db, DeadLetters: dl, Now: func() time.Time { return r.now }, CacheFor: -1})
	return r, dl
}

// farNew is a New for a visit on 1 June 2028: beyond the horizon (365 days) while the rig's clock reads
// December 2026.
const farNew = `{"Meta":{"DataModel":"Scheduling","EventType":"New","Logs":[{"ID":"log-far"}]},
 "Visit":{"VisitNumber":"EHR-FAR","VisitDateTime":"2028-06-01T15:00:00Z","Duration":30,
  "AttendingProvider":{"ID":"1111111111","IDType":"NPI"},"Location":{"Department":"North FM"}}}`

func rows(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDeliverKeepsOnlyWhatCannotBeApplied: Deliver's three outcomes. A delivery read but not
// applicable is kept (nil error); one that cannot be read, or that fails in the database, is
// returned, keeping nothing; without a dead-letter store, an inapplicable one is refused as
// unavailable, so the sender keeps it.
func TestDeliverKeepsOnlyWhatCannotBeApplied(t *testing.T) {
	ctx := context.Background()
	r, _ := newHookRig(t)
	res, err := r.svc.Deliver(ctx, []byte(farNew), redox.ParseInbound)
	if err != nil || res.DeadLetter == nil || res.DeadLetter.Reason() != booking.DeadOutOfRange || res.DeadLetter.Body != nil {
		t.Fatalf("beyond the horizon: %+v, %v; want a dead letter out of range, without its body", res, err)
	}
	if _, err := r.svc.Deliver(ctx, []byte(farNew[:50]), redox.ParseInbound); booking.ErrorCode(err) != booking.CodeMalformed {
		t.Errorf("cut off: %v, want malformed", err)
	}
	failing := func([]byte) (booking.Inbound, error) { return booking.Inbound{}, errors.New("disk on fire") }
	if _, err := r.svc.Deliver(ctx, []byte(`{}`), failing); err == nil || booking.ErrorCode(err) != booking.CodeInternal {
		t.Errorf("an internal failure: %v, want it returned", err)
	}
	if n := rows(t, r.db, `SELECT count(*) FROM dead_letters`); n != 1 {
		t.Errorf("%d dead letters, want 1", n)
	}
	bare := booking.NewService(booking.Config{Clinic: r.svc.Clinic(), Mirror: r.db, Now: func() time.Time { return r.now }})
	if _, err := bare.Deliver(ctx, []byte(farNew), redox.ParseInbound); booking.ErrorCode(err) != booking.CodeUnavailable {
		t.Errorf("without a dead-letter store: %v, want unavailable", err)
	}
}

// TestReplayedDeadLetterAppliedOnce: a dead letter replayed after the fix (here time passed
// and the visit came within the horizon) is applied; a second replay is refused; a replay
// that stopped before it was marked, replayed again, changes nothing (the inbox dedupes by
// the delivery's key); of replays racing, one wins and the visit is applied once.
func TestReplayedDeadLetterAppliedOnce(t *testing.T) {
	ctx := context.Background()
	r, dl := newHookRig(t)
	res, err := r.svc.Deliver(ctx, []byte(farNew), redox.ParseInbound)
	if err != nil || res.DeadLetter == nil {
		t.Fatalf("Deliver = %+v, %v", res, err)
	}
	id := res.DeadLetter.ID
	if _, err := r.svc.Replay(ctx, id, redox.ParseInbound); booking.ErrorCode(err) != booking.CodeOutsideWindow {
		t.Fatalf("replay before the fix: %v, want still out of range", err)
	}
	r.now = time.Date(2028, 4, 1, 12, 0, 0, 0, time.UTC)
	if got, err := r.svc.Replay(ctx, id, redox.ParseInbound); err != nil || !got.Applied {
		t.Fatalf("replay after the fix = %+v, %v; want applied", got, err)
	}
	if _, err := r.svc.Replay(ctx, id, redox.ParseInbound); booking.ErrorCode(err) != booking.CodeConflict ||
		!strings.Contains(booking.DetailOf(err), "replayed at") {
		t.Errorf("second replay: %v, want refused as replayed", err)
	}
	if waiting, err := dl.DeadLetters(ctx, false); err != nil || len(waiting) != 0 {
		t.Errorf("waiting after the replay: %+v, %v", waiting, err)
	}
	unmark := func() {
		if _, err := r.db.Exec(`UPDATE dead_letters SET replayed_at = NULL`); err != nil {
			t.Fatal(err)
		}
	}
	unmark() // as if the replay had stopped between applying and marking
	if got, err := r.svc.Replay(ctx, id, redox.ParseInbound); err != nil || got.Applied {
		t.Errorf("replay of an applied delivery = %+v, %v; want marked, nothing applied", got, err)
	}
	// A replay that read the letter before another marked it: the mark refuses it.
	stale := booking.NewService(booking.Config{Clinic: r.svc.Clinic(), Mirror: r.db, DeadLetters: staleReads{dl},
		Now: func() time.Time { return r.now }})
	if _, err := stale.Replay(ctx, id, redox.ParseInbound); booking.ErrorCode(err) != booking.CodeConflict {
		t.Errorf("a replay that read the letter before it was marked: %v, want refused", err)
	}
	unmark()
	var won, refused atomic.Int32
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			_, err := r.svc.Replay(ctx, id, redox.ParseInbound)
			switch booking.ErrorCode(err) {
			case "":
				won.Add(1)
			case booking.CodeConflict:
				refused.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if won.Load() != 1 || refused.Load() != 5 {
		t.Errorf("racing replays: %d won, %d refused; want 1 and 5", won.Load(), refused.Load())
	}
	if n := rows(t, r.db, `SELECT count(*) FROM inbox`); n != 1 {
		t.Errorf("inbox has %d deliveries, want the one applied once", n)
	}
	if n := rows(t, r.db, `SELECT count(*) FROM ehr_visits WHERE visit_number = 'EHR-FAR'`); n != 1 {
		t.Errorf("%d mirrored visits, want 1", n)
	}
}

// staleReads reads every dead letter as not yet replayed, as a replay that read it just
// before another one marked it would.
type staleReads struct{ *store.DeadLetterStore }

func (s staleReads) DeadLetter(ctx context.Context, id int64) (booking.DeadLetter, error) {
	d, err := s.DeadLetterStore.DeadLetter(ctx, id)
	d.Replayed = time.Time{}
	return d, err
}
