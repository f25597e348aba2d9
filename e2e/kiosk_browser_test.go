package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// kioskCodePattern finds the demo kiosk's enrollment code in the line `doorway serve` prints.
var kioskCodePattern = regexp.MustCompile(`enrollment code ([0-9A-Z]{4}-[0-9A-Z]{4})`)

// TestBrowserKiosk: in Chromium on a 1024 × 768 touch tablet, the demo kiosk is set up with
// the code the demo printed at start, and walk-ins book by taps alone: from the first screen
// ("Next available today", a sick-visit time, then what brings them in, their details, the
// done screen and its slip, whose QR code opens the appointment in another browser), and by
// "something else" (a reason with two visit types, a time). The front desk's day names the
// kiosk beside the visit. Every kiosk control is at least 48 × 48 px, every kiosk page passes
// axe and its language checks in English and in Spanish. Left alone, a screen warns after 60
// seconds (Continue keeps the person), resets at 90 (the held time let go, Back returns
// nothing of what was typed, the old session's cookie is dead on the server), and the done
// screen starts over after 30. A red flag stops at the urgent advice. A revoked kiosk gets the
// enrollment form. Without JavaScript the same taps book. The clocks are the page's own: the
// test moves Date.now forward rather than waiting.
func TestBrowserKiosk(t *testing.T) {
	chromiumPath(t)
	a := startDemo(t, launch{})
	m := kioskCodePattern.FindStringSubmatch(a.Printed("kiosk:"))
	if m == nil {
		t.Fatalf("the demo printed no kiosk enrollment code: %q", a.Printed("kiosk:"))
	}
	code := m[1]

	for _, tc := range []struct {
		name  string
		jsOff bool
		lang  string
	}{
		{"tablet", false, "es"},
		{"tablet without JavaScript", true, "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newTablet(t, tc.jsOff)
			f := &flow{b: b, base: a.URL, axe: !tc.jsOff, lang: tc.lang, switchAt: "kiosk start", width: 1024}
			b.run("open the kiosk", chromedp.Navigate(a.URL+"/kiosk"))
			f.check("kiosk enrollment", "/kiosk")
			targets(t, b, "kiosk enrollment")
			if tc.jsOff { // the code works once: the first run used it; a new one comes from the desk
				code = newKioskCode(t, a)
			}
			b.run("type the code", chromedp.SendKeys(chromedp.CSS(`#code`), strings.ToLower(code)))
			tap(b, "enroll", `[data-testid=enroll-form] button[type=submit]`)
			f.check("kiosk start", "/kiosk")
			targets(t, b, "kiosk start")

			visit := walkInNext(t, f, "Nakamura")
			if tc.jsOff {
				// Revoked at the desk, the tablet gets the enrollment form at its next tap.
				revokeKiosk(t, a)
				b.run("the start", chromedp.Navigate(a.URL+"/kiosk"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=enroll-form]`)))
				return
			}
			// The slip's QR code opens the appointment on a phone (another browser).
			slip := slipCode(t, b)
			svg := get(b, "the QR code", chromedp.Evaluate[string](`document.querySelector('[data-testid=qr]').outerHTML`))
			link := decodeQR(t, svg)
			if !strings.HasPrefix(link, a.URL+"/m/") {
				t.Fatalf("the QR code reads %q, want a manage link of %s", link, a.URL)
			}
			phone := newBrowser(t, 390, 844, false)
			pf := &flow{b: phone, base: a.URL, axe: true, lang: "en", width: 390}
			phone.run("scan the slip", chromedp.Navigate(link))
			pf.check("the appointment from the slip", "/manage/")
			if txt := get(phone, "manage page", chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(txt, slip) {
				t.Errorf("the scanned link's page does not show the slip's code %s", slip)
			}

			// The done screen starts over by itself after 30 seconds, in the browser's language.
			later(b, 31)
			b.run("the start again", chromedp.WaitVisible(chromedp.CSS(`[data-testid=something-else]`)))
			f.switched = false // the next person starts in the browser's language, not the last one's
			// Back from the new start reaches nothing of the booking: not the slip, not the details.
			b.run("back after the done screen", chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`h1`)))
			if txt := get(b, "page", chromedp.OuterHTML(chromedp.CSS(`html`))); strings.Contains(txt, slip) || strings.Contains(txt, "Nakamura") {
				t.Errorf("Back after the done screen started over shows the last booking (%s)", get(b, "where", chromedp.Location()))
			}
			b.run("the start", chromedp.Navigate(a.URL+"/kiosk"))
			f.check("kiosk start (English)", "/kiosk")

			// The front desk's day names the kiosk beside the visit.
			deskDay(t, a, visit)

			// In English, by "something else": the reason, the visit type, a time, the done screen.
			walkInReason(t, f, "en")
			walkInDetails(t, f, "Okafor", " (English)")
			later(b, 31)
			b.run("the start again", chromedp.WaitVisible(chromedp.CSS(`[data-testid=something-else]`)))

			// In Spanish, left alone on the details: the warning at 60 s, Continue, the reset at 90 s.
			tapLanguage(f)
			walkInReason(t, f, "es")
			b.run("type a name", chromedp.SendKeys(chromedp.CSS(`#first_name`), "Dolores"))
			if n := countRows(t, a.DB, `SELECT count(*) FROM holds`); n != 1 {
				t.Fatalf("%d holds while typing, want 1", n)
			}
			old := kioskCookies(t, b, a.URL)
			if st := replay(t, a.URL+"/kiosk/details", old); st != http.StatusOK {
				t.Fatalf("the live session's cookie from another client: %d, want 200 (the test's replay works)", st)
			}
			before := sessionIDs(t, a.DB)
			later(b, 61)
			b.run("the warning", chromedp.WaitVisible(chromedp.CSS(`[data-testid=idle-warning]`)))
			f.check("kiosk idle warning", "/kiosk/details")
			targets(t, b, "kiosk idle warning")
			b.run("continue", chromedp.Tap(chromedp.CSS(`[data-idle-continue]`)),
				chromedp.WaitNotVisible(chromedp.CSS(`[data-testid=idle-warning]`)))
			if v := get(b, "the name typed", chromedp.Value(chromedp.CSS(`#first_name`))); v != "Dolores" {
				t.Errorf("after Continue the name is %q, want it kept", v)
			}
			later(b, 91)
			b.run("the reset", chromedp.WaitVisible(chromedp.CSS(`[data-testid=something-else]`)))
			waitFor(t, "the hold let go", func() bool { return countRows(t, a.DB, `SELECT count(*) FROM holds`) == 0 })
			b.run("back", chromedp.NavigateBack())
			b.run("wait", chromedp.WaitVisible(chromedp.CSS(`h1`)))
			if loc := get(b, "where", chromedp.Location()); !strings.HasSuffix(loc, "/kiosk") {
				t.Errorf("Back after the reset went to %s, want the start", loc)
			}
			if txt := get(b, "page", chromedp.OuterHTML(chromedp.CSS(`html`))); strings.Contains(txt, "Dolores") {
				t.Error("Back after the reset shows what the last person typed")
			}
			if st := replay(t, a.URL+"/kiosk/details", old); st != http.StatusSeeOther {
				t.Errorf("the reset session's cookie still opens the details: %d, want a redirect (dead on the server)", st)
			}
			after := sessionIDs(t, a.DB)
			if !slices.ContainsFunc(before, func(id string) bool { return !slices.Contains(after, id) }) {
				t.Error("no session was deleted from the database by the reset: the old cookie's session lives on")
			}

			// A red flag stops at the urgent advice, in English and in Spanish.
			f.switched = false
			for _, lang := range []string{"en", "es"} {
				if lang == "es" {
					tapLanguage(f)
				}
				tap(b, "something else", `[data-testid=something-else]`)
				f.check("kiosk reason ("+lang+", red flag)", "/kiosk/reason")
				b.run("type a red flag", chromedp.SendKeys(chromedp.CSS(`#other`), "crushing chest pain"))
				tap(b, "next", `[data-testid=other-reason] button[type=submit]`)
				f.check("kiosk urgent ("+lang+")", "/kiosk/urgent")
				targets(t, b, "kiosk urgent")
				tap(b, "start over", `[data-testid=start-over] button`)
				f.switched = false
			}

		})
	}
}

// newTablet is a 1024 × 768 browser with touch emulation: the kiosk's controls are tapped (touch
// events), as a walk-in's finger would.
func newTablet(t *testing.T, jsOff bool) *browser {
	b := newBrowser(t, 1024, 768, jsOff)
	b.run("touch", chromedp.EmulateViewport(1024, 768, chromedp.EmulateTouch))
	if _, err := chromedp.Call(b.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}); err != nil {
		t.Fatalf("touch emulation: %v", err)
	}
	return b
}

// tapLanguage taps the language switch to the flow's language, on the kiosk's start.
func tapLanguage(f *flow) {
	f.b.t.Helper()
	f.switched = true
	tap(f.b, "switch to "+f.lang, `[data-testid="lang-switch"] a[lang="`+f.lang+`"]`)
	f.check("kiosk start ("+f.lang+")", "/kiosk")
}

// tap taps the element sel (a touch, not a click) and waits for the page it leads to.
func tap(b *browser, what, sel string) {
	b.t.Helper()
	b.navigate(what, chromedp.Tap(chromedp.CSS(sel)))
}

// walkInNext books from the first screen by taps: the first sick-visit time, a cold as what
// brings the person in (the sick visit's reasons), the details; it checks each screen and
// returns the visit number.
func walkInNext(t *testing.T, f *flow, last string) string {
	b := f.b
	tap(b, "the first sick-visit time", `[data-testid=walk-in] form:has(input[name=visit_type][value=SICK]) [data-testid=time]`)
	f.check("kiosk reason for the time", "/kiosk/reason")
	targets(t, b, "kiosk reason for the time")
	tap(b, "a cold", `[data-testid=reasons] button[value=cold-flu]`)
	return walkInDetails(t, f, last, "")
}

// walkInReason goes from the start by "something else": a reason with two visit types, the
// first of them, the first time; it stops on the details.
func walkInReason(t *testing.T, f *flow, lang string) {
	b := f.b
	tap(b, "something else", `[data-testid=something-else]`)
	f.check("kiosk reason ("+lang+")", "/kiosk/reason")
	targets(t, b, "kiosk reason")
	tap(b, "knee pain", `[data-testid=reasons] button[value=knee-pain]`)
	f.check("kiosk visit type ("+lang+")", "/kiosk/visit-type")
	targets(t, b, "kiosk visit type")
	tap(b, "the first visit type", `[data-testid=visit-types] button`)
	f.check("kiosk times ("+lang+")", "/kiosk/times")
	targets(t, b, "kiosk times")
	tap(b, "the first time", `[data-testid=time]`)
	f.check("kiosk details ("+lang+")", "/kiosk/details")
}

// walkInDetails types the details on the details screen, books by a tap, and checks the done
// screen; it returns the visit number.
func walkInDetails(t *testing.T, f *flow, last, suffix string) string {
	b := f.b
	f.check("kiosk details"+suffix, "/kiosk/details")
	targets(t, b, "kiosk details")
	b.run("type details",
		chromedp.SendKeys(chromedp.CSS(`#first_name`), "Lena"),
		chromedp.SendKeys(chromedp.CSS(`#last_name`), last),
		chromedp.SendKeys(chromedp.CSS(`#dob-month`), "3"),
		chromedp.SendKeys(chromedp.CSS(`#dob-day`), "9"),
		chromedp.SendKeys(chromedp.CSS(`#dob-year`), "1977"),
		chromedp.SendKeys(chromedp.CSS(`#phone`), "402-555-0143"),
	)
	tap(b, "book", `[data-testid=details-form] button[type=submit]`)
	f.check("kiosk done"+suffix, "/kiosk/done/")
	targets(t, b, "kiosk done")
	loc := get(b, "where", chromedp.Location())
	visit := loc[strings.LastIndex(loc, "/")+1:]
	if slipCode(t, b) == "" {
		t.Fatal("no confirmation code on the slip")
	}
	if n := len(get(b, "what to bring", chromedp.Nodes(chromedp.CSS(`[data-testid=bring] li`), chromedp.AtLeast(0)))); n == 0 {
		t.Error("the slip does not say what to bring")
	}
	return visit
}

// kioskCookies are the tablet's cookies for the kiosk (the device and the session).
func kioskCookies(t *testing.T, b *browser, base string) []*http.Cookie {
	t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/kiosk/details"}})
	if err != nil {
		t.Fatal(err)
	}
	var out []*http.Cookie
	for _, c := range res.Cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// replay sends GET url with cookies from another client, following no redirect, and returns
// the status.
func replay(t *testing.T, url string, cookies []*http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// sessionIDs are the ids of the sessions in the database.
func sessionIDs(t *testing.T, path string) []string {
	t.Helper()
	rows, err := openDB(t, path).Query(`SELECT id FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// revokeKiosk revokes the demo kiosk from the desk's list of kiosks.
func revokeKiosk(t *testing.T, a *process) {
	d := newBrowser(t, 1280, 900, false)
	signInDemo(t, d, a)
	d.run("kiosks", chromedp.Navigate(a.URL+"/desk/kiosks"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=kiosks]`)))
	d.navigate("revoke", chromedp.Click(chromedp.CSS(`[data-testid=kiosk] [data-testid=revoke]`)))
}

// slipCode is the confirmation code on the slip.
func slipCode(t *testing.T, b *browser) string {
	return strings.TrimSpace(get(b, "the code", chromedp.Text(chromedp.CSS(`[data-testid=code]`))))
}

// targets fails for every visible control on the kiosk page (the header's too: the clinic's
// name and the language switch) smaller than 48 × 48 CSS px.
func targets(t *testing.T, b *browser, page string) {
	t.Helper()
	small := get(b, "target sizes", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(
		'a, button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])'))
		.filter(e => e.offsetParent !== null)
		.map(e => [e, e.getBoundingClientRect()])
		.filter(([e, r]) => r.width < 48 || r.height < 48)
		.map(([e, r]) => e.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))`))
	for _, s := range small {
		t.Errorf("%s: a control under 48 × 48 px: %s", page, s)
	}
}

// later moves the page's clock (Date.now, which app.js reads) forward by seconds.
func later(b *browser, seconds int) {
	b.t.Helper()
	b.run("the clock moves on", chromedp.Evaluate[chromedp.Void](`(function (s) {
		var now = Date.now.bind(Date);
		Date.now = function () { return now() + s * 1000; };
	})(`+strconv.Itoa(seconds)+`)`))
}

// waitFor polls ok for up to 10 seconds.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Errorf("%s: not within 10 s", what)
}

// newKioskCode signs in as the demo admin and issues the demo kiosk a new enrollment code from
// the desk's list of kiosks.
func newKioskCode(t *testing.T, a *process) string {
	d := newBrowser(t, 1280, 900, false)
	signInDemo(t, d, a)
	d.run("kiosks", chromedp.Navigate(a.URL+"/desk/kiosks"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=kiosks]`)))
	d.navigate("a new code", chromedp.Click(chromedp.CSS(`[data-testid=kiosk] form button`)))
	m := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(get(d, "the code", chromedp.Text(chromedp.CSS(`[data-testid=kiosk-code]`))))
	if m == "" {
		t.Fatal("the desk showed no new code")
	}
	return m
}

// signInDemo signs the browser in as the demo desk account.
func signInDemo(t *testing.T, d *browser, a *process) {
	d.run("sign in", chromedp.Navigate(a.URL+"/desk/login"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "desk@demo.doorway"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "demo-desk-password"))
	d.navigateWithin("sign in", 90*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="sign-in-form"] button[type="submit"]`)))
}

// deskDay checks that the desk's day of visit names the demo kiosk beside it.
func deskDay(t *testing.T, a *process, visit string) {
	t.Helper()
	var start int64
	if err := openDB(t, a.DB).QueryRow(`SELECT start_unix FROM appointments WHERE visit_number = ?`, visit).Scan(&start); err != nil {
		t.Fatal(err)
	}
	d := newBrowser(t, 1280, 900, false)
	signInDemo(t, d, a)
	day := time.Unix(start, 0).In(clinicZone(t)).Format(time.DateOnly)
	d.run("the visit's day", chromedp.Navigate(a.URL+"/desk?date="+day), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	js := `(function () { var a = document.querySelector('a[href="/desk/visit/` + visit + `"]');
		var s = a && a.closest('li').querySelector('[data-testid=source]'); return s ? s.textContent : ''; })()`
	if got := get(d, "the visit's source", chromedp.Evaluate[string](js)); got != "kiosk: Demo kiosk" {
		t.Errorf("the day shows %q beside the kiosk's visit, want %q", got, "kiosk: Demo kiosk")
	}
}

// decodeQR renders the page's SVG to a PNG (rsvg-convert) and reads the QR code in it
// (zbarimg). Outside CI a missing tool skips the test; with CI=true it fails.
func decodeQR(t *testing.T, svg string) string {
	t.Helper()
	rsvg, err1 := exec.LookPath("rsvg-convert")
	zbar, err2 := exec.LookPath("zbarimg")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("rsvg-convert or zbarimg not found (CI=true): apt-get install -y zbar-tools librsvg2-bin")
		}
		t.Skip("rsvg-convert or zbarimg not found: apt-get install -y zbar-tools librsvg2-bin")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "qr.svg"), filepath.Join(dir, "qr.png")
	if err := os.WriteFile(in, []byte(svg), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(rsvg, "-w", "400", "-h", "400", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("rsvg-convert: %v\n%s", err, b)
	}
	b, err := exec.Command(zbar, "--raw", "-q", out).Output()
	if err != nil {
		t.Fatalf("zbarimg read no code: %v", err)
	}
	return strings.TrimSpace(string(b))
}
