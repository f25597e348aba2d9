package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
	"doorway/booking/redox"
	"doorway/booking/sandbox"
	"doorway/store"
	"doorway/web"
)

// appStore is what serving needs of the database (store.DB, SQLite or PostgreSQL): booking's
// ports, and one instance's duties among several sharing it.
type appStore interface {
	booking.HoldStore
	booking.AppointmentStore
	booking.MirrorStore
	booking.ManageStore
	booking.SlotCache
	// ReleaseClaims makes deliveries a gone process left in flight due at once.
	ReleaseClaims(ctx context.Context, now time.Time) (int, error)
	// Subscribe hears which times other instances' EHR notifications changed.
	Subscribe(fn func(start, end time.Time))
	PingContext(ctx context.Context) error
	Close() error
}

// runServe starts the booking app (and, in demo mode, the sandbox EHR) and blocks until ctx
// ends, then shuts both down gracefully.
func runServe(ctx context.Context, cfg serveConfig, stdout io.Writer) error {
	log := newLogger(cfg.LogLevel)
	def, err := loadClinic(cfg.Clinic)
	if err != nil {
		return err
	}
	// Listen first so a busy port fails at once, before anything else starts.
	appLn, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	defer appLn.Close()
	if cfg.BaseURL == "http://"+cfg.Addr { // the default: name the port actually bound (":0" picks one)
		cfg.BaseURL = "http://" + appLn.Addr().String()
	}
	if err := ensurePrivate(cfg.DB); err != nil {
		return err
	}
	db, sessions, keys, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()

	var servers []*http.Server
	rcfg := redox.Config{BaseURL: strings.TrimRight(cfg.RedoxURL, "/"), ClientID: cfg.ClientID, KeyID: cfg.KeyID,
		Secret: cfg.ClientSecret, APIKey: cfg.APIKey, APISecret: cfg.APISecret, SourceID: cfg.SourceID,
		SourceName: "Doorway", DestinationID: cfg.DestinationID, Test: cfg.Test, Logger: log.With("component", "redox")}
	if cfg.demo() {
		sb, ln, err := startSandbox(ctx, cfg, def, appLn.Addr().String(), log)
		if err != nil {
			return err
		}
		defer ln.Close()
		servers = append(servers, serveOn(ln, sb.Handler(), log))
		sb.Start(ctx)
		rcfg.BaseURL, rcfg.ClientID, rcfg.Secret = "http://"+ln.Addr().String(), "demo", "demo-secret"
		rcfg.DestinationID, rcfg.DestinationName = "sandbox-ehr", "Doorway sandbox EHR"
		fmt.Fprintf(stdout, "sandbox EHR: http://%s  (legacy login demo / demo-secret; JWT client demo, HS384 secret demo-secret)\n", ln.Addr())
	} else if cfg.KeyFile != "" {
		if rcfg.PrivateKey, err = readRedoxKey(cfg.KeyFile, cfg.KeyID); err != nil {
			return err
		}
	}
	client, err := redox.NewClient(rcfg)
	if err != nil {
		return err
	}
	svc := booking.NewService(booking.Config{Clinic: &def.Clinic, EHR: client, Holds: db, Appointments: db,
		Mirror: db, SlotCache: db, Manage: db, Logger: log.With("component", "booking"), HoldFor: cfg.HoldFor})
	// Another instance sharing the database may receive the EHR's notification of a change:
	// it announces the time, and this instance drops its cached searches of it.
	db.Subscribe(svc.Invalidate)
	go sessions.RunCleanup(ctx, time.Minute)
	// Deliveries a previous process was making when it died resume now, each checked against
	// the EHR before it is sent again, instead of after the outbox lease.
	if n, err := db.ReleaseClaims(ctx, time.Now()); err != nil {
		return err
	} else if n > 0 {
		log.Info("outbox claims released", "count", n)
	}
	go svc.RunOutbox(ctx, 2*time.Second)
	secure := strings.HasPrefix(cfg.BaseURL, "https://")
	srv, err := web.NewServer(web.Config{Service: svc, Sessions: sessions, DB: db, Logger: log, BaseURL: cfg.BaseURL, Secret: derivedSecret(keys),
		Secure: secure, WebhookToken: cfg.WebhookToken, ReadyCheck: client.Ping,
		BookingRate: cfg.BookingRate, BookingBurst: max(30, int(6*cfg.BookingRate))})
	if err != nil {
		return err
	}
	servers = append(servers, serveOn(appLn, srv.Handler(), log))
	fmt.Fprintf(stdout, "Doorway (%s): http://%s\n", def.Name, appLn.Addr())
	<-ctx.Done()
	return shutdown(servers, log)
}

// readRedoxKey reads -redox-key-file, so that a wrong key stops start-up with an error naming
// the flag, the file and the problem rather than failing every sign-in later.
func readRedoxKey(path, keyID string) ([]byte, error) {
	data, err := redox.ReadKeyFile(path)
	if err != nil {
		return nil, fmt.Errorf("-redox-key-file: %w", err)
	}
	key, _ := redox.ParseKey(data) // ReadKeyFile has parsed it once already
	if key.KeyID == "" && keyID == "" && key.Alg != redox.AlgHS384 {
		return nil, fmt.Errorf("-redox-key-id is required: the key in %s names no kid (a PEM key never does); "+
			"give the kid Redox shows for your public key", path)
	}
	return data, nil
}

// openStore opens the app's database (SQLite file or PostgreSQL URL) and its session store,
// and returns the session keys.
// Session keys come from -session-keys, else from what every instance shares: with
// PostgreSQL the database itself (the first instance generates them), with SQLite a file in
// the data directory.
func openStore(ctx context.Context, cfg serveConfig, log *slog.Logger) (appStore, *store.SessionStore, [][]byte, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, nil, nil, err
	}
	log.Info("database open", "backend", db.Backend().Name())
	var keys [][]byte
	switch {
	case cfg.SessionKeys != "" || !store.IsPostgres(cfg.DB):
		keys, err = sessionKeys(cfg.SessionKeys, filepath.Join(cfg.dataDir(), "session.keys"))
	default:
		var shared string
		shared, err = db.SharedSetting(ctx, "session_keys", func() (string, error) { return newKeyPair(), nil })
		if err == nil {
			keys, err = parseSessionKeys(shared)
		}
	}
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	secure := strings.HasPrefix(cfg.BaseURL, "https://")
	sessions := store.NewSessionStore(db, store.SessionOptions{KeyPairs: keys, Secure: secure, Codec: web.SessionCodec{}})
	return db, sessions, keys, nil
}

// startSandbox opens the sandbox's own database beside the app's and listens on its address.
// Its notifications go to the app's webhook.
func startSandbox(ctx context.Context, cfg serveConfig, def *clinicfile.File, appAddr string, log *slog.Logger) (*sandbox.Server, net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.SandboxAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen %s (sandbox EHR): %w", cfg.SandboxAddr, err)
	}
	path := filepath.Join(cfg.dataDir(), "sandbox.db")
	if err := ensurePrivate(path); err != nil {
		ln.Close()
		return nil, nil, err
	}
	sdb, err := store.OpenSQLite(ctx, path, sandbox.Migrations())
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	context.AfterFunc(ctx, func() { sdb.Close() })
	scfg := sandbox.DemoConfig(sdb, log.With("component", "sandbox"))
	scfg.Definition = def
	scfg.SimulateEvery = cfg.Simulate
	scfg.Webhooks = []sandbox.Webhook{{URL: "http://" + appAddr + "/redox/webhook", Token: cfg.WebhookToken}}
	sb, err := sandbox.New(scfg)
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	return sb, ln, nil
}

// runEHR runs the sandbox EHR alone.
func runEHR(ctx context.Context, cfg ehrConfig, stdout io.Writer) error {
	log := newLogger(cfg.LogLevel)
	def, err := loadClinic(cfg.Clinic)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	if err := ensurePrivate(cfg.DB); err != nil {
		return err
	}
	db, err := store.OpenSQLite(ctx, cfg.DB, sandbox.Migrations())
	if err != nil {
		return err
	}
	defer db.Close()
	scfg := sandbox.DemoConfig(db, log)
	scfg.Definition = def
	scfg.SimulateEvery = cfg.Simulate
	for pair := range strings.SplitSeq(cfg.Webhooks, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		u, tok, _ := strings.Cut(pair, "=")
		scfg.Webhooks = append(scfg.Webhooks, sandbox.Webhook{URL: u, Token: tok})
	}
	sb, err := sandbox.New(scfg)
	if err != nil {
		return err
	}
	sb.Start(ctx)
	s := serveOn(ln, sb.Handler(), log)
	fmt.Fprintf(stdout, "sandbox EHR (%s): http://%s\n  legacy login: apiKey demo, secret demo-secret\n  JWT login: client id demo, HS384 secret demo-secret\n", def.Name, ln.Addr())
	<-ctx.Done()
	return shutdown([]*http.Server{s}, log)
}

// ensurePrivate makes an SQLite database readable by the service user only: its directory
// 0700 when Doorway creates it, the file 0600 (created empty if new, so that SQLite gives
// the -wal and -shm files it creates beside it the same mode). It holds patients' details.
func ensurePrivate(path string) error {
	if strings.Contains(path, "://") {
		return nil // a database server, not a file
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create the database directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("open the database file: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

// loadClinic reads the clinic file at path, or the embedded demo clinic when none is given.
func loadClinic(path string) (*clinicfile.File, error) {
	if path == "" {
		return clinicfile.Demo(), nil
	}
	return clinicfile.Load(path)
}

func serveOn(ln net.Listener, h http.Handler, log *slog.Logger) *http.Server {
	s := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		if err := s.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	return s
}

// shutdown gives in-flight requests up to 10 seconds to finish.
func shutdown(servers []*http.Server, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var errs []error
	for _, s := range servers {
		errs = append(errs, s.Shutdown(ctx))
	}
	log.Info("shut down")
	return errors.Join(errs...)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

// derivedSecret is the web server's HMAC secret, derived from the session keys so that every
// instance given the same keys agrees, and rotating them rotates it.
func derivedSecret(keys [][]byte) []byte {
	h := hmac.New(sha256.New, keys[0])
	h.Write([]byte("doorway web secret v1"))
	return h.Sum(nil)
}

// sessionKeys parses -session-keys, or, when it is empty, reads (creating it on first run) a
// file of random keys in the data directory so sessions survive restarts without a committed
// default key.
func sessionKeys(flagVal, file string) ([][]byte, error) {
	if flagVal == "" {
		b, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			b = []byte(newKeyPair() + "\n")
			if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
				return nil, fmt.Errorf("write session keys: %w", err)
			}
			if err := os.WriteFile(file, b, 0o600); err != nil {
				return nil, fmt.Errorf("write session keys: %w", err)
			}
		} else if err != nil {
			return nil, fmt.Errorf("read session keys: %w", err)
		}
		flagVal = strings.TrimSpace(string(b))
	}
	return parseSessionKeys(flagVal)
}

// newKeyPair is a fresh hash,block pair of random 32-byte keys in hex.
func newKeyPair() string {
	k := make([]byte, 64)
	rand.Read(k)
	return hex.EncodeToString(k[:32]) + "," + hex.EncodeToString(k[32:])
}

// parseSessionKeys reads comma-separated hex keys in hash,block pairs.
func parseSessionKeys(s string) ([][]byte, error) {
	var keys [][]byte
	for i, part := range strings.Split(s, ",") {
		k, err := hex.DecodeString(strings.TrimSpace(part))
		// Pairs are (hash key: HMAC-SHA256, 32 or 64 bytes; block key: AES, 16, 24 or 32 bytes).
		ok := len(k) == 32 || (i%2 == 0 && len(k) == 64) || (i%2 == 1 && (len(k) == 16 || len(k) == 24))
		if err != nil || !ok {
			return nil, fmt.Errorf("session key %d: want 64 hex characters (32 bytes)", i+1)
		}
		keys = append(keys, k)
	}
	if len(keys)%2 != 0 {
		return nil, errors.New("session keys come in hash,block pairs: give an even number")
	}
	return keys, nil
}
