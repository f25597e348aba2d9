package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
)

var t0ctx = context.Background()

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// flip changes a token's first character.
func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

var chicago, _ = time.LoadLocation("America/Chicago")

// refOf is the form value of slot sl on the times page.
func refOf(a *app, sl booking.Slot) string { return a.srv.refs.ref(sl) }

// booked books the first open time as Jane Doe (born 1984-07-21) and returns the
// appointment, read back from the service.
func (a *app) booked() booking.Appointment {
	a.t.Helper()
	_, confirm := a.book()
	to := confirm.Header.Get("Location")
	if !strings.HasPrefix(to, "/booked/") {
		a.t.Fatalf("confirm went to %q", to)
	}
	vn, _ := url.PathUnescape(strings.TrimPrefix(to, "/booked/"))
	appt, err := a.svc.Appointment(t0ctx, vn)
	if err != nil || appt.Code == "" {
		a.t.Fatalf("booked %s: %+v %v", vn, appt, err)
	}
	return appt
}

// find posts the find form.
func (a *app) find(code, last, dob string) response {
	a.t.Helper()
	a.get("/manage")
	return a.post("/manage", url.Values{"code": {code}, "last_name": {last}, "dob": {dob}})
}

// TestFindAnswersEveryWrongPartWithTheSamePage: a wrong code, a wrong name and a wrong birth
// date give byte-identical pages (nothing typed is echoed, one message); the right ones open
// the appointment in any browser, which may then manage it, and only it.
func TestFindAnswersEveryWrongPartWithTheSamePage(t *testing.T) {
	a := newApp(t)
	appt := a.booked()
	other := a.browser()
	var pages [][]byte
	for _, wrong := range [][3]string{
		{"XXX-XXX", "Doe", "1984-07-21"},
		{appt.Code, "Dough", "1984-07-21"},
		{appt.Code, "Doe", "1984-07-22"},
		{appt.VisitNumber, "Doe", "1985-07-21"},
	} {
		r := other.find(wrong[0], wrong[1], wrong[2])
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.doc.Find("[data-testid=find-problem]").Length() != 1 || strings.Contains(r.body, wrong[1]) {
			t.Errorf("wrong %v: no message, or the typed name echoed", wrong)
		}
		pages = append(pages, []byte(r.body))
	}
	for i := 1; i < len(pages); i++ {
		if !bytes.Equal(pages[0], pages[i]) {
			t.Errorf("the page for wrong part %d differs from the first", i)
		}
	}
	if r := other.get("/manage/" + appt.VisitNumber); r.StatusCode != http.StatusNotFound {
		t.Errorf("a browser that has not found it opens the appointment: %d", r.StatusCode)
	}
	r := other.find(strings.ToLower(appt.Code), "DOE", "")
	wantStatus(t, r, http.StatusUnprocessableEntity) // no birth date
	r = other.find(strings.ToLower(appt.Code[:3]+" "+appt.Code[4:]), " doe ", "1984-07-21")
	wantRedirect(t, r, "/manage/"+appt.VisitNumber)
	page := other.get("/manage/" + appt.VisitNumber)
	wantStatus(t, page, http.StatusOK)
	checkPage(t, "manage", page)
	if page.doc.Find("[data-testid=code]").Text() != appt.Code || page.doc.Find("[data-testid=move-form]").Length() != 1 {
		t.Errorf("the page lacks the code or the actions: %s", page.doc.Find("main").Text())
	}
}

// TestFindIsLimitedPerClient: past its burst, a client's lookups are refused for a while,
// right or wrong.
func TestFindIsLimitedPerClient(t *testing.T) {
	a := newApp(t, func(c *Config) { c.FindBurst = 3 })
	appt := a.booked()
	for range 3 {
		wantStatus(t, a.find("XXX-XXX", "Doe", "1984-07-21"), http.StatusUnprocessableEntity)
	}
	if r := a.find(appt.Code, "Doe", "1984-07-21"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the 4th lookup in a row: %d, want 429", r.StatusCode)
	}
}

// TestManageLinks: the confirmation's link opens its appointment in a fresh browser; a
// tampered link, a link for another visit made by hand, and a link after the visit are
// refused alike; a link for A never opens B.
func TestManageLinks(t *testing.T) {
	a := newApp(t)
	first := a.booked()
	confirm := a.get("/booked/" + first.VisitNumber)
	link, ok := confirm.doc.Find("[data-testid=manage-link]").Attr("href")
	if !ok || !strings.Contains(link, "/m/") {
		t.Fatalf("the confirmation has no manage link: %q", link)
	}
	path := link[strings.Index(link, "/m/"):]
	second := a.browser().booked()

	fresh := a.browser()
	wantRedirect(t, fresh.get(path), "/manage/"+first.VisitNumber)
	if r := fresh.get("/manage/" + first.VisitNumber); r.StatusCode != http.StatusOK {
		t.Errorf("the linked appointment: %d", r.StatusCode)
	}
	if r := fresh.get("/manage/" + second.VisitNumber); r.StatusCode != http.StatusNotFound {
		t.Errorf("A's link opened B: %d", r.StatusCode)
	}
	token := strings.TrimPrefix(path, "/m/")
	v64, mac, _ := strings.Cut(token, ".")
	forged := strings.Replace(path, v64, b64(second.VisitNumber), 1)
	for name, p := range map[string]string{
		"tampered":             "/m/" + v64 + "." + flip(mac),
		"another visit's name": forged,
		"not a token":          "/m/nonsense",
	} {
		if r := a.browser().get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s link: %d, want 404", name, r.StatusCode)
		}
	}
	a.now = first.End().Add(linkGrace + 1)
	if r := a.browser().get(path); r.StatusCode != http.StatusNotFound {
		t.Errorf("a link a day after the visit: %d, want 404", r.StatusCode)
	}
}

// TestCancelFromTheManagePage: a reason is required; canceled, the page says so, the EHR
// hears of it and the time is offered again at once.
func TestCancelFromTheManagePage(t *testing.T) {
	a := newApp(t)
	appt := a.booked()
	base := "/manage/" + appt.VisitNumber
	a.get(base + "/cancel")
	r := a.post(base+"/cancel", url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	checkPage(t, "cancel with errors", r)
	r = a.post(base+"/cancel", url.Values{"reason": {"other"}, "other": {""}})
	if r.doc.Find("#other-error").Length() != 1 {
		t.Error("'another reason' without words is not asked for them")
	}
	wantRedirect(t, a.post(base+"/cancel", url.Values{"reason": {"conflict"}}), base+"?canceled=1")
	page := a.get(base + "?canceled=1")
	if page.doc.Find("[data-testid=status]").AttrOr("data-status", "") != "canceled" || page.doc.Find("[data-testid=notice]").Length() != 1 {
		t.Errorf("after canceling: %s", page.doc.Find("main").Text())
	}
	ics := a.get(base + "/calendar.ics")
	if !strings.Contains(ics.body, "METHOD:CANCEL") || !strings.Contains(ics.body, "SEQUENCE:1") || !strings.Contains(ics.body, "UID:"+appt.VisitNumber) {
		t.Errorf("the calendar file of a canceled visit:\n%s", ics.body)
	}
	a.throughWhen(nil)
	if times := a.get("/times?p=" + appt.Provider.ID + "&day=" + appt.Start.In(chicago).Format("2006-01-02")); !strings.Contains(times.body, refOf(a, appt.Slot())) {
		t.Error("the canceled time is not offered again")
	}
}

// TestMoveFromTheManagePage: the patient picks a new time and confirms; a new visit number
// is booked, the old one canceled, and its time offered again.
func TestMoveFromTheManagePage(t *testing.T) {
	a := newApp(t)
	appt := a.booked()
	base := "/manage/" + appt.VisitNumber
	a.get(base)
	wantRedirect(t, a.post(base+"/move", nil), "/times")
	times := a.get("/times")
	if times.doc.Find("[data-testid=moving]").Length() != 1 {
		t.Error("the times do not say an appointment is being moved")
	}
	var pick string
	times.doc.Find("[data-testid=slots] button[name=slot]").EachWithBreak(func(_ int, b *goquery.Selection) bool {
		if v := b.AttrOr("value", ""); v != refOf(a, appt.Slot()) {
			pick = v
			return false
		}
		return true
	})
	wantRedirect(t, a.post("/times", url.Values{"slot": {pick}}), "/review")
	review := a.get("/review")
	if review.doc.Find("[data-testid=moving-from]").Length() != 1 {
		t.Errorf("the review does not show the time being replaced: %s", review.doc.Find("main").Text())
	}
	key := review.doc.Find("input[name=key]").AttrOr("value", "")
	r := a.post("/confirm", url.Values{"key": {key}})
	to := r.Header.Get("Location")
	newVN, _ := url.PathUnescape(strings.TrimPrefix(to, "/booked/"))
	moved, err := a.svc.Appointment(t0ctx, newVN)
	if err != nil || moved.VisitNumber == appt.VisitNumber || moved.Replaces != appt.VisitNumber || moved.Status != booking.StatusBooked {
		t.Fatalf("after the move: %+v %v", moved, err)
	}
	if old, _ := a.svc.Appointment(t0ctx, appt.VisitNumber); old.Status != booking.StatusCanceled {
		t.Errorf("the old appointment is %s, want canceled", old.Status)
	}
	confirm := a.get(to)
	if !strings.Contains(confirm.doc.Find("h1").Text(), "moved") {
		t.Errorf("the confirmation of a move: %q", confirm.doc.Find("h1").Text())
	}
	wantRedirect(t, a.get(base), "/manage/"+newVN+"?moved=1") // the old page leads to the new one
}

// TestManagePageChecksTheEHR: a visit the clinic canceled or moved by phone, with no
// notification yet, shows as the EHR has it when its page is opened, and says the clinic did it.
func TestManagePageChecksTheEHR(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(v *booking.Appointment)
		check  func(t *testing.T, r response, a booking.Appointment)
	}{
		{"canceled by phone", func(v *booking.Appointment) { v.Status = booking.StatusCanceled }, func(t *testing.T, r response, _ booking.Appointment) {
			if r.doc.Find("[data-testid=status]").AttrOr("data-status", "") != "canceled" {
				t.Errorf("status %q, want canceled", r.doc.Find("[data-testid=status]").AttrOr("data-status", ""))
			}
		}},
		{"moved by phone", func(v *booking.Appointment) { v.Status, v.Start = booking.StatusBooked, v.Start.Add(2*time.Hour) }, func(t *testing.T, r response, a booking.Appointment) {
			if !strings.Contains(r.doc.Find("[data-testid=when]").Text(), a.Start.Add(2*time.Hour).In(chicago).Format("3:04 PM")) {
				t.Errorf("when %q, want the new time", r.doc.Find("[data-testid=when]").Text())
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			appt := a.booked()
			a.ehr.set(func(f *fakeEHR) {
				v := appt
				tc.change(&v)
				f.byPhone = map[string]booking.Appointment{appt.VisitNumber: v}
			})
			r := a.get("/manage/" + appt.VisitNumber)
			wantStatus(t, r, http.StatusOK)
			tc.check(t, r, appt)
			if r.doc.Find("[data-testid=notice]").Length() != 1 {
				t.Error("the page does not say the clinic changed it")
			}
		})
	}
}
