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
	a.now = a.now.Add(16 * time.Minute) // idle past the 15 minutes
	wantRedirect(t, b.get("/desk"), "/desk/login")
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
