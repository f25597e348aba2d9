package sandbox

import (
	"context"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// TestSeedBooksAShareOfTheWeek: seeding books part of the next days' open times (patients and a few blocks), never two at one time with one provider, queues no
// notification (the schedule stood before Doorway was connected), shows in the Booked answer
// and the open times, and happens once: a second Seed adds nothing.
func TestSeedBooksAShareOfTheWeek(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	week := booking.SlotQuery{Start: testNow, End: testNow.Add(7 * 24 * time.Hour)}
	before, _, err := f.srv.openSlots(ctx, week, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.srv.Seed(ctx, 7, 0.1, 1)
	if err != nil || n == 0 {
		t.Fatalf("Seed = %d, %v", n, err)
	}
	after, _, err := f.srv.openSlots(ctx, week, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("open times: %d before, %d after", len(before), len(after))
	if len(after) > len(before)*9/10 || len(after) < len(before)/3 {
		t.Errorf("open times %d before, %d after seeding at 0.1; want between a third and nine tenths left", len(before), len(after))
	}
	var notes, blocks, overlaps int
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.db.QueryRow(`SELECT count(*) FROM sandbox_notifications`).Scan(&notes))
	must(f.db.QueryRow(`SELECT count(*) FROM sandbox_visits WHERE is_block = 1`).Scan(&blocks))
	must(f.db.QueryRow(`SELECT count(*) FROM sandbox_visits a JOIN sandbox_visits b ON a.visit_number < b.visit_number
		AND a.provider_id = b.provider_id AND a.start_unix < b.end_unix AND b.start_unix < a.end_unix`).Scan(&overlaps))
	if notes != 0 || blocks == 0 || blocks > n/3 || overlaps != 0 {
		t.Errorf("%d notifications, %d blocks of %d visits, %d overlaps; want none, a few, none", notes, blocks, n, overlaps)
	}
	got, _, err := f.srv.booked(ctx, booking.BookedQuery{Start: week.Start, End: week.End})
	if err != nil || len(got) != n-blocks {
		t.Errorf("Booked lists %d visits (%v), want the %d seeded patients' visits", len(got), err, n-blocks)
	}
	for _, a := range got {
		if vt, ok := f.srv.engine.visitTypeByName(strings.ToLower(a.VisitType.Code), ""); !ok || a.VisitType.Description != f.srv.engine.vts[vt].desc {
			t.Errorf("seeded visit %s has visit type %+v, want one of the catalogue's", a.VisitNumber, a.VisitType)
			break
		}
	}
	if again, err := f.srv.Seed(ctx, 7, 0.1, 2); err != nil || again != 0 {
		t.Errorf("a second Seed = %d, %v; want nothing more", again, err)
	}
}
