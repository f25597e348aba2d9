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
	ttl     time.Duration
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{}
	page SlotPage
	err  error
	at   time.Time
	q    SlotQuery
}

func newSearchCache(ttl time.Duration, now func() time.Time) *searchCache {
	return &searchCache{ttl: ttl, now: now, entries: map[string]*cacheEntry{}}
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

// get returns the cached answer for q or calls fetch once for all concurrent callers.
// Errors are not cached: the next search tries the EHR again.
func (c *searchCache) get(ctx context.Context, q SlotQuery, fetch func(context.Context) (SlotPage, error)) (SlotPage, error) {
	if c.ttl < 0 {
		return fetch(ctx)
	}
	key := queryKey(q)
	c.mu.Lock()
	c.expireLocked()
	e, ok := c.entries[key]
	if !ok {
		e = &cacheEntry{done: make(chan struct{}), q: q}
		c.entries[key] = e
		c.mu.Unlock()
		// The fetch is detached from this caller's cancellation (others wait on it) but keeps
		// its deadline budget.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		e.page, e.err = fetch(fctx)
		cancel()
		c.mu.Lock()
		e.at = c.now()
		if e.err != nil && c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
		close(e.done)
		return e.page, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.page, e.err
	case <-ctx.Done():
		return SlotPage{}, Fail(CodeUnavailable, MsgEHRSlow)
	}
}

func (c *searchCache) expireLocked() {
	now := c.now()
	for k, e := range c.entries {
		select {
		case <-e.done:
			if now.Sub(e.at) >= c.ttl {
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
