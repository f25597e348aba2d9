package e2e

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
)

// The scripted patient managing an appointment (find, move, cancel), and the proofs that a
// move leaves exactly one live appointment, in Doorway and in the EHR, whatever fails.

// code reads the confirmation code off the visit's confirmation page.
func (pt *patient) code(visit string) (string, error) {
	p, err := pt.get("/booked/" + url.PathEscape(visit))
	if err != nil {
		return "", err
	}
	c := strings.TrimSpace(p.doc.Find("[data-testid=code]").Text())
	if c == "" {
		return "", fmt.Errorf("no code on the confirmation of %s", visit)
	}
	return c, nil
}

// findMine finds the patient's appointment with its code, their last name and birth date
// (the details of wizard_test.go) and wants its page.
func (pt *patient) findMine(code, visit string) error {
	if _, err := pt.get("/manage"); err != nil {
		return err
	}
	to, err := pt.submit("/manage", url.Values{"code": {code}, "last_name": {"Tester" + fmt.Sprint(pt.n)}, "dob": {"1980-01-02"}})
	if err == nil && to != "/manage/"+visit {
		err = fmt.Errorf("POST /manage: redirect to %q, want /manage/%s", to, visit)
	}
	return err
}

// move moves visit to the time ref and returns the new confirmation.
func (pt *patient) move(visit, ref string) (confirmation, error) {
	base := "/manage/" + url.PathEscape(visit)
	if _, err := pt.get(base); err != nil {
		return confirmation{}, err
	}
	if to, err := pt.submit(base+"/move", nil); err != nil || to != "/times" {
		return confirmation{}, fmt.Errorf("move: %q %v", to, err)
	}
	if _, err := pt.get("/times"); err != nil {
		return confirmation{}, err
	}
	if to, err := pt.submit("/times", url.Values{"slot": {ref}}); err != nil || to != "/review" {
		return confirmation{}, fmt.Errorf("hold %s: %q %v", ref, to, err)
	}
	key, err := pt.review()
	if err != nil {
		return confirmation{}, err
	}
	c, _, err := pt.confirm(key)
	return c, err
}

// cancelMine cancels visit with a reason.
func (pt *patient) cancelMine(visit string) error {
	base := "/manage/" + url.PathEscape(visit)
	if _, err := pt.get(base + "/cancel"); err != nil {
		return err
	}
	to, err := pt.submit(base+"/cancel", url.Values{"reason": {"conflict"}})
	if err == nil && !strings.HasPrefix(to, base) {
		err = fmt.Errorf("cancel: redirect to %q", to)
	}
	return err
}

// twoDays finds a provider (the first of candidates that has them) with open times on two
// days past the demo clinic's 24-hour cancellation cutoff and within the week a search opens
// on (tomorrow+1 to today+6; holidays can empty some days, hence the candidates). It returns
// the provider, the first time of each day, and the two days.
func twoDays(t *testing.T, base string, zone *time.Location, candidates ...string) (provider, first, second string, day1, day2 time.Time) {
	t.Helper()
	if len(candidates) == 0 {
		candidates = []string{okafor, "1365042179", "1714539867", "1970125864", "1145987321"}
	}
	from := tomorrow(zone).AddDate(0, 0, 1)
	for _, p := range candidates {
		days, byDay, err := refsByDay(scout(t, base, from, 5, p), zone)
		if err != nil {
			t.Fatal(err)
		}
		if len(days) >= 2 {
			day1, _ = time.ParseInLocation(time.DateOnly, days[0], zone)
			day2, _ = time.ParseInLocation(time.DateOnly, days[1], zone)
			return p, byDay[days[0]][0], byDay[days[1]][0], day1, day2
		}
	}
	t.Fatalf("no provider of %v has open times on two days from %s", candidates, from.Format(time.DateOnly))
	return
}

// liveFor is the patient's live visits in the EHR over the next weeks.
func liveFor(t *testing.T, ehrURL string, pt *patient, want int) []booking.Appointment {
	t.Helper()
	return waitBooked(t, ehrURL, booking.BookedQuery{Start: time.Now(), End: time.Now().AddDate(0, 0, 30),
		Patient: []booking.Identifier{{ID: pt.mrn(), IDType: "MR"}}}, want, 10*time.Second)
}

// TestFindMoveCancel: a patient books, finds the appointment with the code, moves it to
// another day (a new visit number; the old time offered again; the EHR has exactly the new
// one), then cancels it (the time offered again; the EHR has none).
func TestFindMoveCancel(t *testing.T) {
	a := startDemo(t, launch{})
	zone := clinicZone(t)
	provider, first, second, day, _ := twoDays(t, a.URL, zone)
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(1, a.URL, tr, newCodeCounter())
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	if err := p.search(day, day.AddDate(0, 0, 4), provider); err != nil {
		t.Fatal(err)
	}
	booked, _, err := p.book(first)
	if err != nil || booked.Status != "booked" {
		t.Fatalf("booking: %+v %v", booked, err)
	}
	code, err := p.code(booked.VisitNumber)
	if err != nil {
		t.Fatal(err)
	}
	other := newPatient(1, a.URL, tr, newCodeCounter()) // the same person, another browser
	if err := other.findMine(strings.ToLower(code), booked.VisitNumber); err != nil {
		t.Fatal(err)
	}
	moved, err := other.move(booked.VisitNumber, second)
	if err != nil || moved.Status != "booked" || moved.VisitNumber == booked.VisitNumber {
		t.Fatalf("move: %+v %v", moved, err)
	}
	if live := liveFor(t, a.SandboxURL, p, 1); live[0].VisitNumber != moved.VisitNumber {
		t.Errorf("the EHR has %s live, want the new visit %s", live[0].VisitNumber, moved.VisitNumber)
	}
	eventually(t, "the old time offered again", 10*time.Second, func() (bool, error) {
		return strings.Contains(strings.Join(scout(t, a.URL, day, 1, provider), " "), first), nil
	})
	if err := other.cancelMine(moved.VisitNumber); err != nil {
		t.Fatal(err)
	}
	liveFor(t, a.SandboxURL, p, 0)
	eventually(t, "the canceled time offered again", 10*time.Second, func() (bool, error) {
		return strings.Contains(strings.Join(scout(t, a.URL, day, 5, provider), " "), second), nil
	})
	a.Stop(t)
	checkDatabases(t, a.DB, a.sandboxDB(), map[string]bool{})
}

// TestMoveWithTheEHRDown: the EHR stops before a patient moves the appointment. The move is
// taken ("we're confirming"), the old appointment stays booked while the new one waits; when
// the EHR is back the New goes, then the old visit's Cancel: one live appointment in Doorway
// and in the EHR, each message delivered once.
func TestMoveWithTheEHRDown(t *testing.T) {
	zone := clinicZone(t)
	dir := t.TempDir()
	ehrAddr, appAddr := freeAddr(t), freeAddr(t)
	ehrAt := launch{Addr: ehrAddr, DB: filepath.Join(dir, "ehr.db"), Args: []string{"-log-level", "error", "-webhooks", webhooksTo(appAddr)}}
	ehr := startEHR(t, ehrAt)
	wire := newRecorder(t, ehr.URL)
	app := startRedox(t, wire.URL, launch{Addr: appAddr, DB: filepath.Join(dir, "doorway.db"), Args: []string{"-log-level", "error"}})
	provider, first, second, day, _ := twoDays(t, app.URL, zone)
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(1, app.URL, tr, newCodeCounter())
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	if err := p.search(day, day.AddDate(0, 0, 4), provider); err != nil {
		t.Fatal(err)
	}
	booked, _, err := p.book(first)
	if err != nil || booked.Status != "booked" {
		t.Fatalf("booking: %+v %v", booked, err)
	}
	if err := p.findMine(mustCode(t, p, booked.VisitNumber), booked.VisitNumber); err != nil {
		t.Fatal(err)
	}
	// The move's hold needs the EHR; its delivery does not.
	base := "/manage/" + booked.VisitNumber
	p.get(base)
	if to, err := p.submit(base+"/move", nil); err != nil || to != "/times" {
		t.Fatalf("move: %q %v", to, err)
	}
	p.get("/times")
	if to, err := p.submit("/times", url.Values{"slot": {second}}); err != nil || to != "/review" {
		t.Fatalf("hold: %q %v", to, err)
	}
	key, err := p.review()
	if err != nil {
		t.Fatal(err)
	}
	if !ehr.Stop(t) {
		t.FailNow()
	}
	moved, _, err := p.confirm(key)
	if err != nil || moved.Status != "requested" {
		t.Fatalf("the move with the EHR down: %+v %v; want 'we're confirming'", moved, err)
	}
	if st := readOne(t, app.DB, `SELECT status FROM appointments WHERE visit_number = ?`, booked.VisitNumber); st != "booked" {
		t.Errorf("while the move waits, the old appointment is %s, want booked", st)
	}
	ehr = startEHR(t, ehrAt)
	eventually(t, "the move is booked", 40*time.Second, func() (bool, error) { return statusIs([]*patient{p}, map[*patient]confirmation{p: moved}, "booked") })
	if live := liveFor(t, ehr.URL, p, 1); live[0].VisitNumber != moved.VisitNumber {
		t.Errorf("the EHR has %s live, want %s", live[0].VisitNumber, moved.VisitNumber)
	}
	eventually(t, "the old visit's Cancel delivered", 20*time.Second, func() (bool, error) {
		return wire.count(redox.EventCancel, booked.VisitNumber) == 1, nil
	})
	if n, m := wire.count(redox.EventNew, moved.VisitNumber), wire.count(redox.EventCancel, booked.VisitNumber); n != 1 || m != 1 {
		t.Errorf("the EHR got the New %d times and the Cancel %d times, want once each", n, m)
	}
	app.Stop(t)
	ehr.Stop(t)
	checkDatabases(t, app.DB, ehr.DB, map[string]bool{moved.VisitNumber: true})
}

// TestKilledBetweenTheNewAndTheCancel: the process is killed after the move's New reached
// the EHR and while the old visit's Cancel is on its way (held at the EHR's door, then never
// let through). Restarted, it delivers the Cancel once: one live appointment in Doorway and in
// the EHR, the New and the Cancel each received once.
func TestKilledBetweenTheNewAndTheCancel(t *testing.T) {
	zone := clinicZone(t)
	dir := t.TempDir()
	ehrAddr, appAddr := freeAddr(t), freeAddr(t)
	ehr := startEHR(t, launch{Addr: ehrAddr, DB: filepath.Join(dir, "ehr.db"), Args: []string{"-log-level", "error", "-webhooks", webhooksTo(appAddr)}})
	wire := newRecorder(t, ehr.URL)
	appAt := launch{Addr: appAddr, DB: filepath.Join(dir, "doorway.db"), Args: []string{"-log-level", "info"}}
	app := startRedox(t, wire.URL, appAt)
	provider, first, second, day, _ := twoDays(t, app.URL, zone)
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(1, app.URL, tr, newCodeCounter())
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	if err := p.search(day, day.AddDate(0, 0, 4), provider); err != nil {
		t.Fatal(err)
	}
	booked, _, err := p.book(first)
	if err != nil || booked.Status != "booked" {
		t.Fatalf("booking: %+v %v", booked, err)
	}
	if err := p.findMine(mustCode(t, p, booked.VisitNumber), booked.VisitNumber); err != nil {
		t.Fatal(err)
	}
	arrived, release := wire.hold(redox.EventCancel)
	defer release()
	done := make(chan struct{})
	var moved confirmation
	go func() {
		defer close(done)
		moved, _ = p.move(booked.VisitNumber, second) // answered within its delivery budget, or cut by the kill
	}()
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("the old visit's Cancel never went out")
	}
	app.Kill()
	<-done
	release() // too late: the held Cancel's sender is gone, so it is not forwarded
	app = startRedox(t, wire.URL, appAt)
	eventually(t, "the outbox drains after the restart", 40*time.Second, func() (bool, error) {
		return countRows(t, app.DB, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL`) == 0, nil
	})
	newVisit := readOne(t, app.DB, `SELECT visit_number FROM appointments WHERE replaces = ?`, booked.VisitNumber)
	t.Logf("moved to %s (the patient's page said %q); after the restart: %s", newVisit, moved.VisitNumber,
		readOne(t, app.DB, `SELECT count(*) || ' attempts of the Cancel' FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.kind = 'Cancel'`))
	if live := liveFor(t, ehr.URL, p, 1); live[0].VisitNumber != newVisit {
		t.Errorf("the EHR has %s live, want %s", live[0].VisitNumber, newVisit)
	}
	if n, m := wire.count(redox.EventNew, newVisit), wire.count(redox.EventCancel, booked.VisitNumber); n != 1 || m != 1 {
		t.Errorf("the EHR got the New %d times and the Cancel %d times, want once each", n, m)
	}
	app.Stop(t)
	ehr.Stop(t)
	checkDatabases(t, app.DB, ehr.DB, map[string]bool{newVisit: true})
}

func mustCode(t *testing.T, p *patient, visit string) string {
	t.Helper()
	c, err := p.code(visit)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readOne reads one string from the SQLite database at path.
func readOne(t *testing.T, path, query string, args ...any) string {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	var s string
	if err := db.QueryRow(query, args...).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}
