package redox

import (
	"crypto"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// redoxDouble stands in for the Redox API in tests. Its token endpoints check client
// assertions the way Redox does (signature, kid, iss/sub/aud, exp at most 5 minutes after
// iat, jti never reused); /query and /endpoint demand a token it issued, record what arrives
// and answer from a script, then with plausible defaults.
type redoxDouble struct {
	t   *testing.T
	srv *httptest.Server
	now func() time.Time

	clientID  string
	secret    []byte           // HS384 key; nil refuses HS384
	pub       crypto.PublicKey // RS384/ES384 key; nil refuses them
	kid       string           // the kid pub is known by
	apiKey    string           // legacy credentials
	apiSecret string
	expiresIn int           // lifetime of issued tokens, seconds
	delay     time.Duration // before answering a token request

	mu        sync.Mutex
	tokenHits int
	tokenFail int // answer this many token requests with 503 first
	claims    []jwt.MapClaims
	headers   []map[string]any
	issued    map[string]bool
	jtis      map[string]bool
	received  []received
	script    []reply
}

// received is one request that reached /query or /endpoint.
type received struct {
	Path   string
	Header http.Header
	Body   []byte
	Msg    *Message // nil when the body did not decode
}

// reply is a scripted answer. Drop closes the connection without answering; Delay waits
// (or until the client gives up) before answering.
type reply struct {
	Status int
	Header map[string]string
	Body   string
	Delay  time.Duration
	Drop   bool
}

func newDouble(t *testing.T) *redoxDouble {
	t.Helper()
	d := &redoxDouble{
		t: t, now: time.Now, clientID: testClientID, secret: []byte(testSecret),
		apiKey: "legacy-key", apiSecret: "legacy-secret", expiresIn: 300,
		issued: map[string]bool{}, jtis: map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/auth/token", d.token)
	mux.HandleFunc("POST /auth/authenticate", d.authenticate)
	mux.HandleFunc("POST /query", d.data)
	mux.HandleFunc("POST /endpoint", d.data)
	d.srv = httptest.NewServer(mux)
	t.Cleanup(d.srv.Close)
	return d
}

func (d *redoxDouble) token(w http.ResponseWriter, r *http.Request) {
	time.Sleep(d.delay)
	d.mu.Lock()
	d.tokenHits++
	if d.tokenFail > 0 {
		d.tokenFail--
		d.mu.Unlock()
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	d.mu.Unlock()
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request", err.Error())
		return
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		oauthError(w, "unsupported_grant_type", r.PostForm.Get("grant_type"))
		return
	case r.PostForm.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
		oauthError(w, "invalid_request", "client_assertion_type")
		return
	}
	claims, header, err := d.verify(r.PostForm.Get("client_assertion"))
	if err != nil {
		oauthError(w, "invalid_client", err.Error())
		return
	}
	d.mu.Lock()
	d.claims = append(d.claims, claims)
	d.headers = append(d.headers, header)
	tok := d.issue()
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "expires_in": d.expiresIn, "token_type": "Bearer"})
}

// verify checks an assertion as Redox does and returns its claims and header.
func (d *redoxDouble) verify(assertion string) (jwt.MapClaims, map[string]any, error) {
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(assertion, claims, func(t *jwt.Token) (any, error) {
		switch t.Method.Alg() {
		case "HS384":
			if d.secret == nil {
				return nil, fmt.Errorf("HS384 not configured")
			}
			return d.secret, nil
		case "RS384", "ES384":
			if t.Header["kid"] != d.kid || d.pub == nil {
				return nil, fmt.Errorf("unknown kid %v", t.Header["kid"])
			}
			return d.pub, nil
		}
		return nil, fmt.Errorf("alg %s not accepted", t.Method.Alg())
	},
		jwt.WithValidMethods([]string{"HS384", "RS384", "ES384"}),
		jwt.WithIssuer(d.clientID), jwt.WithSubject(d.clientID),
		jwt.WithAudience(d.srv.URL+pathToken), jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(), jwt.WithTimeFunc(d.now))
	if err != nil {
		return nil, nil, err
	}
	iat, _ := claims.GetIssuedAt()
	exp, _ := claims.GetExpirationTime()
	if iat == nil || exp.Sub(iat.Time) > 5*time.Minute {
		return nil, nil, fmt.Errorf("exp must be at most 5 minutes after iat")
	}
	jti, _ := claims["jti"].(string)
	d.mu.Lock()
	defer d.mu.Unlock()
	if jti == "" || d.jtis[jti] {
		return nil, nil, fmt.Errorf("jti missing or reused")
	}
	d.jtis[jti] = true
	return claims, tok.Header, nil
}

func (d *redoxDouble) authenticate(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.tokenHits++
	d.mu.Unlock()
	var creds struct{ APIKey, Secret string }
	if err := json.NewDecoder(r.Body).Decode(&creds); err != nil || creds.APIKey != d.apiKey || creds.Secret != d.apiSecret {
		http.Error(w, "Invalid request", http.StatusUnauthorized)
		return
	}
	d.mu.Lock()
	tok := d.issue()
	d.mu.Unlock()
	expires := d.now().Add(time.Duration(d.expiresIn) * time.Second)
	writeJSON(w, http.StatusOK, map[string]any{"accessToken": tok, "expires": FormatTime(expires), "refreshToken": "refresh-" + tok})
}

// issue mints an access token; d.mu must be held.
func (d *redoxDouble) issue() string {
	tok := fmt.Sprintf("token-%d", d.tokenHits)
	d.issued[tok] = true
	return tok
}

func (d *redoxDouble) data(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := received{Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	rec.Msg, _ = Decode(body)
	d.mu.Lock()
	d.received = append(d.received, rec)
	authorized := d.issued[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	var rep *reply
	if len(d.script) > 0 {
		rep, d.script = &d.script[0], d.script[1:]
	}
	d.mu.Unlock()

	event := ""
	if rec.Msg != nil {
		event = rec.Msg.Meta.EventType
	}
	switch {
	case rep != nil:
		d.play(w, r, *rep)
	case !authorized:
		writeJSON(w, http.StatusUnauthorized, ErrorMessage(event, http.StatusUnauthorized, "Invalid access token"))
	default:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, defaultAnswer(event))
	}
}

func (d *redoxDouble) play(w http.ResponseWriter, r *http.Request, rep reply) {
	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if rep.Drop {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rep.Status)
	io.WriteString(w, rep.Body)
}

// defaultAnswer is what Redox would say to a well-formed request of the event type.
func defaultAnswer(event string) string {
	switch event {
	case EventAvailableSlots:
		return slotsAnswer
	case EventBooked:
		return bookedAnswer
	}
	return fmt.Sprintf(`{"Meta":{"DataModel":"Scheduling","EventType":%q,"Logs":[{"ID":"log-1","AttemptID":"try-1"}]}}`, event)
}

const slotsAnswer = `{"Meta":{"DataModel":"Scheduling","EventType":"AvailableSlotsResponse","IsIncomplete":true},
 "AvailableSlots":[
  {"ID":"S-1","DateTime":"2025-03-10T14:00:00.000Z","Duration":30,"Reason":"New patient visit",
   "Provider":{"ID":"4356789876","IDType":"NPI","FirstName":"Pat","LastName":"Granite"},
   "Location":{"Type":"Outpatient","Facility":"Main Street Clinic","Department":"Family Medicine"},"Notes":[]},
  {"ID":null,"DateTime":"2025-03-10T14:30:00.000Z","Duration":30,"Reason":"New patient visit",
   "Provider":{"ID":"4356789876","IDType":"NPI"},"Location":{"Department":"Family Medicine"},"Notes":[]}]}`

const bookedAnswer = `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},
 "Visits":[{"VisitNumber":"SB-100045","VisitDateTime":"2025-03-12T16:30:00.000Z","Duration":30,"Status":"Scheduled",
   "Reason":"New patient visit","AttendingProvider":{"ID":"4356789876","IDType":"NPI"},
   "Location":{"Facility":"Main Street Clinic","Department":"Family Medicine"},
   "Patient":{"Identifiers":[{"ID":"0000000001","IDType":"MR"}]}}]}`

// then queues scripted answers for the next data requests.
func (d *redoxDouble) then(replies ...reply) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.script = append(d.script, replies...)
}

// revokeAll makes every issued token stale, as if they had expired at Redox.
func (d *redoxDouble) revokeAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	clear(d.issued)
}

// assertions returns the headers and claims of every assertion the double accepted.
func (d *redoxDouble) assertions() ([]map[string]any, []jwt.MapClaims) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]map[string]any(nil), d.headers...), append([]jwt.MapClaims(nil), d.claims...)
}

func (d *redoxDouble) hits() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.tokenHits
}

func (d *redoxDouble) requests() []received {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]received(nil), d.received...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusUnauthorized, map[string]string{"error": code, "error_description": desc})
}
