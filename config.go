package main

import (
	"doorway/booking"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"doorway/store"
)

// serveConfig is `doorway serve`'s configuration (DESIGN §5).
type serveConfig struct {
	Addr          string
	SandboxAddr   string
	DB            string
	DataDir       string
	Clinic        string
	BaseURL       string
	WebhookToken  string
	SessionKeys   string
	RedoxURL      string
	ClientID      string
	KeyFile       string
	KeyID         string
	ClientSecret  string
	APIKey        string
	APISecret     string
	SourceID      string
	DestinationID string
	Test          bool
	Simulate      time.Duration
	DemoBusy      float64
	HoldFor       time.Duration
	QueryTimeout  time.Duration
	HoldsPerIP    int
	BookingRate   float64
	LogLevel      string
	SMTP          smtpConfig
}

// smtpConfig is where emails to patients go; no host means no emails.
type smtpConfig struct {
	Host, TLS, User, Password, From, ReplyTo string
	Port                                     int
}

// Demo mode: no Redox credentials, so the embedded sandbox is the EHR.
func (c serveConfig) demo() bool { return c.ClientID == "" && c.APIKey == "" }

// dataDir is where the files beside the database go (the demo sandbox's database, generated
// session keys): -data-dir, else the SQLite database's directory, else ./data.
func (c serveConfig) dataDir() string {
	switch {
	case c.DataDir != "":
		return c.DataDir
	case store.IsPostgres(c.DB):
		return "./data"
	}
	return filepath.Dir(c.DB)
}

// ehrConfig is `doorway ehr`'s configuration.
type ehrConfig struct {
	Addr     string
	DB       string
	Clinic   string
	Webhooks string // comma-separated URL=token pairs
	Simulate time.Duration
	LogLevel string
}

// envFlags binds flags to a FlagSet and then lets DOORWAY_<NAME> set any flag the command line
// did not (the command line wins).
type envFlags struct {
	fs     *flag.FlagSet
	getenv func(string) string
}

func newFlags(name string, getenv func(string) string) *envFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &envFlags{fs: fs, getenv: getenv}
}

func (f *envFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return fmt.Errorf("usage of %s:\n%s", f.fs.Name(), f.usage())
		}
		return fmt.Errorf("%w\n%s", err, f.usage())
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var err error
	f.fs.VisitAll(func(fl *flag.Flag) {
		if set[fl.Name] || err != nil {
			return
		}
		env := "DOORWAY_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		if v := f.getenv(env); v != "" {
			if e := fl.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
		}
	})
	return err
}

func (f *envFlags) usage() string {
	var b strings.Builder
	f.fs.VisitAll(func(fl *flag.Flag) {
		env := "DOORWAY_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		fmt.Fprintf(&b, "  -%s (%s)\n    \t%s (default %q)\n", fl.Name, env, fl.Usage, fl.DefValue)
	})
	return b.String()
}

func parseServeConfig(args []string, getenv func(string) string) (serveConfig, error) {
	var c serveConfig
	f := newFlags("doorway serve", getenv)
	fs := f.fs
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "address the booking app listens on")
	fs.StringVar(&c.SandboxAddr, "sandbox-addr", "127.0.0.1:8081", "address of the embedded sandbox EHR (demo mode only)")
	fs.StringVar(&c.DB, "db", "./data/doorway.db", "SQLite database file (created), or a postgres:// URL shared by several instances")
	fs.StringVar(&c.DataDir, "data-dir", "", "where the demo sandbox's sandbox.db and generated session keys go (default: the SQLite database's directory, or ./data with PostgreSQL)")
	fs.StringVar(&c.Clinic, "clinic", "", "clinic definition file (YAML or JSON); default: the embedded demo clinic")
	fs.StringVar(&c.BaseURL, "base-url", "", "public URL of the app (default http://<addr>); https enables Secure cookies")
	fs.StringVar(&c.WebhookToken, "webhook-token", "", "verification-token Redox sends to /redox/webhook (demo default demo-webhook-token; required with real Redox)")
	fs.StringVar(&c.SessionKeys, "session-keys", "", "comma-separated hex session keys, 64 hex chars each (32 bytes) as hash,block pairs; the first pair signs, all verify (default: generated once and kept beside the database)")
	fs.StringVar(&c.RedoxURL, "redox-url", "https://api.redoxengine.com", "Redox API base URL")
	fs.StringVar(&c.ClientID, "redox-client-id", "", "Redox OAuth API key client ID (enables real Redox)")
	fs.StringVar(&c.KeyFile, "redox-key-file", "", "private key that signs the JWT client assertion, in the form Redox gave it: PEM (RSA or EC P-384), a JWK or a JWK Set with one private key (RSA, EC P-384, or oct for HS384)")
	fs.StringVar(&c.KeyID, "redox-key-id", "", "kid of the key registered with Redox: required with a PEM key; a JWK's own kid is used when this is empty, and this wins when both are given")
	fs.StringVar(&c.ClientSecret, "redox-client-secret", "", "HS384 shared secret, raw or as an oct JWK (instead of a key file)")
	fs.StringVar(&c.APIKey, "redox-api-key", "", "legacy Redox API key (fallback login)")
	fs.StringVar(&c.APISecret, "redox-api-secret", "", "legacy Redox API secret")
	fs.StringVar(&c.SourceID, "redox-source-id", "", "Meta.Source.ID (needed when the organisation has several OAuth keys)")
	fs.StringVar(&c.DestinationID, "redox-destination-id", "", "Meta.Destinations[0].ID: the clinic EHR's destination")
	fs.BoolVar(&c.Test, "redox-test", true, "set Meta.Test on messages (turn off only in production)")
	fs.DurationVar(&c.Simulate, "simulate", 0, "demo mode: every interval the sandbox books or blocks a random time as if by phone (0 = off)")
	fs.Float64Var(&c.DemoBusy, "demo-busy", 0.1, "demo mode: on a new sandbox, each open time of the next 14 days is booked by phone or blocked with this chance (0.1 fills about a third of a day; 0 = an empty schedule)")
	fs.DurationVar(&c.HoldFor, "hold", 10*time.Minute, "how long a picked time is held while the patient types")
	fs.IntVar(&c.HoldsPerIP, "holds-per-client", booking.DefaultHoldsPerClient, "most times one client IP may hold at once across its sessions (-1: no cap, for load tests from one address)")
	fs.DurationVar(&c.QueryTimeout, "query-timeout", booking.DefaultQueryTimeout, "how long to wait for the EHR's answer to an open-times query (Redox allows up to 2m); the times page says \"still looking\" after 2.5s and keeps the answer when it comes")
	fs.Float64Var(&c.BookingRate, "booking-rate", 5, "booking form submissions allowed per second per client IP, with bursts of 6 times that (at least 30)")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.SMTP.Host, "smtp-host", "", "SMTP server for emails to patients (confirmations, changes, reminders); empty: no emails")
	fs.IntVar(&c.SMTP.Port, "smtp-port", 0, "SMTP port (default 587, or 465 with -smtp-tls tls)")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", "starttls", "starttls (mandatory), tls (from the first byte), or none (only to a server on loopback)")
	fs.StringVar(&c.SMTP.User, "smtp-user", "", "SMTP AUTH username (none: no AUTH)")
	fs.StringVar(&c.SMTP.Password, "smtp-password", "", "SMTP AUTH password (prefer DOORWAY_SMTP_PASSWORD: a flag shows in the process list)")
	fs.StringVar(&c.SMTP.From, "smtp-from", "", "the emails' sender address (required with -smtp-host); the clinic's name is its display name")
	fs.StringVar(&c.SMTP.ReplyTo, "smtp-reply-to", "", "where patients' replies go (default: the sender)")
	if err := f.parse(args); err != nil {
		return c, err
	}
	if c.SMTP.Host == "" && (c.SMTP.From != "" || c.SMTP.User != "" || c.SMTP.Password != "" || c.SMTP.ReplyTo != "") {
		return c, errors.New("-smtp-from, -smtp-user, -smtp-password or -smtp-reply-to given without -smtp-host")
	}
	if c.SMTP.Host != "" && c.SMTP.From == "" {
		return c, errors.New("-smtp-host needs -smtp-from: the address the emails come from")
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	if c.QueryTimeout <= 0 || c.QueryTimeout > booking.MaxQueryTimeout {
		return c, fmt.Errorf("-query-timeout %v: want more than 0 and at most %v (Redox's limit)", c.QueryTimeout, booking.MaxQueryTimeout)
	}
	if c.demo() {
		if c.WebhookToken == "" {
			c.WebhookToken = "demo-webhook-token"
		}
		return c, nil
	}
	switch {
	case c.WebhookToken == "":
		return c, errors.New("real Redox is configured but -webhook-token is empty: inbound notifications could not be verified")
	case c.DestinationID == "":
		return c, errors.New("real Redox is configured but -redox-destination-id is empty")
	case c.ClientID != "" && c.KeyFile == "" && c.ClientSecret == "":
		return c, errors.New("-redox-client-id needs -redox-key-file (a PEM or JWK key) or -redox-client-secret (HS384)")
	case c.KeyFile != "" && c.ClientSecret != "":
		return c, errors.New("give -redox-key-file or -redox-client-secret, not both")
	case c.APIKey != "" && c.APISecret == "":
		return c, errors.New("-redox-api-key needs -redox-api-secret")
	}
	return c, nil
}

func parseEHRConfig(args []string, getenv func(string) string) (ehrConfig, error) {
	var c ehrConfig
	f := newFlags("doorway ehr", getenv)
	f.fs.StringVar(&c.Addr, "addr", "127.0.0.1:8081", "address the sandbox EHR listens on")
	f.fs.StringVar(&c.DB, "db", "./data/sandbox.db", "SQLite database file of the sandbox (created)")
	f.fs.StringVar(&c.Clinic, "clinic", "", "clinic definition file (YAML or JSON); default: the embedded demo clinic")
	f.fs.StringVar(&c.Webhooks, "webhooks", "", "where to POST notifications: comma-separated URL=verification-token pairs")
	f.fs.DurationVar(&c.Simulate, "simulate", 0, "every interval, book or block a random time as if by phone (0 = off)")
	f.fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	return c, f.parse(args)
}
