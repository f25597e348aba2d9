package sandbox

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
)

// testNow is a Monday noon UTC; the demo clinic is open the following weeks.
var testNow = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a sandbox served by httptest on a fresh database file.
type fixture struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	db    *sql.DB
	path  string
	clock *clock
}

// openDB opens (or reopens) the sandbox database at path.
func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), path, Migrations())
	if err != nil {
		t.Fatalf("open db: %v", err)
	}
	return db
}

// newFixture builds a demo sandbox; edit may change the config (webhooks, clients...).
func newFixture(t testing.TB, edit ...func(*Config)) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sandbox.db")
	db := openDB(t, path)
	t.Cleanup(func() { db.Close() })
	c := &clock{t: testNow}
	cfg := DemoConfig(db, nil)
	cfg.Now = c.Now
	for _, e := range edit {
		e(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv.retryBase = 10 * time.Millisecond
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &fixture{t: t, srv: srv, ts: ts, db: db, path: path, clock: c}
}

// start runs the delivery workers until the test ends.
func (f *fixture) start() {
	ctx, cancel := context.WithCancel(context.Background())
	f.srv.Start(ctx)
	f.t.Cleanup(func() { cancel(); f.srv.wait() })
}

// post sends body (a *redox.Message, raw []byte or string) to path with the bearer token.
func (f *fixture) post(path, token string, body any) (int, *redox.Message) {
	f.t.Helper()
	var data []byte
	switch b := body.(type) {
	case []byte:
		data = b
	case string:
		data = []byte(b)
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			f.t.Fatalf("encode: %v", err)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	m, err := redox.Decode(raw)
	if err != nil {
		f.t.Fatalf("POST %s: status %d, undecodable answer %q: %v", path, resp.StatusCode, raw, err)
	}
	return resp.StatusCode, m
}

// login gets a legacy token.
func (f *fixture) login() string {
	f.t.Helper()
	resp, err := f.ts.Client().Post(f.ts.URL+"/auth/authenticate", "application/json",
		strings.NewReader(`{"apiKey":"demo","secret":"demo-secret"}`))
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out legacyToken
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		f.t.Fatalf("login: status %d, err %v", resp.StatusCode, err)
	}
	return out.AccessToken
}

// oauthLogin posts a client assertion; it returns the status and the decoded body.
func (f *fixture) oauthLogin(assertion string) (int, map[string]any) {
	f.t.Helper()
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
	resp, err := f.ts.Client().PostForm(f.ts.URL+"/v2/auth/token", form)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func testMeta() redox.Meta {
	t := true
	return redox.Meta{Test: &t, Destinations: []redox.Endpoint{{ID: SourceID, Name: SourceName}}}
}

// slotsFor asks for open slots in q through /query.
func (f *fixture) slotsFor(token string, q booking.SlotQuery) []booking.Slot {
	f.t.Helper()
	status, m := f.post("/query", token, redox.NewAvailableSlots(testMeta(), q))
	if status != http.StatusOK {
		f.t.Fatalf("AvailableSlots: status %d, errors %+v", status, m.Meta.Errors)
	}
	slots, err := redox.SlotsOf(m)
	if err != nil {
		f.t.Fatalf("AvailableSlots answer: %v", err)
	}
	return slots
}

// week is a slot query over the week after testNow.
func week() booking.SlotQuery {
	return booking.SlotQuery{Start: testNow.Add(24 * time.Hour), End: testNow.Add(8 * 24 * time.Hour)}
}

// appointmentFor books slot sl for a test patient under number.
func appointmentFor(sl booking.Slot, number string) booking.Appointment {
	return booking.Appointment{
		VisitNumber: number, Start: sl.Start, Minutes: sl.Minutes, Reason: sl.Reason,
		Provider: sl.Provider, Location: sl.Location, SlotID: sl.ID,
		Patient: booking.Patient{Identifiers: []booking.Identifier{{ID: "MRN-" + number, IDType: "MR"}},
			FirstName: "Test", LastName: "Patient", DOB: "1990-01-01"},
	}
}

func newMsg(a booking.Appointment) *redox.Message {
	return redox.NewVisitMessage(redox.EventNew, testMeta(), a)
}

// hasSlot reports whether slots has one with sl's provider and start.
func hasSlot(slots []booking.Slot, sl booking.Slot) bool {
	for _, s := range slots {
		if s.Provider.ID == sl.Provider.ID && s.Start.Equal(sl.Start) {
			return true
		}
	}
	return false
}

// errorTexts joins Meta.Errors texts for assertions.
func errorTexts(m *redox.Message) string {
	var b strings.Builder
	for _, e := range m.Meta.Errors {
		fmt.Fprintf(&b, "%s; ", e.Text)
	}
	return b.String()
}

func TestQueryAndEndpointBothAnswer(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	q := week()
	tests := []struct {
		path, event string
		msg         *redox.Message
		want        string
	}{
		{"/query", "AvailableSlots", redox.NewAvailableSlots(testMeta(), q), redox.EventAvailableSlotsResponse},
		{"/endpoint", "AvailableSlots", redox.NewAvailableSlots(testMeta(), q), redox.EventAvailableSlotsResponse},
		{"/query", "Booked", redox.NewBooked(testMeta(), booking.BookedQuery{Start: q.Start, End: q.End}), redox.EventBookedResponse},
		{"/endpoint", "Booked", redox.NewBooked(testMeta(), booking.BookedQuery{Start: q.Start, End: q.End}), redox.EventBookedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.event, func(t *testing.T) {
			status, m := f.post(tt.path, tok, tt.msg)
			if status != http.StatusOK || m.Meta.EventType != tt.want {
				t.Fatalf("got %d %q (errors %s), want 200 %q", status, m.Meta.EventType, errorTexts(m), tt.want)
			}
			if m.Meta.Test == nil || !*m.Meta.Test {
				t.Errorf("Meta.Test not echoed: %v", m.Meta.Test)
			}
			if tt.event == "AvailableSlots" && len(m.AvailableSlots) == 0 {
				t.Errorf("got no slots for a week of the demo clinic")
			}
		})
	}
	if got := len(f.srv.Received()); got != len(tests) {
		t.Errorf("Received() holds %d messages, want %d", got, len(tests))
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	resp, err := f.ts.Client().Get(f.ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("got %d, want 200", resp.StatusCode)
	}
}

func TestReceivedIsBounded(t *testing.T) {
	f := newFixture(t)
	for i := range receivedCap + 5 {
		f.srv.record(&redox.Message{Meta: redox.Meta{EventType: fmt.Sprint(i)}})
	}
	got := f.srv.Received()
	if len(got) != receivedCap || got[0].Meta.EventType != "5" || got[len(got)-1].Meta.EventType != fmt.Sprint(receivedCap+4) {
		t.Errorf("got %d messages from %q to %q, want %d from 5 to %d", len(got), got[0].Meta.EventType,
			got[len(got)-1].Meta.EventType, receivedCap, receivedCap+4)
	}
}

// slotQueryMsg is a valid AvailableSlots query, for tests about tokens.
func (f *fixture) slotQueryMsg() *redox.Message { return redox.NewAvailableSlots(testMeta(), week()) }

// decodeJSON reads a 200 answer into v.
func decodeJSON(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d, want 200", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
