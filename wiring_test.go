package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/booking/sandbox"
	"doorway/store"
	"doorway/web"
)

// TestSearchSendsEveryPreferenceToTheEHR drives the wizard over HTTP against the real
// sandbox EHR and the real Redox client, then asserts on the AvailableSlots message the
// sandbox received: the formClient's reason, visit type, preferences, providers and locations.
func TestSearchSendsEveryPreferenceToTheEHR(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	sdb, err := store.OpenSQLite(ctx, filepath.Join(dir, "sandbox.db"), sandbox.Migrations())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sdb.Close() })
	sb, err := sandbox.New(sandbox.DemoConfig(sdb, log))
	if err != nil {
		t.Fatal(err)
	}
	ehr := httptest.NewServer(sb.Handler())
	t.Cleanup(ehr.Close)
	client, err := redox.NewClient(redox.Config{BaseURL: ehr.URL, ClientID: sandbox.DemoClientID, Secret: sandbox.DemoSecret,
		DestinationID: "sandbox-ehr", Test: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "doorway.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	def := sandbox.DemoDefinition()
	svc := booking.NewService(booking.Config{Clinic: &def.Clinic, EHR: client, Holds: db, Appointments: db, Mirror: db, SlotCache: db})
	keys, _ := sessionKeys("", filepath.Join(dir, "session.keys"))
	srv, err := web.NewServer(web.Config{Service: svc, Sessions: store.NewSessionStore(db, store.SessionOptions{KeyPairs: keys}), DB: db, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	app := httptest.NewServer(srv.Handler())
	t.Cleanup(app.Close)

	p := newFormClient(t, app.URL)
	p.post("/", url.Values{"reason": {"knee-pain"}})
	p.post("/visit-type", url.Values{"seen": {"yes"}, "visit_type": {"INJURY"}})
	reyes, northPlatte := "1365042179", "north-platte"
	from, to := time.Now().AddDate(0, 0, 1).Format(time.DateOnly), time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	p.post("/when", url.Values{"from": {from}, "to": {to}, "days": {"tue", "thu"}, "bands": {"morning", "evening"}, "providers": {reyes}, "locations": {northPlatte}})
	p.get("/times")

	var got *redox.Message
	for _, m := range slices.Backward(sb.Received()) {
		if m.Meta.EventType == redox.EventAvailableSlots {
			got = &m
			break
		}
	}
	if got == nil || got.Visit == nil {
		t.Fatal("the sandbox received no AvailableSlots query")
	}
	v := got.Visit
	if !slices.Contains(v.Reasons, "Knee pain") {
		t.Errorf("Visit.Reasons = %v, want Knee pain", v.Reasons)
	}
	if len(v.VisitType) != 1 || v.VisitType[0].Code != "INJURY" {
		t.Errorf("Visit.VisitType = %+v, want INJURY", v.VisitType)
	}
	if len(v.VisitPreference) != 1 {
		t.Fatalf("Visit.VisitPreference = %+v, want one", v.VisitPreference)
	}
	pref := v.VisitPreference[0]
	if !slices.Equal(pref.Day, []string{"Tuesday", "Thursday"}) || !slices.Equal(pref.Time, []string{"Morning", "Evening"}) ||
		pref.Duration != "30" || pref.DurationUnit != "minutes" {
		t.Errorf("VisitPreference = %+v, want Tuesday/Thursday, Morning/Evening, 30 minutes", pref)
	}
	if len(v.AttendingProviders) != 1 || v.AttendingProviders[0].ID != reyes || v.AttendingProviders[0].IDType != "NPI" {
		t.Errorf("AttendingProviders = %+v, want only %s (NPI)", v.AttendingProviders, reyes)
	}
	if len(v.Locations) != 1 || v.Locations[0].ID != northPlatte || v.Locations[0].Department == "" {
		t.Errorf("Locations = %+v, want %s with its department", v.Locations, northPlatte)
	}
	if got.StartDateTime == "" || got.EndDateTime == "" {
		t.Errorf("window %q..%q, want both ends", got.StartDateTime, got.EndDateTime)
	}
}

// formClient is a browser without JavaScript: a cookie jar, and forms posted with their CSRF token.
type formClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newFormClient(t *testing.T, base string) *formClient {
	jar, _ := cookiejar.New(nil)
	p := &formClient{t: t, base: base, c: &http.Client{Jar: jar}}
	p.get("/")
	return p
}

// get loads a page, keeps its CSRF token and returns the document.
func (p *formClient) get(path string) *goquery.Document {
	p.t.Helper()
	res, err := p.c.Get(p.base + path)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.read(res, "GET "+path)
}

func (p *formClient) post(path string, form url.Values) *goquery.Document {
	p.t.Helper()
	form.Set("_csrf", p.csrf)
	res, err := p.c.PostForm(p.base+path, form)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.read(res, "POST "+path)
}

func (p *formClient) read(res *http.Response, what string) *goquery.Document {
	p.t.Helper()
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		p.t.Fatalf("%s: %d\n%s", what, res.StatusCode, body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		p.t.Fatal(err)
	}
	if tok, ok := doc.Find(`input[name="_csrf"]`).Attr("value"); ok {
		p.csrf = tok
	}
	return doc
}
