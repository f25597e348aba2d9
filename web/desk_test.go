package web

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"doorway/booking"
)

const deskPassword = "correct horse battery"

var deskHash = sync.OnceValue(func() string {
	h, err := booking.HashPassword(deskPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// addStaff adds a staff account with deskPassword.
func (a *app) addStaff(email, role string) booking.Staff {
	a.t.Helper()
	st, err := a.db.AddStaff(t0ctx, booking.Staff{Email: email, Name: "Dana Desk", Role: role, CreatedAt: a.now}, deskHash())
	if err != nil {
		a.t.Fatal(err)
	}
	return st
}

// signIn posts the sign-in form.
func (a *app) signIn(email, password string) response {
	a.t.Helper()
	a.get("/desk/login")
	return a.post("/desk/login", url.Values{"email": {email}, "password": {password}})
}

func TestSignInAnswersEveryFailureAlike(t *testing.T) {
	a := newApp(t)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	wrong := a.signIn("dana@clinic.example", "not the password")
	unknown := a.signIn("nobody@clinic.example", deskPassword)
	wantStatus(t, wrong, http.StatusUnauthorized)
	if wrong.body != unknown.body {
		t.Error("a wrong password and an unknown email give different pages")
	}
	if strings.Contains(wrong.body, "dana@clinic.example") {
		t.Error("the page echoes the email typed")
	}
	checkPage(t, "sign-in failed", wrong)
	if r := a.get("/desk"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after failed sign-ins the desk answers %d", r.StatusCode)
	}
}

// TestSignInStartsAStaffSession: the session id changes, nothing of the patient's booking
// carries over, and the desk opens; signing out ends it.
func TestSignInStartsAStaffSession(t *testing.T) {
	a := newApp(t)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	a.throughWhen(nil) // a patient's answers in this browser
	before := a.cookie("doorway")
	wantRedirect(t, a.signIn("Dana@Clinic.example ", deskPassword), "/desk")
	if after := a.cookie("doorway"); after == before || after == "" {
		t.Error("the session id did not change at sign-in")
	}
	day := a.get("/desk")
	wantStatus(t, day, http.StatusOK)
	checkPage(t, "day", day)
	if day.doc.Find("[data-testid=day] .day-col").Length() == 0 {
		t.Error("the day view shows no provider")
	}
	if r := a.get("/times"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the patient's answers carried into the staff session: /times %d", r.StatusCode)
	}
	before = a.cookie("doorway")
	wantRedirect(t, a.post("/desk/logout", nil), "/desk/login")
	if a.cookie("doorway") == before {
		t.Error("the session id did not change at sign-out")
	}
	if r := a.get("/desk"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after signing out the desk answers %d", r.StatusCode)
	}
}

// TestDeskRefusesAnyoneElse: a patient session, a JSON client, a disabled account, an idle
// session: none reaches a desk page.
func TestDeskRefusesAnyoneElse(t *testing.T) {
	a := newApp(t)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	a.throughWhen(nil)
	wantRedirect(t, a.get("/desk"), "/desk/login")
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/desk", nil)
	req.Header.Set("Accept", "application/json")
	wantStatus(t, a.do(req), http.StatusUnauthorized)

	wantRedirect(t, a.signIn("dana@clinic.example", deskPassword), "/desk")
	wantStatus(t, a.get("/desk"), http.StatusOK)
	if err := a.db.SetStaffDisabled(t0ctx, "dana@clinic.example", true); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, a.get("/desk"), "/desk/login")
	if r := a.signIn("dana@clinic.example", deskPassword); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled account signs in: %d", r.StatusCode)
	}

	if err := a.db.SetStaffDisabled(t0ctx, "dana@clinic.example", false); err != nil {
		t.Fatal(err)
	}
	b := a.browser()
	wantRedirect(t, b.signIn("dana@clinic.example", deskPassword), "/desk")
	// Working keeps the session: a page every 10 minutes for half an hour.
	for range 3 {
		a.now = a.now.Add(10 * time.Minute)
		wantStatus(t, b.get("/desk"), http.StatusOK)
	}
	// The day view's background look for changes is not work.
	for range 2 {
		a.now = a.now.Add(10 * time.Minute)
		b.get("/desk/changes?since=0")
	}
	wantRedirect(t, b.get("/desk"), "/desk/login") // 20 minutes since the last page
}

// TestSignInIsLimited: an account that failed 5 times is locked for a while, right password
// or not; a client sending many sign-ins is slowed down.
func TestSignInIsLimited(t *testing.T) {
	a := newApp(t, func(c *Config) { c.FindBurst = 100 })
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	for range 5 {
		wantStatus(t, a.signIn("dana@clinic.example", "not the password"), http.StatusUnauthorized)
	}
	if r := a.signIn("dana@clinic.example", deskPassword); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a locked account signs in: %d", r.StatusCode)
	}
	a.now = a.now.Add(16 * time.Minute)
	wantRedirect(t, a.signIn("dana@clinic.example", deskPassword), "/desk")

	c := newApp(t, func(c *Config) { c.FindBurst = 3 })
	for range 3 {
		c.signIn("x@clinic.example", "not the password")
	}
	if r := c.signIn("x@clinic.example", "not the password"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the 4th sign-in in a row from one client: %d, want 429", r.StatusCode)
	}
}

// signedIn is an app with a desk (or admin) account signed in.
func signedIn(t *testing.T, role string, opts ...option) *app {
	a := newApp(t, opts...)
	a.addStaff("dana@clinic.example", role)
	wantRedirect(t, a.signIn("dana@clinic.example", deskPassword), "/desk")
	return a
}

// TestDeskBooksForACaller: one screen (the search, the times, the details), one POST, and the
// visit: booked in the patient's name, audited under the staff member, on the day view, and
// cancelable from there.
func TestDeskBooksForACaller(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	page := a.get("/desk/book?visit_type=SICK&location=north&from=2026-03-02")
	wantStatus(t, page, http.StatusOK)
	checkPage(t, "desk book", page)
	slot := page.doc.Find("[data-testid=desk-book] input[name=slot]").First().AttrOr("value", "")
	key := page.doc.Find("[data-testid=desk-book] input[name=key]").AttrOr("value", "")
	action := page.doc.Find("[data-testid=desk-book]").AttrOr("action", "")
	if slot == "" || key == "" || !strings.HasPrefix(action, "/desk/book?") {
		t.Fatalf("the booking screen: slot %q key %q action %q", slot, key, action)
	}
	bad := a.post(action, url.Values{"key": {key}, "first_name": {"Jane"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	checkPage(t, "desk book with errors", bad)
	if bad.doc.Find("#slot-error").Length() != 1 || bad.doc.Find("#last_name-error").Length() != 1 {
		t.Error("the errors are not beside the time and the last name")
	}
	watch := a.get("/desk?date=2026-03-02&location=north").doc.Find("[data-testid=day]").AttrOr("data-watch", "")
	if !strings.Contains(a.get(watch).body, `"changed":false`) {
		t.Errorf("nothing happened, yet %s says changed", watch)
	}
	form := validDetails()
	form.Set("slot", slot)
	form.Set("key", key)
	r := a.post(action, form)
	if !strings.Contains(a.get(watch).body, `"changed":true`) {
		t.Error("after a booking the day view is not told it changed")
	}
	to := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, "/desk/visit/") {
		t.Fatalf("booking for a caller: %d to %q", r.StatusCode, to)
	}
	vn, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(to, "/desk/visit/"), "?booked=1"))
	visit := a.get(to)
	checkPage(t, "desk visit", visit)
	if visit.doc.Find("[data-testid=desk-visit]").AttrOr("data-status", "") != "booked" || visit.doc.Find("[data-testid=notice]").Length() != 1 {
		t.Errorf("the visit page: %s", visit.doc.Find("main").Text())
	}
	entries, _ := a.db.AuditEntries(t0ctx, vn)
	if len(entries) != 1 || entries[0].Action != booking.AuditBook || !strings.HasPrefix(entries[0].Actor.Session, "staff:") {
		t.Errorf("audit %+v, want the booking under the staff member", entries)
	}
	day := a.get("/desk?date=2026-03-02&location=north")
	if link := day.doc.Find(`[data-testid=day] a[href="/desk/visit/` + vn + `"]`); link.Length() != 1 || !strings.Contains(link.Text(), "Jane Doe") {
		t.Errorf("the day view does not list the visit for Jane Doe")
	}
	wantRedirect(t, a.post("/desk/visit/"+vn+"/cancel", url.Values{"reason": {"conflict"}}), "/desk/visit/"+vn+"?canceled=1")
	if got, _ := a.svc.Appointment(t0ctx, vn); got.Status != booking.StatusCanceled {
		t.Errorf("after the desk's cancel: %s", got.Status)
	}
}

// TestAuditLogIsForAdmins: a desk account is refused; an admin filters the log by action and
// downloads the same rows as CSV.
func TestAuditLogIsForAdmins(t *testing.T) {
	d := signedIn(t, booking.RoleDesk)
	wantStatus(t, d.get("/desk/audit"), http.StatusForbidden)
	wantStatus(t, d.get("/desk/audit.csv"), http.StatusForbidden)

	a := signedIn(t, booking.RoleAdmin)
	a.signIn("nobody@clinic.example", "not the password") // a failed sign-in on the record
	wantRedirect(t, a.signIn("dana@clinic.example", deskPassword), "/desk")
	page := a.get("/desk/audit?action=sign_in_failed")
	wantStatus(t, page, http.StatusOK)
	checkPage(t, "audit", page)
	if n := page.doc.Find("[data-testid=audit] tbody tr").Length(); n != 1 {
		t.Errorf("%d failed sign-ins listed, want 1", n)
	}
	all := a.get("/desk/audit")
	if n := all.doc.Find("[data-testid=audit] tbody tr").Length(); n < 3 {
		t.Errorf("%d entries in all, want the sign-ins and the failure", n)
	}
	csv := a.get("/desk/audit.csv?action=sign_in")
	lines := strings.Split(strings.TrimSpace(csv.body), "\n")
	if csv.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(lines[0], "at_utc,action") || len(lines) != 3 {
		t.Errorf("CSV %q:\n%s", csv.Header.Get("Content-Type"), csv.body)
	}
	if csvSafe("=HYPERLINK(1)") != "'=HYPERLINK(1)" || csvSafe("Mozilla") != "Mozilla" {
		t.Error("a formula in a client value is not defused")
	}
}
