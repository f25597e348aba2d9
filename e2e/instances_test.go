package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
)

// The integrity proofs of integrity_test.go and faults_test.go, with two Doorway processes
// sharing one PostgreSQL database (cluster_test.go): what Doorway guarantees on one machine
// (no double booking, nothing lost, exactly-once delivery) must hold across instances.

// TestTwoInstancesStartTogether: two instances started at the same moment on an empty
// database both serve; each migration is applied once; the session keys the first generated
// are the second's too, so a patient's session started on one instance continues on the other.
func TestTwoInstancesStartTogether(t *testing.T) {
	c := startCluster(t, 2)
	c.checkMigratedOnce(t)
	for _, a := range c.Apps {
		res, err := http.Get(a.URL + "/readyz")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%s/readyz: %v %v", a.URL, res, err)
		}
		res.Body.Close()
	}
	zone := clinicZone(t)
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(1, c.Apps[0].URL, tr, newCodeCounter())
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	p.base = c.Apps[1].URL // the load balancer sends the next request elsewhere
	if err := p.search(tomorrow(zone), tomorrow(zone), okafor); err != nil {
		t.Fatalf("the wizard begun on one instance, continued on the other: %v", err)
	}
	if v, err := p.times(); err != nil || len(v.Refs) == 0 {
		t.Fatalf("open times on the other instance: %d, %v", len(v.Refs), err)
	}
}

// TestTwoInstancesTwoHundredPatientsRaceForTwentyTimes: TestTwoHundredPatientsRaceForTwentyTimes
// through a round-robin balancer over two instances, so every patient's requests alternate
// between them. Exactly 20 book, no 5xx, no double booking in Doorway or the EHR; the EHR's
// notifications, each delivered to both instances, are each applied exactly once.
func TestTwoInstancesTwoHundredPatientsRaceForTwentyTimes(t *testing.T) {
	const patients, times = 200, 20
	zone := clinicZone(t)
	c := startCluster(t, 2)
	day, refs, err := dayWith(scout(t, c.LB.URL, tomorrow(zone), 10, okafor), zone, times)
	if err != nil {
		t.Fatal(err)
	}
	refs = refs[:times]
	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := newPatients(patients, c.LB.URL, tr, codes)
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
	t.Logf("%d patients in %v over two instances (requests answered by each: %s): statuses %v",
		patients, r.elapsed.Round(time.Millisecond), c.LB.Served(), codes)
	if bad := codes.unexpected(); len(bad) > 0 {
		t.Errorf("statuses other than 200 and 303: %v (5xx: %v)", bad, codes.bad)
	}
	shown := confirmedOnce(t, refs, r.won)
	if got, want := r.lost, patients-times; got != want || r.toldTaken != want {
		t.Errorf("%d patients lost the race and %d of them saw the taken message with alternatives; want %d and %d",
			got, r.toldTaken, want, want)
	}
	visits := waitBooked(t, c.EHR.URL, booking.BookedQuery{Start: day, End: day.AddDate(0, 0, 1),
		Providers: []booking.ProviderRef{{ID: okafor, IDType: "NPI"}}}, times, 20*time.Second)
	for _, v := range visits {
		if !shown[v.VisitNumber] {
			t.Errorf("the EHR has visit %s at %v, which no confirmation page showed", v.VisitNumber, v.Start)
		}
	}
	c.checkDeliveredOnceEach(t)
	for _, a := range c.Apps {
		a.Stop(t)
	}
	c.EHR.Stop(t)
	checkDatabases(t, c.DSN, c.EHR.DB, shown)
}

// checkDeliveredOnceEach waits until the EHR has delivered every notification to every
// instance, then fails the test unless the shared inbox holds each exactly once.
func (c *cluster) checkDeliveredOnceEach(t testing.TB) {
	t.Helper()
	eventually(t, "the EHR delivers every notification to both instances", 30*time.Second, func() (bool, error) {
		return countRows(t, c.EHR.DB, `SELECT count(*) FROM sandbox_notifications WHERE delivered_at IS NULL`) == 0, nil
	})
	inbox := countRows(t, c.DSN, `SELECT count(*) FROM inbox`)
	for _, a := range c.Apps {
		hook := strings.SplitN(webhooksTo(strings.TrimPrefix(a.URL, "http://")), "=", 2)[0]
		sent := countRows(t, c.EHR.DB, `SELECT count(*) FROM sandbox_notifications WHERE webhook_url = ?`, hook)
		if sent == 0 || sent != inbox {
			t.Errorf("the EHR delivered %d notifications to %s; the shared inbox applied %d; want each once", sent, a.URL, inbox)
		}
	}
	t.Logf("%d notifications, each delivered to both instances, applied once each", inbox)
}

// TestTwoInstancesOneKilledUnderLoad: 30 patients, half on each instance, confirm at once;
// one instance is killed with SIGKILL after the 10th confirmation page and not restarted. The
// other keeps serving its patients (no error, no 5xx) and takes over the dead one's outbox,
// including deliveries it had in flight, well within the outbox lease: every committed
// booking, seen or not, is delivered exactly once, and nothing is double-booked.
func TestTwoInstancesOneKilledUnderLoad(t *testing.T) {
	const patients, killAfter = 30, 10
	zone := clinicZone(t)
	c := startCluster(t, 2, "-log-level", "info")
	victim, survivor := c.Apps[0], c.Apps[1]
	refs := scout(t, c.LB.URL, tomorrow(zone), 7)
	if len(refs) < patients {
		t.Fatalf("%d open times, want at least %d", len(refs), patients)
	}
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	onVictim, onSurvivor := newCodeCounter(), newCodeCounter()
	ps := make([]*patient, patients)
	for i := range ps {
		base, codes := victim.URL, onVictim
		if i%2 == 1 {
			base, codes = survivor.URL, onSurvivor
		}
		ps[i] = newPatient(i+1, base, tr, codes)
	}
	from := tomorrow(zone)
	keys := holdAll(t, ps, refs, from, from.AddDate(0, 0, 6))
	shown, committed := confirmKillingOne(t, ps, keys, killAfter, victim)
	killedAt := time.Now()
	t.Logf("killed one instance at the %dth confirmation page; %d pages shown in all, %d bookings committed; statuses on it %v, on the other %v",
		killAfter, len(shown), len(committed), onVictim, onSurvivor)
	if bad := onSurvivor.unexpected(); len(bad) > 0 {
		t.Errorf("the surviving instance answered statuses other than 200 and 303: %v (5xx: %v)", bad, onSurvivor.bad)
	}
	// Within 40 s, less than the 60 s outbox lease: claims in flight on the dead instance are
	// taken over because its connection is gone, not because their lease ran out.
	eventually(t, "the surviving instance drains the shared outbox", 40*time.Second, func() (bool, error) {
		return countRows(t, c.DSN, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL`) == 0, nil
	})
	t.Logf("outbox drained %v after the kill", time.Since(killedAt).Round(time.Millisecond))
	survivor.Stop(t)
	c.EHR.Stop(t)
	n := countRows(t, c.DSN, `SELECT count(*) FROM appointments`)
	t.Logf("%d appointments: %d confirmation pages shown, %d more committed unseen, %d more cut off before the answer",
		n, len(shown), len(committed)-len(shown), n-len(committed))
	checkDatabases(t, c.DSN, c.EHR.DB, committed)
}

// confirmKillingOne makes every patient confirm (keys[p.n-1]) at once and kills victim when
// the killAfter-th confirmation page has been shown. It returns the visit numbers whose page
// was shown and those whose confirm was answered with a redirect (committed). Errors of the
// victim's patients after the kill are expected; any other error fails the test.
func confirmKillingOne(t testing.TB, ps []*patient, keys []string, killAfter int, victim *process) (shown, committed map[string]bool) {
	t.Helper()
	var mu sync.Mutex
	var killed atomic.Bool
	shown, committed = map[string]bool{}, map[string]bool{}
	errs := runAll(ps, func(p *patient) error {
		c, sent, err := p.confirm(keys[p.n-1])
		mu.Lock()
		defer mu.Unlock()
		if sent {
			committed[c.VisitNumber] = true
		}
		if err == nil {
			shown[c.VisitNumber] = true
			if len(shown) == killAfter {
				killed.Store(true)
				victim.Kill()
			}
		}
		if killed.Load() && p.base == victim.URL {
			return nil // cut off by the kill: expected
		}
		if err == nil && c.Status != string(booking.StatusBooked) && c.Status != string(booking.StatusRequested) {
			return fmt.Errorf("confirmation says %q", c.Status)
		}
		return err
	})
	failOn(t, "booking (all patients before the kill, the surviving instance's after it)", errs)
	if !killed.Load() {
		t.Fatal("the instance was never killed")
	}
	return shown, committed
}
