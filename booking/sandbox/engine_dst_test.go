package sandbox

import (
	"slices"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
)

// TestEngineDST runs a two-week window across each US DST change for a provider in each demo
// time zone: the template's 08:00 start stays 08:00 local on both sides, so its UTC instant
// moves by an hour, and each weekday keeps the same number of slots.
func TestEngineDST(t *testing.T) {
	e := NewEngine(clinicfile.Demo())
	cases := []struct {
		name, provider, location string
		from                     time.Time // a Monday, one week before the change's Sunday
		utcBefore, utcAfter      int       // UTC hour of 08:00 local before and after
	}{
		{"Chicago spring forward", "1487203956", "kearney", date(2027, 3, 8), 14, 13},
		{"Chicago fall back", "1487203956", "kearney", date(2026, 10, 26), 13, 14},
		{"Denver spring forward", "1145987321", "scottsbluff", date(2027, 3, 8), 15, 14},
		{"Denver fall back", "1145987321", "scottsbluff", date(2026, 10, 26), 14, 15},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc, _ := clinicfile.Demo().Location(c.location)
			zone := loc.Zone()
			q := booking.SlotQuery{
				Start: c.from, End: c.from.AddDate(0, 0, 14),
				VisitType: booking.Coded{Code: "FOLLOWUP"},
				Providers: []booking.ProviderRef{{ID: c.provider, IDType: "NPI"}},
				Locations: []booking.LocationRef{{ID: c.location}},
			}
			slots, incomplete := e.Open(q, nil, c.from.AddDate(0, 0, -1), 5000)
			if incomplete || len(slots) == 0 {
				t.Fatalf("got %d slots, incomplete %v", len(slots), incomplete)
			}
			change := c.from.AddDate(0, 0, 6) // the Sunday of the change
			perDay := map[time.Weekday][]int{}
			first := map[string]time.Time{}
			for _, s := range slots {
				local := s.Start.In(zone)
				if m := local.Hour()*60 + local.Minute(); m < 8*60 || m+s.Minutes > 17*60 || (m < 13*60 && m+s.Minutes > 12*60) {
					t.Errorf("slot at %s local is outside 08:00-17:00 or in lunch", local.Format("Mon 2 Jan 15:04 MST"))
				}
				key := local.Format(time.DateOnly)
				if _, ok := first[key]; !ok {
					first[key] = s.Start
					perDay[local.Weekday()] = append(perDay[local.Weekday()], 0)
				}
				n := perDay[local.Weekday()]
				n[len(n)-1]++
			}
			for _, day := range []time.Time{c.from, c.from.AddDate(0, 0, 7)} { // the Mondays
				got := first[day.Format(time.DateOnly)]
				want := c.utcBefore
				if day.After(change) {
					want = c.utcAfter
				}
				if l := got.In(zone); l.Hour() != 8 || l.Minute() != 0 || got.UTC().Hour() != want {
					t.Errorf("first slot on %s: %s local, %s UTC; want 08:00 local, %02d:00 UTC",
						day.Format("Mon 2 Jan"), l.Format("15:04 MST"), got.UTC().Format("15:04"), want)
				}
			}
			for wd, counts := range perDay {
				if len(counts) != 2 || counts[0] != counts[1] {
					t.Errorf("%s: slots per week %v, want the same count on both sides of the change", wd, counts)
				}
			}
		})
	}
}

// TestEngineDSTNight covers a template running through the night of the change: clock times
// that do not exist are skipped, and a slot whose real length would differ from its clock
// length (crossing the change) is not offered.
func TestEngineDSTNight(t *testing.T) {
	def, err := clinicfile.Parse("world.yaml", []byte(worldClinic))
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(def)
	la, _ := time.LoadLocation("America/Los_Angeles")
	cases := []struct {
		name  string
		day   time.Time
		local []string
	}{
		{"spring forward", time.Date(2027, 3, 14, 0, 0, 0, 0, la),
			// 02:00-02:59 does not exist, and 01:45 would end in it (at 02:05), so neither is
			// offered: time.Date would read those clock times as an hour earlier.
			[]string{"00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30",
				"03:00", "03:15", "03:30", "03:45", "04:00", "04:15", "04:30", "04:45", "05:00", "05:15", "05:30"}},
		{"fall back", time.Date(2026, 11, 1, 0, 0, 0, 0, la),
			// 01:00-01:59 happens twice; its first pass is used. 01:45 would end at 02:05
			// after the second pass, 80 real minutes later, so it is not offered.
			[]string{"00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30",
				"02:00", "02:15", "02:30", "02:45", "03:00", "03:15", "03:30", "03:45", "04:00", "04:15", "04:30", "04:45", "05:00", "05:15", "05:30"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := booking.SlotQuery{Start: c.day, End: c.day.Add(12 * time.Hour), VisitType: booking.Coded{Code: "SHORT"},
				Locations: []booking.LocationRef{{ID: "lax"}}}
			slots, _ := e.Open(q, nil, c.day.AddDate(0, 0, -1), 0)
			var got []string
			for k, s := range slots {
				got = append(got, s.Start.In(la).Format("15:04"))
				if k > 0 && s.Start.Sub(slots[k-1].Start) < 15*time.Minute {
					t.Errorf("slots %s and %s are closer than the 15-minute grid", slots[k-1].Start, s.Start)
				}
			}
			if !slices.Equal(got, c.local) {
				t.Errorf("local starts\n got %v\nwant %v", got, c.local)
			}
		})
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
