package e2e

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The load tool of issue 5: benchmarks of the patient's two busiest paths through the real
// wiring (the built binary's `doorway serve` with its sandbox EHR, SQLite files, HTTP on
// loopback), driven by the scripted patients of patient_test.go. Figures and the command that
// made them are in docs/PERFORMANCE.md ("Booking integrity and load").

// loadConcurrency is how many patients act at once in the benchmarks.
const loadConcurrency = 8

// maxBookings bounds BenchmarkHoldConfirm: the demo clinic has a few thousand sick-visit
// times in the next weeks, and preparing each patient takes five requests.
const maxBookings = 2000

// startLoadApp starts Doorway in demo mode for a benchmark, with the booking rate limit
// raised (every patient comes from 127.0.0.1) and quiet logs.
func startLoadApp(b *testing.B) string {
	b.Helper()
	return startDemo(b, launch{Args: []string{"-booking-rate", "1000000", "-holds-per-client", "-1", "-log-level", "error"}}).URL
}

// BenchmarkHoldConfirm measures the full booking path of one patient who is looking at the
// open times: hold the time (POST /times), give the details (GET and POST /details), review
// (GET /review), confirm (POST /confirm, which writes the appointment and its outbox message
// and delivers Scheduling.New to the sandbox EHR at once) and see the confirmation page. Each
// operation is one booking of its own time, loadConcurrency at a time; preparing the
// patients (reason, search, open times) is not timed.
func BenchmarkHoldConfirm(b *testing.B) {
	if b.N > maxBookings {
		b.Fatalf("b.N = %d: run with -benchtime Nx, N at most %d", b.N, maxBookings)
	}
	benchHoldConfirm(b, []string{startLoadApp(b)})
}

// benchHoldConfirm is BenchmarkHoldConfirm against the apps at bases (instances sharing one
// database): patient n books through bases[n % len(bases)].
func benchHoldConfirm(b *testing.B, bases []string) {
	zone := clinicZone(b)
	refs := openTimes(b, bases[0], tomorrow(zone), b.N)
	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := newPatients(b.N, bases[0], tr, codes)
	for _, p := range ps {
		p.base = bases[p.n%len(bases)]
	}
	lookAtTimes(b, ps, refs, zone)

	lat := make([]time.Duration, b.N)
	var requested atomic.Int64
	b.ResetTimer()
	start := time.Now()
	errs := runLimited(ps, loadConcurrency, func(p *patient) error {
		t0 := time.Now()
		c, held, err := p.book(refs[p.n-1])
		lat[p.n-1] = time.Since(t0)
		switch {
		case err != nil:
			return err
		case !held:
			return fmt.Errorf("time %s was taken", refs[p.n-1])
		case c.Status == "requested":
			requested.Add(1) // delivered, but by a concurrent deliverer: the page says "confirming"
		case c.Status != "booked":
			return fmt.Errorf("confirmation says %s, want booked", c.Status)
		}
		return nil
	})
	elapsed := time.Since(start)
	b.StopTimer()
	failOn(b, "booking", errs)
	if bad := codes.unexpected(); len(bad) > 0 {
		b.Fatalf("statuses other than 200 and 303: %v", bad)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "bookings/s")
	reportPercentiles(b, lat)
	b.ReportMetric(100*float64(requested.Load())/float64(b.N), "%requested")
}

// lookAtTimes brings every patient, loadConcurrency at a time, to the open times of the day
// of its own time refs[p.n-1]: the untimed part of BenchmarkHoldConfirm.
func lookAtTimes(b *testing.B, ps []*patient, refs []string, zone *time.Location) {
	b.Helper()
	failOn(b, "preparing patients", runLimited(ps, loadConcurrency, func(p *patient) error {
		if err := p.begin(); err != nil {
			return err
		}
		s, _ := parseRef(refs[p.n-1])
		day := s.Start.In(zone)
		if err := p.search(day, day); err != nil {
			return err
		}
		_, err := p.times()
		return err
	}))
}

// BenchmarkSearch measures the open-times page (GET /times) for patients whose search is
// already made, loadConcurrency at a time: the session, the search (answered by the sandbox
// EHR, then from the service's few-second cache), holds and booked times taken out, grouping
// and rendering.
func BenchmarkSearch(b *testing.B) {
	cases := []struct {
		name      string
		days      int
		providers []string
	}{
		{"one-provider-one-day", 1, []string{okafor}},
		{"everyone-14-days", 14, nil}, // the wizard's default: the page shows its cap of 300 times
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) { benchSearch(b, []string{startLoadApp(b)}, tc.days, tc.providers) })
	}
}

// benchSearch is one case of BenchmarkSearch against the apps at bases (patient n searches on
// bases[n % len(bases)]): a search of days days from tomorrow (or, for one day, the first day
// with 10 open times) with providers.
func benchSearch(b *testing.B, bases []string, days int, providers []string) {
	zone := clinicZone(b)
	from := tomorrow(zone)
	if days == 1 {
		day, _, err := dayWith(scout(b, bases[0], from, 10, providers...), zone, 10)
		if err != nil {
			b.Fatal(err)
		}
		from = day
	}
	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	pool := make(chan *patient, loadConcurrency)
	for _, p := range newPatients(loadConcurrency, bases[0], tr, codes) {
		p.base = bases[p.n%len(bases)]
		if err := p.begin(); err != nil {
			b.Fatal(err)
		}
		if err := p.search(from, from.AddDate(0, 0, days-1), providers...); err != nil {
			b.Fatal(err)
		}
		pool <- p
	}
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism((loadConcurrency + 1) / 2) // GOMAXPROCS is 2 on the build machine
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		p := <-pool
		defer func() { pool <- p }()
		var mine []time.Duration
		for pb.Next() {
			t0 := time.Now()
			v, err := p.times()
			mine = append(mine, time.Since(t0))
			if err != nil || len(v.Refs) == 0 {
				b.Errorf("GET /times: %d times, %v", len(v.Refs), err)
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "searches/s")
	reportPercentiles(b, lat)
}

// reportPercentiles reports the median and 99th percentile of lat in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	at := func(q float64) float64 {
		return float64(s[min(len(s)-1, int(q*float64(len(s))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
