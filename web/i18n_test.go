package web

import (
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
	"doorway/views/i18n"
)

// englishFragments are the English table's sentences, cut at their {tokens}: the pieces
// long enough that finding one on a Spanish page means a sentence was left in English.
func englishFragments() []string {
	var out []string
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			for _, part := range regexp.MustCompile(`\{[^}]*\}`).Split(v.String(), -1) {
				if part = strings.TrimSpace(part); len(part) >= 14 {
					out = append(out, part)
				}
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k))
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(*i18n.English))
	return out
}

// wantSpanish checks a page answered in Spanish: <html lang="es">, no English sentence of
// the message tables, and every error beside a field says something.
func wantSpanish(t *testing.T, name string, r response, english []string) {
	t.Helper()
	if lang, _ := r.doc.Find("html").Attr("lang"); lang != "es" {
		t.Errorf("%s: <html lang=%q>, want es", name, lang)
	}
	text := strings.Join(strings.Fields(r.doc.Find("body").Text()), " ")
	for _, e := range english {
		if strings.Contains(text, e) {
			t.Errorf("%s: English on the Spanish page: %q", name, e)
		}
	}
	r.doc.Find(".err").Each(func(_ int, s *goquery.Selection) {
		if msg := strings.TrimSpace(strings.TrimPrefix(s.Text(), i18n.Spanish.Errors.Prefix)); msg == "" {
			t.Errorf("%s: an empty error beside a field", name)
		}
	})
}

// TestEveryPageInSpanish renders every page of the patient flow, every validation error of
// every form and the error pages with Spanish chosen, and finds no English sentence on them.
func TestEveryPageInSpanish(t *testing.T) {
	english := englishFragments()
	a := newApp(t)
	wantRedirect(t, a.get("/?lang=es"), "/")
	check := func(name string, r response, status int) {
		t.Helper()
		wantStatus(t, r, status)
		wantSpanish(t, name, r, english)
	}
	check("reason", a.get("/"), http.StatusOK)
	check("reason: nothing chosen", a.post("/", nil), http.StatusUnprocessableEntity)
	check("reason: something else, nothing typed", a.post("/", url.Values{"reason": {"other"}}), http.StatusUnprocessableEntity)
	check("reason: unknown", a.post("/", url.Values{"reason": {"nope"}}), http.StatusUnprocessableEntity)
	a.post("/", url.Values{"reason": {"chest-pain"}})
	check("urgent: red-flag reason", a.get("/urgent"), http.StatusOK)
	a.post("/", url.Values{"reason": {"other"}, "other": {"quiero quitarme la vida"}})
	check("urgent: crisis", a.get("/urgent"), http.StatusOK)
	a.post("/", url.Values{"reason": {"other"}, "other": {"no puedo respirar"}})
	check("urgent: typed emergency", a.get("/urgent"), http.StatusOK)
	a.post("/", url.Values{"reason": {"other"}, "other": {"me siento mareada"}})
	check("urgent: a doubtful sign", a.get("/urgent"), http.StatusOK)
	a.post("/", url.Values{"reason": {"skin-procedure"}})
	check("call to book", a.get("/visit-type"), http.StatusOK)
	wantRedirect(t, a.post("/", url.Values{"reason": {"mood"}}), "/visit-type")
	check("visit type", a.get("/visit-type"), http.StatusOK)
	check("visit type: nothing answered", a.post("/visit-type", nil), http.StatusUnprocessableEntity)
	check("visit type: for returning patients", a.post("/visit-type", url.Values{"seen": {"no"}, "visit_type": {"FOLLOWUP"}}), http.StatusUnprocessableEntity)
	check("visit type: for new patients", a.post("/visit-type", url.Values{"seen": {"yes"}, "visit_type": {"NEW"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, a.post("/", url.Values{"reason": {"cold-flu"}}), "/times")
	check("when", a.get("/times"), http.StatusOK)
	check("when: every field wrong", a.post("/times/filter", url.Values{"from": {"ayer"}, "to": {""}, "days": {"x"}, "bands": {"x"},
		"providers": {"x"}, "locations": {"x"}}), http.StatusUnprocessableEntity)
	check("when: dates the wrong way round", a.post("/times/filter", url.Values{"from": {"2026-03-10"}, "to": {"2026-03-02"},
		"providers": {"1000000001"}, "locations": {"west"}}), http.StatusUnprocessableEntity)
	check("when: too far", a.post("/times/filter", url.Values{"from": {"2026-03-01"}, "to": {"2026-07-01"}}), http.StatusUnprocessableEntity)
	spanishTimes(t, a, check)
}

// spanishTimes carries TestEveryPageInSpanish on from the open times to the confirmation and
// the error pages.
func spanishTimes(t *testing.T, a *app, check func(string, response, int)) {
	a.ehr.set(func(f *fakeEHR) { f.slots = func(booking.SlotQuery) []booking.Slot { return nil } })
	wantRedirect(t, a.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}, "days": {"sat"}, "bands": {"evening"}, "providers": {"1000000001"}}), "/times")
	check("no open times", a.get("/times"), http.StatusOK)
	a.ehr.set(func(f *fakeEHR) { f.slots = nil })
	wantRedirect(t, a.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}), "/times")
	for _, view := range []string{"day", "provider", "location"} {
		check("times by "+view, a.get("/times?view="+view), http.StatusOK)
	}
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times"))}}), "/details")
	check("details", a.get("/details"), http.StatusOK)
	check("details: nothing typed", a.post("/details", url.Values{"language": {"xx-yy"}}), http.StatusUnprocessableEntity)
	check("details: all wrong", a.post("/details", url.Values{"first_name": {strings.Repeat("a", 61)}, "last_name": {strings.Repeat("b", 61)},
		"dob": {"2999-01-01"}, "phone": {"12"}, "email": {"a@"}, "mrn": {"no spaces allowed"}}), http.StatusUnprocessableEntity)
	wantRedirect(t, a.post("/details", validDetails()), "/review")
	check("review", a.get("/review"), http.StatusOK)
	key, _ := a.get("/review").doc.Find("input[name=key]").Attr("value")
	confirm := a.post("/confirm", url.Values{"key": {key}})
	check("confirmation", a.get(confirm.Header.Get("Location")), http.StatusOK)
	check("not found", a.get("/no-such-page"), http.StatusNotFound)
	check("someone else's confirmation", a.get("/booked/DW-NOTYOURS"), http.StatusNotFound)
	check("expired form", a.post("/", url.Values{"_csrf": {"forged"}, "reason": {"cold-flu"}}), http.StatusForbidden)
	a.ehr.set(func(f *fakeEHR) { f.err = booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown) })
	a.throughWhenKeepingLanguage()
	check("the EHR is down", a.get("/times"), http.StatusServiceUnavailable)
}

// throughWhenKeepingLanguage answers steps 1 to 3 again in the same session.
func (a *app) throughWhenKeepingLanguage() {
	a.t.Helper()
	wantRedirect(a.t, a.post("/", url.Values{"reason": {"cold-flu"}}), "/times")
	wantRedirect(a.t, a.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}), "/times")
}

// TestLanguageSwitch: ?lang= is remembered in the session and redirects to the same page
// without it; the answers so far are kept; without a choice, Accept-Language decides.
func TestLanguageSwitch(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	wantRedirect(t, a.get("/times?lang=es"), "/times")
	r := a.get("/times")
	wantStatus(t, r, http.StatusOK)
	if lang, _ := r.doc.Find("html").Attr("lang"); lang != "es" {
		t.Errorf("after switching: lang %q", lang)
	}
	if from, _ := r.doc.Find("#from").Attr("value"); from != "2026-03-02" {
		t.Errorf("the dates were lost when switching language: from %q", from)
	}
	if href, _ := r.doc.Find("[data-testid=lang-switch] a[lang=en]").Attr("href"); href != "/times?lang=en" {
		t.Errorf("switch back link %q", href)
	}
	wantRedirect(t, a.get("/times?view=provider&lang=en"), "/times?view=provider")
	if lang, _ := a.get("/times").doc.Find("html").Attr("lang"); lang != "en" {
		t.Errorf("switching back: lang %q", lang)
	}
	wantRedirect(t, a.get("/?lang=klingon"), "/")
	b := a.browser()
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/", nil)
	req.Header.Set("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
	if lang, _ := b.do(req).doc.Find("html").Attr("lang"); lang != "es" {
		t.Errorf("Accept-Language es-MX: lang %q", lang)
	}
}
