package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"doorway/booking"
	"doorway/booking/link"
	"doorway/mail"
	"doorway/mail/mailtest"
)

// Emails through the web flow, sent to a real SMTP server on loopback: the confirmation
// page's note, the link in the email opening the appointment in another browser, the
// reminders switch, the cancellation's calendar file, /metrics and /readyz.

// lateNotifier is the mailer, set once the test server's URL (the links' base) is known.
type lateNotifier struct{ m atomic.Pointer[mail.Mailer] }

func (l *lateNotifier) Notify(ctx context.Context, n booking.Notice) error {
	return l.m.Load().Notify(ctx, n)
}

// mailApp is a test app whose service emails through srv, with 24-hour reminders.
func mailApp(t *testing.T, srv *mailtest.Server) *app {
	t.Helper()
	keys := [][]byte{[]byte("web test link key")}
	late := &lateNotifier{}
	var check func(context.Context) error
	a := newAppServing(t, -1, func(c *booking.Config) {
		c.Clinic.ReminderHours = 24
		c.Notifier, c.Mail = late, c.Holds.(booking.MailStore)
	}, func(c *Config) {
		c.LinkKeys = keys
		c.MailCheck = func(ctx context.Context) error { return check(ctx) }
	})
	port, _ := strconv.Atoi(srv.Port())
	m, err := mail.New(mail.Config{Host: srv.Host(), Port: port, TLS: mail.NoTLS, From: "appointments@prairie.example",
		BaseURL: a.ts.URL, Links: link.NewSigner(keys), Clinic: a.svc.Clinic()})
	if err != nil {
		t.Fatal(err)
	}
	late.m.Store(m)
	check = m.Ping
	return a
}

// bookWithEmail books a time from 5 March on (past the reminder's lead) for a patient with an
// address and returns the visit number.
func (a *app) bookWithEmail() string {
	a.t.Helper()
	a.throughWhen(url.Values{"from": {"2026-03-05"}})
	slot := firstSlot(a.t, a.get("/times"))
	wantRedirect(a.t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	details := validDetails()
	details.Set("email", "jane.doe@example.org")
	wantRedirect(a.t, a.post("/details", details), "/review")
	key, _ := a.get("/review").doc.Find("input[name=key]").Attr("value")
	r := a.post("/confirm", url.Values{"key": {key}})
	wantStatus(a.t, r, http.StatusSeeOther)
	return strings.TrimPrefix(r.Header.Get("Location"), "/booked/")
}

var manageLink = regexp.MustCompile(`https?://[^\s"]+/m/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

func TestEmailedLinkOpensTheAppointment(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	a := mailApp(t, srv)
	visit := a.bookWithEmail()
	if note := a.get("/booked/" + visit).doc.Find("[data-testid=email-note]").Text(); !strings.Contains(note, "We'll email") {
		t.Errorf("the confirmation page's email note: %q", note)
	}
	ctx := context.Background()
	a.svc.DeliverMail(ctx)
	got, err := mailtest.ParseAll(srv.Wait(t, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	conf := got[0]
	if !strings.HasPrefix(conf.Subject, "Booked: ") || len(conf.Attachments) != 1 || !strings.Contains(string(conf.Attachments[0].Body), "METHOD:REQUEST") {
		t.Fatalf("confirmation: subject %q, %d attachments", conf.Subject, len(conf.Attachments))
	}
	href := manageLink.FindString(conf.Text)
	if href == "" || href != manageLink.FindString(conf.HTML) || !strings.HasPrefix(href, a.ts.URL+"/m/") {
		t.Fatalf("manage link %q in the text, %q in the HTML", href, manageLink.FindString(conf.HTML))
	}

	// The link works in another browser, with nothing but the link.
	other := a.browser()
	wantRedirect(t, other.get(strings.TrimPrefix(href, a.ts.URL)), "/manage/"+visit)
	page := other.get("/manage/" + visit)
	wantStatus(t, page, http.StatusOK)
	if got := page.doc.Find("[data-testid=reminders]").Text(); !strings.Contains(got, "reminder 24 hours before") {
		t.Errorf("the reminders switch says %q", got)
	}

	// Reminders off, then on again, from the manage page.
	wantRedirect(t, other.post("/manage/"+visit+"/reminders", url.Values{"on": {"0"}}), "/manage/"+visit)
	if got := other.get("/manage/" + visit).doc.Find("[data-testid=reminders]").Text(); !strings.Contains(got, "won't get a reminder") {
		t.Errorf("after turning reminders off the page says %q", got)
	}
	if n := countWhere(t, a, "outbox", "kind = 'EmailReminder' AND delivered_at IS NULL AND failed_at IS NULL"); n != 0 {
		t.Errorf("%d reminders still queued", n)
	}
	wantRedirect(t, other.post("/manage/"+visit+"/reminders", url.Values{"on": {"1"}}), "/manage/"+visit)
	if n := countWhere(t, a, "outbox", "kind = 'EmailReminder' AND delivered_at IS NULL AND failed_at IS NULL"); n != 1 {
		t.Errorf("%d reminders queued after turning them on, want 1", n)
	}
	stranger := a.browser()
	stranger.get("/")
	wantStatus(t, stranger.post("/manage/"+visit+"/reminders", url.Values{"on": {"0"}}), http.StatusNotFound)

	// Cancel: the email cancels the calendar event the confirmation made.
	wantRedirect(t, other.post("/manage/"+visit+"/cancel", url.Values{"reason": {"conflict"}}), "/manage/"+visit+"?canceled=1")
	a.svc.DeliverMail(ctx)
	got, _ = mailtest.ParseAll(srv.Wait(t, 2, 0))
	cancel := got[1]
	uid := regexp.MustCompile(`UID:[^\r\n]+`)
	ics, first := string(cancel.Attachments[0].Body), string(conf.Attachments[0].Body)
	if !strings.HasPrefix(cancel.Subject, "Canceled: ") || !strings.Contains(ics, "METHOD:CANCEL") || !strings.Contains(ics, "SEQUENCE:1") ||
		uid.FindString(ics) != uid.FindString(first) {
		t.Errorf("cancellation: subject %q, calendar file:\n%s", cancel.Subject, ics)
	}
	// The page's own download is the same event.
	if dl := other.get("/manage/" + visit + "/calendar.ics").body; uid.FindString(dl) != uid.FindString(first) || !strings.Contains(dl, "SEQUENCE:1") {
		t.Errorf("the page's calendar file is another event:\n%s", dl)
	}

	metrics := a.get("/metrics").body
	for _, want := range []string{`doorway_emails_total{kind="confirmation",outcome="sent"} 1`,
		`doorway_emails_total{kind="cancellation",outcome="sent"} 1`, `doorway_emails_total{kind="reminder",outcome="skipped"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(metrics, "jane") || strings.Contains(metrics, visit) {
		t.Error("/metrics carries the patient's address or the visit")
	}
}

func countWhere(t *testing.T, a *app, table, where string) int {
	t.Helper()
	var n int
	if err := a.db.QueryRow(`SELECT count(*) FROM ` + table + ` WHERE ` + where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNoEmailWithoutSMTP: without a notifier the confirmation page says no email is sent,
// the manage page offers no reminders, and no email is queued.
func TestNoEmailWithoutSMTP(t *testing.T) {
	a := newApp(t)
	a.throughWhen(url.Values{"from": {"2026-03-05"}})
	slot := firstSlot(t, a.get("/times"))
	a.post("/times", url.Values{"slot": {slot}})
	details := validDetails()
	details.Set("email", "jane.doe@example.org")
	wantRedirect(t, a.post("/details", details), "/review")
	key, _ := a.get("/review").doc.Find("input[name=key]").Attr("value")
	visit := strings.TrimPrefix(a.post("/confirm", url.Values{"key": {key}}).Header.Get("Location"), "/booked/")
	page := a.get("/booked/" + visit)
	if note := page.doc.Find("[data-testid=email-note]").Text(); !strings.Contains(note, "No email is sent") {
		t.Errorf("email note %q, want that none is sent", note)
	}
	if n := a.get("/manage/" + visit).doc.Find("[data-testid=reminders-form]").Length(); n != 0 {
		t.Error("the manage page offers reminders without SMTP")
	}
	if n := countWhere(t, a, "outbox", "lane <> 'ehr'"); n != 0 {
		t.Errorf("%d emails queued without SMTP", n)
	}
	if strings.Contains(a.get("/metrics").body, "doorway_emails_total") {
		t.Error("/metrics counts emails without SMTP")
	}
}

// TestReadyzChecksSMTP: with SMTP configured, /readyz names it; down, 503.
func TestReadyzChecksSMTP(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	a := mailApp(t, srv)
	r := a.get("/readyz")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"smtp":"ok"`) {
		t.Errorf("readyz with SMTP up: %d %s", r.StatusCode, r.body)
	}
	srv.Stop()
	r = a.get("/readyz")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.body, `"smtp":"unavailable"`) {
		t.Errorf("readyz with SMTP down: %d %s", r.StatusCode, r.body)
	}
	b := newApp(t, func(c *Config) { c.MailCheck = nil })
	if body := b.get("/readyz").body; strings.Contains(body, "smtp") {
		t.Errorf("readyz without SMTP names it: %s", body)
	}
}

// TestDeskResendsTheConfirmation: the desk sends a patient's confirmation again from the visit
// page: a second email like the first, with a Message-ID of its own, audited under the staff
// member. A visit without an address offers no such button.
func TestDeskResendsTheConfirmation(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	a := mailApp(t, srv)
	visit := a.bookWithEmail()
	ctx := context.Background()
	a.svc.DeliverMail(ctx)
	srv.Wait(t, 1, 0)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	d := a.browser()
	wantRedirect(t, d.signIn("dana@clinic.example", deskPassword), "/desk")
	page := d.get("/desk/visit/" + visit)
	action := page.doc.Find("[data-testid=desk-resend]").AttrOr("action", "")
	if action != "/desk/visit/"+visit+"/resend" {
		t.Fatalf("the visit page's resend form posts to %q", action)
	}
	wantRedirect(t, d.post(action, nil), "/desk/visit/"+visit+"?resent=1")
	a.svc.DeliverMail(ctx)
	got, err := mailtest.ParseAll(srv.Wait(t, 2, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got[1].Subject != got[0].Subject || got[1].Header.Get("Message-Id") == got[0].Header.Get("Message-Id") {
		t.Errorf("the resent email: %q (%s), the first %q (%s)", got[1].Subject, got[1].Header.Get("Message-Id"),
			got[0].Subject, got[0].Header.Get("Message-Id"))
	}
	entries, _ := a.db.AuditEntries(t0ctx, visit)
	if last := entries[len(entries)-1]; last.Action != booking.AuditResend || !strings.HasPrefix(last.Actor.Session, "staff:") {
		t.Errorf("the resend's audit row %+v", last)
	}
	// A visit booked for a caller without an email address: nothing to resend.
	_, slot, key, bookAction := deskForm(t, d, "/desk/book?visit_type=SICK&location=east&from=2026-03-06")
	form := validDetails()
	form.Set("slot", slot)
	form.Set("key", key)
	to := d.post(bookAction, form).Header.Get("Location")
	if n := d.get(to).doc.Find("[data-testid=desk-resend]").Length(); n != 0 {
		t.Error("a visit without an email address offers to resend its confirmation")
	}
}
