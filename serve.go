package main

import (
	"context"
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
	"doorway/booking/link"
	"doorway/booking/redox"
	"doorway/booking/sandbox"
	"doorway/mail"
	"doorway/store"
	"doorway/web"
)

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
	db, keys, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	secure := strings.HasPrefix(cfg.BaseURL, "https://")
	sessions := store.NewSessionStore(db, store.SessionOptions{KeyPairs: keys, Secure: secure, Codec: web.SessionCodec{}})
	deadLetters, err := store.NewDeadLetterStore(db, deadLetterSecrets(keys)...)
	if err != nil {
		return err
	}

	var servers []*http.Server
	rcfg := redox.Config{BaseURL: strings.TrimRight(cfg.RedoxURL, "/"), Timeout: cfg.QueryTimeout, ClientID: cfg.ClientID, KeyID: cfg.KeyID,
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
	// The emails' manage links are signed with the keys the web server checks them with.
	linkKeys := [][]byte{link.KeyFrom(derivedSecret(keys))}
	mailer, err := newMailer(cfg, &def.Clinic, linkKeys)
	if err != nil {
		return err
	}
	tally := booking.NewTally(db, log.With("component", "funnel"))
	bcfg := booking.Config{Clinic: &def.Clinic, EHR: client, Holds: db, Appointments: db,
		Mirror: db, SlotCache: db, Manage: db, Staff: db, DeadLetters: deadLetters, Counter: tally, Logger: log.With("component", "booking"), HoldFor: cfg.HoldFor,
		QueryTimeout: cfg.QueryTimeout, HoldsPerClient: cfg.HoldsPerIP}
	var mailCheck func(context.Context) error
	if mailer != nil {
		bcfg.Notifier, bcfg.Mail, mailCheck = mailer, db, mailer.Ping
	}
	svc := booking.NewService(bcfg)
	// The funnel's counts go to the database every few seconds, and once more when the web
	// server has stopped (this defer runs after shutdown returns, before db.Close): what the
	// last requests counted is kept.
	stopFunnel := runFunnel(tally)
	defer stopFunnel()
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
	go svc.RunMail(ctx, 2*time.Second)
	srv, err := web.NewServer(web.Config{Service: svc, Sessions: sessions, DB: db, Logger: log, BaseURL: cfg.BaseURL, Secret: derivedSecret(keys),
		Secure: secure, WebhookToken: cfg.WebhookToken, ReadyCheck: client.Ping, MailCheck: mailCheck, LinkKeys: linkKeys,
		// A hold or a move asks the EHR too: its request may take the whole query time.
		RequestTimeout: max(15*time.Second, cfg.QueryTimeout+5*time.Second),
		BookingRate:    cfg.BookingRate, BookingBurst: max(30, int(6*cfg.BookingRate))})
	if err != nil {
		return err
	}
	servers = append(servers, serveOn(appLn, srv.Handler(), log))
	if mailer != nil {
		fmt.Fprintf(stdout, "emails: through %s (TLS %s), from %s\n", mailer.Server(), cfg.SMTP.TLS, cfg.SMTP.From)
	} else {
		fmt.Fprintln(stdout, "emails: off (no -smtp-host); the confirmation page says so")
	}
	if cfg.demo() {
		// Before the banner: whoever waits for it finds the account there.
		email, err := demoStaff(ctx, db)
		if err != nil {
			if ctx.Err() != nil { // stopped while starting
				return shutdown(servers, log)
			}
			return err
		}
		fmt.Fprintf(stdout, "front desk: http://%s/desk  (%s / %s)\n", appLn.Addr(), email, demoStaffPassword)
		code, err := demoKiosk(ctx, svc)
		if err != nil {
			if ctx.Err() != nil {
				return shutdown(servers, log)
			}
			return err
		}
		fmt.Fprintf(stdout, "kiosk: http://%s/kiosk  (enrollment code %s, good for 24 hours)\n", appLn.Addr(), code)
	}
	fmt.Fprintf(stdout, "Doorway (%s): http://%s\n", def.Name, appLn.Addr())
	<-ctx.Done()
	return shutdown(servers, log)
}

// newMailer is the SMTP notifier -smtp-* describe, or nil when -smtp-host is empty. A
// configuration that could not send (plain text to a remote server, no sender) stops start-up.
func newMailer(cfg serveConfig, clinic *booking.Clinic, linkKeys [][]byte) (*mail.Mailer, error) {
	if cfg.SMTP.Host == "" {
		return nil, nil
	}
	m, err := mail.New(mail.Config{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, TLS: cfg.SMTP.TLS, Username: cfg.SMTP.User,
		Password: cfg.SMTP.Password, From: cfg.SMTP.From, ReplyTo: cfg.SMTP.ReplyTo, BaseURL: cfg.BaseURL,
		Links: link.NewSigner(linkKeys), Clinic: clinic})
	if err != nil {
		return nil, fmt.Errorf("-smtp-*: %w", err)
	}
	return m, nil
}

// funnelFlushEvery is how often the funnel's counts are written: what a killed process loses.
const funnelFlushEvery = 5 * time.Second

// runFunnel flushes tally every funnelFlushEvery until the returned stop is called; stop
// flushes once more and returns when that is done. It does not end with the signal that
// stops the server: requests still finishing then count too.
func runFunnel(tally *booking.Tally) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tally.Run(ctx, funnelFlushEvery)
	}()
	return func() {
		cancel()
		<-done
	}
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

// openStore opens the app's database (SQLite file or PostgreSQL URL) and returns it with
// the session keys (storeKeys), generating them on the first run.
func openStore(ctx context.Context, cfg serveConfig, log *slog.Logger) (*store.DB, [][]byte, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, nil, err
	}
	log.Info("database open", "backend", db.Backend().Name())
	keys, err := storeKeys(ctx, db, cfg, true)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, keys, nil
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
	if _, err := sb.Seed(ctx, demoSeedDays, cfg.DemoBusy, uint64(time.Now().UnixNano())); err != nil {
		ln.Close()
		return nil, nil, fmt.Errorf("seed the demo schedule: %w", err)
	}
	return sb, ln, nil
}

// demoSeedDays are the days of the demo's schedule booked at its first start (-demo-busy).
const demoSeedDays = 14

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
		// Past the longest request: a hold may wait for an EHR query of up to 2 minutes.
		WriteTimeout: 150 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
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

// The demo clinic's front desk account, created on the first demo start and printed at each.
// Its bcrypt hash (cost 12) is computed once here rather than at every first start: under the
// race detector a cost-12 hash takes seconds, and the demo must start at once.
const (
	demoStaffEmail    = "desk@demo.doorway"
	demoStaffPassword = "demo-desk-password"
	demoStaffHash     = "$2a$12$wGAFvn6ajl59rkyQmm2OfeKUaKwSFkwfEsp1Uu0aqh1E5L6kthc6a"
)

// demoKioskName is the demo clinic's kiosk.
const demoKioskName = "Demo kiosk"

// demoKiosk makes sure the demo kiosk exists (at the clinic's first location) and returns a
// fresh enrollment code for it: each start prints one that works, and a tablet enrolled
// before keeps working until another enrolls.
func demoKiosk(ctx context.Context, svc *booking.Service) (string, error) {
	kiosks, err := svc.Kiosks(ctx)
	if err != nil {
		return "", err
	}
	by := booking.Actor{Kind: "system", Session: "demo"}
	for _, k := range kiosks {
		if k.Name == demoKioskName && !k.Revoked {
			_, code, err := svc.NewEnrollmentCode(ctx, k.ID, by)
			return code, err
		}
	}
	_, code, err := svc.CreateKiosk(ctx, demoKioskName, svc.Clinic().Locations[0].ID, by)
	return code, err
}

// demoStaff makes sure the demo desk account exists (an admin, so every desk page can be
// tried) and returns its email. Demo mode only: a real clinic adds its staff with
// `doorway staff add`.
func demoStaff(ctx context.Context, db *store.DB) (string, error) {
	if _, _, err := db.StaffByEmail(ctx, demoStaffEmail); err == nil {
		return demoStaffEmail, nil
	} else if booking.ErrorCode(err) != booking.CodeNotFound {
		return "", err
	}
	_, err := db.AddStaff(ctx, booking.Staff{Email: demoStaffEmail, Name: "Demo Desk", Role: booking.RoleAdmin, CreatedAt: time.Now()}, demoStaffHash)
	if booking.ErrorCode(err) == booking.CodeConflict { // another instance made it meanwhile
		err = nil
	}
	return demoStaffEmail, err
}
