package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// hookServer is a Doorway with the EHR mirror on, as in production, and a webhook token.
func hookServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	return hookServerWith(t, "s3cret")
}

// hookServerWith is hookServer with the given webhook token.
func hookServerWith(t *testing.T, token string) (*httptest.Server, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "doorway.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clinic := testClinic()
	svc := booking.NewService(booking.Config{Clinic: clinic, EHR: newFakeEHR(clinic), Holds: db, Appointments: db,
		Mirror: db, SlotCache: db, Now: func() time.Time { return testNow }})
	srv, err := NewServer(Config{Service: svc, Sessions: store.NewSessionStore(db, store.SessionOptions{Codec: SessionCodec{}}), DB: db,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), WebhookToken: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, db
}

const hookNew = `{"Meta":{"DataModel":"Scheduling","EventType":"New","Logs":[{"ID":"log-1","AttemptID":"a1"}]},
 "Patient":{"Identifiers":[{"ID":"0000000001","IDType":"MR"}]},
 "Visit":{"VisitNumber":"EHR-1","VisitDateTime":"2026-03-03T15:00:00.000Z","Duration":30,
  "AttendingProvider":{"ID":"1111111111","IDType":"NPI"},"Location":{"Department":"North FM"}}}`

func postHook(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/redox/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("verification-token", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestWebhook(t *testing.T) {
	ts, _ := hookServer(t)
	tests := []struct {
		name, token, body string
		want              int
		wantBody          string
	}{
		{"POST challenge handshake", "", `{"verification-token":"s3cret","challenge":"2e73f864"}`, 200, "2e73f864"},
		{"POST challenge with a wrong token", "", `{"verification-token":"nope","challenge":"2e73f864"}`, 403, "verification"},
		{"no token at all", "", hookNew, 401, "verification-token"},
		{"wrong token", "s3cre7", hookNew, 403, "does not match"},
		{"a prefix of the token", "s", hookNew, 403, "does not match"},
		{"the token and more", "s3cret!", hookNew, 403, "does not match"},
		{"truncated JSON", "s3cret", hookNew[:40], 400, "error"},
		{"missing department names the path", "s3cret", strings.Replace(hookNew, `"Department":"North FM"`, `"Room":"4"`, 1), 400, "Visit.Location.Department"},
		{"a query is not a notification", "s3cret", `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"StartDateTime":"2026-03-01T00:00:00Z"}`, 400, "Meta.EventType"},
		{"2 MB body", "s3cret", `{"Meta":{"DataModel":"Scheduling","EventType":"New"},"x":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "1 MB"},
		{"a New beyond the clinic's horizon", "s3cret", strings.NewReplacer("2026-03-03T15", "2027-06-03T15", "log-1", "log-far").Replace(hookNew), 400, "Visit.VisitDateTime"},
		{"a Cancel for a visit Doorway never heard of is recorded", "s3cret", strings.NewReplacer(`"New"`, `"Cancel"`, "EHR-1", "EHR-UNKNOWN", "log-1", "log-c").Replace(hookNew), 200, `"applied":true`},
		{"a valid New", "s3cret", hookNew, 200, `"applied":true`},
		{"the same delivery again changes nothing", "s3cret", hookNew, 200, `"applied":false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := postHook(t, ts.URL, tt.token, tt.body)
			if code != tt.want || !strings.Contains(body, tt.wantBody) {
				t.Errorf("got %d %.200s; want %d containing %q", code, body, tt.want, tt.wantBody)
			}
		})
	}
	t.Run("GET challenge handshake", func(t *testing.T) {
		for token, want := range map[string]int{"s3cret": 200, "wrong": 403} {
			res, err := http.Get(ts.URL + "/redox/webhook?challenge=abc-123&verification-token=" + token)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != want || (want == 200 && string(b) != "abc-123") {
				t.Errorf("token %s: %d %q, want %d", token, res.StatusCode, b, want)
			}
		}
	})
}

func TestWebhookBlockMakesTimeUnavailable(t *testing.T) {
	ts, db := hookServer(t)
	block := `{"Meta":{"DataModel":"Scheduling","EventType":"New","Message":{"ID":77}},
	 "Visit":{"VisitNumber":"HOLD-77","VisitDateTime":"2026-03-03T15:00:00.000Z","Duration":60,"Reason":"Lunch block",
	  "AttendingProvider":{"ID":"1111111111","IDType":"NPI"},"Location":{"Department":"North FM"}}}`
	if code, body := postHook(t, ts.URL, "s3cret", block); code != 200 {
		t.Fatalf("block: %d %s", code, body)
	}
	busy, err := db.BusyIntervals(context.Background(), testNow, testNow.Add(48*time.Hour))
	if err != nil || len(busy) != 1 || busy[0].End.Sub(busy[0].Start) != time.Hour {
		t.Fatalf("busy = %+v, %v; want the one-hour block", busy, err)
	}
	cancel := strings.Replace(strings.Replace(block, `"New"`, `"Cancel"`, 1), `"ID":77`, `"ID":78`, 1)
	if code, body := postHook(t, ts.URL, "s3cret", cancel); code != 200 {
		t.Fatalf("cancel: %d %s", code, body)
	}
	if busy, _ := db.BusyIntervals(context.Background(), testNow, testNow.Add(48*time.Hour)); len(busy) != 0 {
		t.Errorf("canceled block still busy: %+v", busy)
	}
}

// TestWebhookErrorsNameTheField: a delivery the webhook cannot use is answered by the one
// error handler as {"error": {"message", "field"}}, the field its JSON path and the message
// free of Go's decoder wording.
func TestWebhookErrorsNameTheField(t *testing.T) {
	ts, _ := hookServer(t)
	tests := []struct{ name, body, field string }{
		{"a wrong type", `{"Meta":{"DataModel":"Scheduling","EventType":"New"},"Visit":{"VisitDateTime":{"a":1}}}`, "Visit.VisitDateTime"},
		{"a number for a list", `{"Meta":{"DataModel":"Scheduling","EventType":"New"},"Visit":{"Reasons":7}}`, "Visit.Reasons"},
		{"a missing department", strings.Replace(hookNew, `"Department":"North FM"`, `"Room":"4"`, 1), "Visit.Location.Department"},
		{"an unwanted event", `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"StartDateTime":"2026-03-01T00:00:00Z"}`, "Meta.EventType"},
		{"no header", "", "verification-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := "s3cret"
			if tt.body == "" {
				token, tt.body = "", hookNew
			}
			_, body := postHook(t, ts.URL, token, tt.body)
			var got struct {
				Error struct{ Message, Field string }
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not a JSON error: %v: %s", err, body)
			}
			if got.Error.Field != tt.field || got.Error.Message == "" {
				t.Errorf("error %+v, want field %s with a message", got.Error, tt.field)
			}
			for _, goText := range []string{"Go struct", "json:", "Go value", "unmarshal"} {
				if strings.Contains(got.Error.Message, goText) {
					t.Errorf("message %q has Go's decoder wording", got.Error.Message)
				}
			}
		})
	}
}

// TestWebhookWithoutATokenRefusesEverything: a Doorway configured without a webhook token
// accepts no delivery and no handshake, even one that sends no token either.
func TestWebhookWithoutATokenRefusesEverything(t *testing.T) {
	ts, _ := hookServerWith(t, "")
	for name, body := range map[string]string{"empty challenge token": `{"verification-token":"","challenge":"x"}`,
		"no challenge token": `{"challenge":"x"}`} {
		if code, _ := postHook(t, ts.URL, "", body); code < 400 {
			t.Errorf("%s: %d", name, code)
		}
	}
	if code, _ := postHook(t, ts.URL, "", hookNew); code < 400 {
		t.Errorf("a delivery without a token: %d", code)
	}
	res, err := http.Get(ts.URL + "/redox/webhook?challenge=x&verification-token=")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode < 400 {
		t.Errorf("GET handshake with an empty token: %d", res.StatusCode)
	}
}

// TestBlockedTimeIsRefusedThroughTheWizard: a block the EHR notifies takes its time off the
// open-times page, and a patient picking it anyway (a page loaded before) is told it is gone.
func TestBlockedTimeIsRefusedThroughTheWizard(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	ref := firstSlot(t, a.get("/times"))
	s, _ := a.srv.refs.key(ref) // provider|department|unix
	parts := strings.Split(s, "|")
	sec, _ := strconv.ParseInt(parts[2], 10, 64)
	block := fmt.Sprintf(`{"Meta":{"DataModel":"Scheduling","EventType":"New","Message":{"ID":91}},
	 "Visit":{"VisitNumber":"BLOCK-91","VisitDateTime":%q,"Duration":30,"Reason":"Staff meeting",
	  "AttendingProvider":{"ID":%q,"IDType":"NPI"},"Location":{"Department":%q}}}`,
		time.Unix(sec, 0).UTC().Format(time.RFC3339), parts[0], parts[1])
	if code, body := postHook(t, a.ts.URL, "s3cret", block); code != 200 {
		t.Fatalf("block: %d %s", code, body)
	}
	if r := a.get("/times"); strings.Contains(r.body, `value="`+ref+`"`) {
		t.Error("the blocked time is still offered")
	}
	wantRedirect(t, a.post("/times", url.Values{"slot": {ref}}), "/times")
	if notice := a.get("/times").doc.Find("[data-testid=alternatives]").Text(); notice == "" {
		t.Error("no word that the time is gone")
	}
}
