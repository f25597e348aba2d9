package e2e

import (
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/mail/mailtest"
)

// Emails from the built binary to a real SMTP server on loopback (mail/mailtest, in this
// process): through an outage of the server, and across a SIGKILL of the app. Each email must
// arrive once, whatever happens on the way.

// emailFrom is the sender the tests configure.
const emailFrom = "appointments@riverbend.example"

// smtpArgs point doorway at the SMTP server at addr, in plain text (loopback only).
func smtpArgs(addr string) []string {
	host, port, _ := net.SplitHostPort(addr)
	return []string{"-smtp-host", host, "-smtp-port", port, "-smtp-tls", "none", "-smtp-from", emailFrom}
}

// received is what srv got, parsed, keeping only messages whose subject starts with prefix
// ("" for all).
func received(t *testing.T, srv *mailtest.Server, prefix string) []mailtest.Parsed {
	t.Helper()
	all, err := mailtest.ParseAll(srv.Messages())
	if err != nil {
		t.Fatal(err)
	}
	var out []mailtest.Parsed
	for _, p := range all {
		if strings.HasPrefix(p.Subject, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// exactlyOnce waits until srv has n messages whose subject starts with prefix, then a while
// longer for any copy; it fails unless there are n, one per address in to, each with its own
// Message-ID.
func exactlyOnce(t *testing.T, srv *mailtest.Server, prefix string, to []string, within time.Duration) []mailtest.Parsed {
	t.Helper()
	eventually(t, "every "+prefix+" email arrives", within, func() (bool, error) {
		return len(received(t, srv, prefix)) >= len(to), nil
	})
	time.Sleep(5 * time.Second) // the mail worker runs every 2 s: a second copy would be here
	got := received(t, srv, prefix)
	ids, rcpts := map[string]int{}, map[string]int{}
	for _, p := range got {
		ids[p.Header.Get("Message-Id")]++
		if addrs, err := p.Header.AddressList("To"); err == nil && len(addrs) == 1 {
			rcpts[addrs[0].Address]++
		}
	}
	if len(got) != len(to) || len(ids) != len(to) {
		t.Errorf("%d %q emails with %d Message-IDs, want %d of each", len(got), prefix, len(ids), len(to))
	}
	for _, addr := range to {
		if rcpts[addr] != 1 {
			t.Errorf("%s got %d %q emails, want 1", addr, rcpts[addr], prefix)
		}
	}
	return got
}

// addresses are the scripted patients' email addresses (wizard_test.go).
func addresses(ps []*patient) []string {
	var out []string
	for _, p := range ps {
		out = append(out, "patient"+strconv.Itoa(p.n)+"@example.org")
	}
	return out
}

// TestEmailsThroughAnSMTPOutage: the SMTP server is down while patients book (each booking
// goes through: the EHR has it, the page says booked, /readyz names SMTP unavailable); the
// emails are tried, fail, are retried with backoff, every attempt recorded; when the server
// returns every confirmation arrives, once.
func TestEmailsThroughAnSMTPOutage(t *testing.T) {
	const patients = 6
	zone := clinicZone(t)
	srv := mailtest.Start(t, mailtest.Options{Addr: freeAddr(t)})
	srv.Stop()
	app := startDemo(t, launch{Args: append(smtpArgs(srv.Addr), "-booking-rate", "100000", "-holds-per-client", "-1")})
	from := tomorrow(zone).AddDate(0, 0, 1) // past the reminders' 24 hours: confirmations only
	day, refs, err := dayWith(scout(t, app.URL, from, 5, okafor), zone, patients)
	if err != nil {
		t.Fatal(err)
	}
	codes, tr := newCodeCounter(), patientTransport()
	defer tr.CloseIdleConnections()
	ps := newPatients(patients, app.URL, tr, codes)
	keys := holdAll(t, ps, refs, day, day, okafor)
	down := time.Now()
	failOn(t, "booking with the SMTP server down", runAll(ps, func(p *patient) error {
		c, _, err := p.confirm(keys[p.n-1])
		if err == nil && c.Status != "booked" {
			t.Errorf("patient %d: %s, want booked", p.n, c.Status)
		}
		return err
	}))
	if ready := getBody(t, app.URL+"/readyz"); !strings.Contains(ready, `"smtp":"unavailable"`) {
		t.Errorf("/readyz with the SMTP server down: %s", ready)
	}
	eventually(t, "every confirmation tried three times", 30*time.Second, func() (bool, error) {
		return countRows(t, app.DB, `SELECT count(*) FROM outbox WHERE kind = 'EmailConfirm' AND attempts >= 3`) == patients, nil
	})
	srv.Restart()
	t.Logf("the SMTP server was down %v", time.Since(down).Round(time.Second))
	exactlyOnce(t, srv, "Booked:", addresses(ps), 40*time.Second)
	if n := countRows(t, app.DB, `SELECT count(*) FROM outbox WHERE kind = 'EmailConfirm' AND delivered_at IS NOT NULL AND attempts >= 4`); n != patients {
		t.Errorf("%d confirmations delivered after 3 failed attempts, want %d", n, patients)
	}
	if n := countRows(t, app.DB, `SELECT count(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id
		WHERE o.kind = 'EmailConfirm' AND a.error <> ''`); n < 3*patients {
		t.Errorf("%d failed attempts recorded, want at least %d", n, 3*patients)
	}
	if bad := codes.unexpected(); len(bad) > 0 {
		t.Errorf("statuses other than 200 and 303: %v", bad)
	}
	if m := getBody(t, app.URL+"/metrics"); !strings.Contains(m, `doorway_emails_total{kind="confirmation",outcome="sent"} 6`) {
		t.Errorf("/metrics: %s", grepLines(m, "doorway_emails_total"))
	}
	app.Stop(t)
	wantNoneOf(t, app.Log, addresses(ps)...)
}

// TestEmailsAfterSIGKILL: the app is killed while its mail worker is sending (the SMTP
// server accepted the connection and never answered: the booking is committed, its email
// claimed and not sent). Restarted, it sends each email exactly once.
func TestEmailsAfterSIGKILL(t *testing.T) {
	const patients = 3
	zone := clinicZone(t)
	smtpAddr := freeAddr(t)
	stopHole := blackHole(t, smtpAddr)
	at := launch{Addr: freeAddr(t), DB: filepath.Join(t.TempDir(), "doorway.db"),
		Args: append(smtpArgs(smtpAddr), "-sandbox-addr", freeAddr(t), "-log-level", "info", "-holds-per-client", "-1")}
	app := startDemo(t, at)
	day, refs, err := dayWith(scout(t, app.URL, tomorrow(zone).AddDate(0, 0, 1), 5, okafor), zone, patients)
	if err != nil {
		t.Fatal(err)
	}
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	ps := newPatients(patients, app.URL, tr, newCodeCounter())
	keys := holdAll(t, ps, refs, day, day, okafor)
	failOn(t, "booking", runAll(ps, func(p *patient) error { _, _, err := p.confirm(keys[p.n-1]); return err }))
	eventually(t, "a confirmation claimed by the stuck worker", 20*time.Second, func() (bool, error) {
		return countRows(t, app.DB, `SELECT count(*) FROM outbox WHERE kind = 'EmailConfirm' AND claimed_at IS NOT NULL`) == 1, nil
	})
	app.Kill()
	stopHole()
	srv := mailtest.Start(t, mailtest.Options{Addr: smtpAddr})
	app = startDemo(t, at)
	exactlyOnce(t, srv, "Booked:", addresses(ps), 30*time.Second)
	app.Stop(t)
	if !strings.Contains(tail(app.Log), "resent_after_interruption=true") {
		t.Error("the restart did not take over the interrupted email")
	}
}

// TestEmailKilledMidDATA: the app is killed after the SMTP server has the whole message but
// before it answered. SMTP cannot tell the sender the message arrived, so the restarted app
// sends it again: with the same Message-ID, which is how mail clients (and the desk) see the
// two copies as one message.
func TestEmailKilledMidDATA(t *testing.T) {
	zone := clinicZone(t)
	srv := mailtest.Start(t, mailtest.Options{Addr: freeAddr(t)})
	arrived, release := srv.Hold()
	defer release()
	at := launch{Addr: freeAddr(t), DB: filepath.Join(t.TempDir(), "doorway.db"),
		Args: append(smtpArgs(srv.Addr), "-sandbox-addr", freeAddr(t))}
	app := startDemo(t, at)
	day, refs, err := dayWith(scout(t, app.URL, tomorrow(zone).AddDate(0, 0, 1), 5, okafor), zone, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := newPatient(1, app.URL, patientTransport(), newCodeCounter())
	keys := holdAll(t, []*patient{p}, refs, day, day, okafor)
	if _, _, err := p.confirm(keys[0]); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("the confirmation never reached the server")
	}
	app.Kill()
	release() // the server keeps the message it had whole
	app = startDemo(t, at)
	eventually(t, "the email sent again", 30*time.Second, func() (bool, error) { return len(srv.Messages()) >= 2, nil })
	time.Sleep(4 * time.Second)
	got := received(t, srv, "Booked:")
	if len(got) != 2 || got[0].Header.Get("Message-Id") != got[1].Header.Get("Message-Id") || got[0].Header.Get("Message-Id") == "" {
		t.Errorf("%d copies, Message-IDs %v, want 2 copies of one message", len(got), messageIDs(got))
	}
	app.Stop(t)
}

func messageIDs(ps []mailtest.Parsed) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Header.Get("Message-Id"))
	}
	return out
}

// grepLines is the lines of s containing word.
func grepLines(s, word string) string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// getBody fetches u and returns its body, whatever its status.
func getBody(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
