package web

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
)

var admin = booking.Actor{Kind: "staff", Session: "staff:1"}

// newKiosk creates a kiosk at east and returns it with its enrollment code.
func (a *app) newKiosk(name string) (booking.Kiosk, string) {
	a.t.Helper()
	k, code, err := a.svc.CreateKiosk(t0ctx, name, "east", admin)
	if err != nil {
		a.t.Fatal(err)
	}
	return k, code
}

// enroll makes this browser the kiosk of code.
func (a *app) enroll(code string) {
	a.t.Helper()
	a.get("/kiosk")
	wantRedirect(a.t, a.post("/kiosk/enroll", url.Values{"code": {code}}), "/kiosk")
}

// kioskCookie is a cookie the browser sends to /kiosk.
func (a *app) kioskCookie(name string) *http.Cookie {
	u, _ := url.Parse(a.ts.URL + "/kiosk/")
	for _, c := range a.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// walkIn takes the kiosk from the reason (a cold) to the details of its first open time, and
// returns the details page.
func (a *app) walkIn() response {
	a.t.Helper()
	wantStatus(a.t, a.get("/kiosk"), http.StatusOK)
	wantRedirect(a.t, a.post("/kiosk/reason", url.Values{"reason": {"cold-flu"}}), "/kiosk/times")
	times := a.get("/kiosk/times")
	wantStatus(a.t, times, http.StatusOK)
	slot, ok := times.doc.Find("[data-testid=time]").First().Attr("value")
	if !ok {
		a.t.Fatalf("no open time on the kiosk:\n%s", excerpt(times.body))
	}
	wantRedirect(a.t, a.post("/kiosk/times", url.Values{"slot": {slot}}), "/kiosk/details")
	details := a.get("/kiosk/details")
	wantStatus(a.t, details, http.StatusOK)
	for _, r := range []response{times, details} {
		if r.doc.Find("[data-testid=lang-switch] a[lang=es]").Length() != 1 {
			a.t.Errorf("%s has no language switch", r.Request.URL.Path)
		}
	}
	return details
}

// bookWalkIn books the walk-in's held time from the details page and returns the done page.
func (a *app) bookWalkIn(details response) (booking.Appointment, response) {
	a.t.Helper()
	key, _ := details.doc.Find("input[name=key]").Attr("value")
	form := validDetails()
	form.Set("key", key)
	res := a.post("/kiosk/details", form)
	wantStatus(a.t, res, http.StatusSeeOther)
	to := res.Header.Get("Location")
	vn, ok := strings.CutPrefix(to, "/kiosk/done/")
	if !ok {
		a.t.Fatalf("booking went to %q, want the done screen", to)
	}
	appt, err := a.svc.Appointment(t0ctx, vn)
	if err != nil {
		a.t.Fatal(err)
	}
	return appt, a.get(to)
}

// TestKioskEnrollment: a browser without the device cookie sees the enrollment form and
// nothing else; a wrong code is refused; the right one makes the browser the kiosk, once;
// a revoke sends the tablet back to the enrollment form at its next request.
func TestKioskEnrollment(t *testing.T) {
	a := newApp(t)
	k, code := a.newKiosk("Lobby")
	start := a.get("/kiosk")
	wantStatus(t, start, http.StatusOK)
	if start.doc.Find("[data-testid=enroll-form]").Length() != 1 || start.doc.Find("[data-testid=walk-in]").Length() != 0 {
		t.Fatalf("an unenrolled browser's /kiosk is not the enrollment form alone:\n%s", excerpt(start.body))
	}
	checkPage(t, "kiosk enrollment", start)
	wrong := a.post("/kiosk/enroll", url.Values{"code": {"AAAA-AAAA"}})
	wantStatus(t, wrong, http.StatusUnprocessableEntity)
	if a.kioskCookie(kioskDeviceCookie) != nil || wrong.doc.Find("#code-error").Length() != 1 {
		t.Error("a wrong code gave a device cookie, or no message beside the code")
	}
	a.enroll(strings.ToLower(strings.ReplaceAll(code, "-", " "))) // typed loosely
	if r := a.get("/kiosk"); r.doc.Find("[data-testid=walk-in]").Length() == 0 {
		t.Fatalf("the enrolled kiosk does not start the flow:\n%s", excerpt(r.body))
	}
	dev := a.kioskCookie(kioskDeviceCookie)
	if dev == nil || dev.Value == "" {
		t.Fatal("no device cookie")
	}
	other := a.browser()
	other.get("/kiosk")
	wantStatus(t, other.post("/kiosk/enroll", url.Values{"code": {code}}), http.StatusUnprocessableEntity)
	// A forged device cookie (another kiosk id, the same signature) is nobody.
	forged := a.browser()
	u, _ := url.Parse(a.ts.URL + "/kiosk")
	parts := strings.Split(dev.Value, ".")
	forged.client.Jar.SetCookies(u, []*http.Cookie{{Name: kioskDeviceCookie, Value: "99." + parts[1] + "." + parts[2], Path: "/kiosk"}})
	if r := forged.get("/kiosk"); r.doc.Find("[data-testid=enroll-form]").Length() != 1 {
		t.Error("a forged device cookie opened the kiosk")
	}
	if err := a.svc.RevokeKiosk(t0ctx, k.ID, admin); err != nil {
		t.Fatal(err)
	}
	r := a.get("/kiosk/times")
	wantStatus(t, r, http.StatusUnauthorized)
	if r.doc.Find("[data-testid=enroll-form]").Length() != 1 || a.kioskCookie(kioskDeviceCookie) != nil {
		t.Error("a revoked kiosk still works, or keeps its device cookie")
	}
}

// TestKioskEnrollmentLocksOut: after 5 wrong codes from one address, even the right code is
// refused for a while.
func TestKioskEnrollmentLocksOut(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.get("/kiosk")
	for range 5 {
		wantStatus(t, a.post("/kiosk/enroll", url.Values{"code": {"AAAA-AAAA"}}), http.StatusUnprocessableEntity)
	}
	wantStatus(t, a.post("/kiosk/enroll", url.Values{"code": {code}}), http.StatusUnprocessableEntity)
	a.now = a.now.Add(16 * time.Minute)
	a.enroll(code)
}

// TestKioskBooksAWalkIn: the whole flow on booking.Service; the appointment, the audit log
// and the desk's day say it was the kiosk; the done screen's slip has the code and a QR code
// but nothing of the reason or the patient; the session keeps nothing of them.
func TestKioskBooksAWalkIn(t *testing.T) {
	a := newApp(t)
	k, code := a.newKiosk("Lobby tablet")
	a.enroll(code)
	details := a.walkIn()
	checkPage(t, "kiosk details", details)
	details.doc.Find("input").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if typ, _ := s.Attr("type"); typ == "hidden" {
			return
		}
		if ac, _ := s.Attr("autocomplete"); ac != "off" {
			t.Errorf("details field %s: autocomplete=%q, want off", name, ac)
		}
	})
	appt, done := a.bookWalkIn(details)
	wantStatus(t, done, http.StatusOK)
	checkPage(t, "kiosk done", done)
	if got := done.Header.Get("Refresh"); got != "35; url=/kiosk" {
		t.Errorf("done screen Refresh %q, want the start after 35 s (without script)", got)
	}
	if appt.Kiosk != "Lobby tablet" || appt.Patient.LastName != "Doe" {
		t.Errorf("appointment kiosk %q patient %q; want the kiosk's name and the walk-in", appt.Kiosk, appt.Patient.LastName)
	}
	slip := done.doc.Find("[data-testid=slip]")
	if got := strings.TrimSpace(slip.Find("[data-testid=code]").Text()); got != appt.Code {
		t.Errorf("slip code %q, want %q", got, appt.Code)
	}
	if n := slip.Find("svg[data-testid=qr] path").Length(); n != 1 {
		t.Errorf("the slip's QR code has %d paths, want one", n)
	}
	for _, secret := range []string{"Cold", "cold", "Doe", "Jane", "555"} {
		if strings.Contains(slip.Text(), secret) {
			t.Errorf("the slip says %q: no reason or personal detail belongs on it", secret)
		}
	}
	entries, err := a.db.AuditEntries(t0ctx, appt.VisitNumber)
	if err != nil || len(entries) == 0 || entries[0].Action != booking.AuditBook || entries[0].Actor.Kind != booking.ActorKiosk ||
		entries[0].Actor.Session != booking.KioskActor(k.ID) || entries[0].Detail != "Lobby tablet" {
		t.Errorf("audit = %+v, %v; want the booking under the kiosk, named", entries, err)
	}
	// The desk's day names the kiosk beside the visit.
	desk := a.browser()
	desk.addStaff("dana@clinic.example", booking.RoleDesk)
	wantRedirect(t, desk.signIn("dana@clinic.example", deskPassword), "/desk")
	day := desk.get("/desk?location=east&date=" + appt.Start.In(a.srv.clinic.LocationOf(appt.Location).Zone()).Format(time.DateOnly))
	if got := day.doc.Find("[data-testid=source]").Text(); got != "kiosk: Lobby tablet" {
		t.Errorf("day view source %q, want %q", got, "kiosk: Lobby tablet")
	}
	// The session keeps the visit number for the done screen, and nothing else of the person.
	if w := kioskWizard(t, a); !reflect.DeepEqual(w, Wizard{Booked: []string{appt.VisitNumber}}) {
		t.Errorf("the kiosk session after the booking holds %+v; want only the visit number", w)
	}
	// Back on the kiosk, nothing of the walk-in: the flow starts afresh.
	if r := a.get("/kiosk/details"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after the booking /kiosk/details answers %d, want a redirect", r.StatusCode)
	}
	if r := a.get("/kiosk"); strings.Contains(r.body, "Jane") || strings.Contains(r.body, "Doe") {
		t.Error("the start screen after a booking shows the last person's details")
	}
}

// TestKioskRedFlagStops: a red-flag reason goes to the urgent advice with "tell the front
// desk now", and nothing can be booked.
func TestKioskRedFlagStops(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	wantRedirect(t, a.post("/kiosk/reason", url.Values{"reason": {booking.ReasonOther}, "other": {"crushing chest pain"}}), "/kiosk/urgent")
	u := a.get("/kiosk/urgent")
	wantStatus(t, u, http.StatusOK)
	if u.doc.Find("[data-testid=tell-desk]").Length() != 1 {
		t.Errorf("the urgent screen does not send the person to the front desk:\n%s", excerpt(u.body))
	}
	wantRedirect(t, a.get("/kiosk/times"), "/kiosk")
}

// TestKioskSession: the walk-in's session has its own cookie scoped to /kiosk with a Max-Age
// of 90 seconds; the server forgets it 90 seconds after the last request (each request
// restarts them); every kiosk answer is no-store; the reset ends the session and lets the
// held time go.
func TestKioskSession(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	wantRedirect(t, a.post("/kiosk/reason", url.Values{"reason": {"cold-flu"}}), "/kiosk/times")
	if a.cookie(kioskSessionName) != "" {
		t.Error("the kiosk's session cookie is sent outside /kiosk")
	}
	res := a.get("/kiosk/times")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("kiosk page Cache-Control %q, want no-store", cc)
	}
	var maxAge int
	for _, ck := range res.Cookies() {
		if ck.Name == kioskSessionName {
			maxAge = ck.MaxAge
			if ck.Path != "/kiosk" {
				t.Errorf("kiosk session cookie path %q, want /kiosk", ck.Path)
			}
		}
	}
	if maxAge != 90 {
		t.Errorf("kiosk session cookie Max-Age %d, want 90", maxAge)
	}
	a.now = a.now.Add(80 * time.Second)
	wantStatus(t, a.get("/kiosk/times"), http.StatusOK) // 80 s idle: alive, and restarted
	a.now = a.now.Add(80 * time.Second)
	wantStatus(t, a.get("/kiosk/times"), http.StatusOK)
	a.now = a.now.Add(91 * time.Second)
	wantRedirect(t, a.get("/kiosk/times"), "/kiosk") // forgotten: the reason is gone

	details := a.walkIn()
	if _, err := a.svc.CurrentHold(t0ctx, sessionIDOf(t, a), false); err != nil {
		t.Fatalf("no hold while on the details: %v", err)
	}
	held := sessionIDOf(t, a)
	reset := a.post("/kiosk/reset", nil)
	wantRedirect(t, reset, "/kiosk")
	if cc := reset.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("reset Cache-Control %q, want no-store", cc)
	}
	if _, err := a.svc.CurrentHold(t0ctx, held, false); booking.ErrorCode(err) != booking.CodeNotFound {
		t.Errorf("the hold outlived the reset: %v", err)
	}
	if a.kioskCookie(kioskSessionName) != nil {
		t.Error("the reset left the session cookie")
	}
	_ = details
	if r := a.get("/kiosk/details"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after the reset /kiosk/details answers %d, want a redirect to the start", r.StatusCode)
	}
}

// kioskWizard is what the browser's kiosk session keeps.
func kioskWizard(t *testing.T, a *app) Wizard {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/kiosk", nil)
	req.AddCookie(a.kioskCookie(kioskSessionName))
	sess, err := a.srv.sessions.Get(req, kioskSessionName)
	if err != nil || sess.IsNew {
		t.Fatalf("kiosk session not found: %v", err)
	}
	w, _ := sess.Values[wizardKey].(Wizard)
	return w
}

// sessionIDOf is the server-side id of the browser's kiosk session.
func sessionIDOf(t *testing.T, a *app) string {
	t.Helper()
	ck := a.kioskCookie(kioskSessionName)
	if ck == nil {
		t.Fatal("no kiosk session")
	}
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/kiosk", nil)
	req.AddCookie(ck)
	sess, err := a.srv.sessions.Get(req, kioskSessionName)
	if err != nil || sess.IsNew {
		t.Fatalf("kiosk session not found: %v", err)
	}
	return sess.ID
}

// TestKioskStaysInTheKiosk: a kiosk browser, after booking, cannot open the desk, nor the
// appointment's manage or confirmation pages (the kiosk's session never reaches them).
func TestKioskStaysInTheKiosk(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	appt, _ := a.bookWalkIn(a.walkIn())
	if r := a.get("/desk"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/desk/login") {
		t.Errorf("a kiosk opened /desk: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	// Every desk, manage and confirmation page, walked from echo's route table, with this
	// visit's number where a route names one.
	for _, r := range a.srv.echo.Routes() {
		if r.Method != http.MethodGet || !(strings.HasPrefix(r.Path, pathDesk) || strings.HasPrefix(r.Path, pathManage) ||
			strings.HasPrefix(r.Path, "/booked/")) || r.Path == pathDeskLogin || r.Path == pathManage || r.Path == pathManageLink {
			continue
		}
		p := strings.ReplaceAll(r.Path, ":visit", appt.VisitNumber)
		if res := a.get(p); res.StatusCode == http.StatusOK {
			t.Errorf("a kiosk opened %s", p)
		}
	}
	// Nor another kiosk session's done screen.
	other := a.browser()
	u, _ := url.Parse(a.ts.URL + "/kiosk")
	other.client.Jar.SetCookies(u, []*http.Cookie{a.kioskCookie(kioskDeviceCookie)})
	if r := other.get("/kiosk/done/" + appt.VisitNumber); r.StatusCode != http.StatusNotFound {
		t.Errorf("another session on the kiosk opened the done screen: %d", r.StatusCode)
	}
}

// TestKioskHoldsCountPerKiosk: the cap on live holds counts per kiosk, not per address: a
// kiosk at its cap is refused while another kiosk (and a patient) on the same address hold.
func TestKioskHoldsCountPerKiosk(t *testing.T) {
	a := newApp(t)
	_, codeA := a.newKiosk("A")
	_, codeB := a.newKiosk("B")
	a.enroll(codeA)
	device := a.kioskCookie(kioskDeviceCookie)
	u, _ := url.Parse(a.ts.URL + "/kiosk")
	for i := range booking.DefaultHoldsPerClient + 1 {
		walkIn := a.browser() // a new walk-in on kiosk A: the device, a new session
		walkIn.client.Jar.SetCookies(u, []*http.Cookie{device})
		walkIn.get("/kiosk")
		wantRedirect(t, walkIn.post("/kiosk/reason", url.Values{"reason": {"cold-flu"}}), "/kiosk/times")
		times := walkIn.get("/kiosk/times")
		slot, _ := times.doc.Find("[data-testid=time]").Eq(i).Attr("value")
		res := walkIn.post("/kiosk/times", url.Values{"slot": {slot}})
		if i < booking.DefaultHoldsPerClient {
			wantRedirect(t, res, "/kiosk/details")
		} else if res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("hold %d on kiosk A: %d, want 429 (its cap)", i+1, res.StatusCode)
		}
	}
	b := a.browser()
	b.enroll(codeB)
	b.walkIn() // kiosk B, same address: holds
}

// TestDeskKiosks: an admin creates a kiosk and sees its code once; the code enrolls a tablet;
// a new code and a revoke work from the list; desk staff who are not admins cannot see it.
func TestDeskKiosks(t *testing.T) {
	a := newApp(t)
	a.addStaff("ada@clinic.example", booking.RoleAdmin)
	wantRedirect(t, a.signIn("ada@clinic.example", deskPassword), "/desk")
	empty := a.get("/desk/kiosks")
	wantStatus(t, empty, http.StatusOK)
	checkPage(t, "kiosks", empty)
	bad := a.post("/desk/kiosks", url.Values{"name": {""}, "location": {"east"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	created := a.post("/desk/kiosks", url.Values{"name": {"Lobby"}, "location": {"east"}})
	wantStatus(t, created, http.StatusOK)
	issued := created.doc.Find("[data-testid=kiosk-code]").Text()
	code := ""
	for _, w := range strings.Fields(issued) {
		if w = strings.TrimSuffix(w, "."); len(w) == 9 && w[4] == '-' {
			code = w
		}
	}
	if code == "" {
		t.Fatalf("no code shown: %q", issued)
	}
	if again := a.get("/desk/kiosks"); strings.Contains(again.body, code) {
		t.Error("the code is shown again")
	}
	tablet := a.browser()
	tablet.enroll(code)
	id, _ := a.get("/desk/kiosks").doc.Find("[data-testid=kiosk]").Attr("data-id")
	wantRedirect(t, a.post("/desk/kiosks/"+id+"/revoke", nil), "/desk/kiosks")
	if r := tablet.get("/kiosk"); r.doc.Find("[data-testid=enroll-form]").Length() != 1 {
		t.Error("the revoked tablet still opens the kiosk")
	}
	entries, err := a.svc.SearchAudit(t0ctx, booking.AuditFilter{Action: booking.AuditKioskRevoke})
	if err != nil || len(entries) != 1 || entries[0].Detail != "Lobby" {
		t.Errorf("revoke audit = %+v, %v", entries, err)
	}
	clerk := a.browser()
	clerk.addStaff("dana@clinic.example", booking.RoleDesk)
	wantRedirect(t, clerk.signIn("dana@clinic.example", deskPassword), "/desk")
	if r := clerk.get("/desk/kiosks"); r.StatusCode != http.StatusForbidden {
		t.Errorf("desk staff open the kiosks: %d, want 403", r.StatusCode)
	}
}

// TestKioskPostsLimitedPerKiosk: a kiosk's POSTs are limited per kiosk, not per address: a
// kiosk past its allowance is refused while another on the same address goes on.
func TestKioskPostsLimitedPerKiosk(t *testing.T) {
	a := newApp(t, func(c *Config) { c.BookingRate, c.BookingBurst = 0.001, 3 })
	_, codeA := a.newKiosk("A")
	_, codeB := a.newKiosk("B")
	a.enroll(codeA)
	b := a.browser()
	b.enroll(codeB)
	for i := range 4 {
		res := a.post("/kiosk/reason", url.Values{"reason": {"cold-flu"}})
		if i < 3 {
			wantRedirect(t, res, "/kiosk/times")
		} else if res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("kiosk A's POST %d: %d, want 429", i+1, res.StatusCode)
		}
	}
	wantRedirect(t, b.post("/kiosk/reason", url.Values{"reason": {"cold-flu"}}), "/kiosk/times")
}
