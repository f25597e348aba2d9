package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
)

// The figures and the command that produced them are in docs/PERFORMANCE.md
// ("Sandbox AvailableSlots").

func BenchmarkOpen(b *testing.B) {
	now := engineNow
	demo := NewEngine(clinicfile.Demo())
	large := largeDefinition(200)
	big := NewEngine(large)
	demoBusy := benchBusy(clinicfile.Demo(), now, 30, 4)
	largeBusy := benchBusy(large, now, 90, 4)
	cases := []struct {
		name  string
		e     *Engine
		q     booking.SlotQuery
		busy  []Busy
		limit int
	}{
		// What the app sends: a window, maybe a visit type, the default cap.
		{"demo-30d", demo, booking.SlotQuery{Start: now, End: now.AddDate(0, 0, 30)}, demoBusy, 0},
		{"demo-30d-followup", demo, booking.SlotQuery{Start: now, End: now.AddDate(0, 0, 30), VisitType: booking.Coded{Code: "FOLLOWUP"}}, demoBusy, 0},
		// Every open slot of the month, no cap: the worst case for the demo clinic.
		{"demo-30d-uncapped", demo, booking.SlotQuery{Start: now, End: now.AddDate(0, 0, 30)}, demoBusy, 1 << 30},
		{"large-90d", big, booking.SlotQuery{Start: now, End: now.AddDate(0, 0, 90)}, largeBusy, 0},
		// Few or no matches, so all 90 days are walked: the worst case under the cap.
		{"large-90d-one-provider-evenings", big, booking.SlotQuery{Start: now, End: now.AddDate(0, 0, 90), VisitType: booking.Coded{Code: "FOLLOWUP"},
			Providers: []booking.ProviderRef{{ID: large.Providers[100].ID, IDType: "NPI"}}, Bands: []booking.Band{booking.Evening}}, largeBusy, 0},
		{"large-90d-no-match", big, booking.SlotQuery{Start: now, End: now.AddDate(0, 0, 90),
			Days: []time.Weekday{time.Saturday}, Bands: []booking.Band{booking.Evening}}, largeBusy, 0},
		// A quarter of a million slots, no cap: what the cap protects against.
		{"large-90d-uncapped-followup", big, booking.SlotQuery{Start: now, End: now.AddDate(0, 0, 90), VisitType: booking.Coded{Code: "FOLLOWUP"}}, largeBusy, 1 << 30},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				slots, _ := c.e.Open(c.q, c.busy, now, c.limit)
				n = len(slots)
			}
			b.ReportMetric(float64(n), "slots/op")
			b.ReportMetric(float64(len(c.busy)), "busy/op")
		})
	}
}

// largeDefinition generates a clinic network: providers spread over 12 locations in the four
// mainland US zones, every visit type offered by everyone, three kinds of weekly pattern
// (weekdays; evening clinics; two locations plus Saturday), the demo's blocks and holidays.
func largeDefinition(providers int) *clinicfile.File {
	demo := clinicfile.Demo()
	zones := []string{"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"}
	def := &clinicfile.File{}
	def.LeadMinutes = 120
	def.HorizonDays = 90
	def.Name = "Generated Clinic Network"
	for i := range 12 {
		def.Locations = append(def.Locations, booking.Location{ID: fmt.Sprintf("loc%02d", i),
			Department: fmt.Sprintf("Department %02d", i), Facility: "Generated", TimeZone: zones[i%4]})
	}
	for _, v := range demo.VisitTypes {
		v.Providers = nil
		def.VisitTypes = append(def.VisitTypes, v)
	}
	def.Reasons = demo.Reasons
	for _, h := range demo.Holidays {
		if h.Location == "" {
			def.Holidays = append(def.Holidays, h)
		}
	}
	lunch := []clinicfile.Break{{Start: "12:00", End: "13:00"}}
	for i := range providers {
		id := fmt.Sprintf("%010d", 1_300_000_000+i*7_919)
		a, c := fmt.Sprintf("loc%02d", i%12), fmt.Sprintf("loc%02d", (i+4)%12) // c: same zone, another town
		p := booking.Provider{ID: id, FirstName: "Provider", LastName: fmt.Sprint(i), Credentials: []string{"MD"},
			Specialty: booking.En("Family Medicine"), Languages: []string{"en"}, Locations: []string{a}}
		switch i % 3 {
		case 0:
			def.Templates = append(def.Templates, clinicfile.Template{Provider: id, Location: a, Days: []string{"Mon", "Tue", "Wed", "Thu", "Fri"}, Start: "08:00", End: "17:00", Breaks: lunch})
		case 1:
			def.Templates = append(def.Templates,
				clinicfile.Template{Provider: id, Location: a, Days: []string{"Mon", "Wed", "Fri"}, Start: "08:00", End: "17:00", Breaks: lunch},
				clinicfile.Template{Provider: id, Location: a, Days: []string{"Tue", "Thu"}, Start: "11:00", End: "19:00", Breaks: []clinicfile.Break{{Start: "14:30", End: "15:00"}}})
		case 2:
			p.Locations = append(p.Locations, c)
			def.Templates = append(def.Templates,
				clinicfile.Template{Provider: id, Location: a, Days: []string{"Mon", "Tue", "Wed"}, Start: "07:30", End: "16:00", Breaks: []clinicfile.Break{{Start: "11:30", End: "12:00"}}},
				clinicfile.Template{Provider: id, Location: c, Days: []string{"Thu", "Fri"}, Start: "08:00", End: "17:00", Breaks: lunch},
				clinicfile.Template{Provider: id, Location: c, Days: []string{"Sat"}, Start: "09:00", End: "13:00"})
		}
		if i%4 == 0 {
			def.Blocks = append(def.Blocks, clinicfile.Block{Reason: "Admin time", Provider: id, Days: []string{"Fri"}, Start: "15:00", End: "17:00"})
		}
		def.Providers = append(def.Providers, p)
	}
	def.Blocks = append(def.Blocks, clinicfile.Block{Reason: "Team meeting", Days: []string{"Wed"}, Start: "08:00", End: "09:00"})
	if err := def.Validate(); err != nil {
		panic(err)
	}
	return def
}

// benchBusy books perDay random 20-minute visits per provider per day, unsorted like rows
// from a database without ORDER BY.
func benchBusy(def *clinicfile.File, now time.Time, days, perDay int) []Busy {
	rng := rand.New(rand.NewPCG(1, 2))
	var busy []Busy
	start := now.Truncate(24 * time.Hour)
	for _, p := range def.Providers {
		for d := range days {
			for range perDay {
				s := start.AddDate(0, 0, d).Add(time.Duration(13*3+rng.IntN(3*11)) * 20 * time.Minute)
				busy = append(busy, Busy{ProviderID: p.ID, Start: s, End: s.Add(20 * time.Minute)})
			}
		}
	}
	rng.Shuffle(len(busy), func(i, j int) { busy[i], busy[j] = busy[j], busy[i] })
	return slices.Clip(busy)
}
