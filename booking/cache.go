package booking

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// searchCache shares one EHR call among identical concurrent searches and keeps answers for
// a few seconds, so a page refresh or a burst of patients does not hammer the EHR.
type searchCache struct {
	ttl      time.Duration
	timeout  time.Duration // bounds each EHR call
	onAnswer func()        // called when a new answer is kept
	now      func() time.Time
	mu       sync.Mutex
	entries  map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{}
	page SlotPage
	err  error
	at   time.Time     // when the answer came
	keep time.Duration // how long it is kept from then
	q    SlotQuery
}

func newSearchCache(ttl, timeout time.Duration, now func() time.Time) *searchCache {
	return &searchCache{ttl: ttl, timeout: timeout, now: now, entries: map[string]*cacheEntry{}}
}

// queryKey is every field of q, written out (this runs for every query of every search:
// no fmt).
func queryKey(q SlotQuery) string {
	var b strings.Builder
	b.Grow(256)
	num := func(n int64) { b.WriteString(strconv.FormatInt(n, 10)); b.WriteByte('|') }
	str := func(ss ...string) {
		for _, s := range ss {
			b.WriteString(s)
			b.WriteByte(',')
		}
		b.WriteByte('|')
	}
	num(q.Start.Unix())
	num(q.End.Unix())
	str(q.Reasons...)
	str(q.VisitType.Code, q.VisitType.Codeset, q.VisitType.Description)
	num(int64(q.Minutes))
	for _, d := range q.Days {
		num(int64(d))
	}
	b.WriteByte('|')
	for _, band := range q.Bands {
		str(string(band))
	}
	b.WriteByte('|')
	for _, p := range q.Providers {
		str(p.ID, p.IDType)
	}
	b.WriteByte('|')
	for _, l := range q.Locations {
		str(l.ID, l.Type, l.Facility, l.Department, l.Room)
	}
	b.WriteByte('|')
	for _, id := range q.Patient {
		str(id.ID, id.IDType)
	}
	str(q.FromDate, q.ToDate)
	return b.String()
}

// get returns the cached answer for q or calls fetch once for all concurrent callers. The
// call runs on its own, detached from any caller and bounded by the cache's query timeout: a
// caller whose ctx ends stops waiting (ctx's error) while the call goes on, and its answer is
// kept for whoever asks next. An answer that took longer than SlowAnswer is kept for at least
// a minute, for the patient who was told "still looking". Errors are not cached: the next
// search tries the EHR again.
func (c *searchCache) get(ctx context.Context, q SlotQuery, fetch func(context.Context) (SlotPage, error)) (SlotPage, error) {
	if c.ttl < 0 { // no cache: every call is a new answer
		page, err := fetch(ctx)
		if c.onAnswer != nil {
			c.onAnswer()
		}
		return page, err
	}
	key := queryKey(q)
	c.mu.Lock()
	c.expireLocked()
	e, ok := c.entries[key]
	if !ok {
		e = &cacheEntry{done: make(chan struct{}), q: q, keep: c.ttl}
		c.entries[key] = e
		go c.run(context.WithoutCancel(ctx), key, e, fetch)
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.page, e.err
	case <-ctx.Done():
		return SlotPage{}, ctx.Err()
	}
}

// SlowAnswer is how long an EHR answer may take before it is kept longer than the cache's
// few seconds.
const SlowAnswer = 2 * time.Second

// run makes the call for entry e and publishes its outcome.
func (c *searchCache) run(ctx context.Context, key string, e *cacheEntry, fetch func(context.Context) (SlotPage, error)) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	began := c.now()
	page, err := fetch(ctx)
	c.mu.Lock()
	e.page, e.err, e.at = page, err, c.now()
	if c.onAnswer != nil {
		c.onAnswer()
	}
	if e.at.Sub(began) >= SlowAnswer {
		e.keep = max(e.keep, time.Minute)
	}
	if err != nil && c.entries[key] == e {
		delete(c.entries, key)
	}
	c.mu.Unlock()
	close(e.done)
}

func (c *searchCache) expireLocked() {
	now := c.now()
	for k, e := range c.entries {
		select {
		case <-e.done:
			if now.Sub(e.at) >= e.keep {
				delete(c.entries, k)
			}
		default:
		}
	}
}

// invalidate drops every finished answer whose window overlaps [start, end).
func (c *searchCache) invalidate(start, end time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		qEnd := e.q.End
		if qEnd.IsZero() {
			qEnd = e.q.Start.Add(MaxWindow)
		}
		if e.q.Start.Before(end) && start.Before(qEnd) {
			delete(c.entries, k)
		}
	}
}
