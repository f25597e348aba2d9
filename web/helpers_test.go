package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
	"doorway/store"
)

// testNow is the service's clock in tests: Monday 2 March 2026, 8:00 in Chicago.
var testNow = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

// app is one Doorway web server on a real SQLite file, with a fake EHR, and a browser-like
// client: a cookie jar, no redirect following, and CSRF tokens filled in like a form would.
type app struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	ehr    *fakeEHR
	svc    *booking.Service
	db     *store.DB
	client *http.Client
	now    time.Time
}

// option adjusts a test app's Config before the server is built.
type option func(*Config)

func newApp(t testing.TB, opts ...option) *app {
	t.Helper()
	return newAppCaching(t, -1, opts...)
}

// newAppCaching is newApp with the search cache keeping answers for cacheFor (negative: none,
// as most tests want; the benchmarks measure with the production cache).
func newAppCaching(t testing.TB, cacheFor time.Duration, opts ...option) *app {
	t.Helper()
	return newAppServing(t, cacheFor, nil, opts...)
}

// newAppServing is newAppCaching with svc adjusting the booking service's Config (nil: none).
func newAppServing(t testing.TB, cacheFor time.Duration, svc func(*booking.Config), opts ...option) *app {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "doorway.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	clinic := testClinic()
	ehr := newFakeEHR(clinic)
	a := &app{t: t, ehr: ehr, db: db, now: testNow}
	bcfg := booking.Config{Clinic: clinic, EHR: ehr, Holds: db, Appointments: db,
		Mirror: db, SlotCache: db, Manage: db, Staff: db, DeadLetters: deadLetterStore(t, db), Counter: booking.NewTally(db, nil),
		Now: func() time.Time { return a.now }, CacheFor: cacheFor}
	if svc != nil {
		svc(&bcfg)
	}
	a.svc = booking.NewService(bcfg)
	sessions := store.NewSessionStore(db, store.SessionOptions{Codec: SessionCodec{}, Now: func() time.Time { return a.now }})
	cfg := Config{Service: a.svc, Sessions: sessions, DB: db, WebhookToken: "s3cret",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BookingBurst: 1000, BookingRate: 1000}
	for _, o := range opts {
		o(&cfg)
	}
	a.srv, err = NewServer(cfg)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	a.ts = httptest.NewServer(a.srv.Handler())
	t.Cleanup(a.ts.Close)
	jar, _ := cookiejar.New(nil)
	a.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return a
}

// browser returns a second browser (its own cookies) on the same server.
func (a *app) browser() *app {
	b := *a
	jar, _ := cookiejar.New(nil)
	b.client = &http.Client{Jar: jar, CheckRedirect: a.client.CheckRedirect}
	return &b
}

// logTo sends the server's logs, at every level, to w.
func logTo(w io.Writer) option {
	return func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

// response is a fetched page.
type response struct {
	*http.Response
	body string
	doc  *goquery.Document
}

func (a *app) do(req *http.Request) response {
	a.t.Helper()
	res, err := a.client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	return response{Response: res, body: string(b), doc: doc}
}

// get fetches path.
func (a *app) get(path string) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+path, nil)
	return a.do(req)
}

// post submits form to path with the CSRF token from the cookie, as the page's form would.
func (a *app) post(path string, form url.Values) response {
	a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", a.cookie("_csrf"))
	}
	req, _ := http.NewRequest(http.MethodPost, a.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return a.do(req)
}

func (a *app) cookie(name string) string {
	u, _ := url.Parse(a.ts.URL)
	for _, c := range a.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// wantStatus fails the test unless r has status want.
func wantStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, excerpt(r.body))
	}
}

// wantRedirect fails the test unless r is a 303 to want.
func wantRedirect(t testing.TB, r response, want string) {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	if got := r.Header.Get("Location"); got != want {
		t.Fatalf("%s %s: redirect to %q, want %q", r.Request.Method, r.Request.URL.Path, got, want)
	}
}

func excerpt(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "..."
	}
	return s
}

// setCookie replaces the named cookie, e.g. to replay a request with an old session.
func (a *app) setCookie(name, value string) {
	u, _ := url.Parse(a.ts.URL)
	a.client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// book goes through the whole flow and returns the confirm form's key and the response to
// the confirm POST.
func (a *app) book() (key string, confirm response) {
	a.t.Helper()
	a.throughWhen(nil)
	slot := firstSlot(a.t, a.get("/times"))
	wantRedirect(a.t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	wantRedirect(a.t, a.post("/details", validDetails()), "/review")
	review := a.get("/review")
	wantStatus(a.t, review, http.StatusOK)
	key, _ = review.doc.Find("input[name=key]").Attr("value")
	if key == "" {
		a.t.Fatal("review page has no idempotency key")
	}
	return key, a.post("/confirm", url.Values{"key": {key}})
}

// throughWhen answers the reason (a cold: a sick visit, any patient, so the open times come
// next) and filters the times to 2 to 15 March plus extra form values.
func (a *app) throughWhen(extra url.Values) {
	a.t.Helper()
	a.get("/")
	wantRedirect(a.t, a.post("/", url.Values{"reason": {"cold-flu"}}), "/times")
	form := url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}
	for k, v := range extra {
		form[k] = v
	}
	wantRedirect(a.t, a.post("/times/filter", form), "/times")
}

// firstSlot returns the first open time's form value on the times page.
func firstSlot(t testing.TB, r response) string {
	t.Helper()
	v, ok := r.doc.Find("[data-testid=slots] .times button[name=slot]").First().Attr("value")
	if !ok {
		t.Fatalf("no open times on the page:\n%s", excerpt(r.body))
	}
	return v
}

// validDetails is a details form that passes validation.
func validDetails() url.Values {
	return url.Values{"first_name": {"Jane"}, "last_name": {"Doe"}, "dob": {"1984-07-21"},
		"phone": {"555-201-3344"}, "email": {""}, "language": {"en"}, "mrn": {""}}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to log into.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Bytes is a copy of what was written.
func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}
