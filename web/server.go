// Package web is Doorway's HTTP layer: echo with every route in routes.go, the middleware
// chain in middleware.go, handler files prefixed by area (book_ for the patient's booking
// wizard, desk_ for the front desk, kiosk_ for the clinic's kiosks, hook_ for the EHR's webhook), the language of each request (locale.go), and one
// error handler (errors.go) that turns every failure into a friendly page or a JSON error.
// Handlers bind the request, call booking, save the session and redirect or render: the
// rules are booking's, the words views/i18n's.
package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/gob"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/booking/link"
)

// SessionStore keeps the browser sessions (store.SessionStore, in the shared database, so
// every instance behind a load balancer sees the same session).
type SessionStore interface {
	// Get returns the request's session called name, cached for the rest of the request.
	Get(r *http.Request, name string) (*sessions.Session, error)
	// Save writes the session and sets its cookie.
	Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error
	// Rotate gives the session a new id, keeping its values and its hold.
	Rotate(r *http.Request, w http.ResponseWriter, s *sessions.Session) error
	// Name is the session cookie's name.
	Name() string
}

// Pinger is the database as /readyz checks it.
type Pinger interface {
	PingContext(ctx context.Context) error
}

// Config wires a Server. Service, Sessions and Logger are required.
type Config struct {
	Service    *booking.Service
	Sessions   SessionStore
	DB         Pinger                      // pinged by /readyz; nil skips the check
	Logger     *slog.Logger                // request and error logs; never PHI
	BaseURL    string                      // public origin, e.g. https://book.example.org
	Secure     bool                        // HTTPS: Secure cookies and HSTS
	ReadyCheck func(context.Context) error // the EHR is reachable; nil skips the check
	MailCheck  func(context.Context) error // the SMTP server is reachable; nil (no SMTP) skips it
	// Secret keys the HMACs that bind what the server hands out (confirmation keys) to the
	// browser it handed them to. Instances serving one clinic share it; nil generates one, so
	// keys die with the process.
	Secret []byte
	// WebhookToken is the verification-token Redox sends to /redox/webhook; empty refuses
	// every delivery.
	WebhookToken string

	// RequestTimeout bounds each request's context (default 15 seconds): a slow EHR turns
	// into a "try again" page rather than a hung browser.
	RequestTimeout time.Duration
	// LinkKeys sign the links that open an appointment's manage page: the first signs, every
	// one verifies (rotate by putting a new key first). Default: one derived from Secret.
	LinkKeys [][]byte
	// FindRate and FindBurst limit appointment lookups per client IP (default one a minute,
	// bursts of 10): with the lock on each code, what keeps a code from being guessed.
	FindRate  float64
	FindBurst int
	// Patience is how long the open-times page waits for the EHR (default 2.5 seconds) before
	// it answers "still looking" and lets the query go on in the background.
	Patience time.Duration
	// BookingRate and BookingBurst limit booking POSTs per client IP (default 5 per second
	// with bursts of 30, ample for people and still a brake on scripts).
	BookingRate  float64
	BookingBurst int
}

// Server is the booking web app.
type Server struct {
	svc      *booking.Service
	clinic   *booking.Clinic
	sessions SessionStore
	db       Pinger
	log      *slog.Logger
	cfg      Config
	metrics  *metrics
	refs     slotRefs
	secret   []byte
	links    link.Signer
	pages    *pageCache
	echo     *echo.Echo
}

// NewServer builds the server and its routes.
func NewServer(cfg Config) (*Server, error) {
	switch {
	case cfg.Service == nil:
		return nil, errors.New("web: Config.Service is required")
	case cfg.Service.Clinic() == nil || len(cfg.Service.Clinic().Locations) == 0:
		return nil, errors.New("web: the service has no clinic with locations")
	case cfg.Sessions == nil:
		return nil, errors.New("web: Config.Sessions is required")
	}
	cfg.RequestTimeout = cmp.Or(cfg.RequestTimeout, 15*time.Second)
	cfg.Patience = cmp.Or(cfg.Patience, 2500*time.Millisecond)
	cfg.FindRate = cmp.Or(cfg.FindRate, 1.0/60)
	cfg.FindBurst = cmp.Or(cfg.FindBurst, 10)
	cfg.BookingRate = cmp.Or(cfg.BookingRate, 5)
	cfg.BookingBurst = cmp.Or(cfg.BookingBurst, 30)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	// A session store with its default codec (gob) needs the wizard registered; serve gives
	// it SessionCodec instead. Registering the same type again is a no-op.
	gob.Register(Wizard{})
	s := &Server{
		svc: cfg.Service, clinic: cfg.Service.Clinic(), sessions: cfg.Sessions, db: cfg.DB,
		log: cfg.Logger, cfg: cfg, metrics: newMetrics(),
	}
	s.refs = newSlotRefs(s.clinic)
	s.secret = cfg.Secret
	if len(s.secret) == 0 {
		s.secret = make([]byte, 32)
		rand.Read(s.secret) // crypto/rand.Read never fails (Go 1.24+)
	}
	s.pages = newPageCache(2*time.Second, 1000, cfg.Service.Now)
	if len(cfg.LinkKeys) == 0 {
		cfg.LinkKeys = [][]byte{link.KeyFrom(s.secret)}
	}
	s.links = link.NewSigner(cfg.LinkKeys)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Doorway listens directly (or behind a proxy that must be configured explicitly):
	// never trust X-Forwarded-For by default, or anyone could dodge the rate limits.
	e.IPExtractor = echo.ExtractIPDirect()
	s.echo = e
	s.routes(e)
	s.metrics.setRoutes(e.Routes())
	return s, nil
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }
