package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
)

// deskForm is the booking screen at path: its first time, its key and its action.
func deskForm(t *testing.T, a *app, path string) (page response, slot, key, action string) {
	t.Helper()
	page = a.get(path)
	wantStatus(t, page, http.StatusOK)
	form := page.doc.Find("[data-testid=desk-book]")
	slot = form.Find("input[name=slot]").First().AttrOr("value", "")
	key = form.Find("input[name=key]").AttrOr("value", "")
	action = form.AttrOr("action", "")
	if slot == "" || key == "" {
		t.Fatalf("%s: no time or key to book", path)
	}
	return page, slot, key, action
}

// TestDeskOverridesTheLeadTime: an admin lifts the lead time, sees the times inside it marked,
// must name a reason to book one, and the booking keeps the override, which the audit log,
// the visit page and the day view show. A desk account cannot lift it.
func TestDeskOverridesTheLeadTime(t *testing.T) {
	a := signedIn(t, booking.RoleAdmin)
	a.svc.Clinic().LeadMinutes = 240 // testNow is 8:00 in Chicago: nothing before noon for patients
	const search = "/desk/book?visit_type=SICK&location=east&from=2026-03-02"
	plain, _, _, _ := deskForm(t, a, search)
	patientsFirst := plain.doc.Find("[data-testid=desk-book] .choice b").First().Text()
	if !strings.HasSuffix(patientsFirst, "PM") || plain.doc.Find(".badge.override").Length() != 0 {
		t.Errorf("without lifting the lead time the first time is %q (want the afternoon, unmarked)", patientsFirst)
	}
	if plain.doc.Find(`input[name=lift][value=lead_time]`).Length() != 1 || !strings.Contains(plain.doc.Find("#visit_type").Text(), "Minor procedure") {
		t.Error("an admin is not offered the lead time to lift, or the staff-only visit type")
	}
	page, slot, key, action := deskForm(t, a, search+"&lift=lead_time")
	checkPage(t, "desk book with the lead time lifted", page)
	if first := page.doc.Find("[data-testid=desk-book] .choice").First(); !strings.HasSuffix(first.Find("b").Text(), "AM") || first.Find(".badge.override").Length() != 1 {
		t.Errorf("with the lead time lifted the first time is %q, marked %d times", first.Find("b").Text(), first.Find(".badge.override").Length())
	}
	if page.doc.Find("[data-testid=override] input[name=override_reason]").Length() != len(booking.OverrideReasons) {
		t.Error("the override's reasons are not asked")
	}
	form := validDetails()
	form.Set("slot", slot)
	form.Set("key", key)
	noReason := a.post(action, form)
	wantStatus(t, noReason, http.StatusUnprocessableEntity)
	checkPage(t, "desk book without a reason", noReason)
	if noReason.doc.Find("#override_reason-error").Length() != 1 || noReason.doc.Find(`a[href="#override-urgent"]`).Length() != 1 {
		t.Error("the missing reason is not said beside the reasons and in the summary")
	}
	form.Set("override_reason", "urgent")
	form.Set("override_note", "seen by Dr Okafor")
	r := a.post(action, form)
	to := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, "/desk/visit/") {
		t.Fatalf("booking with an override: %d to %q: %s", r.StatusCode, to, r.doc.Find(".err").Text())
	}
	vn, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(to, "/desk/visit/"), "?booked=1"))
	got, _ := a.svc.Appointment(t0ctx, vn)
	if got.Override.String() != "lead_time: urgent (seen by Dr Okafor)" || got.Status != booking.StatusBooked {
		t.Errorf("the appointment: %s, override %q", got.Status, got.Override.String())
	}
	audit := a.get("/desk/audit?action=override")
	if row := audit.doc.Find("[data-testid=audit] tbody tr"); row.Length() != 1 || !strings.Contains(row.Text(), "sooner than the lead time: Clinically urgent (seen by Dr Okafor)") {
		t.Errorf("the audit log's overrides: %q", row.Text())
	}
	if row := a.get(to).doc.Find("[data-testid=override]"); !strings.Contains(row.Text(), "Clinically urgent") {
		t.Errorf("the visit page does not show the override: %q", row.Text())
	}
	day := a.get("/desk?date=2026-03-02&location=east")
	if badge := day.doc.Find(`[data-visit="` + vn + `"] [data-testid=override]`); badge.Length() != 1 {
		t.Error("the day view does not mark the visit as an override")
	}

	d := signedIn(t, booking.RoleDesk)
	d.svc.Clinic().LeadMinutes = 240
	page = d.get(search + "&lift=lead_time&visit_type=PROC")
	if page.doc.Find(`input[name=lift]`).Length() != 0 || page.doc.Find(".badge.override").Length() != 0 ||
		strings.Contains(page.doc.Find("#visit_type").Text(), "Minor procedure") {
		t.Error("a desk account is offered what only an admin may book")
	}
	if first := page.doc.Find("[data-testid=desk-book] .choice b").First().Text(); first != patientsFirst {
		t.Errorf("a desk account lifting the lead time in the URL sees %q first, want %q as patients", first, patientsFirst)
	}
}

// TestDeskMovesAnAppointment: from the visit page, the same booking screen with the
// appointment's visit type and no patient details; the move is done inside the cutoff that
// binds patients, with a new visit number, audited under the staff member.
func TestDeskMovesAnAppointment(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	_, slot, key, action := deskForm(t, a, "/desk/book?visit_type=SICK&location=east&from=2026-03-03")
	form := validDetails()
	form.Set("slot", slot)
	form.Set("key", key)
	to := a.post(action, form).Header.Get("Location")
	old, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(to, "/desk/visit/"), "?booked=1"))
	a.svc.Clinic().CancelCutoffHours = 48 // the patient could not move it online now
	visit := a.get("/desk/visit/" + old)
	move := visit.doc.Find("[data-testid=desk-move]").AttrOr("href", "")
	if move != "/desk/book?move="+url.QueryEscape(old) {
		t.Fatalf("the visit page's move link is %q", move)
	}
	page, slot, key, action := deskForm(t, a, move+"&from=2026-03-04")
	checkPage(t, "desk move", page)
	if !strings.Contains(page.doc.Find("[data-testid=moving]").Text(), "Jane Doe") || page.doc.Find("#first_name").Length() != 0 ||
		page.doc.Find("#visit_type").Length() != 0 {
		t.Error("the move screen does not name the patient, or asks again for the details or the visit type")
	}
	r := a.post(action, url.Values{"slot": {slot}, "key": {key}})
	to = r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(to, "?moved=1") {
		t.Fatalf("moving: %d to %q: %s", r.StatusCode, to, r.doc.Find(".err, .alert").Text())
	}
	vn, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(to, "/desk/visit/"), "?moved=1"))
	moved, _ := a.svc.Appointment(t0ctx, vn)
	was, _ := a.svc.Appointment(t0ctx, old)
	if vn == old || moved.Replaces != old || moved.Patient.LastName != "Doe" || moved.VisitType.Code != "SICK" || was.Status != booking.StatusCanceled {
		t.Errorf("moved %s (replaces %q, %s) from %s (%s)", vn, moved.Replaces, moved.VisitType.Code, old, was.Status)
	}
	entries, _ := a.db.AuditEntries(t0ctx, old)
	if last := entries[len(entries)-1]; last.Action != booking.AuditReschedule || last.OtherVisit != vn || !strings.HasPrefix(last.Actor.Session, "staff:") {
		t.Errorf("the move's audit row %+v", last)
	}
	if n := a.get(to).doc.Find("[data-testid=notice]").Length(); n != 1 {
		t.Error("the new visit's page does not say it was moved")
	}
	wantStatus(t, a.get("/desk/book?move="+url.QueryEscape(old)), http.StatusConflict) // the old one is canceled: nothing to move
}

// TestDeskFindsAReturningPatient: by last name and date of birth (a POST: nothing of them in
// the URL), the patients who booked before are listed; "use" fills the details in.
func TestDeskFindsAReturningPatient(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	_, slot, key, action := deskForm(t, a, "/desk/book?visit_type=SICK&location=east&from=2026-03-03")
	form := validDetails()
	form.Set("slot", slot)
	form.Set("key", key)
	form.Set("email", "jane.doe@example.org")
	wantStatus(t, a.post(action, form), http.StatusSeeOther)

	page := a.get("/desk/book?visit_type=SICK&location=east&from=2026-03-04")
	find := page.doc.Find("[data-testid=find-patient]").AttrOr("action", "")
	if !strings.HasPrefix(find, "/desk/book/find?") {
		t.Fatalf("the returning-patient search posts to %q", find)
	}
	bad := a.post(find, url.Values{"find_last": {" "}, "find_dob": {"21 July"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	checkPage(t, "desk find with errors", bad)
	if bad.doc.Find("#find_last-error").Length() != 1 || bad.doc.Find("#find_dob-error").Length() != 1 {
		t.Error("the errors are not beside the last name and the date of birth")
	}
	if r := a.post(find, url.Values{"find_last": {"Doe"}, "find_dob": {"7/22/1984"}}); r.doc.Find("[data-testid=nobody-found]").Length() != 1 {
		t.Error("another date of birth: nobody-found is not said")
	}
	found := a.post(find, url.Values{"find_last": {"DOE "}, "find_dob": {"7/21/1984"}})
	wantStatus(t, found, http.StatusOK)
	checkPage(t, "desk find", found)
	use := found.doc.Find("[data-testid=use-patient]")
	if use.Length() != 1 || !strings.Contains(use.Text(), "Jane Doe") || !strings.Contains(use.Text(), "jane.doe@example.org") {
		t.Fatalf("found %d: %q", use.Length(), use.Text())
	}
	fields := url.Values{}
	use.Find("input").Each(func(_ int, in *goquery.Selection) { fields.Set(in.AttrOr("name", ""), in.AttrOr("value", "")) })
	filled := a.post(use.AttrOr("action", ""), fields)
	wantStatus(t, filled, http.StatusOK)
	if filled.doc.Find("#first_name").AttrOr("value", "") != "Jane" || filled.doc.Find("#email").AttrOr("value", "") != "jane.doe@example.org" ||
		filled.doc.Find("[data-testid=desk-book] input[name=slot]").Length() == 0 {
		t.Error("using the patient does not fill in the details beside the times")
	}
}

// TestDayViewOfOneProvider: the day of every provider of the location, or of one, and the
// day's links keep the choice.
func TestDayViewOfOneProvider(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	all := a.get("/desk?date=2026-03-03&location=east")
	if n := all.doc.Find(".day-col").Length(); n != 2 {
		t.Fatalf("%d columns at East, want its 2 providers", n)
	}
	one := a.get("/desk?date=2026-03-03&location=east&provider=1000000002")
	checkPage(t, "day of one provider", one)
	if cols := one.doc.Find(".day-col"); cols.Length() != 1 || !strings.Contains(cols.Find("h2").Text(), "Reyes") {
		t.Errorf("one provider's day shows %d columns", cols.Length())
	}
	if next := one.doc.Find(".day-nav a").Last().AttrOr("href", ""); !strings.Contains(next, "provider=1000000002") {
		t.Errorf("the next day's link %q forgets the provider", next)
	}
}

// TestDayViewShowsPhoneBookings: a visit booked in the clinic's system (the EHR's Booked
// answer), which Doorway does not have, is on the day with its patient and visit type, says
// where it was booked, and is not a link to a visit page Doorway could not show.
func TestDayViewShowsPhoneBookings(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	zone, _ := time.LoadLocation("America/Chicago")
	a.ehr.set(func(f *fakeEHR) {
		f.books = append(f.books, booking.Appointment{VisitNumber: "EHR-PHONE-1", Start: time.Date(2026, 3, 3, 11, 0, 0, 0, zone), Minutes: 20,
			Provider: booking.ProviderRef{ID: "1000000001", IDType: "NPI"}, Location: booking.LocationRef{Department: "East Family Medicine"},
			Patient: booking.Patient{FirstName: "Walter", LastName: "Nakamura"}, VisitType: booking.Coded{Code: "SICK"}})
	})
	day := a.get("/desk?date=2026-03-03&location=east")
	checkPage(t, "day with a phone booking", day)
	item := day.doc.Find(`[data-visit="EHR-PHONE-1"]`)
	if item.Length() != 1 || !strings.Contains(item.Text(), "Walter Nakamura") || !strings.Contains(item.Text(), "Sick visit") ||
		!strings.Contains(item.Text(), "booked in the clinic's system") {
		t.Fatalf("the phone booking on the day: %q", item.Text())
	}
	if item.Find("a").Length() != 0 {
		t.Error("the phone booking links to a visit page Doorway does not have")
	}
}
