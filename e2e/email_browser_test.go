package e2e

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"doorway/mail/mailtest"
)

var (
	linkInEmail = regexp.MustCompile(`http://127\.0\.0\.1:\d+/m/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)
	icsUID      = regexp.MustCompile(`(?m)^UID:(.+)\r$`)
	icsSequence = regexp.MustCompile(`(?m)^SEQUENCE:(\d+)\r$`)
	icsMethod   = regexp.MustCompile(`(?m)^METHOD:(\w+)\r$`)
)

// TestBrowserEmails: in Chromium, a patient books a time (giving an email address), opens the
// appointment from the confirmation email (its HTML rendered in the browser, the button
// clicked), moves it, then cancels it, with the app sending to a real SMTP server on
// loopback. Exactly one confirmation, one change notice and one cancellation arrive, each
// with a link that opens the appointment in a fresh browser, and a calendar file in the
// clinic's zone: the same UID in all three, SEQUENCE 0, 1, 2, REQUEST, REQUEST, CANCEL.
func TestBrowserEmails(t *testing.T) {
	chromiumPath(t)
	srv := mailtest.Start(t, mailtest.Options{})
	a := startDemo(t, launch{Args: smtpArgs(srv.Addr)})
	zone := clinicZone(t)
	provider, first, second, d1, d2 := twoDays(t, a.URL, zone)
	const email = "ana.browser@example.org"

	b := newBrowser(t, 1280, 900, false)
	f := &flow{b: b, base: a.URL, axe: true, lang: "en", width: 1280, email: email}
	visit, _, _ := f.bookTime(provider, d1.Format(time.DateOnly), first, "Núñez", "EM-100")
	if note := get(b, "email note", chromedp.Text(chromedp.CSS(`[data-testid=email-note]`))); !strings.Contains(note, "We'll email") {
		t.Errorf("the confirmation page's email note: %q", note)
	}
	confirmation := nextEmail(t, srv, 1, "Booked: ")

	// The confirmation's HTML, as a mail client shows it: its button opens the appointment.
	b2 := newBrowser(t, 390, 800, false)
	g := &flow{b: b2, base: a.URL, axe: true, lang: "en", width: 390}
	b2.run("open the email", chromedp.Navigate("data:text/html;charset=utf-8;base64,"+base64.StdEncoding.EncodeToString([]byte(confirmation.HTML))))
	b2.navigate("click the email's button", chromedp.Click(chromedp.CSS(`[data-testid=manage-link]`)))
	g.check("manage from the email", "/manage/"+visit)

	// Move it.
	b2.navigate("change the time", chromedp.Click(chromedp.CSS(`[data-testid=move-form] button`)))
	g.check("move: times", "/times")
	b2.navigate("the provider's day", chromedp.Navigate(a.URL+"/times?p="+provider+"&day="+d2.Format(time.DateOnly)))
	b2.navigate("new time", chromedp.Click(chromedp.CSS(`button[name=slot][value="`+second+`"]`)))
	g.check("move: review", "/review")
	g.submit("confirm-form")
	g.check("moved", "/booked/")
	moved := strings.TrimSpace(get(b2, "new visit number", chromedp.Text(chromedp.CSS(`[data-testid=visit-number]`))))
	change := nextEmail(t, srv, 2, "Changed: ")

	// Cancel it.
	b2.navigate("manage the new one", chromedp.Click(chromedp.CSS(`[data-testid=manage-link]`)))
	b2.navigate("cancel", chromedp.Click(chromedp.CSS(`[data-testid=cancel-link]`)))
	b2.run("reason", chromedp.Click(chromedp.CSS(`#cr-conflict`)))
	g.submit("cancel-form")
	g.check("canceled", "/manage/"+moved)
	cancel := nextEmail(t, srv, 3, "Canceled: ")

	time.Sleep(5 * time.Second) // any extra email would be here by now (the worker runs every 2 s)
	if n := len(srv.Messages()); n != 3 {
		t.Errorf("%d emails, want 3: %v", n, subjects(received(t, srv, "")))
	}

	// Each email's link, in a fresh browser: the appointment as it now stands.
	for i, tc := range []struct {
		p     mailtest.Parsed
		visit string
	}{{confirmation, moved}, {change, moved}, {cancel, moved}} {
		href := linkInEmail.FindString(tc.p.Text)
		if href == "" || href != linkInEmail.FindString(tc.p.HTML) {
			t.Errorf("email %d: link %q in the text, %q in the HTML", i+1, href, linkInEmail.FindString(tc.p.HTML))
			continue
		}
		fresh := newBrowser(t, 390, 800, true)
		h := &flow{b: fresh, base: a.URL, lang: "en", width: 390}
		fresh.run("open the link", chromedp.Navigate(href))
		h.check("link of email "+subjects([]mailtest.Parsed{tc.p})[0], "/manage/"+tc.visit)
	}
	if st := get(b2, "status", chromedp.AttributeValue(chromedp.CSS(`[data-testid=status]`), "data-status")); st.Value != "canceled" {
		t.Errorf("status %q after canceling", st.Value)
	}

	// The calendar files: one event, updated twice, then canceled, in the clinic's zone.
	var uids []string
	for i, want := range []struct{ method, seq string }{{"REQUEST", "0"}, {"REQUEST", "1"}, {"CANCEL", "2"}} {
		p := []mailtest.Parsed{confirmation, change, cancel}[i]
		if len(p.Attachments) != 1 {
			t.Fatalf("email %d has %d attachments", i+1, len(p.Attachments))
		}
		ics := strings.ReplaceAll(string(p.Attachments[0].Body), "\r\n ", "")
		uid, seq, method := submatch(icsUID, ics), submatch(icsSequence, ics), submatch(icsMethod, ics)
		if method != want.method || seq != want.seq || !strings.Contains(ics, "DTSTART;TZID=America/Chicago:") ||
			!strings.Contains(ics, "TZID:America/Chicago\r\n") || !strings.Contains(p.Attachments[0].ContentType, "method="+want.method) {
			t.Errorf("email %d's calendar file: METHOD %s SEQUENCE %s, want %s %s; in the clinic's zone?\n%s", i+1, method, seq, want.method, want.seq, ics)
		}
		uids = append(uids, uid)
	}
	if uids[0] == "" || uids[0] != uids[1] || uids[1] != uids[2] || uids[0] != visit+"@doorway" {
		t.Errorf("UIDs %v, want %s@doorway in all three", uids, visit)
	}
	a.Stop(t)
	wantNoneOf(t, a.Log, email, "Núñez")
}

// nextEmail waits for the server's n-th message and wants its subject to start with prefix.
func nextEmail(t *testing.T, srv *mailtest.Server, n int, prefix string) mailtest.Parsed {
	t.Helper()
	msgs := srv.Wait(t, n, 30*time.Second)
	p, err := mailtest.Parse(msgs[n-1].Raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Subject, prefix) {
		t.Fatalf("email %d: subject %q, want %q...", n, p.Subject, prefix)
	}
	return p
}

func subjects(ps []mailtest.Parsed) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Subject)
	}
	return out
}

func submatch(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
