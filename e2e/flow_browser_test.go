package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserBooksAnAppointment books end to end in Chromium against the same wiring as
// `go run .` (app + sandbox EHR on loopback): on a phone and a desktop viewport, with
// JavaScript on and off, in English and in Spanish. Every page is checked for one h1, its
// <html lang> and, with JavaScript on, for axe-core WCAG 2.2 AA violations; a screenshot of
// each step is saved in the test's temp dir (or DOORWAY_SCREENSHOTS). One Spanish run
// switches language in the middle of the flow and must keep its answers. Finally the booked
// time must no longer be offered.
func TestBrowserBooksAnAppointment(t *testing.T) {
	chromiumPath(t)
	a := startDemo(t, launch{})
	cases := []struct {
		name          string
		width, height int64
		jsOff         bool
		lang          string
		switchAt      string // the step where the patient switches language ("" at the start)
	}{
		{"phone 320px", 320, 800, false, "en", ""},
		{"desktop in Spanish, switched on the times step", 1280, 900, false, "es", "times"},
		{"phone 360px in Spanish without JavaScript", 360, 800, true, "es", ""},
		{"desktop without JavaScript", 1280, 900, true, "en", ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, tc.width, tc.height, tc.jsOff)
			f := &flow{b: b, base: a.URL, axe: !tc.jsOff, lang: tc.lang, switchAt: tc.switchAt, width: tc.width}
			// Different reasons spread the runs over different times and paths.
			reason := []string{"sports-injury", "knee-pain", "sports-injury", "knee-pain"}[i]
			ref, visit := f.book(reason, []string{"Ada", "Rosa", "Lin", "Sam"}[i])
			// Screens before the first open times: the reason, the visit type when more than
			// one fits, the times.
			if max := 2 + f.typeAsked; f.toTimes > max {
				t.Errorf("the open times came on screen %d, want at most %d", f.toTimes, max)
			}
			// Screens the patient goes through to book: the confirmation is the outcome, not a step.
			if f.screens-1 > 6 {
				t.Errorf("booking took %d screens before the confirmation, want at most 6", f.screens-1)
			}
			t.Logf("booked %s (slot %s) in %d screens + confirmation; screenshots in %s", visit, ref, f.screens-1, b.dir)
			f.searchAgain(reason)
			if html := get(b, "times html", chromedp.OuterHTML(chromedp.CSS(`main`))); strings.Contains(html, `value="`+ref+`"`) {
				t.Errorf("the booked time %s is still offered", ref)
			}
		})
	}
}

// confirmationWords are words every confirmation shows, by language: the zone and the length.
var confirmationWords = map[string][]string{"en": {"Central time", "minutes"}, "es": {"hora del centro", "minutos"}}

// flow drives the booking wizard the way a patient does.
type flow struct {
	b         *browser
	base      string
	axe       bool
	lang      string // the language the patient reads: they pick it with the switch
	switchAt  string // the page on which they pick it; "" for the first
	switched  bool   // pages from now on are in lang; before, in the browser's English
	width     int64  // the viewport's width in CSS pixels
	screens   int    // pages loaded on the way to booking
	toTimes   int    // the screen on which the open times first showed
	typeAsked int    // 1 when the visit-type question was asked
	email     string // the address the patient gives on the details step ("" for none)
}

// page checks the page just loaded (check) and counts it as a screen of the booking.
func (f *flow) page(name, wantPath string) {
	f.b.t.Helper()
	f.check(name, wantPath)
	f.screens++
}

// check checks the page just loaded: its path, its language, one h1, no axe violations; then
// screenshots it.
func (f *flow) check(name, wantPath string) {
	b := f.b
	b.t.Helper()
	b.run("wait for "+name, chromedp.WaitVisible(chromedp.CSS(`h1`)))
	loc := get(b, "location", chromedp.Location())
	u, _ := url.Parse(loc)
	if !strings.HasPrefix(u.Path, wantPath) {
		body := get(b, "body", chromedp.Text(chromedp.CSS(`main`)))
		b.t.Fatalf("%s: at %s, want %s; page says:\n%s", name, loc, wantPath, body)
	}
	if u.RawQuery != "" && strings.ContainsAny(u.RawQuery, "@") {
		b.t.Errorf("%s: query string %q may carry PHI", name, u.RawQuery)
	}
	if name == f.switchAt || (f.switchAt == "" && f.screens == 0) {
		f.switchLanguage(name)
	}
	want := "en" // Chromium asks for en-US
	if f.switched {
		want = f.lang
	}
	if lang := get(b, "html lang", chromedp.AttributeValue(chromedp.CSS(`html`), "lang")); lang.Value != want {
		b.t.Errorf("%s: <html lang=%q>, want %q", name, lang.Value, want)
	}
	if w := get(b, "page width", chromedp.Evaluate[float64](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); w > 0 {
		b.t.Errorf("%s: scrolls sideways by %vpx at %dpx wide", name, w, f.width)
	}
	h1s := get(b, "h1 count", chromedp.Nodes(chromedp.CSS(`h1`)))
	if len(h1s) != 1 {
		b.t.Errorf("%s: %d h1 elements, want 1", name, len(h1s))
	}
	if f.axe {
		for _, v := range b.axeViolations() {
			b.t.Errorf("%s: axe %v (%v): %v %v", name, v["id"], v["impact"], v["help"], v["nodes"])
		}
	}
	b.screenshot(name)
}

func (f *flow) submit(form string) {
	f.b.t.Helper()
	f.b.navigate("submit "+form, chromedp.Click(chromedp.CSS(`[data-testid="`+form+`"] button[type="submit"]`)))
}

// book walks from the reason to the confirmation and returns the slot reference and visit number.
func (f *flow) book(reason, first string) (ref, visit string) {
	b := f.b
	b.t.Helper()
	b.run("open", chromedp.Navigate(f.base+"/"))
	f.page("reason", "/")
	b.run("pick reason", chromedp.Click(chromedp.CSS(`#r-`+reason)))
	f.submit("reason-form")
	if strings.Contains(get(b, "where", chromedp.Location()), "/visit-type") {
		f.page("visit-type", "/visit-type")
		f.typeAsked = 1
		if n := get(b, "seen", chromedp.Nodes(chromedp.CSS(`#seen-yes`), chromedp.AtLeast(0))); len(n) > 0 {
			b.run("seen", chromedp.Click(chromedp.CSS(`#seen-yes`)))
		}
		b.run("pick type", chromedp.Click(chromedp.CSS(`input[name="visit_type"]`)))
		f.submit("visit-type-form")
	}
	f.page("times", "/times")
	f.toTimes = f.screens
	if f.width <= 360 { // the default search on a phone: a week at a glance, not a wall of buttons
		if h := get(b, "times height", chromedp.Evaluate[float64](`document.documentElement.scrollHeight`)); h >= 3000 {
			b.t.Errorf("the times page is %vpx tall at %dpx wide, want under 3000", h, f.width)
		}
	}
	ref = get(b, "soonest ref", chromedp.AttributeValue(chromedp.CSS(`[data-testid="soonest"] button`), "value")).Value
	b.navigate("hold soonest", chromedp.Click(chromedp.CSS(`[data-testid="soonest"] button`)))
	f.page("details", "/details")
	if f.axe { // the form with its errors shown must be as accessible as without
		f.submit("details-form")
		f.check("details with errors", "/details")
	}
	b.run("type details",
		chromedp.SendKeys(chromedp.CSS(`#first_name`), first),
		chromedp.SendKeys(chromedp.CSS(`#last_name`), "Lovell"),
		chromedp.SendKeys(chromedp.CSS(`#dob-month`), "4"),
		chromedp.SendKeys(chromedp.CSS(`#dob-day`), "12"),
		chromedp.SendKeys(chromedp.CSS(`#dob-year`), "1990"),
		chromedp.SendKeys(chromedp.CSS(`#phone`), "555-201-3344"),
		// A long address that cannot wrap must not push the review sideways.
		chromedp.SendKeys(chromedp.CSS(`#email`), "rosalind.josephine.lovell-hargreaves@riverbend-family-example.org"),
	)
	f.submit("details-form")
	f.page("review", "/review")
	f.submit("confirm-form")
	f.page("confirmation", "/booked/")
	visit = strings.TrimSpace(get(b, "visit number", chromedp.Text(chromedp.CSS(`[data-testid="visit-number"]`))))
	text := get(b, "confirmation", chromedp.Text(chromedp.CSS(`[data-testid="confirmation"]`)))
	for _, want := range append([]string{visit}, confirmationWords[f.lang]...) {
		if !strings.Contains(text, want) {
			b.t.Errorf("confirmation lacks %q:\n%s", want, text)
		}
	}
	if visit == "" {
		b.t.Fatal("no visit number on the confirmation")
	}
	ics := get(b, "calendar link", chromedp.AttributeValue(chromedp.CSS(`[data-testid="calendar"]`), "href"))
	if !strings.HasSuffix(ics.Value, ".ics") {
		b.t.Errorf("calendar link %q", ics.Value)
	}
	if f.axe {
		f.otherPages()
	}
	return ref, visit
}

// otherPages checks the pages off the booking path: the urgent page and an error page.
func (f *flow) otherPages() {
	b := f.b
	// Chest pain is not a common reason: the patient finds it by name.
	b.run("open", chromedp.Navigate(f.base+"/"))
	b.run("find chest pain", chromedp.SendKeys(chromedp.CSS(`#q`), "chest"))
	f.submit("reason-search")
	f.check("reasons found", "/")
	b.run("pick chest pain", chromedp.Click(chromedp.CSS(`#r-chest-pain`)))
	f.submit("reason-form")
	f.check("urgent", "/urgent")
	b.run("open an unknown page", chromedp.Navigate(f.base+"/no-such-page"))
	f.check("not found", "/no-such-page")
}

// switchLanguage picks f.lang with the switch in the header, when the page is in another
// language, and checks the same step comes back in it: the answers so far are kept.
func (f *flow) switchLanguage(name string) {
	b := f.b
	b.t.Helper()
	f.switched = true
	link := `[data-testid="lang-switch"] a[lang="` + f.lang + `"]`
	if n := get(b, "switch link", chromedp.Nodes(chromedp.CSS(link), chromedp.AtLeast(0))); len(n) == 0 {
		return // already in f.lang
	}
	before := get(b, "location", chromedp.Location())
	b.navigate("switch to "+f.lang, chromedp.Click(chromedp.CSS(link)))
	b.run("wait for "+name, chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if after := get(b, "location", chromedp.Location()); after != before {
		b.t.Fatalf("switching language on %s went from %s to %s", name, before, after)
	}
	if name == "times" {
		if from := get(b, "from", chromedp.Value(chromedp.CSS(`#from`))); from == "" {
			b.t.Errorf("the dates are empty after switching language")
		}
	}
}

// searchAgain runs the same search from a fresh start and stops on the open times.
func (f *flow) searchAgain(reason string) {
	b := f.b
	b.run("start over", chromedp.Navigate(f.base+"/"), chromedp.Click(chromedp.CSS(`#r-`+reason)))
	f.submit("reason-form")
	if strings.Contains(get(b, "where", chromedp.Location()), "/visit-type") {
		if n := get(b, "seen", chromedp.Nodes(chromedp.CSS(`#seen-yes`), chromedp.AtLeast(0))); len(n) > 0 {
			b.run("seen", chromedp.Click(chromedp.CSS(`#seen-yes`)))
		}
		b.run("pick type", chromedp.Click(chromedp.CSS(`input[name="visit_type"]`)))
		f.submit("visit-type-form")
	}
	b.run("wait times", chromedp.WaitVisible(chromedp.CSS(`[data-testid="searched"]`)))
	// Narrow with the filters (folded away until opened): mornings and afternoons.
	b.run("open the filters", chromedp.Click(chromedp.CSS(`[data-testid="filters"] summary`)))
	b.run("bands", chromedp.Click(chromedp.CSS(`#b-morning`)), chromedp.Click(chromedp.CSS(`#b-afternoon`)))
	f.submit("filter-form")
	b.run("wait filtered times", chromedp.WaitVisible(chromedp.CSS(`[data-testid="searched"]`)))
}

// TestAxeFindsViolations proves the accessibility check can fail: a page with an unlabelled
// input and an image without alt text must produce violations.
func TestAxeFindsViolations(t *testing.T) {
	chromiumPath(t)
	if _, ok := axeSource(t); !ok {
		t.Skip("axe-core is not installed: nothing to prove")
	}
	b := newBrowser(t, 800, 600, false)
	b.run("open bad page", chromedp.Navigate(`data:text/html,<html><head><title>x</title></head><body><img src="x.png"><input type="text"></body></html>`))
	ids := map[string]bool{}
	for _, x := range b.axeViolations() {
		ids[fmt.Sprint(x["id"])] = true
	}
	if !ids["image-alt"] || !ids["label"] {
		t.Errorf("axe found %v, want image-alt and label violations", ids)
	}
}
