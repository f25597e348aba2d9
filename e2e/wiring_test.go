package e2e

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"doorway/booking/redox"
)

// TestSearchSendsEveryPreferenceToTheEHR drives the wizard of the built binary in real-Redox
// mode, against `doorway ehr` behind a recording proxy, then asserts on the AvailableSlots
// message the EHR received: the patient's reason, visit type, preferences, providers and
// locations.
func TestSearchSendsEveryPreferenceToTheEHR(t *testing.T) {
	appAddr := freeAddr(t) // the EHR's notifications go to the app, which starts after it
	ehr := startEHR(t, launch{Args: []string{"-webhooks", webhooksTo(appAddr)}})
	wire := newRecorder(t, ehr.URL)
	app := startRedox(t, wire.URL, launch{Addr: appAddr})

	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(1, app.URL, tr, newCodeCounter())
	reyes, northPlatte := "1365042179", "north-platte"
	from, to := time.Now().AddDate(0, 0, 1).Format(time.DateOnly), time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	for _, s := range []struct {
		path string
		form url.Values
		next string
	}{
		{"/", url.Values{"reason": {"knee-pain"}}, "/visit-type"},
		{"/visit-type", url.Values{"seen": {"yes"}, "visit_type": {"INJURY"}}, "/times"},
	} {
		if err := p.step(s.path, s.form, s.next); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.filter(url.Values{"from": {from}, "to": {to}, "days": {"tue", "thu"}, "bands": {"morning", "evening"},
		"providers": {reyes}, "locations": {northPlatte}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.times(); err != nil {
		t.Fatal(err)
	}

	got := wire.last(redox.EventAvailableSlots)
	if got == nil || got.Visit == nil {
		t.Fatal("the EHR received no AvailableSlots query")
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

// recorder is a reverse proxy in front of an EHR that keeps every Redox message sent to its
// Data Model API: the EHR is another process, so this is how a test sees what Doorway put on
// the wire.
type recorder struct {
	*httptest.Server
	mu      sync.Mutex
	msgs    []redox.Message
	slow    time.Duration // how long AvailableSlots queries are held before they go on
	held    string        // an event type held back until released (or its sender gives up)
	release chan struct{}
	waiting chan struct{} // signalled when a held message arrives
}

// hold makes messages of event type event wait at the recorder until release is called; a
// message whose sender goes away meanwhile is never forwarded (nor recorded).
func (r *recorder) hold(event string) (arrived <-chan struct{}, release func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.held, r.release, r.waiting = event, make(chan struct{}), make(chan struct{}, 16)
	rel := r.release
	return r.waiting, sync.OnceFunc(func() { close(rel) })
}

// count is how many messages of event type event for visit were forwarded to the EHR.
func (r *recorder) count(event, visit string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if m.Meta.EventType == event && m.Visit != nil && m.Visit.VisitNumber == visit {
			n++
		}
	}
	return n
}

// slowQueries makes the EHR, as Doorway sees it, take d to answer each AvailableSlots query.
func (r *recorder) slowQueries(d time.Duration) {
	r.mu.Lock()
	r.slow = d
	r.mu.Unlock()
}

// newRecorder starts a recorder forwarding to the EHR at ehrURL; it stops at the end of the test.
func newRecorder(t testing.TB, ehrURL string) *recorder {
	t.Helper()
	target, err := url.Parse(ehrURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(target) }}
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		m, err := r.keep(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		proxy.ServeHTTP(sw, req)
		if m != nil && sw.status < 300 { // what the EHR took
			r.mu.Lock()
			r.msgs = append(r.msgs, *m)
			r.mu.Unlock()
		}
	}))
	t.Cleanup(r.Close)
	return r
}

// statusWriter notes the status the proxied EHR answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

// keep decodes a message posted to /query or /endpoint (leniently, as the EHR does) and puts
// its body back for the proxy to forward; the message is recorded once the EHR has taken it.
// Logins and other paths pass untouched.
func (r *recorder) keep(req *http.Request) (*redox.Message, error) {
	if req.Method != http.MethodPost || (req.URL.Path != "/query" && req.URL.Path != "/endpoint") {
		return nil, nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	if m, err := redox.Decode(body); err == nil {
		r.mu.Lock()
		slow, held, release, waiting := r.slow, r.held, r.release, r.waiting
		r.mu.Unlock()
		if m.Meta.EventType == redox.EventAvailableSlots && slow > 0 {
			select {
			case <-time.After(slow):
			case <-req.Context().Done():
			}
		}
		if held != "" && m.Meta.EventType == held {
			waiting <- struct{}{}
			select {
			case <-release:
			case <-req.Context().Done():
				return nil, errors.New("the sender went away while the message was held")
			}
		}
		return m, nil
	}
	return nil, nil
}

// last returns the last message recorded with event type event, or nil.
func (r *recorder) last(event string) *redox.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range slices.Backward(r.msgs) {
		if m.Meta.EventType == event {
			return &m
		}
	}
	return nil
}

// TestSlowEHRStillLooking: behind an EHR that takes 10 s to answer each query (the budget
// Redox allows is 120 s), the times page answers within a few seconds with "still looking"
// while the queries go on; looking again once they have answered shows the times, and a time
// can be booked.
func TestSlowEHRStillLooking(t *testing.T) {
	appAddr := freeAddr(t)
	ehr := startEHR(t, launch{Args: []string{"-webhooks", webhooksTo(appAddr)}})
	wire := newRecorder(t, ehr.URL)
	app := startRedox(t, wire.URL, launch{Addr: appAddr})
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(1, app.URL, tr, newCodeCounter())
	wire.slowQueries(10 * time.Second)
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	first, err := p.get("/times")
	if err != nil {
		t.Fatal(err)
	}
	if first.doc.Find("[data-testid=still-looking]").Length() != 1 {
		t.Fatalf("a 10 s EHR's times page: %s", first.doc.Find("main").Text())
	}
	t.Logf("still looking after %v", time.Since(began).Round(time.Millisecond))
	var v timesView
	eventually(t, "the times once the EHR answers", 30*time.Second, func() (bool, error) {
		v, err = p.times()
		return len(v.Refs) > 0, err
	})
	t.Logf("times shown after %v", time.Since(began).Round(time.Millisecond))
	wire.slowQueries(0)
	if c, _, err := p.book(v.Refs[0]); err != nil || c.Status != "booked" {
		t.Fatalf("booking after the slow search: %+v %v", c, err)
	}
}
