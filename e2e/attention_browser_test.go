package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/booking/sandbox"
)

// TestBrowserNeedsAttention: in Chromium, on a desktop, the desk's "Needs attention" list
// with a booking the EHR refused, its confirmation email refused by the mail server, and a
// change from the EHR Doorway could not apply: all listed with what to do (the navigation
// counts them), a note refused when empty (the error beside the field), the change and the
// email marked resolved with a note, the booking sent again (the sandbox has it: asked
// first, it is not sent twice) and the list empty. Every state is checked with axe.
func TestBrowserNeedsAttention(t *testing.T) {
	chromiumPath(t)
	a := startDemo(t, launch{})
	zone := clinicZone(t)

	// A change the app cannot apply: the EHR books a block 200 days ahead, beyond the horizon.
	ehr, err := redox.NewClient(redox.Config{BaseURL: a.SandboxURL, ClientID: sandbox.DemoClientID,
		Secret: sandbox.DemoSecret, DestinationID: "sandbox-ehr", Test: true})
	if err != nil {
		t.Fatal(err)
	}
	far := time.Now().UTC().Truncate(time.Hour).Add(200 * 24 * time.Hour)
	if err := ehr.Book(context.Background(), booking.Appointment{VisitNumber: "FAR-1", Start: far, Minutes: 20, Reason: "Meeting",
		Location: booking.LocationRef{Department: "Kearney Family Medicine"}}); err != nil {
		t.Fatalf("the far block at the sandbox: %v", err)
	}
	for deadline := time.Now().Add(20 * time.Second); countRows(t, a.DB, `SELECT count(*) FROM dead_letters`) == 0; {
		if time.Now().After(deadline) {
			t.Fatalf("no dead letter in 20 s; app log:\n%s", tail(a.Log))
		}
		time.Sleep(100 * time.Millisecond)
	}

	b := newBrowser(t, 1280, 900, false)
	f := &flow{b: b, base: a.URL, axe: true, lang: "en", width: 1280}
	b.run("sign-in page", chromedp.Navigate(a.URL+"/desk/login"))
	b.run("sign in", chromedp.SendKeys(chromedp.CSS(`#email`), "desk@demo.doorway"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "demo-desk-password"))
	f.submit("sign-in-form")
	f.check("day", "/desk")

	// A booking for a caller, which the EHR then refuses: the sandbox takes every booking, so
	// the refusal is written as the outbox records one.
	from := tomorrow(zone).AddDate(0, 0, 4).Format(time.DateOnly)
	b.run("book for a caller", chromedp.Navigate(a.URL+"/desk/book?visit_type=SICK&location=kearney&from="+from),
		chromedp.Click(chromedp.CSS(`#slot-first`)),
		chromedp.SendKeys(chromedp.CSS(`#first_name`), "Iris"), chromedp.SendKeys(chromedp.CSS(`#last_name`), "Abara"),
		chromedp.SendKeys(chromedp.CSS(`#dob-month`), "5"), chromedp.SendKeys(chromedp.CSS(`#dob-day`), "14"),
		chromedp.SendKeys(chromedp.CSS(`#dob-year`), "1969"), chromedp.SendKeys(chromedp.CSS(`#phone`), "402-555-0177"))
	f.submit("desk-book")
	f.check("desk visit", "/desk/visit/")
	visit := get(b, "visit number", chromedp.AttributeValue(chromedp.CSS(`[data-testid=desk-visit]`), "data-visit")).Value
	db := openDB(t, a.DB)
	if _, err := db.Exec(`UPDATE appointments SET status = 'failed' WHERE visit_number = $1`, visit); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE outbox SET delivered_at = NULL, failed_at = $1, last_error = 'rejected: Scheduling.New: the time is taken'
		WHERE visit_number = $2 AND kind = 'New'`, time.Now().Unix(), visit); err != nil {
		t.Fatal(err)
	}
	// Its confirmation email, refused for good by the mail server, as the mail worker records one.
	if _, err := db.Exec(`INSERT INTO outbox (kind, visit_number, lane, created_at, next_attempt_at, attempts, failed_at, last_error)
		VALUES ('EmailConfirm', $1, 'email', $2, $2, 1, $2, 'rejected: smtp sending SMTP RCPT TO command: 550 5.1.1')`, visit, time.Now().Unix()); err != nil {
		t.Fatal(err)
	}

	b.run("the list", chromedp.Navigate(a.URL+"/desk/attention"))
	f.check("attention", "/desk/attention")
	if n := get(b, "count", chromedp.AttributeValue(chromedp.CSS(`[data-testid=nav-attention]`), "data-count")).Value; n != "3" {
		t.Errorf("the navigation counts %s, want 3", n)
	}
	failed := `[data-testid=attention-failed] [data-visit="` + visit + `"]`
	if text := get(b, "the refused booking", chromedp.Text(chromedp.CSS(failed))); !strings.Contains(text, "Iris Abara") || !strings.Contains(text, "the time is taken") {
		t.Errorf("the refused booking's item: %q", text)
	}
	email := `[data-testid=attention-email] [data-visit="` + visit + `"]`
	if text := get(b, "the refused email", chromedp.Text(chromedp.CSS(email))); !strings.Contains(text, "Iris Abara") || !strings.Contains(text, "550 5.1.1") {
		t.Errorf("the refused email's item: %q", text)
	}
	inbound := `[data-testid=attention-inbound] [data-testid=attention-item]`

	b.navigate("resolve without a note", chromedp.Click(chromedp.CSS(inbound+` [data-testid=resolve] button`)))
	f.check("attention, note refused", "/desk/attention")
	if n := get(b, "note error", chromedp.Nodes(chromedp.CSS(inbound+` .err`), chromedp.AtLeast(0))); len(n) != 1 {
		t.Error("no error beside the empty note")
	}
	b.run("a note", chromedp.SendKeys(chromedp.CSS(inbound+` textarea`), "Block is a staff meeting next year: nothing to do."))
	b.navigate("resolve", chromedp.Click(chromedp.CSS(inbound+` [data-testid=resolve] button`)))
	f.check("attention, resolved", "/desk/attention")
	if n := get(b, "inbound left", chromedp.Nodes(chromedp.CSS(inbound), chromedp.AtLeast(0))); len(n) != 0 {
		t.Error("the resolved change is still listed")
	}

	b.run("a note on the email", chromedp.SendKeys(chromedp.CSS(email+` textarea`), "Called Iris: no email address on file, told her the time."))
	b.navigate("resolve the email", chromedp.Click(chromedp.CSS(email+` [data-testid=resolve] button`)))
	f.check("attention, email resolved", "/desk/attention")

	b.navigate("send again", chromedp.Click(chromedp.CSS(failed+` [data-testid=retry] button`)))
	f.check("attention, sent again", "/desk/attention")
	if n := get(b, "empty", chromedp.Nodes(chromedp.CSS(`[data-testid=attention-empty]`), chromedp.AtLeast(0))); len(n) != 1 {
		t.Errorf("after sending again the list is not empty: %s", get(b, "main", chromedp.Text(chromedp.CSS(`main`))))
	}
	if n := countRows(t, a.DB, `SELECT count(*) FROM appointments WHERE visit_number = $1 AND status = 'booked'`, visit); n != 1 {
		t.Error("the booking sent again is not booked")
	}
	if n := countRows(t, a.DB, `SELECT count(*) FROM audit WHERE action IN ('retry', 'resolve') AND actor LIKE 'staff:%'`); n != 3 {
		t.Errorf("%d audit rows for the retry and the two resolutions, want 3", n)
	}
}
