package e2e

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
)

// The booking-integrity proof of issue 5 under contention: scripted patients (patient_test.go)
// drive the real HTTP wizard of the built binary (harness_test.go) and its sandbox EHR on
// loopback, then both databases are read back after shutdown (check_test.go). The proofs
// under faults are in faults_test.go.

// TestTwoHundredPatientsRaceForTwentyTimes: 200 patients, 10 for each of 20 times of one
// provider's day, all posting their pick at once through the real wizard. Exactly 20 book;
// the other 180 are sent back to the open times with the "just taken" message and nearest
// alternatives; nobody gets a 5xx (or any status but 200 and 303); neither Doorway's
// database nor the sandbox EHR's holds two live visits of one provider at overlapping times.
func TestTwoHundredPatientsRaceForTwentyTimes(t *testing.T) {
	const patients, times = 200, 20
	zone := clinicZone(t)
	a := startDemo(t, launch{Args: []string{"-booking-rate", "100000", "-holds-per-client", "-1"}})
	day, refs, err := dayWith(scout(t, a.URL, tomorrow(zone), 10, okafor), zone, times)
	if err != nil {
		t.Fatal(err)
	}
	refs = refs[:times]

	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := newPatients(patients, a.URL, tr, codes)
	// Everyone reaches the open times first, then all post their pick together.
	failOn(t, "reaching the open times", runAll(ps, func(p *patient) error {
		if err := p.begin(); err != nil {
			return err
		}
		if err := p.search(day, day, okafor); err != nil {
			return err
		}
		_, err := p.times()
		return err
	}))

	r := raceFor(ps, refs)
	failOn(t, "booking", r.errs)
	t.Logf("%d patients in %v: statuses %v", patients, r.elapsed.Round(time.Millisecond), codes)

	if bad := codes.unexpected(); len(bad) > 0 {
		t.Errorf("statuses other than 200 and 303: %v (5xx: %v)", bad, codes.bad)
	}
	shown := confirmedOnce(t, refs, r.won)
	if len(shown) != times {
		t.Errorf("%d distinct visit numbers confirmed, want %d", len(shown), times)
	}
	if got, want := r.lost, patients-times; got != want || r.toldTaken != want {
		t.Errorf("%d patients lost the race and %d of them saw the taken message with alternatives; want %d and %d",
			got, r.toldTaken, want, want)
	}

	// The EHR has each of the 20 once, at the time its confirmation page showed.
	visits := waitBooked(t, a.SandboxURL, booking.BookedQuery{Start: day, End: day.AddDate(0, 0, 1),
		Providers: []booking.ProviderRef{{ID: okafor, IDType: "NPI"}}}, times, 20*time.Second)
	for _, v := range visits {
		if !shown[v.VisitNumber] {
			t.Errorf("the EHR has visit %s at %v, which no confirmation page showed", v.VisitNumber, v.Start)
		}
	}
	a.Stop(t)
	checkDatabases(t, a.DB, a.sandboxDB(), shown)
}

// raceOutcome is what the patients of a race for a few times saw.
type raceOutcome struct {
	won       map[string][]confirmation // slot reference -> confirmations shown for it
	lost      int                       // patients sent back to the open times
	toldTaken int                       // of those, the ones shown the notice and alternatives
	errs      []error
	elapsed   time.Duration
}

// raceFor makes every patient, all at once, try to book refs[p.n % len(refs)]; a patient who
// loses looks at the open times again, as the wizard sends them there.
func raceFor(ps []*patient, refs []string) raceOutcome {
	var mu sync.Mutex
	won := map[string][]confirmation{}
	var lost, toldTaken atomic.Int32
	start := time.Now()
	errs := runAll(ps, func(p *patient) error {
		ref := refs[p.n%len(refs)]
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
	return raceOutcome{won: won, lost: int(lost.Load()), toldTaken: int(toldTaken.Load()), errs: errs, elapsed: time.Since(start)}
}

// confirmedOnce fails the test for each time of refs not confirmed exactly once, as booked or
// requested, and returns the visit numbers the confirmation pages showed.
func confirmedOnce(t testing.TB, refs []string, won map[string][]confirmation) map[string]bool {
	t.Helper()
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
	return shown
}
