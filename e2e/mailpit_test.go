package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Mailpit (github.com/axllent/mailpit), a real mail catcher with a web inbox and an HTTP API,
// is the SMTP server of the demo (make mail-demo) and of TestMailpit. Its binary goes to
// .tools/bin, built with go install only when missing: the first build takes minutes, so
// TestMain starts it in the background while the other tests run.

// mailpitVersion is the Mailpit the project uses (DEPENDENCIES.md; the Makefile's
// MAILPIT_VERSION is the same).
const mailpitVersion = "v1.33.1"

var (
	mailpitOnce  sync.Once
	mailpitDone  = make(chan struct{})
	mailpitPath  string
	errMailpit   error
	mailpitBuild time.Duration
)

// startMailpitBuild builds Mailpit into .tools/bin in the background when it is missing, once.
func startMailpitBuild() {
	mailpitOnce.Do(func() {
		go func() {
			defer close(mailpitDone)
			root, err := filepath.Abs("..")
			if err != nil {
				errMailpit = err
				return
			}
			mailpitPath = filepath.Join(root, ".tools", "bin", "mailpit")
			if _, err := os.Stat(mailpitPath); err == nil {
				return
			}
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "go", "install", "github.com/axllent/mailpit@"+mailpitVersion)
			cmd.Env = append(os.Environ(), "GOBIN="+filepath.Dir(mailpitPath), "GOFLAGS=")
			if out, err := cmd.CombinedOutput(); err != nil {
				errMailpit = fmt.Errorf("go install mailpit: %v\n%s", err, out)
			}
			mailpitBuild = time.Since(start)
		}()
	})
}

// mailpit is a running Mailpit.
type mailpit struct {
	SMTP string // host:port
	URL  string // the web inbox and the API
}

// startMailpit runs Mailpit on two free loopback ports (accepting any SMTP login, over plain
// text on loopback) until the test ends.
func startMailpit(t *testing.T) mailpit {
	t.Helper()
	needBinary(t) // skips with -short, like every test here
	startMailpitBuild()
	select {
	case <-mailpitDone:
	case <-time.After(15 * time.Minute):
		t.Fatal("Mailpit's build did not finish within 15 minutes")
	}
	if errMailpit != nil {
		t.Fatal(errMailpit)
	}
	if mailpitBuild > 0 {
		t.Logf("built Mailpit %s in %v", mailpitVersion, mailpitBuild.Round(time.Second))
	}
	m := mailpit{SMTP: freeAddr(t), URL: "http://" + freeAddr(t)}
	cmd := exec.Command(mailpitPath, "--smtp", m.SMTP, "--listen", strings.TrimPrefix(m.URL, "http://"),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
		"--disable-version-check", "-q")
	logFile, err := os.Create(filepath.Join(t.TempDir(), "mailpit.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	eventually(t, "Mailpit ready", 20*time.Second, func() (bool, error) {
		res, err := http.Get(m.URL + "/readyz")
		if err != nil {
			return false, nil
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK, nil
	})
	return m
}

// mailpitMessage is a message as Mailpit's API gives it.
type mailpitMessage struct {
	ID, MessageID, Subject, Text, HTML string
	To                                 []struct{ Name, Address string }
	Attachments                        []struct{ PartID, FileName, ContentType string }
}

// api GETs Mailpit's API at path into v.
func (m mailpit) api(t *testing.T, path string, v any) {
	t.Helper()
	res, err := http.Get(m.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	if s, ok := v.(*string); ok {
		b, _ := io.ReadAll(res.Body)
		*s = string(b)
		return
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// inbox waits until Mailpit holds n messages to addr and returns them, oldest first, read in
// full.
func (m mailpit) inbox(t *testing.T, addr string, n int) []mailpitMessage {
	t.Helper()
	var found struct {
		MessagesCount int                   `json:"messages_count"`
		Messages      []struct{ ID string } // summaries: read each in full below
	}
	eventually(t, fmt.Sprintf("%d messages to %s in Mailpit", n, addr), 30*time.Second, func() (bool, error) {
		m.api(t, "/api/v1/search?query="+url.QueryEscape("to:"+addr), &found)
		return found.MessagesCount >= n, nil
	})
	if found.MessagesCount != n {
		t.Errorf("Mailpit holds %d messages to %s, want %d", found.MessagesCount, addr, n)
	}
	out := make([]mailpitMessage, len(found.Messages))
	for i, s := range found.Messages { // newest first
		m.api(t, "/api/v1/message/"+s.ID, &out[len(out)-1-i])
	}
	return out
}

// TestMailpit: the demo with Mailpit. A scripted patient books, moves and cancels; the
// confirmation, the change notice and the cancellation are read back through Mailpit's API
// (subject, text, HTML, the calendar file), and the link in the first opens the appointment
// in another browser, which then moves and cancels it.
func TestMailpit(t *testing.T) {
	mp := startMailpit(t)
	a := startDemo(t, launch{Args: append(smtpArgs(mp.SMTP), "-smtp-user", "doorway", "-smtp-password", "demo")})
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
	const addr = "patient1@example.org"
	msgs := mp.inbox(t, addr, 1)
	conf := msgs[0]
	code := mustCode(t, p, booked.VisitNumber)
	if !strings.HasPrefix(conf.Subject, "Booked: ") || !strings.Contains(conf.Text, code) || !strings.Contains(conf.HTML, code) {
		t.Errorf("confirmation %q lacks the code %s:\n%s", conf.Subject, code, conf.Text)
	}
	if len(conf.Attachments) != 1 || conf.Attachments[0].FileName != "appointment.ics" || !strings.HasPrefix(conf.Attachments[0].ContentType, "text/calendar") {
		t.Fatalf("attachments %+v", conf.Attachments)
	}
	var ics string
	mp.api(t, "/api/v1/message/"+conf.ID+"/part/"+conf.Attachments[0].PartID, &ics)
	if !strings.Contains(ics, "METHOD:REQUEST") || !strings.Contains(ics, "UID:"+booked.VisitNumber+"@doorway") {
		t.Errorf("calendar file:\n%s", ics)
	}

	// The link, in another browser.
	href := linkInEmail.FindString(conf.Text)
	other := newPatient(1, a.URL, tr, newCodeCounter())
	pg, err := other.do(http.MethodGet, strings.TrimPrefix(href, a.URL), nil)
	if err != nil || href == "" || pg.location != "/manage/"+booked.VisitNumber {
		t.Fatalf("the link %q: %v %v, want a redirect to the appointment", href, pg, err)
	}
	moved, err := other.move(booked.VisitNumber, second)
	if err != nil || moved.Status != "booked" {
		t.Fatalf("move: %+v %v", moved, err)
	}
	if change := mp.inbox(t, addr, 2)[1]; !strings.HasPrefix(change.Subject, "Changed: ") || !strings.Contains(change.Text, moved.VisitNumber) {
		t.Errorf("change notice %q:\n%s", change.Subject, change.Text)
	}
	if err := other.cancelMine(moved.VisitNumber); err != nil {
		t.Fatal(err)
	}
	all := mp.inbox(t, addr, 3)
	if !strings.HasPrefix(all[2].Subject, "Canceled: ") {
		t.Errorf("third email %q, want the cancellation", all[2].Subject)
	}
	ids := map[string]bool{}
	for _, m := range all {
		ids[m.MessageID] = true
	}
	if len(ids) != 3 {
		t.Errorf("Message-IDs %v, want 3 different", ids)
	}
	t.Logf("Mailpit's inbox (while the test runs): %s", mp.URL)
	a.Stop(t)
}
