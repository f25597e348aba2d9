package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserFrontDesk: in Chromium, a desktop and a tablet, JavaScript on and off, English
// and Spanish: the demo desk account (an admin) signs in (after a wrong password), sees
// today's day view, books for a caller in two screens (the booking screen, then the visit),
// finds the visit on the day view, moves it for the patient (a new visit number), cancels it, sees
// both on the booking numbers, books a time inside the lead time with an override (refused without a reason) and finds the
// override in the audit log, and signs out; a patient's browser is sent to the sign-in at
// /desk. Every page is checked for its language, one h1, no sideways scrolling and, with
// JavaScript on, no axe violations. The clinic is the demo's with a 3-day lead time, so that
// times inside it exist whatever the hour, and its schedule part booked by phone as the demo
// starts it (the day shows those visits too).
func TestBrowserFrontDesk(t *testing.T) {
	chromiumPath(t)
	demo, err := os.ReadFile("../booking/clinicfile/demo_clinic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	clinic := filepath.Join(t.TempDir(), "clinic.yaml")
	if err := os.WriteFile(clinic, bytes.Replace(demo, []byte("lead_minutes: 120"), []byte("lead_minutes: 4320"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	// The demo's schedule part booked by phone, as go run . starts it.
	a := startDemo(t, launch{Args: []string{"-clinic", clinic, "-demo-busy", "0.1"}})
	zone := clinicZone(t)
	cases := []struct {
		name          string
		width, height int64
		jsOff         bool
		lang          string
	}{
		{"desktop", 1280, 900, false, "en"},
		{"tablet in Spanish without JavaScript", 820, 1100, true, "es"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, tc.width, tc.height, tc.jsOff)
			f := &flow{b: b, base: a.URL, axe: !tc.jsOff, lang: tc.lang, width: tc.width}

			b.run("a patient's browser at the desk", chromedp.Navigate(a.URL+"/desk?lang="+tc.lang))
			f.check("sign-in", "/desk/login")
			b.run("wrong password", chromedp.SendKeys(chromedp.CSS(`#email`), "desk@demo.doorway"),
				chromedp.SendKeys(chromedp.CSS(`#password`), "not-the-password"))
			signIn := func() {
				b.navigateWithin("sign in", 90*time.Second, chromedp.Click(chromedp.CSS(`[data-testid="sign-in-form"] button[type="submit"]`)))
			}
			signIn()
			f.check("sign-in refused", "/desk/login")
			b.run("sign in", chromedp.SendKeys(chromedp.CSS(`#email`), "desk@demo.doorway"),
				chromedp.SendKeys(chromedp.CSS(`#password`), "demo-desk-password"))
			signIn()
			f.check("day", "/desk")

			// Book for a caller: the search, then one form, then the visit.
			from := weekday(tomorrow(zone).AddDate(0, 0, 4+i)).Format(time.DateOnly) // past the lead time
			screens := 0
			b.run("book for a caller", chromedp.Navigate(a.URL+"/desk/book?visit_type=SICK&location=kearney&from="+from))
			f.check("desk book", "/desk/book")
			screens++
			b.run("pick the first time", chromedp.Click(chromedp.CSS(`#slot-first`)))
			last := []string{"Ortega", "Nakamura"}[i]
			b.run("type details",
				chromedp.SendKeys(chromedp.CSS(`#first_name`), "Lena"),
				chromedp.SendKeys(chromedp.CSS(`#last_name`), last),
				chromedp.SendKeys(chromedp.CSS(`#dob-month`), "3"),
				chromedp.SendKeys(chromedp.CSS(`#dob-day`), "9"),
				chromedp.SendKeys(chromedp.CSS(`#dob-year`), "1977"),
				chromedp.SendKeys(chromedp.CSS(`#phone`), "402-555-0143"),
			)
			f.submit("desk-book")
			f.check("desk visit", "/desk/visit/")
			screens++
			if screens > 2 {
				t.Errorf("booking for a caller took %d screens", screens)
			}
			visit := get(b, "visit number", chromedp.AttributeValue(chromedp.CSS(`[data-testid=desk-visit]`), "data-visit")).Value
			if visit == "" {
				t.Fatal("no visit on the visit page")
			}

			// The visit is on its day, in the patient's name.
			b.run("its day", chromedp.Navigate(a.URL+"/desk?location=kearney&date="+from))
			f.check("the visit's day", "/desk")
			if text := get(b, "the visit on the day", chromedp.Text(chromedp.CSS(`a[href="/desk/visit/`+visit+`"]`))); !strings.Contains(text, last) {
				t.Errorf("the day shows %q for the visit, want %s", text, last)
			}
			if phone := get(b, "the clinic's phone bookings", chromedp.Evaluate[float64](`document.querySelectorAll('[data-kind=visit]:not(:has(a))').length`)); phone == 0 {
				t.Error("the day shows none of the demo clinic's phone bookings")
			}
			b.navigate("open it", chromedp.Click(chromedp.CSS(`a[href="/desk/visit/`+visit+`"]`)))
			f.check("the visit", "/desk/visit/")

			// Move it for the patient: the same screen, the appointment's visit type, a new visit.
			b.navigate("move it", chromedp.Click(chromedp.CSS(`[data-testid=desk-move]`)))
			f.check("desk move", "/desk/book")
			b.run("a later time", chromedp.Click(chromedp.CSS(`[data-testid=desk-book] input[name=slot]:not(#slot-first)`)))
			f.submit("desk-book")
			f.check("moved", "/desk/visit/")
			moved := get(b, "visit number", chromedp.AttributeValue(chromedp.CSS(`[data-testid=desk-visit]`), "data-visit")).Value
			if moved == "" || moved == visit {
				t.Errorf("after the move the visit is %q (was %q)", moved, visit)
			}
			b.run("a reason", chromedp.Click(chromedp.CSS(`[data-testid=desk-cancel] input[value=conflict]`)))
			b.navigate("cancel for the patient", chromedp.Click(chromedp.CSS(`[data-testid=desk-cancel] button[type=submit]`)))
			f.check("canceled", "/desk/visit/")
			if st := get(b, "status", chromedp.AttributeValue(chromedp.CSS(`[data-testid=desk-visit]`), "data-status")); st.Value != "canceled" {
				t.Errorf("after canceling: %q", st.Value)
			}

			// Inside the lead time: marked, refused without a reason, booked with one, audited.
			soon := weekday(tomorrow(zone)).Format(time.DateOnly)
			b.run("lift the lead time", chromedp.Navigate(a.URL+"/desk/book?visit_type=SICK&location=kearney&lift=lead_time&from="+soon))
			f.check("desk book inside the lead time", "/desk/book")
			b.run("the first time, marked", chromedp.Click(chromedp.CSS(`#slot-first`)),
				chromedp.WaitVisible(chromedp.CSS(`label:has(#slot-first) .badge.override`)))
			b.run("type details",
				chromedp.SendKeys(chromedp.CSS(`#first_name`), "Omar"),
				chromedp.SendKeys(chromedp.CSS(`#last_name`), last),
				chromedp.SendKeys(chromedp.CSS(`#dob-month`), "11"),
				chromedp.SendKeys(chromedp.CSS(`#dob-day`), "2"),
				chromedp.SendKeys(chromedp.CSS(`#dob-year`), "1961"),
				chromedp.SendKeys(chromedp.CSS(`#phone`), "402-555-0187"),
			)
			f.submit("desk-book")
			f.check("no reason for the override", "/desk/book")
			b.run("the reason asked beside its choices", chromedp.WaitVisible(chromedp.CSS(`#override_reason-error`)))
			b.run("a reason", chromedp.Click(chromedp.CSS(`#override-urgent`)))
			f.submit("desk-book")
			f.check("booked with an override", "/desk/visit/")
			over := get(b, "visit number", chromedp.AttributeValue(chromedp.CSS(`[data-testid=desk-visit]`), "data-visit")).Value
			b.run("the override's audit entry", chromedp.Navigate(a.URL+"/desk/audit?action=override&visit="+over))
			f.check("audit", "/desk/audit")
			if rows := get(b, "audit rows", chromedp.Text(chromedp.CSS(`[data-testid=audit] tbody`))); !strings.Contains(rows, over) {
				t.Errorf("the audit log's overrides: %q, want %s", rows, over)
			}

			// The numbers (the demo account is an admin): each language's two bookings (the
			// caller's and the override), its move and its cancel are counted.
			b.run("the numbers", chromedp.Navigate(a.URL+"/desk/funnel"))
			f.check("numbers", "/desk/funnel")
			for col, each := range map[string]int{"bookings": 2, "reschedules": 1, "cancels": 1} {
				if n := get(b, col, chromedp.Text(chromedp.CSS(`[data-testid=funnel-days] tfoot [data-col=`+col+`]`))); n != strconv.Itoa(each*(i+1)) {
					t.Errorf("%s in total: %q, want %d", col, n, each*(i+1))
				}
			}
			b.navigate("sign out", chromedp.Click(chromedp.CSS(`[data-testid=sign-out] button`)))
			f.check("signed out", "/desk/login")
			b.run("the desk again", chromedp.Navigate(a.URL+"/desk"))
			f.check("the desk after signing out", "/desk/login")
		})
	}
}

// weekday is d, or the Monday after when d falls on a weekend: a day the demo clinic is open.
func weekday(d time.Time) time.Time {
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}
