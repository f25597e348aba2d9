package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
)

// The booking-integrity proofs of issue 5: scripted patients (patient_test.go) drive the real
// HTTP wizard of a real Doorway (in-process, or a built binary for the SIGKILL test) and its
// sandbox EHR on loopback, then both databases are read back after shutdown.

// okafor is Dr Maya Okafor of the demo clinic: a full weekday of sick visits at one location.
const okafor = "1487203956"

// clinicZone is the demo clinic's home time zone (Kearney): the wizard's dates are its dates.
func clinicZone(t testing.TB) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// tomorrow is the clinic's next date: every time on it is past the demo clinic's 2-hour lead.
func tomorrow(zone *time.Location) time.Time {
	n := time.Now().In(zone)
	return time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, zone)
}

// scout searches like a patient (the sick visit, days from..from+span-1, the providers) and
// returns the open times' references as the page lists them.
func scout(t testing.TB, base string, from time.Time, span int, providers ...string) []string {
	t.Helper()
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(0, base, tr, newCodeCounter())
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	if err := p.search(from, from.AddDate(0, 0, span-1), providers...); err != nil {
		t.Fatal(err)
	}
	v, err := p.times()
	if err != nil {
		t.Fatal(err)
	}
	return v.Refs
}

// TestTwoHundredPatientsRaceForTwentyTimes: 200 patients, 10 for each of 20 times of one
// provider's day, all posting their pick at once through the real wizard. Exactly 20 book;
// the other 180 are sent back to the open times with the "just taken" message and nearest
// alternatives; nobody gets a 5xx (or any status but 200 and 303); neither Doorway's
// database nor the sandbox EHR's holds two live visits of one provider at overlapping times.
func TestTwoHundredPatientsRaceForTwentyTimes(t *testing.T) {
	const patients, times = 200, 20
	zone := clinicZone(t)
	dir := t.TempDir()
	appDB := filepath.Join(dir, "doorway.db")
	a := startApp(t, "-db", appDB, "-booking-rate", "100000")
	day, refs, err := dayWith(scout(t, a.URL, tomorrow(zone), 10, okafor), zone, times)
	if err != nil {
		t.Fatal(err)
	}
	refs = refs[:times]

	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := make([]*patient, patients)
	for i := range ps {
		ps[i] = newPatient(i+1, a.URL, tr, codes)
	}
	// Everyone reaches the open times first, then all post their pick together.
	errs := runAll(ps, func(p *patient) error {
		if err := p.begin(); err != nil {
			return err
		}
		if err := p.search(day, day, okafor); err != nil {
			return err
		}
		_, err := p.times()
		return err
	})
	failOn(t, "reaching the open times", errs)

	var mu sync.Mutex
	won := map[string][]confirmation{} // slot reference -> confirmations shown for it
	var lost, toldTaken atomic.Int32
	start := time.Now()
	errs = runAll(ps, func(p *patient) error {
		ref := refs[p.n%times]
		c, held, err := p.book(ref)
		if err != nil {
			return err
		}
		if held {
			mu.Lock()
			won[ref] = append(won[ref], c)
			mu.Unlock()
			return nil
		}
		lost.Add(1)
		v, err := p.times()
		if err != nil {
			return err
		}
		if v.Notice != "" && len(v.Alts) > 0 {
			toldTaken.Add(1)
		}
		return nil
	})
	elapsed := time.Since(start)
	failOn(t, "booking", errs)
	t.Logf("%d patients in %v: statuses %v", patients, elapsed.Round(time.Millisecond), codes)

	if bad := codes.unexpected(); len(bad) > 0 {
		t.Errorf("statuses other than 200 and 303: %v (5xx: %v)", bad, codes.bad)
	}
	shown := map[string]bool{}
	for _, ref := range refs {
		switch cs := won[ref]; {
		case len(cs) != 1:
			t.Errorf("time %s: %d confirmations shown, want 1", ref, len(cs))
		case cs[0].Status != string(booking.StatusBooked) && cs[0].Status != string(booking.StatusRequested):
			t.Errorf("time %s: confirmation says %q", ref, cs[0].Status)
		default:
			shown[cs[0].VisitNumber] = true
		}
	}
	if len(shown) != times {
		t.Errorf("%d distinct visit numbers confirmed, want %d", len(shown), times)
	}
	if got, want := int(lost.Load()), patients-times; got != want || int(toldTaken.Load()) != want {
		t.Errorf("%d patients lost the race and %d of them saw the taken message with alternatives; want %d and %d",
			got, toldTaken.Load(), want, want)
	}

	// The EHR has each of the 20 once, at the time its confirmation page showed.
	visits := waitBooked(t, a.SandboxURL, booking.BookedQuery{Start: day, End: day.AddDate(0, 0, 1),
		Providers: []booking.ProviderRef{{ID: okafor, IDType: "NPI"}}}, times, 20*time.Second)
	for _, v := range visits {
		if !shown[v.VisitNumber] {
			t.Errorf("the EHR has visit %s at %v, which no confirmation page showed", v.VisitNumber, v.Start)
		}
	}
	if err := a.stop(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	checkDatabases(t, appDB, filepath.Join(dir, "sandbox.db"), shown)
}

// runAll runs fn for every patient at once and returns the errors, each prefixed with its
// patient's number.
func runAll(ps []*patient, fn func(*patient) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(ps))
	for i, p := range ps {
		wg.Go(func() {
			if err := fn(p); err != nil {
				errs[i] = fmt.Errorf("patient %d: %w", p.n, err)
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(errs, func(e error) bool { return e == nil })
}

// failOn fails the test with the first few errors.
func failOn(t testing.TB, what string, errs []error) {
	t.Helper()
	if len(errs) == 0 {
		return
	}
	for _, e := range errs[:min(len(errs), 5)] {
		t.Error(e)
	}
	t.Fatalf("%s: %d patients failed", what, len(errs))
}

// ehrClient is a Redox client of an EHR (the sandbox) with the demo credentials.
func ehrClient(t testing.TB, baseURL string) *redox.Client {
	t.Helper()
	c, err := redox.NewClient(redox.Config{BaseURL: baseURL, ClientID: "demo", Secret: "demo-secret",
		DestinationID: "integrity-test", Test: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitBooked asks the EHR (Scheduling.Booked) until it answers want live visits for q, or
// the time is up, and returns them.
func waitBooked(t testing.TB, ehrURL string, q booking.BookedQuery, want int, within time.Duration) []booking.Appointment {
	t.Helper()
	c := ehrClient(t, ehrURL)
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		page, err := c.Booked(ctx, q)
		cancel()
		var live []booking.Appointment
		for _, v := range page.Visits {
			if v.Status == booking.StatusBooked || v.Status == booking.StatusArrived {
				live = append(live, v)
			}
		}
		if err == nil && len(live) == want || time.Now().After(deadline) {
			if err != nil || len(live) != want {
				t.Fatalf("the EHR has %d live visits, want %d (err %v)", len(live), want, err)
			}
			return live
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// visitRow is a live visit read from one of the databases.
type visitRow struct {
	VisitNumber, Provider, Status string
	Start, End                    int64
}

// checkDatabases reads both databases after shutdown and fails the test on any double
// booking (two live visits of one provider overlapping, in Doorway or in the EHR), on a live
// Doorway appointment not booked, or not in the EHR exactly once, or in the EHR but not in
// Doorway, on a confirmed visit number missing, and on anything left in Doorway's outbox.
func checkDatabases(t testing.TB, appDB, ehrDB string, confirmed map[string]bool) {
	t.Helper()
	app := readVisits(t, appDB, `SELECT visit_number, provider_id, status, start_unix, end_unix
		FROM appointments WHERE status IN ('requested', 'booked')`)
	ehr := readVisits(t, ehrDB, `SELECT visit_number, provider_id, status, start_unix, end_unix
		FROM sandbox_visits WHERE is_block = 0 AND status NOT IN ('canceled', 'noshow')`)
	for _, o := range overlapping(app) {
		t.Errorf("double booking in Doorway: %s", o)
	}
	for _, o := range overlapping(ehr) {
		t.Errorf("double booking in the EHR: %s", o)
	}
	inEHR := map[string]int{}
	for _, v := range ehr {
		inEHR[v.VisitNumber]++
	}
	inApp := map[string]bool{}
	for _, v := range app {
		inApp[v.VisitNumber] = true
		if v.Status != string(booking.StatusBooked) {
			t.Errorf("Doorway: visit %s is %s, want booked", v.VisitNumber, v.Status)
		}
		if inEHR[v.VisitNumber] != 1 {
			t.Errorf("the EHR has Doorway's visit %s %d times, want once", v.VisitNumber, inEHR[v.VisitNumber])
		}
	}
	for vn := range inEHR {
		if !inApp[vn] {
			t.Errorf("the EHR has visit %s, which Doorway has not booked", vn)
		}
	}
	for vn := range confirmed {
		if !inApp[vn] {
			t.Errorf("confirmed visit %s is not a live appointment in Doorway", vn)
		}
	}
	if n := countRows(t, appDB, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL`); n != 0 {
		t.Errorf("Doorway's outbox still has %d undelivered messages", n)
	}
}

// overlapping describes every pair of rows of one provider whose times overlap.
func overlapping(rows []visitRow) []string {
	byProvider := map[string][]visitRow{}
	for _, r := range rows {
		byProvider[r.Provider] = append(byProvider[r.Provider], r)
	}
	var out []string
	for p, rs := range byProvider {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
		for i := 1; i < len(rs); i++ {
			for j := i - 1; j >= 0; j-- {
				if rs[j].End > rs[i].Start {
					out = append(out, fmt.Sprintf("provider %s: %s (%s) and %s (%s) at %v", p, rs[j].VisitNumber,
						rs[j].Status, rs[i].VisitNumber, rs[i].Status, time.Unix(rs[i].Start, 0).UTC()))
				}
			}
		}
	}
	return out
}

func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", store.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func readVisits(t testing.TB, path, query string) []visitRow {
	t.Helper()
	rows, err := openDB(t, path).Query(query)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	defer rows.Close()
	var out []visitRow
	for rows.Next() {
		var r visitRow
		if err := rows.Scan(&r.VisitNumber, &r.Provider, &r.Status, &r.Start, &r.End); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func countRows(t testing.TB, path, query string, args ...any) int {
	t.Helper()
	var n int
	if err := openDB(t, path).QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return n
}
