package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// checkPage asserts what every page must have: lang, a title, exactly one h1, a skip link,
// labelled controls with groups in fieldsets, no inline script or style, and under 30 KB.
func checkPage(t *testing.T, name string, r response) {
	t.Helper()
	doc := r.doc
	if lang, _ := doc.Find("html").Attr("lang"); lang != "en" {
		t.Errorf("%s: html lang = %q, want en", name, lang)
	}
	if title := strings.TrimSpace(doc.Find("head title").Text()); title == "" || !strings.Contains(title, "Prairie Test Clinic") {
		t.Errorf("%s: title = %q, want a page title with the clinic name", name, title)
	}
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%s: %d h1 elements, want exactly 1", name, n)
	}
	if doc.Find(`a.skip[href="#main"]`).Length() != 1 || doc.Find("main#main").Length() != 1 {
		t.Errorf("%s: missing skip link to main#main", name)
	}
	if got := strings.TrimSpace(doc.Find(".site-head .brand").Text()); got != "Prairie Test Clinic" {
		t.Errorf("%s: header shows %q, want the clinic name", name, got)
	}
	if doc.Find("[style]").Length() > 0 || strings.Contains(r.body, "<style") {
		t.Errorf("%s: inline style found (CSP forbids it)", name)
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, ok := s.Attr("src"); !ok || strings.TrimSpace(s.Text()) != "" || !strings.HasPrefix(src, "/static/") {
			t.Errorf("%s: inline or foreign script %q", name, src)
		}
	})
	for _, attr := range []string{"onclick", "onchange", "onsubmit", "onload"} {
		if doc.Find("["+attr+"]").Length() > 0 {
			t.Errorf("%s: inline event handler %s", name, attr)
		}
	}
	doc.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		typ, _ := s.Attr("type")
		if typ == "hidden" || typ == "submit" {
			return
		}
		id, _ := s.Attr("id")
		labelled := s.ParentsFiltered("label").Length() > 0 || (id != "" && doc.Find(fmt.Sprintf("label[for=%q]", id)).Length() == 1)
		if !labelled {
			t.Errorf("%s: control %s name=%s id=%s has no label", name, goquery.NodeName(s), s.AttrOr("name", ""), id)
		}
		if (typ == "radio" || typ == "checkbox") && s.ParentsFiltered("fieldset").Find("legend").Length() == 0 {
			t.Errorf("%s: %s %s is not in a fieldset with a legend", name, typ, s.AttrOr("name", ""))
		}
	})
	doc.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
		for _, id := range strings.Fields(s.AttrOr("aria-describedby", "")) {
			if doc.Find("#"+id).Length() != 1 {
				t.Errorf("%s: aria-describedby points at missing #%s", name, id)
			}
		}
	})
	if len(r.body) > 30*1024 {
		t.Errorf("%s: %d bytes of HTML, want under 30 KB", name, len(r.body))
	}
}

func TestEveryStepRendersAccessibly(t *testing.T) {
	a := newApp(t)
	pages := map[string]response{}
	pages["reason"] = a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"knee-pain"}}), "/visit-type")
	pages["visit type"] = a.get("/visit-type")
	wantRedirect(t, a.post("/visit-type", url.Values{"visit_type": {"SICK"}}), "/times")
	pages["times"] = a.get("/times")
	pages["times with the filters' errors"] = a.post("/times/filter", url.Values{"from": {"soon"}, "who": {"nobody"}, "days": {"x"}})
	wantRedirect(t, a.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}), "/times")
	pages["times by day"] = a.get("/times?view=day")
	pages["times by location"] = a.get("/times?view=location")
	pages["every time of one provider"] = a.get("/times?p=1000000002")
	pages["every time of one day"] = a.get("/times?view=day&day=2026-03-03")
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, pages["times"])}}), "/details")
	pages["details"] = a.get("/details")
	wantRedirect(t, a.post("/details", validDetails()), "/review")
	pages["review"] = a.get("/review")
	key, _ := pages["review"].doc.Find("input[name=key]").Attr("value")
	confirm := a.post("/confirm", url.Values{"key": {key}})
	pages["confirmation"] = a.get(confirm.Header.Get("Location"))
	pages["urgent"] = a.get("/urgent")
	pages["not found"] = a.get("/no-such-page")

	steps := map[string]string{"reason": "1", "visit type": "2", "times": "3", "details": "4", "review": "5"}
	for name, r := range pages {
		t.Run(name, func(t *testing.T) {
			want := http.StatusOK
			switch name {
			case "not found":
				want = http.StatusNotFound
			case "times with the filters' errors":
				want = http.StatusUnprocessableEntity
			}
			wantStatus(t, r, want)
			checkPage(t, name, r)
			if n, ok := steps[name]; ok {
				if got := r.doc.Find("[data-testid=step]").Text(); !strings.Contains(got, "Step "+n+" of 5") {
					t.Errorf("step indicator = %q, want Step %s of 5", got, n)
				}
			}
		})
	}
}
