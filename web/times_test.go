package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
)

// TestSearchCarriesEveryPreference: the EHR is asked day by day, every query carrying the
// whole choice; the page holds the answers to the preferences the fake EHR ignores.
func TestSearchCarriesEveryPreference(t *testing.T) {
	a := newApp(t)
	a.throughWhen(url.Values{"days": {"mon", "wed"}, "bands": {"morning"}, "providers": {"1000000002"}, "locations": {"west"}})
	a.ehr.set(func(f *fakeEHR) { f.queries = nil })
	r := a.get("/times")
	wantStatus(t, r, http.StatusOK)
	a.ehr.mu.Lock()
	qs := slices.Clone(a.ehr.queries)
	a.ehr.mu.Unlock()
	if len(qs) != 14 {
		t.Fatalf("%d AvailableSlots queries, want one for each of the 14 days", len(qs))
	}
	slices.SortFunc(qs, func(x, y booking.SlotQuery) int { return x.Start.Compare(y.Start) })
	denver, _ := time.LoadLocation("America/Denver")
	if !qs[0].Start.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, denver)) || !qs[13].End.Equal(time.Date(2026, 3, 16, 0, 0, 0, 0, denver)) {
		t.Errorf("days from %v to %v, want Denver's 2 to 15 March", qs[0].Start, qs[13].End)
	}
	for _, q := range qs {
		checks := []struct {
			what      string
			got, want any
		}{
			{"a day", q.End.Sub(q.Start), 24 * time.Hour},
			{"reasons", q.Reasons, []string{"Cold or flu symptoms"}},
			{"visit type", q.VisitType, booking.Coded{Code: "SICK", Codeset: "DoorwayVisitType", Description: "Sick visit"}},
			{"minutes", q.Minutes, 20},
			{"days", q.Days, []time.Weekday{time.Monday, time.Wednesday}},
			{"bands", q.Bands, []booking.Band{booking.Morning}},
			{"providers", q.Providers, []booking.ProviderRef{{ID: "1000000002", IDType: "NPI"}}},
			{"locations", q.Locations, []booking.LocationRef{{ID: "west", Facility: "Prairie", Department: "West Family Medicine"}}},
		}
		for _, c := range checks {
			if g, w := toJSON(c.got), toJSON(c.want); g != w && !(c.what == "a day" && q.Start.In(denver).Month() == 3 && q.Start.In(denver).Day() == 8) {
				t.Errorf("query %s = %s, want %s", c.what, g, w)
			}
		}
	}
	// The fake EHR ignores days and bands; the page must not.
	times := r.doc.Find("[data-testid=week] .times button")
	if times.Length() == 0 {
		t.Fatal("no times shown")
	}
	times.Each(func(_ int, s *goquery.Selection) {
		if !strings.HasSuffix(s.Text(), " AM") {
			t.Errorf("time %q is not in the morning", s.Text())
		}
	})
	r.doc.Find(".cell:not(.empty) .cday").Each(func(_ int, s *goquery.Selection) {
		if d := s.Text(); !strings.HasPrefix(d, "Mon") && !strings.HasPrefix(d, "Wed") {
			t.Errorf("day %q is not a Monday or Wednesday", d)
		}
	})
	if !strings.Contains(r.doc.Find("main").Text(), "Mountain time") {
		t.Error("the zone is not spelled out")
	}
}

func TestAnyProviderMeansThoseWhoOfferTheVisit(t *testing.T) {
	a := newApp(t)
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"knee-pain"}}), "/visit-type")
	wantRedirect(t, a.post("/visit-type", url.Values{"visit_type": {"INJURY"}}), "/times")
	wantRedirect(t, a.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}), "/times")
	a.get("/times")
	q, _ := a.ehr.lastQuery()
	if len(q.Providers) != 1 || q.Providers[0].ID != "1000000002" || q.Minutes != 30 {
		t.Errorf("query providers %v minutes %d, want only the provider who offers INJURY, 30 minutes", q.Providers, q.Minutes)
	}
}

func TestTimesViews(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	tests := []struct {
		query, current string
		first          string // the first heading of the results
	}{
		{"", "By provider", "Maya Okafor, MD"},
		{"view=bogus", "By provider", "Maya Okafor, MD"},
		{"view=day", "By day", "Monday, March 2"},
		{"view=location", "By location", "East Clinic"},
		{"p=1000000002", "", "Every open time with Daniel Reyes, DO"},
		{"view=day&day=2026-03-03", "", "Every open time on Tuesday, March 3"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := a.get("/times?" + tt.query)
			wantStatus(t, r, http.StatusOK)
			if got := r.doc.Find(".views a[aria-current=page]").Text(); got != tt.current {
				t.Errorf("current view = %q, want %q", got, tt.current)
			}
			if got := r.doc.Find("[data-testid=focus], .prov h2, section.day h2").First().Text(); got != tt.first {
				t.Errorf("first heading = %q, want %q", got, tt.first)
			}
		})
	}
	r := a.get("/times")
	if got := r.doc.Find("[data-testid=soonest]").Text(); !strings.Contains(got, "Monday, March 2, 9:00 AM (Central time)") {
		t.Errorf("soonest = %q", got)
	}
	// The week at a glance: three times a day and a link to the rest; every provider who
	// offers the visit (three) on one page, soonest first; times in order in every cell.
	if n := r.doc.Find(".prov").Length(); n != 3 {
		t.Errorf("%d providers, want 3", n)
	}
	r.doc.Find(".cell:not(.empty)").Each(func(_ int, c *goquery.Selection) {
		var starts []int64
		c.Find("button").Each(func(_ int, b *goquery.Selection) { starts = append(starts, refStart(b)) })
		if !slices.IsSorted(starts) || len(starts) > 3*2 {
			t.Errorf("cell %q: %d times, in order %v", c.Find(".cday").Text(), len(starts), slices.IsSorted(starts))
		}
		if len(starts) == 3 && c.Find("a.more").Length() != 1 {
			t.Errorf("cell %q: no link to its other times", c.Find(".cday").Text())
		}
	})
	// Reyes works at both clinics: each cell names the clinic over its times.
	if got := r.doc.Find("#pr-1000000002-2026-03-02").Parent().Find(".where").Length(); got != 2 {
		t.Errorf("Reyes's Monday names %d clinics, want 2", got)
	}
	// Daylight saving starts on 8 March 2026: clinic-local times stay put across it.
	day := a.get("/times?view=day")
	day.doc.Find("section.day").Each(func(_ int, sec *goquery.Selection) {
		if d := sec.Find("h2").Text(); d == "Monday, March 9" || d == "Friday, March 6" {
			if got := sec.Find(".times button").First().Text(); got != "9:00 AM" {
				t.Errorf("%s first time = %q, want 9:00 AM", d, got)
			}
		}
	})
	if n := day.doc.Find("section.day").Length(); n != 10 {
		t.Errorf("%d days by day, want the 10 weekdays", n)
	}
}

func TestNoResultsOffersWidenings(t *testing.T) {
	a := newApp(t)
	a.ehr.set(func(f *fakeEHR) {
		f.slots = func(q booking.SlotQuery) []booking.Slot {
			if len(q.Days) > 0 || len(q.Bands) > 0 || q.Start.Before(time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)) {
				return nil
			}
			return gridSlots(testClinic(), q)
		}
	})
	a.throughWhen(url.Values{"days": {"sat"}, "bands": {"evening"}, "providers": {"1000000001"}})
	r := a.get("/times")
	wantStatus(t, r, http.StatusOK)
	why := r.doc.Find("[data-testid=no-results] p").First().Text()
	for _, want := range []string{"sick visit", "Mon, Mar 2 to Sun, Mar 15", "Saturdays", "evenings", "Maya Okafor, MD"} {
		if !strings.Contains(why, want) {
			t.Errorf("why = %q, want it to mention %q", why, want)
		}
	}
	var offered []string
	r.doc.Find("[data-testid=widen] button[name=widen]").Each(func(_ int, s *goquery.Selection) { offered = append(offered, s.AttrOr("value", "")) })
	if want := []string{"days", "bands", "providers", "later"}; !slices.Equal(offered, want) {
		t.Errorf("widenings %v, want %v", offered, want)
	}
	if r.doc.Find("form[action='/times/widen'] input[name=_csrf]").Length() != 1 {
		t.Error("widen form has no CSRF field")
	}
	for _, w := range []string{"days", "bands", "providers"} {
		wantRedirect(t, a.post("/times/widen", url.Values{"widen": {w}}), "/times")
	}
	a.get("/times")
	q, _ := a.ehr.lastQuery()
	if len(q.Days) != 0 || len(q.Bands) != 0 || len(q.Providers) != 3 {
		t.Errorf("after widening: days %v bands %v providers %v, want none, none, all three who offer the visit", q.Days, q.Bands, q.Providers)
	}
	wantRedirect(t, a.post("/times/widen", url.Values{"widen": {"later"}}), "/times")
	r = a.get("/times")
	if got := r.doc.Find("[data-testid=searched]").Text(); !strings.Contains(got, "Mon, Mar 16 to Sun, Mar 22") {
		t.Errorf("after the next 14 days: %q", got)
	}
	if r.doc.Find(".times button").Length() == 0 {
		t.Error("still no times after widening")
	}
}

func TestEHRDownShowsRetry(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	a.ehr.set(func(f *fakeEHR) {
		f.err = booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown)
	})
	r := a.get("/times?view=provider")
	wantStatus(t, r, http.StatusServiceUnavailable)
	checkPage(t, "503", r)
	if href, _ := r.doc.Find("[data-testid=retry]").Attr("href"); href != "/times?view=provider" {
		t.Errorf("retry link = %q, want the same page", href)
	}
	if !strings.Contains(r.doc.Find("main").Text(), "not answering right now") {
		t.Errorf("message missing: %q", r.doc.Find("main").Text())
	}
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After on 503")
	}

	t.Run("a timeout is a 503 too", func(t *testing.T) {
		a.ehr.set(func(f *fakeEHR) { f.err = fmt.Errorf("redox: query: %w", context.DeadlineExceeded) })
		wantStatus(t, a.get("/times"), http.StatusServiceUnavailable)
	})
	t.Run("holding while the EHR is down", func(t *testing.T) {
		r := a.post("/times", url.Values{"slot": {"0.0.1772463600"}})
		wantStatus(t, r, http.StatusServiceUnavailable)
		if href, _ := r.doc.Find("[data-testid=retry]").Attr("href"); href != "/times" {
			t.Errorf("retry link = %q, want /times", href)
		}
	})
	t.Run("JSON clients get a JSON error", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/times", nil)
		req.Header.Set("Accept", "application/json")
		res := a.do(req)
		wantStatus(t, res, http.StatusServiceUnavailable)
		var body struct {
			Error struct{ Message, Field string }
		}
		if err := json.Unmarshal([]byte(res.body), &body); err != nil || body.Error.Message == "" {
			t.Errorf("body %s: %v", res.body, err)
		}
	})
}

// refStart is the start (unix seconds) in a time button's slot reference.
// refStart is the start (unix seconds) in a time button's slot reference.
func refStart(b *goquery.Selection) int64 {
	parts := strings.Split(b.AttrOr("value", ""), ".")
	sec, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	return sec
}

func TestTakenTimeOffersAlternatives(t *testing.T) {
	a := newApp(t)
	b := a.browser()
	a.throughWhen(nil)
	b.throughWhen(nil)
	slot := firstSlot(t, a.get("/times"))
	wantRedirect(t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	// b's page still shows the time; b picks it too.
	wantRedirect(t, b.post("/times", url.Values{"slot": {slot}}), "/times")
	r := b.get("/times")
	wantStatus(t, r, http.StatusOK)
	alts := r.doc.Find("[data-testid=alternatives]")
	if !strings.Contains(alts.Text(), "That time was just taken. Here are the nearest open times.") {
		t.Errorf("no clear message: %q", alts.Text())
	}
	buttons := alts.Find("button[name=slot]")
	if buttons.Length() == 0 || buttons.Length() > 3 {
		t.Fatalf("%d alternatives, want 1 to 3", buttons.Length())
	}
	buttons.Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("value", "") == slot {
			t.Error("the taken time is offered as an alternative")
		}
	})
	if r.doc.Find(".times button[value='"+slot+"']").Length() != 0 {
		t.Error("the taken time is still listed")
	}
	// The message is shown once; an alternative can be held at once.
	if b.get("/times").doc.Find("[data-testid=alternatives]").Length() != 0 {
		t.Error("the alternatives message is shown again on refresh")
	}
	wantRedirect(t, b.post("/times", url.Values{"slot": {buttons.First().AttrOr("value", "")}}), "/details")
}

func TestHoldExpiryReturnsToTimes(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times"))}}), "/details")
	d := a.get("/details")
	if got := d.doc.Find("[data-testid=hold-notice]").Text(); !strings.Contains(got, "9:00 AM") || !strings.Contains(got, "10 minutes") {
		t.Errorf("hold notice = %q", got)
	}
	if v, _ := d.doc.Find("[data-countdown]").Attr("data-countdown"); v != "600" {
		t.Errorf("countdown seconds = %q, want 600", v)
	}
	a.now = a.now.Add(11 * time.Minute)
	wantRedirect(t, a.post("/details", validDetails()), "/times")
	r := a.get("/times")
	if got := r.doc.Find("[data-testid=alternatives]").Text(); !strings.Contains(got, "held time has ended") {
		t.Errorf("expiry note = %q", got)
	}
	if again := a.get("/times"); strings.Contains(again.doc.Find("main").Text(), "held time has ended") {
		t.Error("the expiry note is shown again on refresh")
	}
	// The details typed before the expiry were kept: after a new pick, straight to review.
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, r)}}), "/review")
}

func TestBadSlotReference(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	// The test clinic has 3 providers and 2 locations: "3.0" and "0.2" are one past each list.
	for _, ref := range []string{"", "x", "9.9.1", "0.0.notanumber", "0.0.1", "3.0.1772460000", "0.2.1772460000", "-1.0.1772460000"} {
		r := a.post("/times", url.Values{"slot": {ref}})
		if r.StatusCode != http.StatusUnprocessableEntity && r.Header.Get("Location") != "/times" {
			t.Errorf("slot %q: status %d location %q, want 422 or back to the times", ref, r.StatusCode, r.Header.Get("Location"))
		}
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestOnlyFormsRenewAHold: reading the details page does not keep a time held; submitting
// the details does.
func TestOnlyFormsRenewAHold(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times"))}}), "/details")
	a.now = a.now.Add(6 * time.Minute)
	wantStatus(t, a.get("/details"), http.StatusOK)
	a.now = a.now.Add(5 * time.Minute) // 11 minutes after holding: the 10-minute hold is over
	wantRedirect(t, a.get("/details"), "/times")

	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times"))}}), "/details")
	a.now = a.now.Add(6 * time.Minute)
	wantRedirect(t, a.post("/details", validDetails()), "/review")
	a.now = a.now.Add(5 * time.Minute)
	wantStatus(t, a.get("/review"), http.StatusOK) // renewed by the submitted details
}

// TestSlowEHRSaysStillLooking: with an EHR that takes longer than the page's patience, the
// times page answers at once with "still looking" (a link to look again); the query goes on,
// and looking again once it has answered shows the times without asking the EHR again.
func TestSlowEHRSaysStillLooking(t *testing.T) {
	a := newAppCaching(t, 5*time.Second, func(c *Config) { c.Patience = 100 * time.Millisecond })
	a.throughWhen(nil)
	a.ehr.set(func(f *fakeEHR) { f.delay = 700 * time.Millisecond })
	_, before := a.ehr.lastQuery()
	r := a.get("/times?view=day")
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find("[data-testid=still-looking]").Length() != 1 || r.doc.Find("button[name=slot]").Length() != 0 {
		t.Fatalf("a slow EHR's page: %s", r.doc.Find("main").Text())
	}
	if href := r.doc.Find("[data-testid=look-again]").AttrOr("href", ""); href != "/times?view=day" {
		t.Errorf("look again at %q, want the same view", href)
	}
	checkPage(t, "still looking", r)
	time.Sleep(900 * time.Millisecond)
	r = a.get("/times?view=day")
	if r.doc.Find("button[name=slot]").Length() == 0 {
		t.Fatalf("looking again after the EHR answered: %s", r.doc.Find("main").Text())
	}
	if _, after := a.ehr.lastQuery(); after-before != 14 {
		t.Errorf("the EHR was asked %d times for 14 days looked at twice, want 14 (one per day)", after-before)
	}
}

// TestHoldsAreCappedPerClient: one client opening session after session cannot hold more
// than its cap of times at once; the next hold is refused with a message, and when the holds
// run out there is room again.
func TestHoldsAreCappedPerClient(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	refs := []string{}
	a.get("/times?view=day").doc.Find("[data-testid=slots] .times button[name=slot]").Each(func(_ int, b *goquery.Selection) {
		refs = append(refs, b.AttrOr("value", ""))
	})
	if len(refs) < booking.DefaultHoldsPerClient+1 {
		t.Fatalf("%d open times, want at least %d", len(refs), booking.DefaultHoldsPerClient+1)
	}
	for i := range booking.DefaultHoldsPerClient + 1 {
		b := a.browser()
		b.throughWhen(nil)
		r := b.post("/times", url.Values{"slot": {refs[i]}})
		if i < booking.DefaultHoldsPerClient {
			wantRedirect(t, r, "/details")
			continue
		}
		wantStatus(t, r, http.StatusTooManyRequests)
		if !strings.Contains(r.doc.Find("main").Text(), "too many times at once") {
			t.Errorf("the refusal does not say why: %s", r.doc.Find("main").Text())
		}
		checkPage(t, "too many holds", r)
		// The others' holds run out: now there is room.
		a.now = a.now.Add(a.svc.HoldDuration() + time.Minute)
		b.get("/times")
		wantRedirect(t, b.post("/times", url.Values{"slot": {refs[i]}}), "/details")
	}
}

// TestFirstLookBooksWithoutFiltering: the patient who takes the first open time offered,
// without touching the filters, can hold it: the dates shown are the dates searched.
func TestFirstLookBooksWithoutFiltering(t *testing.T) {
	a := newApp(t)
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"cold-flu"}}), "/times")
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times"))}}), "/details")
}

// TestTakenOnlyTimeSaysChooseAnother: when the time taken was the only one that day, there is
// nothing near to offer: the patient is told to choose another time.
func TestTakenOnlyTimeSaysChooseAnother(t *testing.T) {
	a := newApp(t)
	a.ehr.set(func(f *fakeEHR) {
		f.slots = func(q booking.SlotQuery) []booking.Slot {
			return gridSlots(f.clinic, q)[:1]
		}
	})
	b := a.browser()
	a.throughWhen(nil)
	b.throughWhen(nil)
	slot := firstSlot(t, a.get("/times"))
	wantRedirect(t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	wantRedirect(t, b.post("/times", url.Values{"slot": {slot}}), "/times")
	alts := b.get("/times").doc.Find("[data-testid=alternatives]")
	if !strings.Contains(alts.Text(), "Sorry, that time was just taken. Please choose another.") || alts.Find("button[name=slot]").Length() != 0 {
		t.Errorf("the only time taken: %q with %d alternatives; want 'choose another' and none", alts.Text(), alts.Find("button[name=slot]").Length())
	}
}
