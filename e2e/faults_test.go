package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
)

// Faults during booking: the EHR down while patients confirm, and the process killed with
// SIGKILL under load. Both end with the databases read back (checkDatabases, check_test.go).

// TestEHRDownDuringConfirms: patients hold times while the EHR is up; the EHR goes down
// (stopped: connections refused; or hanging: connections accepted and never answered); they
// confirm and each sees "we're confirming your appointment" (status requested, never a 5xx);
// the EHR comes back on the same address and database, and the outbox delivers every
// booking: all booked in Doorway and each exactly once in the EHR.
func TestEHRDownDuringConfirms(t *testing.T) {
	t.Run("stopped", func(t *testing.T) { testEHROutage(t, false) })
	t.Run("hanging", func(t *testing.T) { testEHROutage(t, true) })
}

func testEHROutage(t *testing.T, hang bool) {
	const patients = 12
	zone := clinicZone(t)
	dir := t.TempDir()
	ehrAddr, appAddr := freeAddr(t), freeAddr(t)
	ehrAt := launch{Addr: ehrAddr, DB: filepath.Join(dir, "ehr.db"), Args: []string{"-log-level", "error", "-webhooks", webhooksTo(appAddr)}}
	ehr := startEHR(t, ehrAt)
	app := startRedox(t, ehr.URL, launch{Addr: appAddr, DB: filepath.Join(dir, "doorway.db"),
		Args: []string{"-log-level", "error", "-booking-rate", "100000", "-holds-per-client", "-1"}})
	day, refs, err := dayWith(scout(t, app.URL, tomorrow(zone), 10, okafor), zone, patients)
	if err != nil {
		t.Fatal(err)
	}

	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := newPatients(patients, app.URL, tr, codes)
	keys := holdAll(t, ps, refs, day, day, okafor)

	if !ehr.Stop(t) {
		t.FailNow()
	}
	unhang := func() {}
	if hang {
		unhang = blackHole(t, ehrAddr)
	}
	start := time.Now()
	seen := confirmRequested(t, ps, keys)
	t.Logf("%d confirms with the EHR down in %v; statuses %v", patients, time.Since(start).Round(time.Millisecond), codes)

	unhang()
	ehr = startEHR(t, ehrAt)
	start = time.Now()
	eventually(t, "every confirmation page says booked", 40*time.Second, func() (bool, error) {
		return statusIs(ps, seen, string(booking.StatusBooked))
	})
	t.Logf("all delivered %v after the EHR came back", time.Since(start).Round(time.Millisecond))
	confirmed := map[string]bool{}
	for _, p := range ps {
		vn := seen[p].VisitNumber
		confirmed[vn] = true
		got := waitBooked(t, ehr.URL, booking.BookedQuery{Start: day, End: day.AddDate(0, 0, 1),
			Patient: []booking.Identifier{{ID: p.mrn(), IDType: "MR"}}}, 1, 5*time.Second)
		if got[0].VisitNumber != vn {
			t.Errorf("patient %d: the EHR has visit %s, the confirmation page showed %s", p.n, got[0].VisitNumber, vn)
		}
	}
	if bad := codes.unexpected(); len(bad) > 0 {
		t.Errorf("statuses other than 200 and 303: %v (5xx: %v)", bad, codes.bad)
	}
	app.Stop(t)
	ehr.Stop(t)
	checkDatabases(t, app.DB, ehr.DB, confirmed)
}

// confirmRequested makes every patient confirm (keys[p.n-1]) at once while the EHR is down,
// fails the test unless each is told "we're confirming" (status requested), and returns what
// each confirmation page showed.
func confirmRequested(t testing.TB, ps []*patient, keys []string) map[*patient]confirmation {
	t.Helper()
	var mu sync.Mutex
	seen := map[*patient]confirmation{}
	failOn(t, "confirming while the EHR is down", runAll(ps, func(p *patient) error {
		c, _, err := p.confirm(keys[p.n-1])
		if err != nil {
			return err
		}
		if c.Status != string(booking.StatusRequested) || !strings.Contains(c.Heading, "confirming") {
			return fmt.Errorf("confirmation shows %q (%q), want requested", c.Status, c.Heading)
		}
		mu.Lock()
		seen[p] = c
		mu.Unlock()
		return nil
	}))
	return seen
}

// TestKilledUnderLoad: a built doorway binary serves 30 patients booking different times
// and is killed with SIGKILL once about half of them have seen their confirmation page. It
// is restarted with the same arguments; once its outbox drains, every booking whose
// confirmation page was shown, and every other booking it committed, is booked in Doorway
// and in the EHR exactly once, and nothing is double-booked.
func TestKilledUnderLoad(t *testing.T) {
	const patients, killAfter = 30, 15
	zone := clinicZone(t)
	at := launch{Addr: freeAddr(t), DB: filepath.Join(t.TempDir(), "doorway.db"),
		Args: []string{"-sandbox-addr", freeAddr(t), "-booking-rate", "100000", "-holds-per-client", "-1", "-log-level", "info"}}
	proc := startDemo(t, at)
	refs := scout(t, proc.URL, tomorrow(zone), 7)
	if len(refs) < patients {
		t.Fatalf("%d open times, want at least %d", len(refs), patients)
	}

	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := newPatients(patients, proc.URL, tr, codes)
	// Everyone holds a time and reaches the review first; then all confirm at once, and the
	// process dies while the later confirms are being committed and delivered.
	from := tomorrow(zone)
	keys := holdAll(t, ps, refs, from, from.AddDate(0, 0, 6))
	shown, committed := confirmUntilKilled(t, ps, keys, killAfter, proc)
	t.Logf("killed after %d confirmation pages (%d bookings committed); statuses %v", len(shown), len(committed), codes)

	first := proc
	proc = startDemo(t, at)
	start := time.Now()
	eventually(t, "the outbox drains after the restart", 90*time.Second, func() (bool, error) {
		n := countRows(t, proc.DB, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL`)
		return n == 0, nil
	})
	t.Logf("outbox drained %v after the restart", time.Since(start).Round(time.Millisecond))
	proc.Stop(t)
	for i, p := range []*process{first, proc} {
		if b, _ := os.ReadFile(p.Log); strings.Contains(string(b), "DATA RACE") || strings.Contains(string(b), "panic:") {
			t.Errorf("run %d log:\n%s", i+1, tail(p.Log))
		}
	}
	for _, p := range []*process{first, proc} { // the scripted patients' details (wizard_test.go)
		wantNoneOf(t, p.Log, "Tester1", "Tester2", "patient1@example.org", "308-555-01", "+1308555", "1980-01-02")
	}
	if b, _ := os.ReadFile(proc.Log); strings.Contains(string(b), "outbox claims released") {
		t.Log("the restart released deliveries the killed process had in flight")
	}
	n := countRows(t, proc.DB, `SELECT count(*) FROM appointments`)
	t.Logf("%d appointments in Doorway: %d confirmation pages shown, %d more committed unseen, %d more cut off before the answer",
		n, len(shown), len(committed)-len(shown), n-len(committed))
	checkDatabases(t, proc.DB, proc.sandboxDB(), committed)
}

// confirmUntilKilled makes every patient confirm (keys[p.n-1]) at once and kills proc when
// the killAfter-th confirmation page has been shown. It returns the visit numbers whose page
// was shown and those whose confirm was answered with a redirect (committed); errors after
// the kill are expected, errors before it fail the test.
func confirmUntilKilled(t testing.TB, ps []*patient, keys []string, killAfter int, proc *process) (shown, committed map[string]bool) {
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
				proc.Kill()
			}
		}
		if killed.Load() {
			return nil // cut off by the kill: expected
		}
		return err
	})
	failOn(t, "booking before the kill", errs)
	if !killed.Load() {
		t.Fatal("the process was never killed")
	}
	return shown, committed
}

// statusIs reports whether every confirmation page of ps shows status, fetching them again.
func statusIs(ps []*patient, seen map[*patient]confirmation, status string) (bool, error) {
	for _, p := range ps {
		c, err := p.booked("/booked/" + seen[p].VisitNumber)
		if err != nil {
			return false, err
		}
		if c.Status != status {
			return false, nil
		}
	}
	return true, nil
}

// eventually polls cond every 250 ms until it is true, fails, or within has passed.
func eventually(t testing.TB, what string, within time.Duration, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
