// Package mail sends Doorway's emails to patients over SMTP (github.com/wneessen/go-mail): it
// implements booking.Notifier. Each booking.Notice becomes one message with a plain-text and
// an HTML part rendered by views/email in the patient's language, and the appointment's
// calendar file (views/calendar) attached: METHOD:REQUEST to add or move it, METHOD:CANCEL to
// remove it. The Message-ID is made from the notice's key, so a message sent again after a
// crash is the same message to every receiver. Errors say what failed (the SMTP stage and
// code), never the server's words, which may quote the patient's address.
package mail

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"doorway/booking"
	"doorway/booking/link"
)

// TLS policies: how the connection to the server is protected.
const (
	StartTLS = "starttls" // STARTTLS, mandatory: the default (port 587)
	TLS      = "tls"      // TLS from the first byte (port 465)
	NoTLS    = "none"     // plain text: only to a server on this machine (a relay, Mailpit)
)

// Config is where and as whom Doorway sends.
type Config struct {
	Host     string
	Port     int    // default 587, or 465 with TLS
	TLS      string // StartTLS (default), TLS or NoTLS
	Username string // SMTP AUTH when set
	Password string
	From     string // the sender's address; the clinic's name is its display name
	ReplyTo  string // optional: where patients' replies go
	// BaseURL is the app's public URL: the emails' manage links are absolute under it.
	BaseURL string
	Links   link.Signer
	Clinic  *booking.Clinic
	Timeout time.Duration // one connection's deadline; default 15 seconds
	// TLSConfig checks the server's certificate (default: the system's roots and Host as the
	// name); set it for a relay with a private CA.
	TLSConfig *tls.Config
}

// Mailer sends notices over SMTP. It is safe for concurrent use.
type Mailer struct {
	cfg    Config
	domain string // the From address's domain: the Message-IDs'
}

var _ booking.Notifier = (*Mailer)(nil)

// New checks cfg and returns its mailer.
func New(cfg Config) (*Mailer, error) {
	cfg.TLS = strings.ToLower(strings.TrimSpace(cfg.TLS))
	if cfg.TLS == "" {
		cfg.TLS = StartTLS
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == TLS {
			cfg.Port = 465
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	from, err := mail.ParseAddress(cfg.From)
	switch {
	case cfg.Host == "":
		return nil, errors.New("mail: the SMTP host is empty")
	case cfg.TLS != StartTLS && cfg.TLS != TLS && cfg.TLS != NoTLS:
		return nil, fmt.Errorf("mail: TLS policy %q: want %s, %s or %s", cfg.TLS, StartTLS, TLS, NoTLS)
	case cfg.TLS == NoTLS && !Loopback(cfg.Host):
		return nil, fmt.Errorf("mail: TLS policy %s is allowed only for a server on this machine (loopback), not %s", NoTLS, cfg.Host)
	case cfg.Port < 1 || cfg.Port > 65535:
		return nil, fmt.Errorf("mail: port %d", cfg.Port)
	case err != nil || from.Address != cfg.From || !strings.Contains(cfg.From, "@"):
		return nil, fmt.Errorf("mail: the from address %q is not one address", cfg.From)
	case cfg.Password != "" && cfg.Username == "":
		return nil, errors.New("mail: a password without a username")
	case cfg.Clinic == nil:
		return nil, errors.New("mail: no clinic")
	case !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://"):
		return nil, fmt.Errorf("mail: the base URL %q is not absolute: the emails' links would not open", cfg.BaseURL)
	}
	if cfg.ReplyTo != "" {
		if a, err := mail.ParseAddress(cfg.ReplyTo); err != nil || a.Address != cfg.ReplyTo {
			return nil, fmt.Errorf("mail: the reply-to address %q is not one address", cfg.ReplyTo)
		}
	}
	return &Mailer{cfg: cfg, domain: cfg.From[strings.LastIndexByte(cfg.From, '@')+1:]}, nil
}

// Loopback reports whether host names this machine: "localhost" or a loopback address.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Server is the server's address, for logs.
func (m *Mailer) Server() string { return net.JoinHostPort(m.cfg.Host, fmt.Sprint(m.cfg.Port)) }

// client is a go-mail client for one connection, which ends with ctx at the latest: go-mail
// bounds the dial by ctx but each later exchange by its own timeout.
func (m *Mailer) client(ctx context.Context) (*gomail.Client, error) {
	timeout := m.cfg.Timeout
	if d, ok := ctx.Deadline(); ok {
		timeout = max(min(timeout, time.Until(d)), time.Millisecond)
	}
	opts := []gomail.Option{gomail.WithPort(m.cfg.Port), gomail.WithTimeout(timeout), gomail.WithHELO(m.domain)}
	switch m.cfg.TLS {
	case TLS:
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if m.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(m.cfg.TLSConfig))
	}
	if m.cfg.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if m.cfg.TLS == NoTLS { // loopback only: PLAIN without TLS is acceptable there
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(m.cfg.Username), gomail.WithPassword(m.cfg.Password))
	}
	return gomail.NewClient(m.cfg.Host, opts...)
}

// Ping connects to the server as a send would (greeting, EHLO, STARTTLS, AUTH) and hangs up:
// /readyz's SMTP check.
func (m *Mailer) Ping(ctx context.Context) error {
	c, err := m.client(ctx)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return fmt.Errorf("mail: connect to %s: %w", m.Server(), err)
	}
	return c.Close()
}

// Notify implements booking.Notifier: it composes n's message and sends it. A refusal (SMTP
// 5xx) is a CodeRejected error; anything else (the server down, slow, 4xx) CodeUnavailable.
func (m *Mailer) Notify(ctx context.Context, n booking.Notice) error {
	msg, err := m.Compose(ctx, n)
	if err != nil {
		return &booking.Error{Code: booking.CodeInternal, Detail: "compose email", Err: err}
	}
	c, err := m.client(ctx)
	if err != nil {
		return &booking.Error{Code: booking.CodeInternal, Detail: "smtp client", Err: err}
	}
	err = c.DialAndSendWithContext(ctx, msg)
	if err == nil || msg.IsDelivered() { // the server took it: a failure after that (RSET, QUIT) is not the message's
		return nil
	}
	return classify(err)
}

// classify turns a send error into a domain error that names the SMTP stage and codes only.
func classify(err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		// Dial, TLS and AUTH failures: the server's or the network's state, retried.
		return &booking.Error{Code: booking.CodeUnavailable, Detail: "smtp: " + redact(err.Error())}
	}
	code := se.ErrorCode()
	detail := fmt.Sprintf("smtp %s: %d", se.Reason, code)
	if esc := se.EnhancedStatusCode(); esc != "" {
		detail += " " + esc
	}
	if code >= 500 && code < 600 {
		return &booking.Error{Code: booking.CodeRejected, Detail: detail}
	}
	return &booking.Error{Code: booking.CodeUnavailable, Detail: detail}
}

// redact drops anything shaped like an email address from an error text.
func redact(s string) string {
	fields := strings.Fields(s)
	for i, f := range fields {
		if strings.Contains(f, "@") {
			fields[i] = "[address]"
		}
	}
	return strings.Join(fields, " ")
}

// MessageID is the Message-ID of the email with idempotency key key, under domain: a hash,
// so it carries nothing about the patient or the visit, and the same for every attempt.
func MessageID(key, domain string) string {
	h := sha256.Sum256([]byte("doorway email\x00" + key))
	return "doorway." + hex.EncodeToString(h[:16]) + "@" + domain
}

// ManageURL is the absolute, signed link that opens visit's page.
func (m *Mailer) ManageURL(visit string) string { return m.cfg.BaseURL + m.cfg.Links.Path(visit) }
