package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"doorway/booking"
)

// TestBrowserManagesAnAppointment: in Chromium, on a phone and a desktop, with JavaScript on
// and off, in English and Spanish, a patient books a time past the clinic's 24-hour cutoff,
// finds it with the code, last name and birth date, moves it to another day (a new visit
// number is shown, the EHR has that visit only, the old time is offered again), then cancels
// it (the time is offered again). The confirmation's manage link works in a fresh browser.
// Every page is checked for its path, its language, one h1, no sideways scrolling and, with
// JavaScript on, no axe violations.
func TestBrowserManagesAnAppointment(t *testing.T) {
	chromiumPath(t)
	a := startDemo(t, launch{})
	zone := clinicZone(t)
	cases := []struct {
		name          string
		width, height int64
		jsOff         bool
		lang          string
	}{
		{"phone 360px", 360, 800, false, "en"},
		{"desktop in Spanish without JavaScript", 1280, 900, true, "es"},
		{"phone 360px in Spanish", 360, 800, false, "es"},
		{"desktop without JavaScript", 1280, 900, true, "en"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A provider with times on two days of the search's week past the cutoff. Each run
			// ends with both its times free again, so runs may share a provider.
			provider, first, second, d1, d2 := twoDays(t, a.URL, zone)
			days := []string{d1.Format(time.DateOnly), d2.Format(time.DateOnly)}
			last := []string{"Núñez", "Okoro", "García-Lee", "O'Brien"}[i]
			mrn := fmt.Sprintf("TM-%d", 100+i)

			b := newBrowser(t, tc.width, tc.height, tc.jsOff)
			f := &flow{b: b, base: a.URL, axe: !tc.jsOff, lang: tc.lang, width: tc.width}
			visit, code, link := f.bookTime(provider, days[0], first, last, mrn)

			// Find it from another browser, with the code typed loosely.
			b2 := newBrowser(t, tc.width, tc.height, tc.jsOff)
			g := &flow{b: b2, base: a.URL, axe: !tc.jsOff, lang: tc.lang, width: tc.width}
			b2.run("open find", chromedp.Navigate(a.URL+"/manage?lang="+tc.lang))
			g.check("find", "/manage")
			g.findWith(strings.ToLower(code), last, "1990", "4", "12")
			g.check("manage", "/manage/"+visit)

			// Move it to the next day with times.
			b2.navigate("change the time", chromedp.Click(chromedp.CSS(`[data-testid=move-form] button`)))
			g.check("move: times", "/times")
			b2.navigate("the provider's day", chromedp.Navigate(a.URL+"/times?p="+provider+"&day="+days[1]))
			b2.navigate("new time", chromedp.Click(chromedp.CSS(`button[name=slot][value="`+second+`"]`)))
			g.check("move: review", "/review")
			if n := get(b2, "moving from", chromedp.Nodes(chromedp.CSS(`[data-testid=moving-from]`), chromedp.AtLeast(0))); len(n) != 1 {
				t.Error("the review does not show the time being replaced")
			}
			g.submit("confirm-form")
			g.check("moved", "/booked/")
			moved := strings.TrimSpace(get(b2, "new visit number", chromedp.Text(chromedp.CSS(`[data-testid=visit-number]`))))
			if moved == "" || moved == visit {
				t.Fatalf("after the move the visit number is %q (was %s)", moved, visit)
			}
			if live := liveForMRN(t, a.SandboxURL, mrn, 1); live[0].VisitNumber != moved {
				t.Errorf("the EHR has %s live, want %s", live[0].VisitNumber, moved)
			}
			if !offered(t, a.URL, provider, days[0], first, zone) {
				t.Error("the old time is not offered again")
			}

			// Cancel it.
			b2.navigate("manage the new one", chromedp.Click(chromedp.CSS(`[data-testid=manage-link]`)))
			g.check("manage the new one", "/manage/"+moved)
			b2.navigate("cancel", chromedp.Click(chromedp.CSS(`[data-testid=cancel-link]`)))
			g.check("cancel", "/manage/"+moved+"/cancel")
			b2.run("reason", chromedp.Click(chromedp.CSS(`#cr-conflict`)))
			g.submit("cancel-form")
			g.check("canceled", "/manage/"+moved)
			if st := get(b2, "status", chromedp.AttributeValue(chromedp.CSS(`[data-testid=status]`), "data-status")); st.Value != "canceled" {
				t.Errorf("after canceling the status is %q", st.Value)
			}
			liveForMRN(t, a.SandboxURL, mrn, 0)
			if !offered(t, a.URL, provider, days[1], second, zone) {
				t.Error("the canceled time is not offered again")
			}

			// The first confirmation's link, in a fresh browser: it leads to the appointment
			// as it now stands (moved, then canceled).
			b3 := newBrowser(t, tc.width, tc.height, tc.jsOff)
			h := &flow{b: b3, base: a.URL, axe: !tc.jsOff, lang: tc.lang, width: tc.width}
			b3.run("open the link", chromedp.Navigate(a.URL+link+"?lang="+tc.lang))
			h.check("link", "/manage/"+moved)
		})
	}
}

// bookTime books the time ref of provider on day for a patient named last (born April 12,
// 1990, medical record number mrn), checking each page, and returns the visit number,
// the confirmation code and the manage link.
func (f *flow) bookTime(provider, day, ref, last, mrn string) (visit, code, link string) {
	b := f.b
	b.t.Helper()
	b.run("open", chromedp.Navigate(f.base+"/?lang="+f.lang))
	f.check("reason", "/")
	b.run("pick reason", chromedp.Click(chromedp.CSS(`#r-cold-flu`)))
	f.submit("reason-form")
	f.check("times", "/times")
	// The time's provider and day, every time: the view of that provider's day.
	b.navigate("the provider's day", chromedp.Navigate(f.base+"/times?p="+provider+"&day="+day))
	b.navigate("hold", chromedp.Click(chromedp.CSS(`button[name=slot][value="`+ref+`"]`)))
	f.check("details", "/details")
	b.run("type details",
		chromedp.SendKeys(chromedp.CSS(`#first_name`), "Ana"),
		chromedp.SendKeys(chromedp.CSS(`#last_name`), last),
		chromedp.SendKeys(chromedp.CSS(`#dob-month`), "4"),
		chromedp.SendKeys(chromedp.CSS(`#dob-day`), "12"),
		chromedp.SendKeys(chromedp.CSS(`#dob-year`), "1990"),
		chromedp.SendKeys(chromedp.CSS(`#phone`), "555-201-3344"),
		chromedp.SendKeys(chromedp.CSS(`#mrn`), mrn),
	)
	if f.email != "" {
		b.run("type email", chromedp.SendKeys(chromedp.CSS(`#email`), f.email))
	}
	f.submit("details-form")
	f.check("review", "/review")
	f.submit("confirm-form")
	f.check("booked", "/booked/")
	visit = strings.TrimSpace(get(b, "visit number", chromedp.Text(chromedp.CSS(`[data-testid=visit-number]`))))
	code = strings.TrimSpace(get(b, "code", chromedp.Text(chromedp.CSS(`[data-testid=code]`))))
	link = get(b, "manage link", chromedp.AttributeValue(chromedp.CSS(`[data-testid=manage-link]`), "href")).Value
	if visit == "" || len(code) != 7 || !strings.Contains(link, "/m/") {
		b.t.Fatalf("confirmation: visit %q, code %q, link %q", visit, code, link)
	}
	return visit, code, link
}

// findWith fills the find form (the date of birth in its three fields) and sends it.
func (f *flow) findWith(code, last, year, month, day string) {
	f.b.run("find", chromedp.SendKeys(chromedp.CSS(`#code`), code), chromedp.SendKeys(chromedp.CSS(`#last_name`), last),
		chromedp.SendKeys(chromedp.CSS(`#dob-year`), year), chromedp.SendKeys(chromedp.CSS(`#dob-month`), month),
		chromedp.SendKeys(chromedp.CSS(`#dob-day`), day))
	f.submit("find-form")
}

// liveForMRN is waitBooked for the patient with medical record number mrn.
func liveForMRN(t *testing.T, ehrURL, mrn string, want int) []booking.Appointment {
	t.Helper()
	q := booking.BookedQuery{Start: time.Now(), End: time.Now().AddDate(0, 0, 30), Patient: []booking.Identifier{{ID: mrn, IDType: "MR"}}}
	return waitBooked(t, ehrURL, q, want, 10*time.Second)
}

// offered reports whether ref is offered again on day (a scripted patient looks).
func offered(t *testing.T, base, provider, day, ref string, zone *time.Location) bool {
	t.Helper()
	d, _ := time.ParseInLocation(time.DateOnly, day, zone)
	ok := false
	eventually(t, "the time "+url.QueryEscape(ref)+" offered", 10*time.Second, func() (bool, error) {
		ok = strings.Contains(" "+strings.Join(scout(t, base, d, 1, provider), " ")+" ", " "+ref+" ")
		return ok, nil
	})
	return ok
}
