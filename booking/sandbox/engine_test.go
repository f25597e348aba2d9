package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
)

// engineNow is Monday 23 November 2026, 09:04 in Kearney.
var engineNow = time.Date(2026, 11, 23, 15, 4, 0, 0, time.UTC)

// TestEngineProperties runs random queries with random busy sets over the demo clinic and
// checks every slot against the rules, and the whole answer against referenceOpen.
func TestEngineProperties(t *testing.T) {
	runs := 300
	if testing.Short() {
		runs = 60
	}
	runProperties(t, clinicfile.Demo(), runs, 2026, []time.Time{
		time.Date(2026, 10, 20, 14, 0, 0, 0, time.UTC), // horizon spans the November DST change
		engineNow,
		time.Date(2027, 3, 1, 17, 30, 0, 0, time.UTC), // and the March one
	})
}

func runProperties(t *testing.T, def *clinicfile.File, runs int, seed uint64, nows []time.Time) {
	e := NewEngine(def)
	rng := rand.New(rand.NewPCG(seed, 11))
	for i := range runs {
		now := nows[rng.IntN(len(nows))]
		q := propQuery(rng, def, now)
		busy := propBusy(rng, def, q)
		limit := []int{0, 1, 7, 60, 5000}[rng.IntN(5)]
		desc := fmt.Sprintf("run %d: now %s limit %d query %+v", i, now.Format(time.RFC3339), limit, q)
		got, incomplete := e.Open(q, busy, now, limit)
		checkEngineSlots(t, desc, def, e, q, busy, now, got)
		propCompare(t, desc, def, q, busy, now, limit, got, incomplete)

		// Booking some of the answer removes them (and what overlaps them) from the next one.
		if len(got) == 0 {
			continue
		}
		for range 3 {
			s := got[rng.IntN(len(got))]
			busy = append(busy, Busy{ProviderID: s.Provider.ID, Start: s.Start, End: s.End()})
		}
		again, incomplete := e.Open(q, busy, now, limit)
		checkEngineSlots(t, desc+" (after booking)", def, e, q, busy, now, again)
		propCompare(t, desc+" (after booking)", def, q, busy, now, limit, again, incomplete)
	}
}

func propCompare(t *testing.T, desc string, def *clinicfile.File, q booking.SlotQuery, busy []Busy, now time.Time, limit int, got []booking.Slot, incomplete bool) {
	t.Helper()
	if limit <= 0 {
		limit = DefaultLimit
	}
	want := referenceOpen(def, q, busy, now)
	if wantInc := len(want) > limit; incomplete != wantInc {
		t.Fatalf("%s: incomplete = %v, want %v (%d slots exist)", desc, incomplete, wantInc, len(want))
	}
	want = want[:min(len(want), limit)]
	if len(got) != len(want) {
		t.Fatalf("%s: got %d slots, want %d", desc, len(got), len(want))
	}
	for k := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(want[k]) {
			t.Fatalf("%s: slot %d:\n got %v\nwant %v", desc, k, got[k], want[k])
		}
	}
}

// checkEngineSlots asserts the properties every answer must have.
func checkEngineSlots(t *testing.T, desc string, def *clinicfile.File, e *Engine, q booking.SlotQuery, busy []Busy, now time.Time, slots []booking.Slot) {
	t.Helper()
	earliest, latest := e.BookingWindow(now)
	end := q.End
	if end.IsZero() {
		end = q.Start.Add(DefaultWindow)
	}
	allowed := refVisitTypes(def, q)
	seen := map[string]bool{}
	for k, s := range slots {
		loc, _ := def.Location(s.Location.ID)
		local := s.Start.In(loc.Zone())
		vt := def.VisitTypes[refVTIndex(def, s)]
		switch {
		case s.Start.Before(q.Start) || s.Start.Before(earliest) || !s.Start.Before(end) || !s.Start.Before(latest):
			t.Fatalf("%s: slot %v outside the window", desc, s)
		case len(q.Days) > 0 && !slices.Contains(q.Days, local.Weekday()):
			t.Fatalf("%s: slot %v on %s, not a requested day", desc, s, local.Weekday())
		case len(q.Bands) > 0 && !slices.Contains(q.Bands, booking.BandOf(local)):
			t.Fatalf("%s: slot %v at %s local, not a requested band", desc, s, local.Format("15:04"))
		case !q.Matches(s, loc.Zone()):
			t.Fatalf("%s: slot %v does not match the query (provider, location or duration)", desc, s)
		case !allowed[vt.Code] || !vt.OfferedBy(s.Provider.ID) || s.Minutes != vt.Minutes || s.Reason != vt.Name.String():
			t.Fatalf("%s: slot %v has the wrong visit type", desc, s)
		case refBusy(busy, s):
			t.Fatalf("%s: slot %v overlaps busy time", desc, s)
		case !propInTemplate(def, s, local):
			t.Fatalf("%s: slot %v (%s local) is not in free template time", desc, s, local.Format("Mon 15:04"))
		case e.Check(s.Provider.ID, s.Location.Department, s.Start, s.Minutes) != nil:
			t.Fatalf("%s: Check refuses offered slot %v: %v", desc, s, e.Check(s.Provider.ID, s.Location.Department, s.Start, s.Minutes))
		case seen[s.ID]:
			t.Fatalf("%s: slot %s returned twice", desc, s.ID)
		case k > 0 && s.Start.Before(slots[k-1].Start):
			t.Fatalf("%s: slots not sorted at %d", desc, k)
		case s.Provider.IDType != "NPI" || s.Location.Type != LocationType || s.Location.Department == "":
			t.Fatalf("%s: slot %v lacks provider or location fields", desc, s)
		}
		seen[s.ID] = true
	}
}

// propInTemplate reports whether every minute of s is free template time (no break, block or
// holiday) for its provider at its location.
func propInTemplate(def *clinicfile.File, s booking.Slot, local time.Time) bool {
	m := local.Hour()*60 + local.Minute()
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	for _, tp := range def.Templates {
		if tp.Provider != s.Provider.ID || tp.Location != s.Location.ID {
			continue
		}
		free := refFreeMinutes(def, tp, midnight)
		if !slices.Contains(free[m:m+s.Minutes], false) {
			return true
		}
	}
	return false
}

func propQuery(rng *rand.Rand, def *clinicfile.File, now time.Time) booking.SlotQuery {
	q := booking.SlotQuery{Start: now.Add(time.Duration(rng.IntN(60*24*40)-60*24*2) * time.Minute)}
	if rng.IntN(4) > 0 {
		q.End = q.Start.Add(time.Duration(1+rng.IntN(24*21)) * time.Hour)
	}
	if rng.IntN(2) == 0 {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if rng.IntN(2) == 0 {
				q.Days = append(q.Days, d)
			}
		}
	}
	if rng.IntN(2) == 0 {
		for _, b := range booking.Bands {
			if rng.IntN(2) == 0 {
				q.Bands = append(q.Bands, b)
			}
		}
	}
	for range rng.IntN(3) * rng.IntN(2) {
		p := def.Providers[rng.IntN(len(def.Providers))]
		q.Providers = append(q.Providers, booking.ProviderRef{ID: p.ID, IDType: []string{"NPI", "", "npi", "DEA"}[rng.IntN(4)]})
	}
	if rng.IntN(3) == 0 {
		l := def.Locations[rng.IntN(len(def.Locations))]
		q.Locations = append(q.Locations, []booking.LocationRef{
			{ID: l.ID}, {Department: strings.ToUpper(l.Department)}, {Facility: l.Facility},
			{ID: l.ID, Department: l.Department}, {Department: l.Department, Facility: "Elsewhere Health"},
		}[rng.IntN(5)])
	}
	switch v := def.VisitTypes[rng.IntN(len(def.VisitTypes))]; rng.IntN(8) {
	case 0:
		q.VisitType = booking.Coded{Code: strings.ToLower(v.Code), Codeset: v.Codeset}
	case 1:
		q.VisitType = booking.Coded{Description: strings.ToUpper(v.Name.String())}
	case 2:
		q.VisitType = booking.Coded{Code: "NOPE"}
	}
	if rng.IntN(4) == 0 {
		for range 1 + rng.IntN(2) {
			r := def.Reasons[rng.IntN(len(def.Reasons))]
			q.Reasons = append(q.Reasons, []string{r.ID, r.Label.String(), "my knee hurts", "-1"}[rng.IntN(4)])
		}
	}
	if rng.IntN(6) == 0 {
		q.Minutes = 10 + rng.IntN(40)
	}
	return q
}

func propBusy(rng *rand.Rand, def *clinicfile.File, q booking.SlotQuery) []Busy {
	var busy []Busy
	for range rng.IntN(40) {
		id := def.Providers[rng.IntN(len(def.Providers))].ID
		if rng.IntN(20) == 0 {
			id = "0000000000"
		}
		start := q.Start.Truncate(5 * time.Minute).Add(time.Duration(rng.IntN(12*24*21)) * 5 * time.Minute)
		length := time.Duration(1+rng.IntN(24)) * 5 * time.Minute
		if rng.IntN(10) == 0 { // leave or a long block, across days and the window's edges
			start, length = start.Add(-48*time.Hour), time.Duration(1+rng.IntN(96))*time.Hour
		}
		busy = append(busy, Busy{ProviderID: id, Start: start, End: start.Add(length)})
	}
	return busy
}
