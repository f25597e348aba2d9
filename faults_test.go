package main

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
// SIGKILL under load. Both end with the databases read back (checkDatabases, integrity_test.go).

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
	appDB, ehrDB := filepath.Join(dir, "doorway.db"), filepath.Join(dir, "ehr.db")
	ehrArgs := []string{"ehr", "-addr", ehrAddr, "-db", ehrDB, "-log-level", "error",
		"-webhooks", "http://" + appAddr + "/redox/webhook=t"}
	_, stopEHR := startInProcess(t, "sandbox EHR", ehrArgs...)
	appURL, stopApp := startInProcess(t, "Doorway", "serve", "-addr", appAddr, "-db", appDB, "-log-level", "error",
		"-booking-rate", "100000", "-redox-url", "http://"+ehrAddr, "-redox-client-id", "demo",
		"-redox-client-secret", "demo-secret", "-redox-destination-id", "sandbox", "-webhook-token", "t")
	day, refs, err := dayWith(scout(t, appURL, tomorrow(zone), 10, okafor), zone, patients)
	if err != nil {
		t.Fatal(err)
	}

	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := make([]*patient, patients)
	keys := make([]string, patients)
	for i := range ps {
		ps[i] = newPatient(i+1, appURL, tr, codes)
	}
	failOn(t, "holding", runAll(ps, func(p *patient) error {
		if err := p.begin(); err != nil {
			return err
		}
		if err := p.search(day, day, okafor); err != nil {
			return err
		}
		if held, err := p.hold(refs[p.n-1]); err != nil || !held {
			return fmt.Errorf("hold %s: held %v, %v", refs[p.n-1], held, err)
		}
		if err := p.details(); err != nil {
			return err
		}
		var err error
		keys[p.n-1], err = p.review()
		return err
	}))

	if err := stopEHR(); err != nil {
		t.Fatalf("stop the EHR: %v", err)
	}
	unhang := func() {}
	if hang {
		unhang = blackHole(t, ehrAddr)
	}
	var mu sync.Mutex
	seen := map[*patient]confirmation{}
	start := time.Now()
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
	t.Logf("%d confirms with the EHR down in %v; statuses %v", patients, time.Since(start).Round(time.Millisecond), codes)

	unhang()
	_, stopEHR = startInProcess(t, "sandbox EHR", ehrArgs...)
	start = time.Now()
	eventually(t, "every confirmation page says booked", 40*time.Second, func() (bool, error) {
		return statusIs(ps, seen, string(booking.StatusBooked))
	})
	t.Logf("all delivered %v after the EHR came back", time.Since(start).Round(time.Millisecond))
	confirmed := map[string]bool{}
	for _, p := range ps {
		vn := seen[p].VisitNumber
		confirmed[vn] = true
		got := waitBooked(t, "http://"+ehrAddr, booking.BookedQuery{Start: day, End: day.AddDate(0, 0, 1),
			Patient: []booking.Identifier{{ID: p.mrn(), IDType: "MR"}}}, 1, 5*time.Second)
		if got[0].VisitNumber != vn {
			t.Errorf("patient %d: the EHR has visit %s, the confirmation page showed %s", p.n, got[0].VisitNumber, vn)
		}
	}
	if bad := codes.unexpected(); len(bad) > 0 {
		t.Errorf("statuses other than 200 and 303: %v (5xx: %v)", bad, codes.bad)
	}
	if err := stopApp(); err != nil {
		t.Errorf("stop the app: %v", err)
	}
	if err := stopEHR(); err != nil {
		t.Errorf("stop the EHR: %v", err)
	}
	checkDatabases(t, appDB, ehrDB, confirmed)
}

// TestKilledUnderLoad: a built doorway binary serves 30 patients booking different times
// and is killed with SIGKILL once about half of them have seen their confirmation page. It
// is restarted with the same arguments; once its outbox drains, every booking whose
// confirmation page was shown, and every other booking it committed, is booked in Doorway
// and in the EHR exactly once, and nothing is double-booked.
func TestKilledUnderLoad(t *testing.T) {
	const patients, killAfter = 30, 15
	zone := clinicZone(t)
	bin := buildDoorway(t)
	dir := t.TempDir()
	args := []string{"serve", "-addr", freeAddr(t), "-sandbox-addr", freeAddr(t), "-db", filepath.Join(dir, "doorway.db"),
		"-booking-rate", "100000", "-log-level", "info"}
	proc := startBinary(t, bin, filepath.Join(dir, "run1.log"), args...)
	refs := scout(t, proc.url, tomorrow(zone), 7)
	if len(refs) < patients {
		t.Fatalf("%d open times, want at least %d", len(refs), patients)
	}

	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := make([]*patient, patients)
	for i := range ps {
		ps[i] = newPatient(i+1, proc.url, tr, codes)
	}
	// Everyone holds a time and reaches the review first; then all confirm at once, and the
	// process dies while the later confirms are being committed and delivered.
	from := tomorrow(zone)
	keys := make([]string, patients)
	failOn(t, "holding", runAll(ps, func(p *patient) error {
		if err := p.begin(); err != nil {
			return err
		}
		if err := p.search(from, from.AddDate(0, 0, 6)); err != nil {
			return err
		}
		if held, err := p.hold(refs[p.n-1]); err != nil || !held {
			return fmt.Errorf("hold %s: held %v, %v", refs[p.n-1], held, err)
		}
		if err := p.details(); err != nil {
			return err
		}
		var err error
		keys[p.n-1], err = p.review()
		return err
	}))
	var mu sync.Mutex
	var killed atomic.Bool
	shown, committed := map[string]bool{}, map[string]bool{}
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
				proc.kill()
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
	t.Logf("killed after %d confirmation pages (%d bookings committed); statuses %v", len(shown), len(committed), codes)

	proc = startBinary(t, bin, filepath.Join(dir, "run2.log"), args...)
	start := time.Now()
	appDB := filepath.Join(dir, "doorway.db")
	eventually(t, "the outbox drains after the restart", 90*time.Second, func() (bool, error) {
		n := countRows(t, appDB, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL`)
		return n == 0, nil
	})
	t.Logf("outbox drained %v after the restart", time.Since(start).Round(time.Millisecond))
	proc.stop(t)
	for _, log := range []string{"run1.log", "run2.log"} {
		if b, _ := os.ReadFile(filepath.Join(dir, log)); strings.Contains(string(b), "DATA RACE") || strings.Contains(string(b), "panic:") {
			t.Errorf("%s:\n%s", log, tail(filepath.Join(dir, log)))
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "run2.log")); strings.Contains(string(b), "outbox claims released") {
		t.Log("the restart released deliveries the killed process had in flight")
	}
	n := countRows(t, appDB, `SELECT count(*) FROM appointments`)
	t.Logf("%d appointments in Doorway: %d confirmation pages shown, %d more committed unseen, %d more cut off before the answer",
		n, len(shown), len(committed)-len(shown), n-len(committed))
	checkDatabases(t, appDB, filepath.Join(dir, "sandbox.db"), committed)
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

// eventually polls cond every interval until it is true, fails, or within has passed.
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
