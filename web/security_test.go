package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCSRF(t *testing.T) {
	tests := []struct {
		name   string
		token  string
		header map[string]string
		want   int
	}{
		{"token missing", "-", nil, http.StatusForbidden},
		{"token wrong", "not-the-token", nil, http.StatusForbidden},
		{"cross-site browser", "", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"token right", "", nil, http.StatusSeeOther},
		{"same-origin browser without token", "-", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			a.get("/")
			form := url.Values{"reason": {"cold-flu"}}
			switch tt.token {
			case "-":
				form.Set("_csrf", "")
			case "":
				form.Set("_csrf", a.cookie("_csrf"))
			default:
				form.Set("_csrf", tt.token)
			}
			body := form.Encode()
			if tt.token == "-" {
				body = "reason=cold-flu"
			}
			req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			r := a.do(req)
			wantStatus(t, r, tt.want)
			if tt.want == http.StatusForbidden {
				checkPage(t, tt.name, r)
				if r.doc.Find("[data-testid=error-page]").Length() != 1 {
					t.Error("no friendly error page")
				}
			}
		})
	}
	t.Run("every form carries the token", func(t *testing.T) {
		a := newApp(t)
		r := a.get("/")
		tok, _ := r.doc.Find("form input[name=_csrf]").Attr("value")
		if tok == "" || tok != a.cookie("_csrf") {
			t.Errorf("form token %q, cookie %q", tok, a.cookie("_csrf"))
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	r := a.get("/")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
		"Cache-Control":           "no-store",
	}
	for h, v := range want {
		if got := r.Header.Get(h); got != v {
			t.Errorf("%s = %q, want %q", h, got, v)
		}
	}
	for _, c := range r.Cookies() {
		if c.Name == "_csrf" && (!c.HttpOnly || c.SameSite != http.SameSiteLaxMode) {
			t.Errorf("CSRF cookie flags: HttpOnly %v SameSite %v", c.HttpOnly, c.SameSite)
		}
	}
	post := a.post("/", url.Values{"reason": {"cold-flu"}})
	var session *http.Cookie
	for _, c := range post.Cookies() {
		if c.Name == "doorway" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %+v, want HttpOnly and SameSite=Lax", session)
	}
	t.Run("secure mode", func(t *testing.T) {
		s := newApp(t, func(c *Config) { c.Secure = true })
		r := s.get("/")
		if r.Header.Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS in secure mode")
		}
		for _, c := range r.Cookies() {
			if c.Name == "_csrf" && !c.Secure {
				t.Error("CSRF cookie not Secure in secure mode")
			}
		}
	})
}

func TestStaticAssets(t *testing.T) {
	a := newApp(t)
	page := a.get("/")
	css, _ := page.doc.Find(`link[rel=stylesheet]`).Attr("href")
	js, _ := page.doc.Find(`script[src]`).Attr("src")
	total := 0
	for _, u := range []string{css, js} {
		if !strings.HasPrefix(u, "/static/app.") || strings.Count(u, ".") != 2 {
			t.Errorf("asset URL %q is not content-hashed", u)
		}
		r := a.get(u)
		wantStatus(t, r, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s Cache-Control = %q", u, cc)
		}
		total += len(r.body)
	}
	if total > 30*1024 {
		t.Errorf("CSS and JS are %d bytes together, want under 30 KB", total)
	}
	t.Logf("CSS+JS: %d bytes", total)
	if cc := a.get("/static/app.css").Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("unhashed asset Cache-Control = %q, want no-cache", cc)
	}
	wantStatus(t, a.get("/static/nope.css"), http.StatusNotFound)
}

func TestBodyLimit(t *testing.T) {
	a := newApp(t)
	a.get("/")
	r := a.post("/", url.Values{"reason": {"other"}, "other": {strings.Repeat("x", 70<<10)}})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
}

func TestRateLimit(t *testing.T) {
	a := newApp(t, func(c *Config) { c.BookingRate, c.BookingBurst = 0.001, 3 })
	a.get("/")
	for i := range 3 {
		wantStatus(t, a.post("/", url.Values{}), http.StatusUnprocessableEntity)
		_ = i
	}
	r := a.post("/", url.Values{})
	wantStatus(t, r, http.StatusTooManyRequests)
	checkPage(t, "429", r)
	wantStatus(t, a.get("/"), http.StatusOK) // pages are not limited
}

func TestNoPHIInLogs(t *testing.T) {
	var logs bytes.Buffer
	a := newApp(t, logTo(&logs))
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"other"}, "other": {"rash on my elbow"}}), "/visit-type")
	wantRedirect(t, a.post("/visit-type", url.Values{"seen": {"yes"}, "visit_type": {"SICK"}}), "/times")
	wantRedirect(t, a.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}), "/times")
	wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, a.get("/times?view=day"))}}), "/details")
	a.post("/details", url.Values{"first_name": {"Zebediah"}, "last_name": {"Quill"}, "dob": {"1961-02-03"}, "phone": {"nope"}, "email": {"zq@example.org"}})
	wantRedirect(t, a.post("/details", url.Values{"first_name": {"Zebediah"}, "last_name": {"Quill"}, "dob": {"1961-02-03"},
		"phone": {"555-201-9876"}, "email": {"zq@example.org"}, "language": {"es"}, "mrn": {"MRN-4242"}}), "/review")
	key, _ := a.get("/review").doc.Find("input[name=key]").Attr("value")
	visit := a.post("/confirm", url.Values{"key": {key}}).Header.Get("Location")
	a.get(visit)
	out := logs.String()
	if !strings.Contains(out, "booking confirmed") || !strings.Contains(out, strings.TrimPrefix(visit, "/booked/")) {
		t.Errorf("the booking was not logged with its visit number:\n%s", out)
	}
	for _, phi := range []string{"Zebediah", "Quill", "1961", "9876", "zq@example.org", "rash", "elbow", "MRN-4242", "view=day", key} {
		if strings.Contains(out, phi) {
			t.Errorf("logs contain %q:\n%s", phi, out)
		}
	}
}

// TestErrorPagesOfferAWayOn: a failure that may pass (the server's, too many tries) offers
// "Try again" back to the page the patient was on, and is logged when it is the server's; a
// mistake of the patient's is not "tried again" and not logged as the server's.
func TestErrorPagesOfferAWayOn(t *testing.T) {
	var logs syncBuffer
	a := newApp(t, logTo(&logs), func(c *Config) { c.BookingRate, c.BookingBurst = 0.001, 1 })
	a.get("/")
	wrong := a.post("/", url.Values{})
	wantStatus(t, wrong, http.StatusUnprocessableEntity)
	if wrong.doc.Find("[data-testid=retry]").Length() != 0 {
		t.Error("a form's mistake offers 'Try again'")
	}
	limited := a.post("/", url.Values{})
	wantStatus(t, limited, http.StatusTooManyRequests)
	if got := limited.doc.Find("[data-testid=retry]").AttrOr("href", ""); got != "/" {
		t.Errorf("too many tries: retry %q, want the reason page", got)
	}
	if strings.Contains(string(logs.Bytes()), "request failed") {
		t.Errorf("a client's error was logged as the server's:\n%s", logs.Bytes())
	}
	var serverLogs syncBuffer
	b := newApp(t, logTo(&serverLogs))
	b.get("/")
	b.db.Close() // the server's own failure: its database is gone
	broken := b.post("/", url.Values{"reason": {"cold-flu"}})
	if broken.StatusCode != http.StatusInternalServerError {
		t.Fatalf("with the database closed: %d, want 500", broken.StatusCode)
	}
	if got := broken.doc.Find("[data-testid=retry]").AttrOr("href", ""); got != "/" {
		t.Errorf("server error: retry %q, want the form's page", got)
	}
	if !strings.Contains(string(serverLogs.Bytes()), "request failed") {
		t.Errorf("the server's error was not logged:\n%s", serverLogs.Bytes())
	}
}
