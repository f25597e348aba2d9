package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"doorway/booking"
	"doorway/store"
)

// funnelKey is a count's key on day for event, with the other parts fixed.
func funnelKey(day string, e booking.FunnelEvent) booking.FunnelKey {
	return booking.FunnelKey{Day: day, Event: e, Reason: "knee-pain", VisitType: "SICK", Channel: booking.ChannelWeb}
}

// funnelTotals reads every count of days from..to back as totals by key.
func funnelTotals(t *testing.T, db *store.DB, q booking.FunnelQuery) map[booking.FunnelKey]int64 {
	t.Helper()
	got, err := db.FunnelCounts(context.Background(), q)
	if err != nil {
		t.Fatalf("FunnelCounts(%+v) = %v", q, err)
	}
	out := map[booking.FunnelKey]int64{}
	for _, c := range got {
		if _, dup := out[c.FunnelKey]; dup {
			t.Errorf("key %+v read twice", c.FunnelKey)
		}
		out[c.FunnelKey] = c.N
	}
	return out
}

// testFunnelCounts: counts add up under their key across flushes; a read covers the days asked
// for, inclusive, in key order, and narrows to one reason, visit type or channel.
func testFunnelCounts(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	search, hold := funnelKey("2026-03-02", booking.EventSearch), funnelKey("2026-03-02", booking.EventHold)
	desk := search
	desk.Channel, desk.Reason, desk.VisitType = booking.ChannelDesk, booking.ReasonNone, "NEW"
	must(t, db.AddFunnel(ctx, []booking.FunnelCount{{FunnelKey: search, N: 3}, {FunnelKey: hold, N: 1}}))
	must(t, db.AddFunnel(ctx, []booking.FunnelCount{{FunnelKey: search, N: 2}, {FunnelKey: desk, N: 4}}))
	must(t, db.AddFunnel(ctx, nil))
	before, after := funnelKey("2026-03-01", booking.EventSearch), funnelKey("2026-03-04", booking.EventSearch)
	must(t, db.AddFunnel(ctx, []booking.FunnelCount{{FunnelKey: before, N: 7}, {FunnelKey: after, N: 8}}))

	got := funnelTotals(t, db, booking.FunnelQuery{From: "2026-03-02", To: "2026-03-03"})
	want := map[booking.FunnelKey]int64{search: 5, hold: 1, desk: 4}
	if len(got) != len(want) || got[search] != 5 || got[hold] != 1 || got[desk] != 4 {
		t.Errorf("2 to 3 March = %v, want %v (the days either side left out)", got, want)
	}
	all, err := db.FunnelCounts(ctx, booking.FunnelQuery{From: "2026-03-01", To: "2026-03-04"})
	must(t, err)
	if len(all) != 5 || all[0].FunnelKey != before || all[4].FunnelKey != after {
		t.Errorf("1 to 4 March = %+v, want 5 rows from the 1st to the 4th", all)
	}
	if !slices.IsSortedFunc(all, func(a, b booking.FunnelCount) int {
		return cmpKeys(a.FunnelKey, b.FunnelKey)
	}) {
		t.Errorf("rows not in key order: %+v", all)
	}
	for _, tc := range []struct {
		name string
		q    booking.FunnelQuery
		want map[booking.FunnelKey]int64
	}{
		{"one reason", booking.FunnelQuery{Reason: "knee-pain"}, map[booking.FunnelKey]int64{search: 5, hold: 1}},
		{"one visit type", booking.FunnelQuery{VisitType: "NEW"}, map[booking.FunnelKey]int64{desk: 4}},
		{"one channel", booking.FunnelQuery{Channel: booking.ChannelDesk}, map[booking.FunnelKey]int64{desk: 4}},
		{"a channel with none", booking.FunnelQuery{Channel: booking.ChannelClinic}, map[booking.FunnelKey]int64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.From, tc.q.To = "2026-03-02", "2026-03-02"
			if got := funnelTotals(t, db, tc.q); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func cmpKeys(a, b booking.FunnelKey) int {
	for _, p := range [][2]string{{a.Day, b.Day}, {string(a.Event), string(b.Event)}, {a.Reason, b.Reason},
		{a.VisitType, b.VisitType}, {string(a.Channel), string(b.Channel)}} {
		if p[0] != p[1] {
			if p[0] < p[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// testFunnelFlushesAddUp: tallies flushing the same keys at once (as the request goroutines
// and the flush loop of one process, or several instances, do) lose and double nothing.
func testFunnelFlushesAddUp(t *testing.T, s suite) {
	dsn := s.DSN(t)
	dbs := []*store.DB{open(t, dsn)}
	if s.Instances {
		dbs = append(dbs, open(t, dsn)) // a second instance on the same database
	}
	keys := []booking.FunnelKey{funnelKey("2026-03-02", booking.EventSearch), funnelKey("2026-03-02", booking.EventHold),
		funnelKey("2026-03-02", booking.EventBooking), funnelKey("2026-03-03", booking.EventSearch)}
	const tallies, rounds = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, tallies*rounds)
	for i := range tallies {
		tally := booking.NewTally(dbs[i%len(dbs)], nil)
		wg.Go(func() {
			for r := range rounds {
				for j := range keys { // a different order each time: Flush sorts them
					tally.Count(keys[(j+i+r)%len(keys)])
				}
				errs <- tally.Flush(context.Background())
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := funnelTotals(t, dbs[0], booking.FunnelQuery{From: "2026-03-02", To: "2026-03-03"})
	for _, k := range keys {
		if got[k] != tallies*rounds {
			t.Errorf("%s %s = %d, want %d", k.Day, k.Event, got[k], tallies*rounds)
		}
	}
}

// testFunnelCopies: the counts move with store.Copy.
func testFunnelCopies(t *testing.T, s suite) {
	ctx := context.Background()
	src := open(t, SQLiteDSN(t))
	k := funnelKey("2026-03-02", booking.EventNoFit)
	must(t, src.AddFunnel(ctx, []booking.FunnelCount{{FunnelKey: k, N: 6}}))
	dst := s.db(t)
	if _, err := store.Copy(ctx, dst, src); err != nil {
		t.Fatal(err)
	}
	if got := funnelTotals(t, dst, booking.FunnelQuery{From: "2026-03-02", To: "2026-03-02"}); got[k] != 6 || len(got) != 1 {
		t.Errorf("after the copy: %v, want the one count of 6", got)
	}
}

// BenchFunnel measures the two ways of counting an event: "upsert" writes each at once (one
// transaction per event, what a search would wait for), "tally" adds it to booking.Tally in
// memory (what a search waits for with the tally: the flush runs beside it, every few
// seconds). "tally-flush" is one flush of 100 events under 20 keys. The backends' tests run it
// as BenchmarkFunnel.
func BenchFunnel(b *testing.B, be Backend) {
	ctx := context.Background()
	keys := make([]booking.FunnelKey, 20)
	for i := range keys {
		keys[i] = booking.FunnelKey{Day: "2026-03-02", Event: booking.EventSearch, Reason: fmt.Sprint("r", i), VisitType: "SICK", Channel: booking.ChannelWeb}
	}
	key := func(i int) booking.FunnelKey { return keys[i%len(keys)] }
	b.Run("upsert", func(b *testing.B) {
		db := open(b, be.DSN(b))
		b.ResetTimer()
		for i := range b.N {
			if err := db.AddFunnel(ctx, []booking.FunnelCount{{FunnelKey: key(i), N: 1}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tally", func(b *testing.B) {
		tally := booking.NewTally(open(b, be.DSN(b)), nil)
		b.ResetTimer()
		for i := range b.N {
			tally.Count(key(i))
		}
	})
	b.Run("tally-flush", func(b *testing.B) {
		db := open(b, be.DSN(b))
		tally := booking.NewTally(db, nil)
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			for i := range 100 {
				tally.Count(key(i))
			}
			b.StartTimer()
			if err := tally.Flush(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
