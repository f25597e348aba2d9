package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
)

// tapFirstTime taps the first time of walk-in visit type code on the kiosk's first screen and
// returns the time's words.
func (a *app) tapFirstTime(code string) string {
	a.t.Helper()
	start := a.get("/kiosk")
	wantStatus(a.t, start, http.StatusOK)
	form := start.doc.Find(`[data-testid=walk-in] form:has(input[name=visit_type][value=` + code + `])`)
	btn := form.Find("[data-testid=time]").First()
	slot, ok := btn.Attr("value")
	if !ok {
		a.t.Fatalf("no %s time on the first screen:\n%s", code, excerpt(start.body))
	}
	wantRedirect(a.t, a.post("/kiosk/next", url.Values{"visit_type": {code}, "slot": {slot}}), "/kiosk/reason")
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(btn.Text()), "Today"))
}

// TestKioskNextAvailable: the first screen is the next open times today at the kiosk's
// location for the walk-in visit types (the clinic's sick visit and follow-up: no visit type is
// marked walk_in in the test clinic), with a way to choose a reason instead. A time tapped
// there is held, but nothing books before the reason: the details answer with the reason
// screen, which offers that visit type's reasons; a fitting reason keeps the time, and the
// booking is the kiosk's, at that time, counted in the funnel under the kiosk.
func TestKioskNextAvailable(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby tablet")
	a.enroll(code)
	start := a.get("/kiosk")
	checkPage(t, "kiosk first screen", start)
	var types []string
	start.doc.Find("[data-testid=walk-in] input[name=visit_type]").Each(func(_ int, s *goquery.Selection) {
		types = append(types, s.AttrOr("value", ""))
	})
	if want := []string{"SICK", "FOLLOWUP"}; !slices.Equal(types, want) {
		t.Errorf("first screen offers %v, want %v", types, want)
	}
	if n := start.doc.Find("[data-testid=walk-in] [data-testid=time] .mark:contains(Today)").Length(); n == 0 || start.doc.Find("[data-testid=none-today]").Length() != 0 {
		t.Errorf("the first screen at 8:00 on a clinic day: %d times marked today, or says nothing is left today", n)
	}
	if href, _ := start.doc.Find("[data-testid=something-else]").Attr("href"); href != "/kiosk/reason" {
		t.Errorf("something else leads to %q, want the reason screen", href)
	}
	if r := a.get("/kiosk/reason"); r.doc.Find("[data-testid=reasons] button[value=mood]").Length() != 1 {
		t.Errorf("the reason screen without a tapped time does not offer the common reasons:\n%s", excerpt(r.body))
	}

	label := a.tapFirstTime("SICK")
	// Triage first: no details, no booking, before the reason.
	wantRedirect(t, a.get("/kiosk/details"), "/kiosk/reason")
	form := validDetails()
	form.Set("key", "k-"+strings.Repeat("x", 20))
	wantRedirect(t, a.post("/kiosk/details", form), "/kiosk/reason")
	why := a.get("/kiosk/reason")
	checkPage(t, "kiosk reason for a tapped time", why)
	var reasons []string
	why.doc.Find("[data-testid=reasons] button").Each(func(_ int, s *goquery.Selection) { reasons = append(reasons, s.AttrOr("value", "")) })
	if want := []string{"cold-flu", "knee-pain", "mole"}; !slices.Equal(reasons, want) || why.doc.Find("h1").Text() != "What brings you in?" {
		t.Errorf("after a sick-visit time the reasons are %v under %q; want %v under What brings you in?", reasons, why.doc.Find("h1").Text(), want)
	}
	wantRedirect(t, a.post("/kiosk/reason", url.Values{"reason": {"cold-flu"}}), "/kiosk/details")
	details := a.get("/kiosk/details")
	wantStatus(t, details, http.StatusOK)
	if held := details.doc.Find("[data-testid=held]").Text(); !strings.HasPrefix(held, label) {
		t.Errorf("details hold %q, want the tapped time %q", held, label)
	}
	appt, _ := a.bookWalkIn(details)
	if appt.VisitType.Code != "SICK" || !strings.HasSuffix(appt.Reason, "Cold or flu symptoms") || appt.Kiosk != "Lobby tablet" {
		t.Errorf("booked %s for %q on %q; want SICK for cold-flu on the kiosk", appt.VisitType.Code, appt.Reason, appt.Kiosk)
	}

	// The funnel counts the tap on the first screen's times (a search), the hold and the
	// booking under the kiosk, not the web.
	desk := a.browser()
	desk.addStaff("ada@clinic.example", booking.RoleAdmin)
	wantRedirect(t, desk.signIn("ada@clinic.example", deskPassword), "/desk")
	for _, tc := range []struct{ channel, want string }{{"kiosk", "1"}, {"web", "0"}} {
		r := desk.get("/desk/funnel?from=2026-03-02&to=2026-03-02&channel=" + tc.channel)
		wantStatus(t, r, http.StatusOK)
		if r.doc.Find("[data-testid=funnel-days]").Length() == 0 {
			if tc.want != "0" {
				t.Errorf("channel %s: nothing counted, want %s booking", tc.channel, tc.want)
			}
			continue
		}
		for _, col := range []string{"searches", "holds", "bookings"} {
			if got := funnelCell(t, r, "funnel-days", "2026-03-02", col); got != tc.want {
				t.Errorf("channel %s: %s %s, want %s", tc.channel, got, col, tc.want)
			}
		}
	}
}

// TestKioskTappedTimeRedFlag: a red flag typed after a time was tapped stops at the urgent
// advice, and the held time is let go.
func TestKioskTappedTimeRedFlag(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	a.tapFirstTime("SICK")
	sid := sessionIDOf(t, a)
	if _, err := a.svc.CurrentHold(t0ctx, sid, false); err != nil {
		t.Fatalf("the tapped time is not held: %v", err)
	}
	wantRedirect(t, a.post("/kiosk/reason", url.Values{"reason": {booking.ReasonOther}, "other": {"crushing chest pain"}}), "/kiosk/urgent")
	if u := a.get("/kiosk/urgent"); u.doc.Find("[data-testid=tell-desk]").Length() != 1 {
		t.Errorf("no 'tell the front desk' after a red flag:\n%s", excerpt(u.body))
	}
	if _, err := a.svc.CurrentHold(t0ctx, sid, false); booking.ErrorCode(err) != booking.CodeNotFound {
		t.Errorf("the tapped time is still held after a red flag: %v", err)
	}
	if r := a.get("/kiosk/details"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") == "/kiosk/details" {
		t.Errorf("the details after a red flag: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	// A time of a type the first screen does not offer is refused.
	if r := a.post("/kiosk/next", url.Values{"visit_type": {"NEW"}, "slot": {"0.0.1"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a NEW time from the first screen: %d, want 422", r.StatusCode)
	}
}

// TestKioskNothingToday: late in the day nothing is left today: the first screen and the
// times say so plainly, offer the soonest other day's times alone, and send the person to the
// front desk.
func TestKioskNothingToday(t *testing.T) {
	a := newApp(t)
	a.now = testNow.Add(12 * time.Hour) // 20:00 in Chicago
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	check := func(page string, r response, times *goquery.Selection) {
		t.Helper()
		wantStatus(t, r, http.StatusOK)
		checkPage(t, page, r)
		none := r.doc.Find("[data-testid=none-today]").Text()
		if !strings.Contains(none, "no open times left today") || !strings.Contains(none, "Please see the front desk.") {
			t.Errorf("%s does not say plainly that nothing is left today, and to see the desk: %q", page, none)
		}
		if times.Length() == 0 {
			t.Fatalf("%s offers no other day:\n%s", page, excerpt(r.body))
		}
		times.Each(func(_ int, s *goquery.Selection) {
			if txt := s.Text(); !strings.Contains(txt, "March 3") || s.Find(".mark").Text() != "Tomorrow" {
				t.Errorf("%s offers %q, want the soonest other day's times (Tuesday 3 March) alone", page, txt)
			}
		})
	}
	start := a.get("/kiosk")
	check("kiosk first screen, nothing today", start, start.doc.Find("[data-testid=walk-in] [data-testid=time]"))
	wantRedirect(t, a.post("/kiosk/reason", url.Values{"reason": {"cold-flu"}}), "/kiosk/times")
	times := a.get("/kiosk/times")
	check("kiosk times, nothing today", times, times.doc.Find("[data-testid=time]"))
}

// TestKioskReasonWithNothingToBook: a reason whose visit types the kiosk cannot book says
// plainly to see the front desk.
func TestKioskReasonWithNothingToBook(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	a.get("/kiosk")
	wantRedirect(t, a.post("/kiosk/reason", url.Values{"reason": {"skin-procedure"}}), "/kiosk/visit-type")
	r := a.get("/kiosk/visit-type")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "kiosk visit type, nothing to book", r)
	if txt := r.doc.Find("[data-testid=see-desk]").Text(); !strings.Contains(txt, "Please see the front desk.") {
		t.Errorf("a reason with nothing bookable does not send the person to the desk:\n%s", excerpt(r.body))
	}
}

// TestKioskDetailsAskAPhone: the kiosk asks every walk-in a phone number; the email alone is
// not enough.
func TestKioskDetailsAskAPhone(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	details := a.walkIn()
	form := validDetails()
	form.Set("key", details.doc.Find("input[name=key]").AttrOr("value", ""))
	form.Set("phone", "")
	form.Set("email", "jane@example.com")
	r := a.post("/kiosk/details", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if r.doc.Find("#phone-error").Length() != 1 {
		t.Errorf("no message beside the phone:\n%s", excerpt(r.body))
	}
}

// TestKioskSlipSaysWhatToBring: the slip lists the visit type's instructions and the clinic's
// usual "what to bring".
func TestKioskSlipSaysWhatToBring(t *testing.T) {
	a := newApp(t)
	for i := range a.srv.clinic.VisitTypes {
		if a.srv.clinic.VisitTypes[i].Code == "SICK" {
			a.srv.clinic.VisitTypes[i].Instructions = booking.Texts{booking.En("Bring your thermometer readings.")}
		}
	}
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	_, done := a.bookWalkIn(a.walkIn())
	var got []string
	done.doc.Find("[data-testid=slip] [data-testid=bring] li").Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
	want := []string{"Bring your thermometer readings.", "A photo ID and your insurance card."}
	if !slices.Equal(got, want) {
		t.Errorf("the slip's what to bring: %q, want %q", got, want)
	}
}

// TestKioskStartLetsGoOfATappedTime: back at the start with a time tapped and no reason given,
// the time is let go and "something else" offers every reason again.
func TestKioskStartLetsGoOfATappedTime(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	a.tapFirstTime("SICK")
	sid := sessionIDOf(t, a)
	if back := a.get("/kiosk"); back.StatusCode != http.StatusOK || back.doc.Find("[data-testid=walk-in] [data-testid=time]").Length() == 0 {
		t.Errorf("back at the start: %d, without the times:\n%s", back.StatusCode, excerpt(back.body))
	}
	if _, err := a.svc.CurrentHold(t0ctx, sid, false); booking.ErrorCode(err) != booking.CodeNotFound {
		t.Errorf("the tapped time is still held back at the start: %v", err)
	}
	if r := a.get("/kiosk/reason"); r.doc.Find("[data-testid=reasons] button[value=mood]").Length() != 1 {
		t.Errorf("something else after going back offers only the sick visit's reasons:\n%s", excerpt(r.body))
	}
}

// TestKioskNoTimesThisWeek: with no open time at all, the first screen says so and sends the
// person to the front desk, and still offers to choose a reason.
func TestKioskNoTimesThisWeek(t *testing.T) {
	a := newApp(t)
	a.ehr.slots = func(booking.SlotQuery) []booking.Slot { return nil }
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	r := a.get("/kiosk")
	wantStatus(t, r, http.StatusOK)
	checkPage(t, "kiosk first screen, no times", r)
	if txt := r.doc.Find("[data-testid=none-today]").Text(); !strings.Contains(txt, "no open time this week") || !strings.Contains(txt, "front desk") {
		t.Errorf("no times at all: %q, want it said plainly with the front desk", txt)
	}
	if r.doc.Find("[data-testid=something-else]").Length() != 1 {
		t.Error("no way to choose a reason when no time is open")
	}
}
