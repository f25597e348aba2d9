package storetest

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// A dead letter's body as the EHR would send it: a patient's details in a New.
const deadBody = `{"Meta":{"DataModel":"Scheduling","EventType":"New","Logs":[{"ID":"log-9"}]},
 "Patient":{"Demographics":{"FirstName":"Zebulon","LastName":"Quixotewright","DOB":"1977-08-19"}},
 "Visit":{"VisitNumber":"EHR-9","VisitDateTime":"2031-01-01T15:00:00Z","Duration":30,"Location":{"Department":"North"}}}`

func deadSecret(seed byte) []byte { return key(seed, 32) }

func deadLetters(t *testing.T, db *store.DB, secrets ...[]byte) *store.DeadLetterStore {
	t.Helper()
	dl, err := store.NewDeadLetterStore(db, secrets...)
	if err != nil {
		t.Fatal(err)
	}
	return dl
}

func testDeadLetter(key string) booking.DeadLetter {
	return booking.DeadLetter{Key: key, Received: t0, Event: "New", Code: booking.CodeOutsideWindow, Msg: booking.MsgMalformed,
		Field: "Visit.VisitDateTime", Detail: "the visit is beyond the clinic's booking horizon", Body: []byte(deadBody)}
}

// testDeadLetterKeptSealed: a dead letter is kept with its reason and its body; the body is
// not readable in the table, the listing leaves it out, and a redelivery keeps no second one.
func testDeadLetterKeptSealed(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	dl := deadLetters(t, db, deadSecret(0))
	want := testDeadLetter("log-9|EHR-9|New")
	id, added, err := dl.AddDeadLetter(ctx, want)
	if err != nil || !added || id == 0 {
		t.Fatalf("AddDeadLetter = %d, %v, %v; want a new id", id, added, err)
	}
	var raw []byte
	must(t, db.QueryRow(`SELECT body FROM dead_letters WHERE id = $1`, id).Scan(&raw))
	for _, private := range []string{"Quixotewright", "Zebulon", "1977-08-19", "EHR-9", "DataModel"} {
		if bytes.Contains(raw, []byte(private)) {
			t.Errorf("the stored body shows %q in plain text", private)
		}
	}
	got, err := dl.DeadLetter(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != deadBody || got.Field != want.Field || got.Code != want.Code || got.Msg != want.Msg ||
		got.Detail != want.Detail || got.Event != "New" || !got.Received.Equal(t0) || !got.Replayed.IsZero() {
		t.Errorf("DeadLetter = %+v, want %+v", got, want)
	}
	if again, added, err := dl.AddDeadLetter(ctx, want); err != nil || added || again != id {
		t.Errorf("the same delivery again = %d, %v, %v; want %d, not added", again, added, err, id)
	}
	list, err := dl.DeadLetters(ctx, false)
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Body != nil || list[0].Reason() != booking.DeadOutOfRange {
		t.Errorf("DeadLetters = %+v, %v; want the one letter without its body, out of range", list, err)
	}
	if _, err := dl.DeadLetter(ctx, id+100); booking.ErrorCode(err) != booking.CodeNotFound {
		t.Errorf("an unknown id: %v, want not found", err)
	}
}

// testDeadLetterReplayMarkedOnce: the replay mark is set once; replayed letters leave the
// waiting list and stay in the full one.
func testDeadLetterReplayMarkedOnce(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	dl := deadLetters(t, db, deadSecret(0))
	id, _, err := dl.AddDeadLetter(ctx, testDeadLetter("k1"))
	must(t, err)
	other, _, err := dl.AddDeadLetter(ctx, testDeadLetter("k2"))
	must(t, err)
	for i, want := range []bool{true, false} {
		if marked, err := dl.MarkReplayed(ctx, id, t0.Add(time.Hour)); err != nil || marked != want {
			t.Errorf("MarkReplayed %d = %v, %v; want %v", i+1, marked, err, want)
		}
	}
	if waiting, err := dl.DeadLetters(ctx, false); err != nil || len(waiting) != 1 || waiting[0].ID != other {
		t.Errorf("waiting = %+v, %v; want only %d", waiting, err, other)
	}
	all, err := dl.DeadLetters(ctx, true)
	if err != nil || len(all) != 2 || !all[0].Replayed.Equal(t0.Add(time.Hour)) {
		t.Errorf("all = %+v, %v; want both, the first replayed", all, err)
	}
}

// testDeadLetterKeys: bodies open with any configured secret (rotation), and not without
// theirs, nor once tampered with or moved to another row.
func testDeadLetterKeys(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	old := deadLetters(t, db, deadSecret(0))
	id, _, err := old.AddDeadLetter(ctx, testDeadLetter("k1"))
	must(t, err)
	if d, err := deadLetters(t, db, deadSecret(5), deadSecret(0)).DeadLetter(ctx, id); err != nil || string(d.Body) != deadBody {
		t.Errorf("with the old secret second: %v", err)
	}
	if _, err := deadLetters(t, db, deadSecret(5)).DeadLetter(ctx, id); err == nil || !strings.Contains(err.Error(), "key") {
		t.Errorf("without its secret: %v, want an error about the key", err)
	}
	id2, _, err := old.AddDeadLetter(ctx, testDeadLetter("k2"))
	must(t, err)
	_, err = db.Exec(`UPDATE dead_letters SET body = (SELECT body FROM dead_letters WHERE id = $1) WHERE id = $2`, id, id2)
	must(t, err)
	if _, err := old.DeadLetter(ctx, id2); err == nil {
		t.Error("a body moved to another row opened")
	}
	if _, _, err := deadLetters(t, db).AddDeadLetter(ctx, testDeadLetter("k3")); err == nil {
		t.Error("a store without a secret kept a dead letter")
	}
	if list, err := deadLetters(t, db).DeadLetters(ctx, true); err != nil || len(list) != 2 {
		t.Errorf("a store without a secret lists %d, %v; want 2", len(list), err)
	}
	if _, err := store.NewDeadLetterStore(db, key(0, 15)); err == nil {
		t.Error("a store with a 15-byte secret")
	}
	if _, err := store.NewDeadLetterStore(db, key(1, 32), key(0, 16)); err != nil {
		t.Errorf("a store with a 16-byte secret: %v", err)
	}
}

// testInstancesOneDeadLetterPerDelivery: one inapplicable delivery reaching both instances at
// once is kept once.
func testInstancesOneDeadLetterPerDelivery(t *testing.T, s suite) {
	a, b := s.twoInstances(t)
	var added atomic.Int32
	var wg sync.WaitGroup
	for i := range 10 {
		dl := deadLetters(t, []*store.DB{a, b}[i%2], deadSecret(0))
		wg.Go(func() {
			_, ok, err := dl.AddDeadLetter(context.Background(), testDeadLetter("log-1|EHR-1|New"))
			if err != nil {
				t.Error(err)
			}
			if ok {
				added.Add(1)
			}
		})
	}
	wg.Wait()
	if added.Load() != 1 || count(t, a, "dead_letters") != 1 {
		t.Errorf("added %d times, %d rows; want 1 and 1", added.Load(), count(t, a, "dead_letters"))
	}
}
