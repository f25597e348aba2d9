package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"doorway/booking"
	"doorway/static"
)

// concrete turns a route template into a path that reaches it.
func concrete(path string) string {
	path = strings.ReplaceAll(path, ":visit", "DW-NOSUCH")
	return strings.ReplaceAll(path, "*", strings.TrimPrefix(static.URL("app.css"), static.Prefix))
}

// TestEveryRoute walks echo's route table, so a route added later is covered without
// anyone remembering to: every GET answers HEAD alike without a body; every state-changing
// route but the EHR's webhook refuses a form without the CSRF token, or with another
// browser's; no route answers an unknown method with a 5xx; every desk page but the sign-in
// refuses a session without a signed-in staff member.
func TestEveryRoute(t *testing.T) {
	a := newApp(t)
	a.get("/") // a session and a CSRF cookie, as a browser has
	stranger := a.browser()
	stranger.get("/")
	for _, r := range a.srv.echo.Routes() {
		path := concrete(r.Path)
		switch r.Method {
		case http.MethodGet:
			get, head := a.get(path), a.do(mustRequest(t, http.MethodHead, a.ts.URL+path))
			if head.StatusCode != get.StatusCode || head.body != "" {
				t.Errorf("HEAD %s: %d with %d bytes; GET: %d", path, head.StatusCode, len(head.body), get.StatusCode)
			}
			// Every desk page but the sign-in sends a patient's session to sign in first.
			if strings.HasPrefix(r.Path, pathDesk) && r.Path != pathDeskLogin {
				if to := get.Header.Get("Location"); get.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, pathDeskLogin) {
					t.Errorf("GET %s in a patient's session: %d to %q, want 303 to the sign-in", path, get.StatusCode, to)
				}
			}
			if strings.HasPrefix(r.Path, pathKiosk) {
				wantEnrollForm(t, r.Method+" "+path, get, r.Path == pathKiosk)
			}
		case http.MethodPost:
			if r.Path == webhookPath {
				continue // the EHR's token, not a browser's CSRF token, guards it
			}
			for name, token := range map[string]string{"no token": "", "another browser's token": stranger.cookie("_csrf")} {
				form := url.Values{"reason": {"cold-flu"}}
				if token != "" {
					form.Set("_csrf", token)
				}
				req := mustRequest(t, http.MethodPost, a.ts.URL+path)
				req.Body = io.NopCloser(strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res := a.do(req)
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s with %s: %d, want 403", path, name, res.StatusCode)
				}
			}
			if strings.HasPrefix(r.Path, pathKiosk) && r.Path != pathKiosk+"/enroll" {
				wantEnrollForm(t, "POST "+path, a.post(path, url.Values{"reason": {"cold-flu"}, "slot": {"x"}}), false)
			}
		}
		for _, m := range []string{http.MethodPut, http.MethodDelete, "PROPFIND"} {
			if res := a.do(mustRequest(t, m, a.ts.URL+path)); res.StatusCode >= 500 {
				t.Errorf("%s %s: %d", m, path, res.StatusCode)
			}
		}
	}
}

// wantEnrollForm fails unless r is the kiosk's enrollment form and nothing of the flow:
// 200 for the start page (ok), else 401.
func wantEnrollForm(t *testing.T, what string, r response, ok bool) {
	t.Helper()
	want := http.StatusUnauthorized
	if ok {
		want = http.StatusOK
	}
	if r.StatusCode != want || r.doc.Find("[data-testid=enroll-form]").Length() != 1 || r.doc.Find("form").Length() != 1 {
		t.Errorf("%s without a kiosk's device cookie: %d, want %d with the enrollment form alone\n%s", what, r.StatusCode, want, excerpt(r.body))
	}
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestChunkedFormOverTheLimit: a form body over the limit without a Content-Length (chunked)
// is refused with 413, not read as an empty form.
func TestChunkedFormOverTheLimit(t *testing.T) {
	a := newApp(t)
	a.get("/")
	body := "_csrf=" + a.cookie("_csrf") + "&reason=other&other=" + strings.Repeat("a", 100<<10)
	req := mustRequest(t, http.MethodPost, a.ts.URL+"/")
	req.Body = io.NopCloser(strings.NewReader(body)) // no ContentLength: sent chunked
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := a.do(req); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked 100 KB form: %d, want 413", res.StatusCode)
	}
}

// adminOnly are the desk's pages for administrators; TestEveryDeskRouteKnowsItsRole holds
// the route table to it both ways.
var adminOnly = map[string]bool{
	pathDesk + "/audit": true, pathDesk + "/audit.csv": true, pathDeskFunnel: true, pathDeskFunnel + ".csv": true,
	pathDeskKiosks: true, pathDeskKiosks + "/:id/code": true, pathDeskKiosks + "/:id/revoke": true,
}

// TestEveryDeskRouteKnowsItsRole walks the route table signed in with a desk (not admin)
// account: every administrators' page refuses it with 403, and every other desk route lets it
// through. A new admin page whose requireAdmin is forgotten, or a desk page put behind it by
// mistake, fails here until adminOnly says which it is.
func TestEveryDeskRouteKnowsItsRole(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	for _, r := range a.srv.echo.Routes() {
		if !strings.HasPrefix(r.Path, pathDesk) || r.Path == pathDeskLogin || r.Path == pathDeskLogout ||
			(r.Method != http.MethodGet && r.Method != http.MethodPost) {
			continue
		}
		var res response
		if r.Method == http.MethodGet {
			res = a.get(concrete(r.Path))
		} else {
			res = a.post(concrete(r.Path), nil)
		}
		if refused := res.StatusCode == http.StatusForbidden; refused != adminOnly[r.Path] {
			t.Errorf("%s %s as a desk account: %d; admin only: %v", r.Method, r.Path, res.StatusCode, adminOnly[r.Path])
		}
		if res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), pathDeskLogin) {
			t.Fatalf("%s %s signed the desk account out", r.Method, r.Path)
		}
	}
}
