package e2e

import (
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"doorway/mail/mailtest"
)

// phi are one patient's details, each distinctive enough that finding it in a log can only
// mean it leaked there; a date of birth is sought in the forms a log line might print it.
var phi = map[string][]string{
	"first name":   {"Zebulon"},
	"last name":    {"Quixotewright"},
	"birth date":   {"1977-08-19", "08/19/1977", "8/19/1977", "19770819", "August 19, 1977", "1977-08-19T"},
	"phone":        {"402-555-0187", "4025550187", "+14025550187", "(402) 555-0187"},
	"email":        {"zq.patient@example.org"},
	"record":       {"MRN-88231"},
	"typed reason": {"xylophone elbow twinges"},
}

// TestNoPHIInAnyLog books with a typed reason and every detail filled in through a Doorway
// logging at debug level, every component writing to the process's one log (web, booking
// service, store, outbox, Redox client, sandbox EHR, the mail worker sending the confirmation
// to a real SMTP server on loopback), then reads the whole log for the patient's details.
func TestNoPHIInAnyLog(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	a := startDemo(t, launch{Args: append([]string{"-log-level", "debug"}, smtpArgs(srv.Addr)...)})
	p := newPatient(1, a.URL, patientTransport(), newCodeCounter())
	if err := p.step("/", url.Values{"reason": {"other"}, "other": {phi["typed reason"][0]}}, "/visit-type"); err != nil {
		t.Fatal(err)
	}
	if err := p.step("/visit-type", url.Values{"seen": {"yes"}, "visit_type": {"SICK"}}, "/times"); err != nil {
		t.Fatal(err)
	}
	zone := clinicZone(t)
	if err := p.search(tomorrow(zone), tomorrow(zone).AddDate(0, 0, 6)); err != nil {
		t.Fatal(err)
	}
	v, err := p.times()
	if err != nil || len(v.Refs) == 0 {
		t.Fatalf("no open times: %v", err)
	}
	if held, err := p.hold(v.Refs[0]); err != nil || !held {
		t.Fatalf("hold: %v %v", held, err)
	}
	form := url.Values{"first_name": {"Zebulon"}, "last_name": {"Quixotewright"}, "dob": {"1977-08-19"},
		"phone": {"402-555-0187"}, "email": {"zq.patient@example.org"}, "mrn": {"MRN-88231"}}
	if err := p.step("/details", form, "/review"); err != nil {
		t.Fatal(err)
	}
	key, err := p.review()
	if err != nil {
		t.Fatal(err)
	}
	if _, sent, err := p.confirm(key); err != nil || !sent {
		t.Fatalf("confirm: %v", err)
	}
	if got := srv.Wait(t, 1, 30*time.Second); len(got[0].To) != 1 || got[0].To[0] != phi["email"][0] {
		t.Errorf("the confirmation went to %v", got[0].To)
	}
	a.Stop(t)
	wantNoPHI(t, a.Log)
}

// wantNoPHI fails for each of the patient's details found in the log file.
func wantNoPHI(t *testing.T, logFile string) {
	t.Helper()
	if b, _ := os.ReadFile(logFile); strings.Count(string(b), "\n") < 10 {
		t.Fatalf("the log has %d lines: is debug logging on?", strings.Count(string(b), "\n"))
	}
	for what, forms := range phi {
		t.Run(what, func(t *testing.T) { wantNoneOf(t, logFile, forms...) })
	}
}

// wantNoneOf fails for each of the strings found in the log file.
func wantNoneOf(t *testing.T, logFile string, private ...string) {
	t.Helper()
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range private {
		if strings.Contains(string(b), s) {
			t.Errorf("%s carries %q", logFile, s)
		}
	}
}
