package booking

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable time for the cache.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestCacheSharesOneCallAmongIdenticalSearches(t *testing.T) {
	clk := &clock{t: testNow}
	c := newSearchCache(5*time.Second, time.Minute, clk.now)
	release := make(chan struct{})
	var calls atomic.Int32
	fetch := func(context.Context) (SlotPage, error) {
		calls.Add(1)
		<-release
		return SlotPage{Slots: []Slot{{ID: "a"}}}, nil
	}
	q := SlotQuery{Start: testNow, End: testNow.Add(time.Hour)}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if p, err := c.get(context.Background(), q, fetch); err != nil || len(p.Slots) != 1 {
				t.Errorf("got %v, %v", p, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("%d EHR calls for 10 identical searches, want 1", n)
	}
	clk.add(4 * time.Second)
	c.get(context.Background(), q, fetch)
	if calls.Load() != 1 {
		t.Error("an answer 4 s old was asked for again")
	}
	clk.add(2 * time.Second)
	c.get(context.Background(), q, fetch)
	if calls.Load() != 2 {
		t.Error("an answer 6 s old (cache 5 s) was reused")
	}
}

// TestCacheKeepsASlowAnswerForTheOneWhoStoppedWaiting: a caller that gives up (the times page
// after 3 s) gets its context's error at once; the call goes on, and its answer, slow as it
// was, is kept for a minute for whoever asks next.
func TestCacheKeepsASlowAnswerForTheOneWhoStoppedWaiting(t *testing.T) {
	clk := &clock{t: testNow}
	c := newSearchCache(5*time.Second, time.Minute, clk.now)
	release := make(chan struct{})
	var calls atomic.Int32
	var sawDeadline atomic.Bool
	fetch := func(ctx context.Context) (SlotPage, error) {
		calls.Add(1)
		_, ok := ctx.Deadline()
		sawDeadline.Store(ok)
		<-release
		clk.add(10 * time.Second) // the EHR took 10 s
		return SlotPage{Slots: []Slot{{ID: "late"}}}, nil
	}
	q := SlotQuery{Start: testNow, End: testNow.Add(time.Hour)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	// The call blocks until release: a caller that waited for it would never return.
	if _, err := c.get(ctx, q, fetch); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a caller out of patience got %v, want its deadline", err)
	}
	close(release)
	p, err := c.get(context.Background(), q, fetch)
	if err != nil || len(p.Slots) != 1 || p.Slots[0].ID != "late" || calls.Load() != 1 {
		t.Fatalf("the next look got %v, %v after %d calls; want the late answer from the one call", p, err, calls.Load())
	}
	if !sawDeadline.Load() {
		t.Error("the EHR call ran without the query timeout")
	}
	clk.add(50 * time.Second)
	c.get(context.Background(), q, fetch)
	if calls.Load() != 1 {
		t.Error("a slow answer was dropped before a minute")
	}
	clk.add(11 * time.Second)
	c.get(context.Background(), q, fetch)
	if calls.Load() != 2 {
		t.Error("a slow answer was kept past a minute")
	}
}

func TestCacheForgetsErrorsAndInvalidatedAnswers(t *testing.T) {
	c := newSearchCache(time.Minute, time.Minute, func() time.Time { return testNow })
	var calls atomic.Int32
	fail := true
	fetch := func(context.Context) (SlotPage, error) {
		calls.Add(1)
		if fail {
			return SlotPage{}, Fail(CodeUnavailable, MsgEHRDown)
		}
		return SlotPage{}, nil
	}
	q := SlotQuery{Start: testNow, End: testNow.Add(time.Hour)}
	if _, err := c.get(context.Background(), q, fetch); err == nil {
		t.Fatal("the error was not returned")
	}
	fail = false
	if _, err := c.get(context.Background(), q, fetch); err != nil || calls.Load() != 2 {
		t.Errorf("after an error: %v, %d calls; want a new call", err, calls.Load())
	}
	c.invalidate(testNow.Add(30*time.Minute), testNow.Add(31*time.Minute))
	c.get(context.Background(), q, fetch)
	if calls.Load() != 3 {
		t.Error("an answer overlapping a change was reused")
	}
	c.invalidate(testNow.Add(2*time.Hour), testNow.Add(3*time.Hour))
	c.get(context.Background(), q, fetch)
	if calls.Load() != 3 {
		t.Error("a change outside the window dropped the answer")
	}
}

func TestQueryTimeoutIsBounded(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{0: 30 * time.Second, 10 * time.Second: 10 * time.Second, 5 * time.Minute: 2 * time.Minute} {
		if got := QueryTimeout(in); got != want {
			t.Errorf("QueryTimeout(%v) = %v, want %v", in, got, want)
		}
	}
}
