// Package mailtest is a real SMTP server on loopback for tests (github.com/emersion/go-smtp,
// in process): it keeps every message it accepts, can refuse or fail on demand, can be
// stopped and started again on the same address, and parses what it got (headers, the
// text and HTML parts, attachments). Only tests import it.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Server; zero values take defaults.
type Options struct {
	Addr string      // "" picks a free loopback port
	TLS  *tls.Config // offer STARTTLS with this configuration
	// Username and Password, when set, are the only credentials AUTH PLAIN accepts.
	Username, Password string
}

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Raw  []byte
}

// Server is the SMTP server.
type Server struct {
	Addr string
	opts Options
	t    testing.TB

	mu      sync.Mutex
	srv     *smtp.Server
	ln      net.Listener
	got     []Message
	refuse  map[string]int // recipient -> the code RCPT TO answers
	failing int            // answer this many more DATA with a 451
	hold    chan struct{}  // while not nil, DATA waits on it
	heard   chan struct{}  // DATA arrived (buffered: the first signal counts)
	conns   int
}

// Start starts a server and stops it when the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{opts: o, t: t, refuse: map[string]int{}, heard: make(chan struct{}, 1)}
	if err := s.listen(o.Addr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) listen(addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "mailtest.local"
	srv.TLSConfig = s.opts.TLS
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 10 << 20
	s.mu.Lock()
	s.srv, s.ln, s.Addr = srv, ln, ln.Addr().String()
	s.mu.Unlock()
	go srv.Serve(ln)
	return nil
}

// Stop closes the listener and every connection: the server is down.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		ln.Close() // Serve may not have registered it yet: srv.Close alone could miss it
		srv.Close()
	}
}

// Restart starts the server again on the same address, keeping what it got.
func (s *Server) Restart() {
	s.t.Helper()
	var err error
	for range 50 { // the port may linger a moment after Stop
		if err = s.listen(s.Addr); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("mailtest: restart on %s: %v", s.Addr, err)
}

// Host and Port are the server's address in parts, as a client's flags take them.
func (s *Server) Host() string { h, _, _ := net.SplitHostPort(s.Addr); return h }

// Port is the server's port.
func (s *Server) Port() string { _, p, _ := net.SplitHostPort(s.Addr); return p }

// Refuse makes RCPT TO answer code (a 5xx: the address does not exist) for rcpt; code 0
// takes rcpt again (the mailbox fixed).
func (s *Server) Refuse(rcpt string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[strings.ToLower(rcpt)] = code
}

// FailNext answers the next n messages' DATA with 451 (try again later).
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing = n
}

// Hold makes every DATA wait until release is called (a server that has the message and
// has not answered yet); arrived is signalled when the first one waits.
func (s *Server) Hold() (arrived <-chan struct{}, release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := make(chan struct{})
	s.hold = h
	return s.heard, sync.OnceFunc(func() {
		s.mu.Lock()
		s.hold = nil
		s.mu.Unlock()
		close(h)
	})
}

// Messages returns what the server accepted, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

// Connections is how many connections the server has taken.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Wait waits until the server has accepted at least n messages and returns them; it fails
// the test after within.
func (s *Server) Wait(t testing.TB, n int, within time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailtest: %d messages after %v, want %d", len(s.Messages()), within, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.conns++
	b.s.mu.Unlock()
	return &session{s: b.s}, nil
}

type session struct {
	s      *Server
	from   string
	to     []string
	authed bool
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.opts.Username || pass != ss.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && !ss.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	code := ss.s.refuse[strings.ToLower(to)]
	ss.s.mu.Unlock()
	if code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1}, Message: "no such user: " + to}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	hold := ss.s.hold
	fail := ss.s.failing > 0
	if fail {
		ss.s.failing--
	}
	ss.s.mu.Unlock()
	if hold != nil {
		select {
		case ss.s.heard <- struct{}{}:
		default:
		}
		<-hold
	}
	if fail {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.srv == nil { // stopped meanwhile: the message never arrived
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "shutting down"}
	}
	ss.s.got = append(ss.s.got, Message{From: ss.from, To: ss.to, Raw: bytes.Clone(raw)})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
