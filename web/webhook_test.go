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
		Mirror: db, SlotCache: db, DeadLetters: deadLetterStore(t, db), Now: func() time.Time { return testNow }})
	srv, err := NewServer(Config{Service: svc, Sessions: store.NewSessionStore(db, store.SessionOptions{Codec: SessionCodec{}}), DB: db,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), WebhookToken: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, db
}

// deadLetterSecret seals the test servers' dead letters.
var deadLetterSecret = []byte("a test secret for dead letters, 32+ bytes")

func deadLetterStore(t testing.TB, db *store.DB) *store.DeadLetterStore {
	t.Helper()
	dl, err := store.NewDeadLetterStore(db, deadLetterSecret)
	if err != nil {
		t.Fatal(err)
	}
	return dl
}

const hookNew = `{"Meta":{"DataModel":"Scheduling","EventType":"New","Logs":[{"ID":"log-1","AttemptID":"a1"}]},
 "Patient":{"Identifiers":[{"ID":"0000000001","IDType":"MR"}]},
 "Visit":{"VisitNumber":"EHR-1","VisitDateTime":"2026-03-03T15:00:00.000Z","Duration":30,
  "AttendingProvider":{"ID":"1111111111","IDType":"NPI"},"Location":{"Department":"North FM"}}}`

// hookVariant is hookNew with a log ID of its own (a distinct delivery) and the replacements
// old, new... made.
func hookVariant(log string, oldnew ...string) string {
	return strings.NewReplacer(append([]string{"log-1", log}, oldnew...)...).Replace(hookNew)
}

func postHook(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	return postHookWith(t, url, body, map[string]string{"verification-token": token})
}

// postHookWith posts body to the webhook with the given headers (empty values are left out).
func postHookWith(t *testing.T, url, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/redox/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// hookAnswer is the webhook's JSON answer.
type hookAnswer struct {
	Applied    *bool
	Slots      *int  // a PushSlots batch's slots kept
	DeadLetter int64 `json:"dead_letter"`
	Error      struct{ Message, Field string }
}

// TestWebhook: each class of answer (DESIGN §5 "app inbound"). The feed must never stall, so
// only a wrong token, a body that is not JSON or is cut off, and a body over Redox's own
// limit are refused; a message that was read but cannot be applied is answered 200 with
// applied false and the reason, and kept as a dead letter.
func TestWebhook(t *testing.T) {
	ts, db := hookServer(t)
	patientless := `{"Meta":{"DataModel":"Scheduling","EventType":"New"},"x":"`
	tests := []struct {
		name, token, body string
		want              int
		wantField         string // the error's field; "" with no error
		applied           bool
		dead              bool // a new dead letter is kept
	}{
		{"no token at all", "", hookNew, 401, "verification-token", false, false},
		{"wrong token", "s3cre7", hookNew, 403, "verification-token", false, false},
		{"a prefix of the token", "s", hookNew, 403, "verification-token", false, false},
		{"the token and more", "s3cret!", hookNew, 403, "verification-token", false, false},
		{"not JSON at all", "s3cret", "Scheduling New EHR-1", 400, "", false, false},
		{"truncated JSON", "s3cret", hookNew[:40], 400, "", false, false},
		{"an empty body", "s3cret", "", 400, "", false, false},
		{"11 MB body", "s3cret", patientless + strings.Repeat("a", 11<<20) + `"}`, 413, "", false, false},
		{"a 2 MB message without a visit", "s3cret", patientless + strings.Repeat("a", 2<<20) + `"}`, 200, "Visit", false, true},
		{"missing department", "s3cret", hookVariant("log-d", `"Department":"North FM"`, `"Room":"4"`), 200, "Visit.Location.Department", false, true},
		{"missing visit number", "s3cret", hookVariant("log-v", `"VisitNumber":"EHR-1",`, ""), 200, "Visit.VisitNumber", false, true},
		{"a wrong type", "s3cret", hookVariant("log-t", `"Duration":30`, `"Duration":{"a":1}`), 200, "Visit.Duration", false, true},
		{"a query is not a notification", "s3cret", `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"StartDateTime":"2026-03-01T00:00:00Z"}`, 200, "Meta.EventType", false, true},
		{"another data model", "s3cret", hookVariant("log-m", `"DataModel":"Scheduling"`, `"DataModel":"PatientAdmin"`), 200, "Meta.DataModel", false, true},
		{"JSON that is not an object", "s3cret", `["New"]`, 200, "", false, true},
		{"a New beyond the clinic's horizon", "s3cret", hookVariant("log-far", "2026-03-03T15", "2027-06-03T15"), 200, "Visit.VisitDateTime", false, true},
		{"the same inapplicable delivery again keeps one letter", "s3cret", hookVariant("log-far", "2026-03-03T15", "2027-06-03T15"), 200, "Visit.VisitDateTime", false, false},
		{"a Cancel for a visit Doorway never heard of is recorded", "s3cret", hookVariant("log-c", `"New"`, `"Cancel"`, "EHR-1", "EHR-UNKNOWN"), 200, "", true, false},
		{"a valid New", "s3cret", hookNew, 200, "", true, false},
		{"the same delivery again changes nothing", "s3cret", hookNew, 200, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := count(t, db, "dead_letters")
			code, body := postHook(t, ts.URL, tt.token, tt.body)
			var got hookAnswer
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("%d, not JSON: %v: %.200s", code, err, body)
			}
			if code != tt.want || got.Error.Field != tt.wantField {
				t.Errorf("got %d field %q; want %d field %q (%.300s)", code, got.Error.Field, tt.want, tt.wantField, body)
			}
			if code < 300 && (got.Applied == nil || *got.Applied != tt.applied) {
				t.Errorf("applied = %v, want %v (%.300s)", got.Applied, tt.applied, body)
			}
			if wantError := code >= 400 || tt.dead || tt.wantField != ""; wantError != (got.Error.Message != "") {
				t.Errorf("error message %q; want one: %v", got.Error.Message, wantError)
			}
			if kept := count(t, db, "dead_letters") - before; kept != map[bool]int{true: 1}[tt.dead] {
				t.Errorf("%d dead letters kept, want %v", kept, tt.dead)
			}
			if tt.wantField != "" && code == 200 && got.DeadLetter == 0 {
				t.Errorf("the answer does not name the dead letter: %s", body)
			}
		})
	}
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWebhookHandshake: Redox's verification handshake in every documented form, with the
// right and a wrong token: the bare challenge comes back only for the right one.
func TestWebhookHandshake(t *testing.T) {
	ts, _ := hookServer(t)
	const challenge = "2e73f864-a0e9-4764-a7d5-91fe5836db22"
	withToken := `{"verification-token":"s3cret","challenge":"` + challenge + `"}`
	wrongToken := `{"verification-token":"nope","challenge":"` + challenge + `"}`
	noToken := `{"challenge":"` + challenge + `"}`
	posts := []struct {
		name, header, body string
		want               int
	}{
		{"POST, token in the body", "", withToken, 200},
		{"POST, wrong token in the body", "", wrongToken, 403},
		{"POST, no token anywhere", "", noToken, 401},
		{"POST, token in the header", "s3cret", noToken, 200},
		{"POST, token in both", "s3cret", withToken, 200},
		{"POST, wrong token in the header", "nope", noToken, 403},
		{"POST, wrong header, right body: the header decides", "nope", withToken, 403},
		{"POST, right header, stale body token: the header decides", "s3cret", wrongToken, 200},
		{"POST, as long as a handshake may be", "", withToken + strings.Repeat(" ", handshakeLimit-len(withToken)), 200},
	}
	for _, tt := range posts {
		t.Run(tt.name, func(t *testing.T) {
			code, body := postHookWith(t, ts.URL, tt.body, map[string]string{"verification-token": tt.header, "application-name": "RedoxEngine"})
			if code != tt.want || (code == 200 && body != challenge) || (code != 200 && strings.Contains(body, challenge)) {
				t.Errorf("got %d %q; want %d (the bare challenge only with the right token)", code, body, tt.want)
			}
		})
	}
	gets := []struct {
		name, query, header string
		want                int
	}{
		{"GET, token in the query", "challenge=" + challenge + "&verification-token=s3cret", "", 200},
		{"GET, wrong token in the query", "challenge=" + challenge + "&verification-token=nope", "", 403},
		{"GET, token in the header", "challenge=" + challenge, "s3cret", 200},
		{"GET, wrong token in the header", "challenge=" + challenge, "nope", 403},
		{"GET, wrong header, right query: the header decides", "challenge=" + challenge + "&verification-token=s3cret", "nope", 403},
		{"GET, no token", "challenge=" + challenge, "", 401},
		{"GET, no challenge", "verification-token=s3cret", "", 400},
	}
	for _, tt := range gets {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/redox/webhook?"+tt.query, nil)
			if tt.header != "" {
				req.Header.Set("verification-token", tt.header)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.want || (tt.want == 200 && string(b) != challenge) || (tt.want != 200 && strings.Contains(string(b), challenge)) {
				t.Errorf("got %d %q; want %d", res.StatusCode, b, tt.want)
			}
		})
	}
	t.Run("a body with a challenge and a Meta is a delivery, not a handshake", func(t *testing.T) {
		body := `{"Meta":{"DataModel":"Scheduling","EventType":"New"},"challenge":"` + challenge + `"}`
		if code, _ := postHookWith(t, ts.URL, body, nil); code != 401 {
			t.Errorf("without the header: %d, want 401", code)
		}
		if code, b := postHook(t, ts.URL, "s3cret", body); code != 200 || !strings.Contains(b, `"applied":false`) {
			t.Errorf("with the header: %d %s, want a dead letter", code, b)
		}
	})
}

// TestWebhookDeadLetterKeepsReasonAndBody: an inapplicable delivery is kept with its reason,
// event and time and its body (sealed in the table: the patient's name is not in it), and
// counted in /metrics by bounded labels.
func TestWebhookDeadLetterKeepsReasonAndBody(t *testing.T) {
	ts, db := hookServer(t)
	far := hookVariant("log-far", "2026-03-03T15", "2027-06-03T15",
		`"Patient":{`, `"Patient":{"Demographics":{"FirstName":"Zebulon","LastName":"Quixotewright"},`)
	code, body := postHook(t, ts.URL, "s3cret", far)
	var got hookAnswer
	if err := json.Unmarshal([]byte(body), &got); err != nil || code != 200 || got.DeadLetter == 0 {
		t.Fatalf("got %d %s; want 200 naming a dead letter", code, body)
	}
	if got.Error.Field != "Visit.VisitDateTime" || !strings.Contains(got.Error.Message, "horizon") {
		t.Errorf("error %+v, want the field and the reason", got.Error)
	}
	d, err := deadLetterStore(t, db).DeadLetter(context.Background(), got.DeadLetter)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Body) != far || d.Event != "New" || d.Field != "Visit.VisitDateTime" || d.Reason() != booking.DeadOutOfRange ||
		!strings.Contains(d.Detail, "horizon") || !d.Received.Equal(testNow) {
		t.Errorf("dead letter %+v; want the body, the event, the field, the reason and the time", d)
	}
	var raw []byte
	if err := db.QueryRow(`SELECT body FROM dead_letters WHERE id = $1`, got.DeadLetter).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "Quixotewright") || strings.Contains(string(raw), "VisitDateTime") {
		t.Error("the body is readable in the table")
	}
	postHook(t, ts.URL, "s3cret", `{"Meta":{"DataModel":"Scheduling","EventType":"Made-up event 1"},"Visit":{}}`)
	postHook(t, ts.URL, "s3cret", `{"Meta":{"DataModel":"Scheduling","EventType":"Made-up event 2"},"Visit":{}}`)
	res, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`doorway_webhook_dead_letters_total{event="New",reason="out_of_range"} 1`,
		`doorway_webhook_dead_letters_total{event="other",reason="unwanted"} 2`} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s:\n%s", want, metrics)
		}
	}
	if strings.Contains(string(metrics), "Made-up") {
		t.Error("an event type the sender made up became a label")
	}
}

// TestWebhookStoreFailureIsRetried: when the database fails while applying, the answer is a
// 5xx, so Redox keeps the delivery and retries it; nothing is dead-lettered.
func TestWebhookStoreFailureIsRetried(t *testing.T) {
	ts, db := hookServer(t)
	db.Close()
	if code, body := postHook(t, ts.URL, "s3cret", hookNew); code < 500 {
		t.Errorf("got %d %s; want a 5xx", code, body)
	}
	if code, body := postHook(t, ts.URL, "s3cret", hookVariant("log-far", "2026-03-03T15", "2027-06-03T15")); code < 500 {
		t.Errorf("an inapplicable delivery that cannot be kept: %d %s; want a 5xx", code, body)
	}
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

// TestWebhookErrorsNameTheField: a delivery the webhook cannot use is answered with
// {"error": {"message", "field"}} (a 200 for a dead letter, the one error handler's status
// otherwise), the field its JSON path and the message free of Go's decoder wording.
func TestWebhookErrorsNameTheField(t *testing.T) {
	ts, _ := hookServer(t)
	tests := []struct{ name, body, field string }{
		{"a wrong type", `{"Meta":{"DataModel":"Scheduling","EventType":"New"},"Visit":{"VisitDateTime":{"a":1}}}`, "Visit.VisitDateTime"},
		{"a missing visit number", hookVariant("log-v", `"VisitNumber":"EHR-1",`, ""), "Visit.VisitNumber"},
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
