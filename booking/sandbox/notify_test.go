package sandbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
)

// delivery is one POST a test webhook received.
type delivery struct {
	token  string
	status int
	msg    *redox.Message
}

// hook is a test webhook that answers 500 to its first failFirst requests.
type hook struct {
	mu        sync.Mutex
	failFirst int
	all       []delivery // every attempt, in arrival order
}

func newHook(t *testing.T, failFirst int) (*hook, *httptest.Server) {
	h := &hook{failFirst: failFirst}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m, err := redox.Decode(body)
		if err != nil {
			t.Errorf("webhook got an undecodable body: %v", err)
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		status := http.StatusOK
		if len(h.all) < h.failFirst {
			status = http.StatusInternalServerError
		}
		h.all = append(h.all, delivery{token: r.Header.Get("verification-token"), status: status, msg: m})
		w.WriteHeader(status)
	}))
	t.Cleanup(ts.Close)
	return h, ts
}

// delivered waits until n attempts were answered 200 and returns those, in order.
func (h *hook) delivered(t *testing.T, n int) []delivery {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		h.mu.Lock()
		var ok []delivery
		for _, d := range h.all {
			if d.status == http.StatusOK {
				ok = append(ok, d)
			}
		}
		h.mu.Unlock()
		if len(ok) >= n {
			return ok
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook got %d deliveries, want %d", len(ok), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// events lists "EventType VisitNumber" of ds.
func events(ds []delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.msg.Meta.EventType+" "+d.msg.Visit.VisitNumber)
	}
	return out
}

func TestNotificationsReachWebhooksInOrder(t *testing.T) {
	h1, ts1 := newHook(t, 0)
	h2, ts2 := newHook(t, 0)
	f := newFixture(t, func(c *Config) {
		c.Webhooks = []Webhook{{URL: ts1.URL, Token: "token-one"}, {URL: ts2.URL, Token: "token-two"}}
	})
	f.start()
	tok := f.login()
	sl := f.firstSlot(tok, "1487203956")
	a := appointmentFor(sl, "N-1")
	hold := appointmentFor(f.firstSlot(tok, "1145987321"), "N-HOLD")
	hold.Patient = booking.Patient{}
	arrived := a
	arrived.Status = booking.StatusArrived
	for _, m := range []*redox.Message{
		newMsg(a),
		redox.NewVisitMessage(redox.EventModification, testMeta(), arrived),
		newMsg(hold),
		redox.NewCancel(testMeta(), a, "patient request"),
	} {
		if status, resp := f.post("/endpoint", tok, m); status != http.StatusOK {
			t.Fatalf("%s: got %d %s", m.Meta.EventType, status, errorTexts(resp))
		}
	}
	want := []string{"New N-1", "Modification N-1", "New N-HOLD", "Cancel N-1"}
	for i, tt := range []struct {
		h     *hook
		token string
	}{{h1, "token-one"}, {h2, "token-two"}} {
		got := tt.h.delivered(t, len(want))
		if fmt.Sprint(events(got)) != fmt.Sprint(want) {
			t.Errorf("webhook %d: got %v, want %v", i+1, events(got), want)
		}
		for _, d := range got {
			if d.token != tt.token {
				t.Errorf("webhook %d: verification-token %q, want %q", i+1, d.token, tt.token)
			}
			if err := d.msg.Validate(); err != nil {
				t.Errorf("webhook %d: %s is invalid: %v", i+1, d.msg.Meta.EventType, err)
			}
			if d.msg.Meta.Test == nil || !*d.msg.Meta.Test || len(d.msg.Meta.Logs) != 1 || d.msg.Meta.Logs[0].ID == "" {
				t.Errorf("webhook %d: Meta %+v, want Test echoed and one log ID", i+1, d.msg.Meta)
			}
		}
		if got[2].msg.Patient != nil {
			t.Errorf("webhook %d: the hold carried a Patient", i+1)
		}
	}
}

func TestNotificationRetriedAfterFailure(t *testing.T) {
	h, ts := newHook(t, 2)
	f := newFixture(t, func(c *Config) { c.Webhooks = []Webhook{{URL: ts.URL, Token: "tok"}} })
	f.start()
	tok := f.login()
	for _, n := range []string{"T-1", "T-2"} {
		q := week()
		q.VisitType = booking.Coded{Code: "FOLLOWUP"}
		sl := f.slotsFor(tok, q)[0]
		if status, m := f.post("/endpoint", tok, newMsg(appointmentFor(sl, n))); status != http.StatusOK {
			t.Fatalf("New %s: got %d %s", n, status, errorTexts(m))
		}
	}
	got := h.delivered(t, 2)
	if fmt.Sprint(events(got)) != "[New T-1 New T-2]" {
		t.Errorf("got %v, want T-1 then T-2 (order kept across retries)", events(got))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.all) != 4 {
		t.Fatalf("got %d attempts, want 2 failures + 2 successes", len(h.all))
	}
	attemptIDs := map[redox.FlexString]bool{}
	for _, d := range h.all[:3] {
		if d.msg.Visit.VisitNumber != "T-1" || d.msg.Meta.Logs[0].ID != h.all[0].msg.Meta.Logs[0].ID {
			t.Errorf("attempt of %s with log %s, want T-1's retries sharing one log ID", d.msg.Visit.VisitNumber, d.msg.Meta.Logs[0].ID)
		}
		attemptIDs[d.msg.Meta.Logs[0].AttemptID] = true
	}
	if len(attemptIDs) != 3 {
		t.Errorf("got %d distinct AttemptIDs over 3 attempts, want 3", len(attemptIDs))
	}
}

func TestNotificationsSurviveRestart(t *testing.T) {
	h, ts := newHook(t, 0)
	hooks := []Webhook{{URL: ts.URL, Token: "tok"}}
	f := newFixture(t, func(c *Config) { c.Webhooks = hooks })
	tok := f.login()
	sl := f.firstSlot(tok, "1487203956")
	if status, m := f.post("/endpoint", tok, newMsg(appointmentFor(sl, "S-1"))); status != http.StatusOK {
		t.Fatalf("New: got %d %s", status, errorTexts(m))
	}
	f.ts.Close()
	f.db.Close() // never started: the notification is only in the database

	db := openDB(t, f.path)
	defer db.Close()
	cfg := DemoConfig(db, nil)
	cfg.Webhooks = hooks
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv.Start(ctx)
	defer func() { cancel(); srv.wait() }()
	if got := events(h.delivered(t, 1)); fmt.Sprint(got) != "[New S-1]" {
		t.Errorf("after restart: got %v, want [New S-1]", got)
	}
}

func TestPushSlotsBatches(t *testing.T) {
	h, ts := newHook(t, 0)
	f := newFixture(t, func(c *Config) { c.Webhooks = []Webhook{{URL: ts.URL, Token: "tok"}} })
	f.start()
	q := week()
	want, _, err := f.srv.openSlots(context.Background(), q, pushLimit)
	if err != nil || len(want) <= pushBatchSize {
		t.Fatalf("got %d open slots (%v), want more than one batch", len(want), err)
	}
	if err := f.srv.PushSlots(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	batches := (len(want) + pushBatchSize - 1) / pushBatchSize
	got := h.delivered(t, batches)
	total := 0
	for i, d := range got {
		m := d.msg.Meta
		if m.EventType != redox.EventPushSlots || m.BatchID != got[0].msg.Meta.BatchID ||
			string(m.CurrentBatch) != fmt.Sprint(i+1) || string(m.TotalBatches) != fmt.Sprint(batches) {
			t.Errorf("batch %d: got %s BatchID %s %s/%s", i+1, m.EventType, m.BatchID, m.CurrentBatch, m.TotalBatches)
		}
		total += len(d.msg.Slots)
	}
	if total != len(want) {
		t.Errorf("pushed %d slots, want %d", total, len(want))
	}
}

func TestSimulatorBooksAndNotifies(t *testing.T) {
	h, ts := newHook(t, 0)
	f := newFixture(t, func(c *Config) {
		c.Webhooks = []Webhook{{URL: ts.URL, Token: "tok"}}
		c.SimulateEvery = 10 * time.Millisecond
	})
	f.start()
	for _, d := range h.delivered(t, 3) {
		if ev := d.msg.Meta.EventType; ev != redox.EventNew && ev != redox.EventCancel {
			t.Errorf("simulated change sent as %s, want New or Cancel", ev)
		}
		if n := d.msg.Visit.VisitNumber; !strings.HasPrefix(n, "SIM-") {
			t.Errorf("simulated visit number %q, want SIM-...", n)
		}
	}
	var n int
	if err := f.db.QueryRow(`SELECT count(*) FROM sandbox_visits WHERE visit_number LIKE 'SIM-%'`).Scan(&n); err != nil || n == 0 {
		t.Errorf("got %d simulated visits (%v), want some", n, err)
	}
}
