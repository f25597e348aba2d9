package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserFrontDesk: in Chromium, a desktop and a tablet, JavaScript on and off, English
// and Spanish: the demo desk account signs in (after a wrong password), sees today's day view,
// books for a caller in two screens (the booking screen, then the visit), finds the visit on
// the day view, cancels it for the patient, sees both on the booking numbers, and signs out;
// a patient's browser is sent to the sign-in at /desk. Every page is checked for its language,
// one h1, no sideways scrolling and, with JavaScript on, no axe violations.
func TestBrowserFrontDesk(t *testing.T) {
	chromiumPath(t)
	a := startDemo(t, launch{})
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
			f.submit("sign-in-form")
			f.check("sign-in refused", "/desk/login")
			b.run("sign in", chromedp.SendKeys(chromedp.CSS(`#email`), "desk@demo.doorway"),
				chromedp.SendKeys(chromedp.CSS(`#password`), "demo-desk-password"))
			f.submit("sign-in-form")
			f.check("day", "/desk")

			// Book for a caller: the search, then one form, then the visit.
			from := tomorrow(zone).AddDate(0, 0, i).Format(time.DateOnly)
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
			b.navigate("open it", chromedp.Click(chromedp.CSS(`a[href="/desk/visit/`+visit+`"]`)))
			f.check("the visit", "/desk/visit/")
			b.run("a reason", chromedp.Click(chromedp.CSS(`[data-testid=desk-cancel] input[value=conflict]`)))
			b.navigate("cancel for the patient", chromedp.Click(chromedp.CSS(`[data-testid=desk-cancel] button[type=submit]`)))
			f.check("canceled", "/desk/visit/")
			if st := get(b, "status", chromedp.AttributeValue(chromedp.CSS(`[data-testid=desk-visit]`), "data-status")); st.Value != "canceled" {
				t.Errorf("after canceling: %q", st.Value)
			}
			// The numbers (the demo account is an admin): this booking and this cancel are counted.
			b.run("the numbers", chromedp.Navigate(a.URL+"/desk/funnel"))
			f.check("numbers", "/desk/funnel")
			for _, col := range []string{"bookings", "cancels"} {
				if n := get(b, col, chromedp.Text(chromedp.CSS(`[data-testid=funnel-days] tfoot [data-col=`+col+`]`))); n != strconv.Itoa(i+1) {
					t.Errorf("%s in total: %q, want %d", col, n, i+1)
				}
			}
			b.navigate("sign out", chromedp.Click(chromedp.CSS(`[data-testid=sign-out] button`)))
			f.check("signed out", "/desk/login")
			b.run("the desk again", chromedp.Navigate(a.URL+"/desk"))
			f.check("the desk after signing out", "/desk/login")
		})
	}
}
