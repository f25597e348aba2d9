package sandbox

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"doorway/booking/clinicfile"
	"doorway/booking/redox"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the sandbox's own numbered migrations, for store.OpenSQLite.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}

// Demo credentials, also printed by `doorway ehr` at start (DESIGN §5).
const (
	DemoAPIKey   = "demo"        // legacy /auth/authenticate apiKey
	DemoSecret   = "demo-secret" // legacy secret, and the demo client's HS384 secret
	DemoClientID = "demo"        // OAuth client id for /v2/auth/token
)

// Config is what the sandbox needs. DB, Definition and at least one credential are required.
type Config struct {
	DB         *sql.DB // opened by the caller with store.OpenSQLite(ctx, path, sandbox.Migrations())
	Definition *clinicfile.File
	Logger     *slog.Logger
	Now        func() time.Time // default time.Now

	APIKey, APISecret string               // legacy login (demo: "demo" / "demo-secret")
	Clients           map[string]ClientKey // OAuth client id -> key
	Webhooks          []Webhook            // where notifications go
	SimulateEvery     time.Duration        // 0 = off: simulated phone bookings and blocks
}

// ClientKey verifies an OAuth client's JWT assertions: HS384 with Secret, RS384 or ES384
// with PublicKeyPEM (a PKIX public key, any kid accepted) or JWKS (a public JWK or a JWK Set,
// as pasted into Redox's dashboard or served from a JWKS URL: the assertion's kid must name
// one of its keys). Both may be given; the kid's JWK is tried first.
type ClientKey struct {
	Secret       string
	PublicKeyPEM []byte
	JWKS         []byte
}

// Webhook is a subscribed destination: notifications are POSTed to URL with Token in the
// verification-token header.
type Webhook struct {
	URL, Token string
}

// DemoConfig is the demo clinic with the demo credentials and no webhooks.
func DemoConfig(db *sql.DB, logger *slog.Logger) Config {
	return Config{
		DB:         db,
		Definition: clinicfile.Demo(),
		Logger:     logger,
		APIKey:     DemoAPIKey,
		APISecret:  DemoSecret,
		Clients:    map[string]ClientKey{DemoClientID: {Secret: DemoSecret}},
	}
}

// Server is the sandbox EHR: it answers the Redox Scheduling API over HTTP, keeps its
// schedule in SQLite and notifies webhooks of every change.
type Server struct {
	cfg      Config
	db       *sql.DB
	def      *clinicfile.File
	engine   *Engine
	log      *slog.Logger
	now      func() time.Time
	auth     *authenticator
	client   *http.Client
	webhooks []Webhook                // deduplicated by URL
	wake     map[string]chan struct{} // per webhook URL; read-only after New

	retryBase time.Duration // first retry delay; tests shorten it
	writeMu   sync.Mutex    // orders this process's schedule transactions (see inTx)

	recvMu sync.Mutex
	recv   []redox.Message // ring of the last receivedCap messages
	recvN  int             // messages recorded so far

	startOnce sync.Once
	wg        sync.WaitGroup
}

// receivedCap bounds the Received ring.
const receivedCap = 100

// New checks cfg and builds the server; call Start to begin delivering notifications.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil {
		return nil, errors.New("sandbox: Config.DB is required")
	}
	if cfg.Definition == nil {
		return nil, errors.New("sandbox: Config.Definition is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	auth, err := newAuthenticator(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:       cfg,
		db:        cfg.DB,
		def:       cfg.Definition,
		engine:    NewEngine(cfg.Definition),
		log:       cfg.Logger,
		now:       cfg.Now,
		auth:      auth,
		client:    &http.Client{Timeout: deliveryTimeout},
		wake:      map[string]chan struct{}{},
		retryBase: defaultRetryBase,
	}
	for _, wh := range cfg.Webhooks {
		if wh.URL == "" {
			return nil, errors.New("sandbox: a webhook has no URL")
		}
		if _, dup := s.wake[wh.URL]; dup {
			continue
		}
		s.wake[wh.URL] = make(chan struct{}, 1)
		s.webhooks = append(s.webhooks, wh)
	}
	return s, nil
}

// Start begins delivering queued notifications (one loop per webhook, so a failing webhook
// does not hold up the others) and, when configured, the simulator. Everything stops when
// ctx is done. Calling Start again does nothing.
func (s *Server) Start(ctx context.Context) {
	s.startOnce.Do(func() {
		for _, wh := range s.webhooks {
			s.wg.Go(func() { s.deliverLoop(ctx, wh) })
		}
		if s.cfg.SimulateEvery > 0 {
			s.wg.Go(func() { s.simulate(ctx) })
		}
	})
}

// wait blocks until the goroutines Start began have returned (tests, after cancel).
func (s *Server) wait() { s.wg.Wait() }

// Handler serves the Redox API: token endpoints, /endpoint and /query (bearer token
// required), and /healthz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/auth/token", s.issueOAuthToken)
	mux.HandleFunc("POST /auth/authenticate", s.authenticate)
	mux.HandleFunc("POST /auth/refreshToken", s.refreshToken)
	mux.HandleFunc("POST /endpoint", s.requireToken(s.handleMessage))
	mux.HandleFunc("POST /query", s.requireToken(s.handleMessage))
	mux.HandleFunc("GET /healthz", s.healthz)
	return s.logRequests(mux)
}

// healthz answers 200 while the process is up and its database answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// Received returns copies of the last messages /endpoint and /query decoded, oldest first,
// so tests can assert what a client sent.
func (s *Server) Received() []redox.Message {
	s.recvMu.Lock()
	defer s.recvMu.Unlock()
	out := make([]redox.Message, 0, len(s.recv))
	if s.recvN > receivedCap {
		start := s.recvN % receivedCap
		out = append(out, s.recv[start:]...)
		return append(out, s.recv[:start]...)
	}
	return append(out, s.recv...)
}

// record keeps m in the Received ring.
func (s *Server) record(m *redox.Message) {
	s.recvMu.Lock()
	defer s.recvMu.Unlock()
	if len(s.recv) < receivedCap {
		s.recv = append(s.recv, *m)
	} else {
		s.recv[s.recvN%receivedCap] = *m
	}
	s.recvN++
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// logRequests logs one line per request: method, path, status and duration, never a body.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", time.Since(start).Milliseconds())
	})
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers the Redox way: the envelope with Meta.Errors, one entry per text.
func fail(w http.ResponseWriter, eventType string, status int, texts ...string) {
	writeJSON(w, status, redox.ErrorMessage(eventType, status, texts...))
}
