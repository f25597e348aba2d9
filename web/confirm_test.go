package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"doorway/booking"
)

func TestConfirmReplayShowsTheSameVisit(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times"))}}), "/details")
	wantRedirect(t, a.post("/details", validDetails()), "/review")
	review := a.get("/review")
	key, _ := review.doc.Find("input[name=key]").Attr("value")
	if again, _ := a.get("/review").doc.Find("input[name=key]").Attr("value"); again != key {
		t.Errorf("the key changed on refresh: %q then %q", key, again)
	}
	oldSession, oldCSRF := a.cookie("doorway"), a.cookie("_csrf")

	first := a.post("/confirm", url.Values{"key": {key}})
	wantStatus(t, first, http.StatusSeeOther)
	visit := first.Header.Get("Location")
	if !regexp.MustCompile(`^/booked/DW-[A-Z0-9]+$`).MatchString(visit) {
		t.Fatalf("confirm redirected to %q", visit)
	}
	if a.cookie("doorway") == oldSession {
		t.Error("session id not rotated after booking")
	}
	// Refresh of the POST with the new session.
	wantRedirect(t, a.post("/confirm", url.Values{"key": {key}}), visit)
	// A double click: the second request still carries the old session cookie.
	a.setCookie("doorway", oldSession)
	a.setCookie("_csrf", oldCSRF)
	wantRedirect(t, a.post("/confirm", url.Values{"key": {key}}), visit)
	r := a.get(visit)
	wantStatus(t, r, http.StatusOK)
	if got := r.doc.Find("[data-testid=visit-number]").Text(); "/booked/"+got != visit {
		t.Errorf("visit number on the page %q, URL %q", got, visit)
	}
	a.ehr.mu.Lock()
	books := len(a.ehr.books)
	a.ehr.mu.Unlock()
	if books != 1 {
		t.Errorf("the EHR got %d bookings, want 1", books)
	}
	// The answers are cleared: a new booking starts over.
	wantRedirect(t, a.get("/review"), "/")
	if a.get("/").doc.Find("input[name=reason][checked]").Length() != 0 {
		t.Error("the old reason is still chosen after booking")
	}
}

func TestConfirmationPage(t *testing.T) {
	a := newApp(t)
	_, confirm := a.book()
	visit := confirm.Header.Get("Location")
	r := a.get(visit)
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "confirmation", r)
	text := r.doc.Find("[data-testid=confirmation]").Text()
	for _, want := range []string{
		"You're booked", "Monday, March 2, 2026, 9:00 AM to 9:20 AM", "Central time", "Sick visit, 20 minutes",
		"Maya Okafor, MD", "East Clinic", "1 Main St, Kearney, NE 68847", "Jane Doe",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, text)
		}
	}
	if st, _ := r.doc.Find("[data-testid=status]").Attr("data-status"); st != "booked" {
		t.Errorf("status = %q, want booked", st)
	}
	if href, _ := r.doc.Find("[data-testid=calendar]").Attr("href"); href != visit+"/calendar.ics" {
		t.Errorf("calendar link = %q", href)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store on a page with PHI", r.Header.Get("Cache-Control"))
	}

	t.Run("another browser cannot see it", func(t *testing.T) {
		other := a.browser()
		wantStatus(t, other.get(visit), http.StatusNotFound)
		wantStatus(t, other.get(visit+"/calendar.ics"), http.StatusNotFound)
		wantStatus(t, other.get("/booked/DW-NOSUCHVISIT"), http.StatusNotFound)
	})
}

func TestCalendarFile(t *testing.T) {
	a := newApp(t)
	_, confirm := a.book()
	visit := confirm.Header.Get("Location")
	r := a.get(visit + "/calendar.ics")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("Content-Type = %q", ct)
	}
	vn := strings.TrimPrefix(visit, "/booked/")
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\n", "BEGIN:VTIMEZONE\r\nTZID:America/Chicago\r\n",
		// 2026 in Chicago: CST until 8 March, CDT until 1 November.
		"BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0500\r\nTZNAME:CDT\r\n",
		"BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0600\r\n",
		"UID:" + vn + "@doorway\r\n",
		"DTSTART;TZID=America/Chicago:20260302T090000\r\n",
		"DTEND;TZID=America/Chicago:20260302T092000\r\n",
		"SUMMARY;LANGUAGE=en:Sick visit at Prairie Test Clinic\r\n",
		"LOCATION:East Clinic\\, 1 Main St\\, Kearney\\, NE 68847\r\n",
		"END:VCALENDAR\r\n",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("calendar lacks %q:\n%s", want, r.body)
		}
	}
	for _, phi := range []string{"Jane", "Doe", "1984", "3344", "Cold or flu"} {
		if strings.Contains(r.body, phi) {
			t.Errorf("calendar file contains patient information %q", phi)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(r.body, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
	}
}

// TestConfirmKeyIsBoundToItsBrowser: another patient's confirmation key, posted from a fresh
// browser, is refused exactly like a key that was never issued, and shows nothing of theirs;
// a made-up key does not book the held time.
func TestConfirmKeyIsBoundToItsBrowser(t *testing.T) {
	a := newApp(t)
	key, confirm := a.book()
	wantStatus(t, confirm, http.StatusSeeOther)

	stranger := a.browser()
	stranger.get("/")
	theirs := stranger.post("/confirm", url.Values{"key": {key}})
	unknown := stranger.post("/confirm", url.Values{"key": {"K-MADEUPMADEUP.abc"}})
	if theirs.StatusCode != unknown.StatusCode || theirs.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("another browser's key: %d; an unknown key: %d; want the same 422", theirs.StatusCode, unknown.StatusCode)
	}
	if a, b := theirs.doc.Find("main").Text(), unknown.doc.Find("main").Text(); a != b {
		t.Errorf("the two refusals differ:\n%s\n%s", a, b)
	}
	if strings.Contains(theirs.body, "Jane") || strings.Contains(theirs.body, "Doe") || strings.Contains(theirs.body, "/booked/") {
		t.Error("the refusal shows the other patient's booking")
	}

	// A patient with a held time and details, posting a key the server never issued.
	b := a.browser()
	b.throughWhen(nil)
	wantRedirect(t, b.post("/times", url.Values{"slot": {firstSlot(t, b.get("/times"))}}), "/details")
	wantRedirect(t, b.post("/details", validDetails()), "/review")
	for _, made := range []string{"K-ANYTHING", "", key} {
		if r := b.post("/confirm", url.Values{"key": {made}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("key %q: %d, want 422", made, r.StatusCode)
		}
	}
	a.ehr.mu.Lock()
	books := len(a.ehr.books)
	a.ehr.mu.Unlock()
	if books != 1 {
		t.Errorf("the EHR got %d bookings, want only the first patient's", books)
	}
}

// TestConfirmationWhileTheEHRIsDown: a booking the EHR has not taken yet (requested) is
// still the patient's to manage from its confirmation page; the calendar marks it tentative.
func TestConfirmationWhileTheEHRIsDown(t *testing.T) {
	a := newApp(t)
	a.ehr.set(func(f *fakeEHR) { f.bookErr = &booking.Error{Code: booking.CodeUnavailable, Detail: "down"} })
	_, confirm := a.book()
	visit := confirm.Header.Get("Location")
	r := a.get(visit)
	wantStatus(t, r, http.StatusOK)
	if st, _ := r.doc.Find("[data-testid=status]").Attr("data-status"); st != "requested" {
		t.Errorf("status = %q, want requested", st)
	}
	if _, ok := r.doc.Find("[data-testid=manage-link]").Attr("href"); !ok {
		t.Error("no manage link on the confirmation of a requested booking")
	}
	if ics := a.get(visit + "/calendar.ics"); !strings.Contains(ics.body, "STATUS:TENTATIVE\r\n") {
		t.Errorf("calendar of a requested booking:\n%s", ics.body)
	}
}

// TestBookForAFamilyMember: after a booking, "book for a family member" starts again with the
// contact details filled in, but not the name or the date of birth.
func TestBookForAFamilyMember(t *testing.T) {
	a := newApp(t)
	_, confirm := a.book()
	page := a.get(confirm.Header.Get("Location"))
	href, ok := page.doc.Find("[data-testid=for-family]").Attr("href")
	if !ok {
		t.Fatal("no family link on the confirmation")
	}
	wantRedirect(t, a.get(href), "/")
	a.throughWhen(nil)
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times"))}}), "/details")
	d := a.get("/details")
	if got := d.doc.Find("input[name=phone]").AttrOr("value", ""); got != validDetails().Get("phone") {
		t.Errorf("phone = %q, want the last booking's %q", got, validDetails().Get("phone"))
	}
	if got := d.doc.Find("input[name=first_name]").AttrOr("value", ""); got != "" {
		t.Errorf("first name = %q, want it empty for the family member", got)
	}
}

// TestABrowserKeepsItsLastTenBookings: the visit numbers a browser may view are its last ten.
func TestABrowserKeepsItsLastTenBookings(t *testing.T) {
	for _, before := range []int{9, 10} {
		var w Wizard
		for i := range before {
			w.Booked = append(w.Booked, "DW-"+string(rune('A'+i)))
		}
		w.finish("DW-NEW")
		if len(w.Booked) != 10 || w.Booked[9] != "DW-NEW" || (before == 10) != (w.Booked[0] == "DW-B") {
			t.Errorf("after %d bookings and one more: %v; want the last ten", before, w.Booked)
		}
	}
}
