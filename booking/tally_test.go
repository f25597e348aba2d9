package booking

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func key(day string, e FunnelEvent, reason string) FunnelKey {
	return FunnelKey{Day: day, Event: e, Reason: reason, VisitType: "FU", Channel: ChannelWeb}
}

// TestTallyFlushes: counts add up in memory and go to the store in one batch, in key order;
// a flush with nothing new writes nothing.
func TestTallyFlushes(t *testing.T) {
	st := newFunnelMem()
	tally := NewTally(st, nil)
	a, b := key("2026-12-02", EventSearch, "knee"), key("2026-12-01", EventHold, "knee")
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { tally.Count(a); tally.Count(a); tally.Count(b) })
	}
	wg.Wait()
	if err := tally.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := tally.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(st.batches) != 1 {
		t.Fatalf("%d batches written, want 1 (the second flush had nothing)", len(st.batches))
	}
	batch := st.batches[0]
	if len(batch) != 2 || batch[0].FunnelKey != b || batch[0].N != 50 || batch[1].FunnelKey != a || batch[1].N != 100 {
		t.Errorf("batch %+v, want the hold (50) then the search (100): in key order", batch)
	}
}

// TestTallyKeepsCountsTheStoreRefused: a failed flush loses nothing; the next one writes it
// with what was counted meanwhile.
func TestTallyKeepsCountsTheStoreRefused(t *testing.T) {
	st := newFunnelMem()
	tally := NewTally(st, nil)
	k := key("2026-12-01", EventBooking, "knee")
	tally.Count(k)
	st.fail = errors.New("database is locked")
	if err := tally.Flush(context.Background()); err == nil {
		t.Fatal("a failed write flushed without error")
	}
	tally.Count(k)
	st.fail = nil
	if err := tally.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := st.total(k); got != 2 {
		t.Errorf("stored %d, want 2", got)
	}
}

// TestTallyRunStopsWithAFinalFlush: Run writes while it runs, and when its context ends it
// writes what is left and returns.
func TestTallyRunStopsWithAFinalFlush(t *testing.T) {
	st := newFunnelMem()
	tally := NewTally(st, nil)
	k := key("2026-12-01", EventSearch, "knee")
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tally.Run(ctx, time.Millisecond); close(done) }()
	tally.Count(k)
	for st.total(k) != 1 { // the ticker flushes it; the test's own timeout bounds the wait
		time.Sleep(time.Millisecond)
	}
	tally.Count(k) // counted as the process stops: the ticker or the final flush writes it
	stop()
	<-done
	if got := st.total(k); got != 2 {
		t.Errorf("stored %d after Run returned, want 2", got)
	}
	tally.Count(k)
	if got := st.total(k); got != 2 {
		t.Errorf("stored %d after Run returned and one more count, want 2: nothing flushes any more", got)
	}
}

// TestTallyRunFlushesOnStopEvenWhenTheTickerNeverFired: a process stopped within its first
// interval keeps its counts.
func TestTallyRunFlushesOnStopEvenWhenTheTickerNeverFired(t *testing.T) {
	st := newFunnelMem()
	tally := NewTally(st, nil)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tally.Run(ctx, time.Hour); close(done) }()
	keys := []FunnelKey{key("2026-12-01", EventSearch, "knee"), key("2026-12-01", EventNoFit, "knee")}
	for _, k := range keys {
		tally.Count(k)
	}
	stop()
	<-done
	for _, k := range keys {
		if st.total(k) != 1 {
			t.Errorf("%s not flushed at stop", k.Event)
		}
	}
	if !slices.IsSortedFunc(st.batches[0], func(a, b FunnelCount) int { return compareKeys(a.FunnelKey, b.FunnelKey) }) {
		t.Errorf("final batch not in key order: %+v", st.batches[0])
	}
}
