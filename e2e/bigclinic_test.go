package e2e

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// maxPageBytes bounds every page's HTML with a health system's catalogue.
const maxPageBytes = 30_000

// TestEveryPageStaysSmallWithTwoHundredProviders runs Doorway on the generated health system
// (testdata/clinic-200.yaml: 200 providers in 12 clinics; the sandbox EHR reads the same file)
// and walks every page of the booking in English and Spanish: every view of the open times,
// the filters with their errors, the details with theirs, the confirmation, the urgent page.
// Each must stay under 30 KB of HTML, and the filters must offer the ways to find one of 200
// providers (a name, a clinic, a specialty, a language) rather than 200 checkboxes.
func TestEveryPageStaysSmallWithTwoHundredProviders(t *testing.T) {
	file, err := filepath.Abs("../testdata/clinic-200.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a := startDemo(t, launch{Args: []string{"-clinic", file}})
	for i, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			tr := patientTransport()
			defer tr.CloseIdleConnections()
			w := &walk{t: t, p: newPatient(i+1, a.URL, tr, newCodeCounter())}
			if _, err := w.p.do(http.MethodGet, "/?lang="+lang, nil); err != nil { // the switch: a cookie and a redirect
				t.Fatal(err)
			}
			if home := w.look("/"); home.doc.Find("html").AttrOr("lang", "") != lang {
				t.Fatalf("the reason page is not in %s", lang)
			}
			w.look("/?q=pain")
			w.post("/", url.Values{"reason": {"knee-pain"}}, "/visit-type")
			w.post("/visit-type", url.Values{"seen": {"yes"}, "visit_type": {"SICK"}}, "/times")
			times := w.look("/times")
			for _, name := range []string{"who", "locations", "specialty", "speaks"} {
				if times.doc.Find(`[data-testid=filter-form] [name=`+name+`]`).Length() == 0 {
					t.Errorf("the filters have no %q field", name)
				}
			}
			if n := times.doc.Find(`[data-testid=filter-form] input[type=checkbox][name=providers]`).Length(); n > 0 {
				t.Errorf("the filters list %d providers one by one", n)
			}
			w.look("/times?page=2")
			// Every arrangement, and the "more" links of each: one provider's week and then
			// day; one day (and its next page of providers); one clinic.
			w.follow(times, `[data-testid=week] a.more[href*="p="]`, `a.more[href*="day="]`)
			w.follow(w.look("/times?view=day"), `[data-testid=section-more]`, `[data-testid=paging] a[href*="page=2"]`)
			w.follow(w.look("/times?view=location"), `[data-testid=paging] a[href*="page=2"]`, `[data-testid=section-more]`)
			w.rejected("/times/filter", url.Values{"from": {"soon"}, "to": {"later"}, "days": {"x"}, "who": {strings.Repeat("z", 61)}})
			from, until := times.doc.Find("#from").AttrOr("value", ""), times.doc.Find("#to").AttrOr("value", "")
			w.post("/times/filter", url.Values{"from": {from}, "to": {until}, "speaks": {"es"}, "locations": {"omaha"}}, "/times")
			narrowed := w.look("/times")
			ref, ok := narrowed.doc.Find(`[data-testid=week] button[name=slot]`).First().Attr("value")
			if !ok {
				t.Fatal("no open time with a Spanish-speaking provider in Omaha")
			}
			if got := narrowed.doc.Find(`[data-testid=week] h2`).Length(); got == 0 || got > 4 {
				t.Errorf("%d providers on the narrowed page, want 1 to 4", got)
			}
			w.post("/times", url.Values{"slot": {ref}}, "/details")
			w.look("/details")
			w.rejected("/details", url.Values{})
			w.post("/details", url.Values{"first_name": {"Pat"}, "last_name": {"Scale"}, "dob_month": {"1"}, "dob_day": {"2"},
				"dob_year": {"1980"}, "phone": {"402-555-0133"}}, "/review")
			review := w.look("/review")
			to := w.submit("/confirm", url.Values{"key": {review.doc.Find("input[name=key]").AttrOr("value", "")}})
			if !strings.HasPrefix(to, "/booked/") {
				t.Fatalf("POST /confirm went to %q", to)
			}
			w.look(to)
			w.post("/", url.Values{"reason": {"chest-pain"}}, "/urgent")
			w.look("/urgent")
			t.Logf("largest page: %s, %d bytes", w.largest, w.most)
		})
	}
}

// walk is a patient going through pages and measuring each.
type walk struct {
	t       *testing.T
	p       *patient
	largest string
	most    int
}

// measure fails when page p is over maxPageBytes and keeps the largest.
func (w *walk) measure(p *page) {
	w.t.Helper()
	if p.size > maxPageBytes {
		w.t.Errorf("%s %s is %d bytes, want at most %d", p.method, p.path, p.size, maxPageBytes)
	}
	if p.size > w.most {
		w.largest, w.most = p.method+" "+p.path, p.size
	}
}

// look fetches path (wanting 200) and measures it.
func (w *walk) look(path string) *page {
	w.t.Helper()
	p, err := w.p.get(path)
	if err != nil {
		w.t.Fatal(err)
	}
	w.measure(p)
	return p
}

// follow follows a link matching each selector in turn, each on the page the one before
// led to, and measures every page.
func (w *walk) follow(from *page, selectors ...string) {
	w.t.Helper()
	for _, sel := range selectors {
		href, ok := from.doc.Find(sel).First().Attr("href")
		if !ok {
			w.t.Fatalf("%s has no link %s", from.path, sel)
		}
		from = w.look(href)
	}
}

// submit posts form to path, wanting a redirect, and returns where it goes.
func (w *walk) submit(path string, form url.Values) string {
	w.t.Helper()
	to, err := w.p.submit(path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	return to
}

// post posts form to path and wants a redirect to next.
func (w *walk) post(path string, form url.Values, next string) {
	w.t.Helper()
	if to := w.submit(path, form); to != next {
		w.t.Fatalf("POST %s went to %q, want %s", path, to, next)
	}
}

// rejected posts a form that must come back with its errors (422) and measures that page.
func (w *walk) rejected(path string, form url.Values) {
	w.t.Helper()
	form.Set("_csrf", w.p.csrf)
	p, err := w.p.do(http.MethodPost, path, form)
	if err != nil {
		w.t.Fatal(err)
	}
	if p.status != http.StatusUnprocessableEntity || p.doc == nil || p.doc.Find(".error-summary, [role=alert]").Length() == 0 {
		w.t.Fatalf("%v, want 422 with the errors shown", p)
	}
	w.measure(p)
}
