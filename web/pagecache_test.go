package web

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTimesPageIsSharedButNeverStale: two patients making the same search share one built
// page (the EHR is not asked again), each with their own CSRF token in its forms; a hold by
// one is missing from the other's next look at once; and a moment later the page is built
// again anyway.
func TestTimesPageIsSharedButNeverStale(t *testing.T) {
	a := newAppCaching(t, time.Hour)
	one, two := a.browser(), a.browser()
	one.throughWhen(nil)
	two.throughWhen(nil)
	first := one.get("/times")
	_, asked := a.ehr.lastQuery()
	shared := two.get("/times")
	if _, now := a.ehr.lastQuery(); now != asked {
		t.Errorf("the second look asked the EHR %d more times", now-asked)
	}
	tok := func(r response) string {
		return r.doc.Find("[data-testid=slots] input[name=_csrf]").AttrOr("value", "")
	}
	if tok(shared) == "" || tok(shared) == tok(first) || strings.Contains(shared.body, tok(first)) || tok(shared) != two.cookie("_csrf") {
		t.Errorf("the shared page carries token %q; its browser's is %q, the other's %q", tok(shared), two.cookie("_csrf"), tok(first))
	}
	if strings.Contains(shared.body, a.srv.pages.csrfTag) {
		t.Error("the placeholder reached a page")
	}

	// Two times of one provider's day: holding the second after the first asks the EHR
	// nothing new (that day's answer is kept), so only the hold itself can tell the page.
	cell := first.doc.Find("[data-testid=week] .cell").First().Find("button[name=slot]")
	slotA, slotB := cell.Eq(0).AttrOr("value", ""), cell.Eq(1).AttrOr("value", "")
	wantRedirect(t, one.post("/times", url.Values{"slot": {slotA}}), "/details")
	if after := two.get("/times"); strings.Contains(after.body, `value="`+slotA+`"`) {
		t.Errorf("the time %s held by another patient is still offered", slotA)
	}
	one.get("/times")
	wantRedirect(t, one.post("/times", url.Values{"slot": {slotB}}), "/details")
	after := two.get("/times")
	if strings.Contains(after.body, `value="`+slotB+`"`) || !strings.Contains(after.body, `value="`+slotA+`"`) {
		t.Errorf("after the other patient moved their hold from %s to %s, the page offers A: %v, B: %v", slotA, slotB,
			strings.Contains(after.body, `value="`+slotA+`"`), strings.Contains(after.body, `value="`+slotB+`"`))
	}

	two.get("/times")
	built := a.srv.pages.newest()
	a.now = a.now.Add(time.Second)
	two.get("/times")
	if a.srv.pages.newest() != built {
		t.Error("the page was built again within its moment")
	}
	a.now = a.now.Add(2 * time.Second) // past the page's moment (the EHR's answer is still kept)
	two.get("/times")
	if !a.srv.pages.newest().After(built) {
		t.Error("the page was not built again after its moment")
	}
}

// newest is when the last page was kept.
func (pc *pageCache) newest() time.Time {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	var t time.Time
	for _, p := range pc.pages {
		if p.at.After(t) {
			t = p.at
		}
	}
	return t
}
