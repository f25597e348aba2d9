package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
)

// doubleSearch is the booking screen's search for Okafor's times at East from 3 March.
const doubleSearch = "/desk/book?location=east&provider=1000000001&from=2026-03-03"

// deskTimes is the booking screen's times (their references), and those marked as a time
// already booked.
func deskTimes(t *testing.T, a *app, path string) (refs map[string]bool, booked map[string]bool) {
	t.Helper()
	page := a.get(path)
	wantStatus(t, page, http.StatusOK)
	refs, booked = map[string]bool{}, map[string]bool{}
	for _, n := range page.doc.Find("[data-testid=desk-book] .choice").EachIter() {
		ref := n.Find("input[name=slot]").AttrOr("value", "")
		refs[ref] = true
		if strings.Contains(n.Find(".badge.override").Text(), "a time already booked") {
			booked[ref] = true
		}
	}
	return refs, booked
}

// deskBookAt posts the booking screen at path for the time ref, with the override's reason
// (none when empty), and returns the answer.
func deskBookAt(t *testing.T, a *app, path, ref, reason string) response {
	t.Helper()
	_, _, key, _ := deskForm(t, a, path)
	form := validDetails()
	form.Set("first_name", "Sam")
	form.Set("slot", ref)
	form.Set("key", key)
	form.Set("override_reason", reason)
	return a.post(path, form)
}

// TestDeskDoubleBooks: an admin who asks for times already booked sees a booked time marked,
// for a visit type the clinic lets be double-booked; booking one needs a reason; the visit is
// booked beside the other, both in the day view, audited, and the time is not offered a third
// time. A desk account, another visit type, and patients are never offered it and cannot book
// it.
func TestDeskDoubleBooks(t *testing.T) {
	a := signedIn(t, booking.RoleAdmin)
	_, ref, key, action := deskForm(t, a, doubleSearch+"&visit_type=SICK")
	form := validDetails()
	form.Set("slot", ref)
	form.Set("key", key)
	first := a.post(action, form)
	if first.StatusCode != http.StatusSeeOther {
		t.Fatalf("the first booking: %d", first.StatusCode)
	}
	lifted := doubleSearch + "&visit_type=SICK&lift=double_book"
	if refs, _ := deskTimes(t, a, doubleSearch+"&visit_type=SICK"); refs[ref] {
		t.Error("the booked time is offered without asking for times already booked")
	}
	if _, booked := deskTimes(t, a, lifted); !booked[ref] {
		t.Fatal("the booked time is not offered, marked, to an admin asking for times already booked")
	}
	page := a.get(lifted)
	checkPage(t, "desk book with times already booked", page)
	if page.doc.Find(`input[name=lift][value=double_book]:checked`).Length() != 1 {
		t.Error("the search does not offer (or keep) times already booked")
	}

	// Patients: never offered, cannot hold it, whatever they send.
	p := a.browser()
	p.throughWhen(nil)
	if p.get("/times").doc.Find(".times button[value='"+ref+"']").Length() != 0 {
		t.Error("a patient is offered the booked time")
	}
	if to := p.post("/times", url.Values{"slot": {ref}, "lift": {"double_book"}}).Header.Get("Location"); to == "/details" {
		t.Error("a patient holds the booked time")
	}

	// A desk account: not offered, and cannot book it by asking in the URL.
	d := a.browser()
	a.addStaff("desk@clinic.example", booking.RoleDesk)
	wantRedirect(t, d.signIn("desk@clinic.example", deskPassword), "/desk")
	if refs, _ := deskTimes(t, d, lifted); refs[ref] {
		t.Error("a desk account is offered the booked time")
	}
	if r := deskBookAt(t, d, lifted, ref, "urgent"); r.StatusCode != http.StatusConflict || r.doc.Find("#slot-error").Length() != 1 {
		t.Errorf("a desk account double-books: %d, want 409 with the time's error", r.StatusCode)
	}

	// Another visit type: not offered, said so, and refused.
	other := doubleSearch + "&visit_type=FOLLOWUP&lift=double_book"
	if refs, _ := deskTimes(t, a, other); refs[ref] {
		t.Error("the booked time is offered for a visit type that may not be double-booked")
	}
	if hint := a.get(other).doc.Find("[data-testid=no-double-book]").Text(); !strings.Contains(hint, "Follow-up visit cannot be double-booked") {
		t.Errorf("the screen does not say the follow-up cannot be double-booked: %q", hint)
	}
	if r := deskBookAt(t, a, other, ref, "urgent"); r.StatusCode != http.StatusConflict {
		t.Errorf("double-booking a follow-up: %d, want 409", r.StatusCode)
	}

	// The admin: a reason is needed, then it is booked beside the other visit.
	noReason := deskBookAt(t, a, lifted, ref, "")
	wantStatus(t, noReason, http.StatusUnprocessableEntity)
	if noReason.doc.Find("#override_reason-error").Length() != 1 {
		t.Error("the missing reason is not said")
	}
	r := deskBookAt(t, a, lifted, ref, "urgent")
	to := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, "/desk/visit/") {
		t.Fatalf("double-booking: %d to %q: %s", r.StatusCode, to, r.doc.Find(".err").Text())
	}
	vn, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(to, "/desk/visit/"), "?booked=1"))
	got, _ := a.svc.Appointment(t0ctx, vn)
	if got.Override.String() != "double_book: urgent" || got.Patient.FirstName != "Sam" {
		t.Errorf("the double-book: %s for %s", got.Override, got.Patient.FirstName)
	}
	firstVN, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(first.Header.Get("Location"), "/desk/visit/"), "?booked=1"))
	day := a.get("/desk?date=2026-03-03&location=east&provider=1000000001")
	nine := day.doc.Find(`[data-kind=visit]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find(".when").Text() == "9:00 AM"
	})
	if nine.Length() != 2 || nine.First().AttrOr("data-visit", "") != firstVN || nine.Last().AttrOr("data-visit", "") != vn ||
		!strings.Contains(nine.Last().Find("[data-testid=override]").Text(), "a time already booked") {
		t.Errorf("the day at 9:00 lists %d visits: %q", nine.Length(), nine.Text())
	}
	audit := a.get("/desk/audit?action=override")
	if !strings.Contains(audit.doc.Find("[data-testid=audit] tbody").Text(), "a time already booked: Clinically urgent") {
		t.Error("the audit log does not name the double-book")
	}
	if refs, _ := deskTimes(t, a, lifted); refs[ref] {
		t.Error("a time double-booked already is offered again")
	}

	// Spanish: the search, the refusal's hint, the day's badge and the audit log.
	english := englishFragments()
	wantRedirect(t, a.get("/desk?lang=es"), "/desk")
	for name, path := range map[string]string{"search": lifted, "another visit type": other, "day": "/desk?date=2026-03-03&location=east",
		"audit": "/desk/audit?action=override"} {
		r := a.get(path)
		wantStatus(t, r, http.StatusOK)
		wantSpanish(t, name, r, english)
		if !strings.Contains(r.doc.Find("main").Text(), "un horario ya reservado") && name != "another visit type" {
			t.Errorf("%s in Spanish does not name the double-book", name)
		}
	}
}
