package booking

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Tally is the funnel's Counter: counts add up in memory, which costs a request a map
// increment, and go to the store in one transaction every few seconds (Run) and when the
// process stops. One write per event instead would put a write, and SQLite's single writer,
// on every search; docs/PERFORMANCE.md has the comparison. The price: a process killed
// outright (SIGKILL, power loss) loses what it counted since its last flush.
type Tally struct {
	store FunnelStore
	log   *slog.Logger

	mu      sync.Mutex
	pending map[FunnelKey]int64

	flushing sync.Mutex // one flush at a time: a failed batch goes back before the next is taken
}

// NewTally returns a tally that flushes to store. A nil log discards.
func NewTally(store FunnelStore, log *slog.Logger) *Tally {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tally{store: store, log: log, pending: map[FunnelKey]int64{}}
}

// Count implements Counter.
func (t *Tally) Count(k FunnelKey) {
	t.mu.Lock()
	t.pending[k]++
	t.mu.Unlock()
}

// Flush writes what was counted since the last flush. When the store fails, the counts are
// kept for the next flush.
func (t *Tally) Flush(ctx context.Context) error {
	t.flushing.Lock()
	defer t.flushing.Unlock()
	t.mu.Lock()
	taken := t.pending
	if len(taken) == 0 {
		t.mu.Unlock()
		return nil
	}
	t.pending = map[FunnelKey]int64{}
	t.mu.Unlock()
	batch := make([]FunnelCount, 0, len(taken))
	for k, n := range taken {
		batch = append(batch, FunnelCount{FunnelKey: k, N: n})
	}
	// In key order: two instances adding to the same rows take the rows' locks in the same
	// order, so their transactions cannot deadlock.
	slices.SortFunc(batch, func(a, b FunnelCount) int { return compareKeys(a.FunnelKey, b.FunnelKey) })
	if err := t.store.AddFunnel(ctx, batch); err != nil {
		t.mu.Lock()
		for k, n := range taken {
			t.pending[k] += n
		}
		t.mu.Unlock()
		return err
	}
	return nil
}

func compareKeys(a, b FunnelKey) int {
	return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Event, b.Event), cmp.Compare(a.Reason, b.Reason),
		cmp.Compare(a.VisitType, b.VisitType), cmp.Compare(a.Channel, b.Channel))
}

// finalFlush bounds the last flush, when Run's context has ended.
const finalFlush = 5 * time.Second

// Run flushes every interval until ctx ends, then once more (within finalFlush, whatever
// ctx's state) and returns. End ctx once the web server has stopped, so what its last
// requests counted is in that last flush.
func (t *Tally) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalFlush)
			defer cancel()
			if err := t.Flush(fctx); err != nil {
				t.log.Error("funnel counts lost at shutdown", "err", err)
			}
			return
		case <-tick.C:
			if err := t.Flush(ctx); err != nil && ctx.Err() == nil {
				t.log.Warn("funnel flush failed, will retry", "err", err)
			}
		}
	}
}
