package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// SessionOptions configures a SessionStore.
type SessionOptions struct {
	// KeyPairs are hash,block key pairs (hash 32 or 64 bytes, block 16, 24 or 32 bytes for
	// AES). The first pair signs and encrypts new cookies; every pair verifies, so keys rotate
	// by putting the new pair first and keeping the old one second until its cookies expire.
	// Empty: a random pair, good for one process lifetime (tests, throwaway demos).
	KeyPairs    [][]byte
	IdleTimeout time.Duration    // sliding idle expiry; default 15 minutes (DESIGN §6)
	Secure      bool             // cookie only over HTTPS
	Name        string           // cookie name used by NewSessionStore callers; default "doorway"
	Path        string           // cookie path; default "/"
	Now         func() time.Time // clock; default time.Now
	Logger      *slog.Logger     // for the cleanup loop; default discards
	// Codec turns the values into the bytes kept in the sessions table and back; default
	// gob (every stored type registered with gob.Register). A codec that knows its few types
	// is much cheaper on every request: gob sends and compiles its type descriptions anew for
	// each session read.
	Codec Codec
}

// Codec encodes session values. Decode of bytes it did not write (another codec's, an older
// version's) must fail: the session then starts afresh.
type Codec interface {
	Encode(values map[any]any) ([]byte, error)
	Decode(data []byte) (map[any]any, error)
}

// Gob is the default Codec.
type Gob struct{}

func (Gob) Encode(v map[any]any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (Gob) Decode(data []byte) (map[any]any, error) {
	values := map[any]any{}
	err := gob.NewDecoder(bytes.NewReader(data)).Decode(&values)
	return values, err
}

// SessionStore is a gorilla sessions.Store whose cookie carries only a signed and encrypted
// random session id; the values live encoded (SessionOptions.Codec) in the sessions table. Cookies are HttpOnly
// and SameSite=Lax; without MaxAge they end with the browser, while the server forgets a
// session IdleTimeout after its last save.
type SessionStore struct {
	db     *DB
	codecs []securecookie.Codec
	opts   sessions.Options
	idle   time.Duration
	name   string
	now    func() time.Time
	log    *slog.Logger
	codec  Codec
}

var _ sessions.Store = (*SessionStore)(nil)

// NewSessionStore returns a store keeping sessions in db.
func NewSessionStore(db *DB, opts SessionOptions) *SessionStore {
	keys := opts.KeyPairs
	if len(keys) == 0 {
		keys = [][]byte{securecookie.GenerateRandomKey(32), securecookie.GenerateRandomKey(32)}
	}
	s := &SessionStore{
		db:     db,
		codecs: securecookie.CodecsFromPairs(keys...),
		opts:   sessions.Options{Path: cmp.Or(opts.Path, "/"), Secure: opts.Secure, HttpOnly: true, SameSite: http.SameSiteLaxMode},
		idle:   cmp.Or(opts.IdleTimeout, 15*time.Minute),
		name:   cmp.Or(opts.Name, "doorway"),
		now:    opts.Now,
		log:    opts.Logger,
		codec:  cmp.Or[Codec](opts.Codec, Gob{}),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	// The cookie's own timestamp caps how long one issued token is accepted. Every Save
	// re-issues it and the server-side expiry is the real idle limit, so this is a backstop
	// against a token replayed long after (a day), not the idle timeout itself.
	for _, c := range s.codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.MaxAge(86400)
		}
	}
	return s
}

// Name is the configured cookie name (SessionOptions.Name).
func (s *SessionStore) Name() string { return s.name }

// Get returns the request's session called name, cached for the rest of the request.
func (s *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie. A missing, tampered or undecodable
// cookie, or an unknown or expired id, gives a fresh empty session with IsNew set and a new
// id (so SessionID works before the first Save) and no error: to the patient that is simply
// a new visit. Only a database failure is an error.
func (s *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	opts := s.opts
	sess.Options = &opts
	sess.IsNew = true
	var id string
	if c, err := r.Cookie(name); err == nil && securecookie.DecodeMulti(name, c.Value, &id, s.codecs...) == nil {
		found, err := s.load(r.Context(), id, sess)
		if err != nil {
			sess.ID = newSessionID()
			return sess, err
		}
		if found {
			sess.ID, sess.IsNew = id, false
			return sess, nil
		}
	}
	sess.ID = newSessionID()
	return sess, nil
}

// load reads id's values into sess when its row is live. Values that no longer decode (a
// type renamed or unregistered since) are treated as no session rather than an error that
// would lock the browser out until expiry.
func (s *SessionStore) load(ctx context.Context, id string, sess *sessions.Session) (bool, error) {
	var data []byte
	err := s.db.queryRow(ctx, `SELECT data FROM sessions WHERE id = $1 AND expires_at > $2`,
		id, unixOf(s.now())).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: load session: %w", err)
	}
	values, err := s.codec.Decode(data)
	if err != nil {
		s.log.Warn("session values undecodable, starting afresh", "err", err)
		return false, nil
	}
	sess.Values = values
	return true, nil
}

// Save writes sess and sets its cookie. MaxAge < 0 deletes the row and the cookie. A session
// whose row vanished meanwhile (rotated, logged out or expired in another request) is not
// resurrected under its old id: it is saved under a fresh one, so a rotated id stays dead.
func (s *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if _, err := s.db.exec(ctx, `DELETE FROM sessions WHERE id = $1`, sess.ID); err != nil {
				return fmt.Errorf("store: delete session: %w", err)
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	data, err := s.encodeValues(sess.Values)
	if err != nil {
		return err
	}
	now := s.now()
	expires := unixOf(now.Add(s.idleFor(sess)))
	if sess.ID != "" && !sess.IsNew {
		res, err := s.db.exec(ctx, `UPDATE sessions SET data = $1, updated_at = $2, expires_at = $3
			WHERE id = $4 AND expires_at > $2`, data, unixOf(now), expires, sess.ID)
		if err != nil {
			return fmt.Errorf("store: save session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return s.setCookie(w, sess)
		}
		sess.ID = "" // the row is gone: never bring its id back
	}
	if sess.ID == "" {
		sess.ID = newSessionID()
	}
	// A fresh id is 256 random bits, so a conflict can only be this same session saved twice
	// in one request: update it then.
	if _, err := s.db.exec(ctx, `INSERT INTO sessions (id, data, created_at, updated_at, expires_at)
		VALUES ($1, $2, $3, $3, $4) ON CONFLICT (id) DO UPDATE SET data = $2, updated_at = $3, expires_at = $4`,
		sess.ID, data, unixOf(now), expires); err != nil {
		return fmt.Errorf("store: insert session: %w", err)
	}
	return s.setCookie(w, sess)
}

// Rotate gives sess a new id at a privilege change or after a booking, keeping its values.
// One write transaction deletes the old row, writes the new one and moves the session's
// hold to the new id, so the old cookie stops working at the same moment and the patient
// keeps the time they are holding.
func (s *SessionStore) Rotate(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	data, err := s.encodeValues(sess.Values)
	if err != nil {
		return err
	}
	now := s.now()
	old, id := sess.ID, newSessionID()
	err = s.db.writeTx(r.Context(), func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(r.Context(), `DELETE FROM sessions WHERE id = $1`, old); err != nil {
			return fmt.Errorf("store: rotate session: %w", err)
		}
		if _, err := tx.ExecContext(r.Context(), `UPDATE holds SET session_id = $1 WHERE session_id = $2`, id, old); err != nil {
			return fmt.Errorf("store: move hold to rotated session: %w", err)
		}
		if _, err := tx.ExecContext(r.Context(), `INSERT INTO sessions (id, data, created_at, updated_at, expires_at)
			VALUES ($1, $2, $3, $3, $4)`, id, data, unixOf(now), unixOf(now.Add(s.idleFor(sess)))); err != nil {
			return fmt.Errorf("store: rotate session: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sess.ID, sess.IsNew = id, false
	return s.setCookie(w, sess)
}

// Cleanup deletes sessions expired at now and returns how many.
func (s *SessionStore) Cleanup(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, unixOf(now))
	if err != nil {
		return 0, fmt.Errorf("store: clean sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RunCleanup deletes expired sessions every interval until ctx ends. Expired rows are never
// loaded anyway; this only keeps the table small.
func (s *SessionStore) RunCleanup(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.Cleanup(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "session cleanup failed", "err", err)
		} else if n > 0 {
			s.log.DebugContext(ctx, "sessions cleaned", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SessionID returns the server-side id of sess: the key its hold is stored under. It is
// never shown and never leaves the server except inside the encrypted cookie.
func SessionID(sess *sessions.Session) string { return sess.ID }

// idleFor is the session's idle timeout: the store's, or Options.MaxAge seconds when the
// caller set one (the kiosk's 90 seconds), which then also becomes the cookie's Max-Age.
func (s *SessionStore) idleFor(sess *sessions.Session) time.Duration {
	if sess.Options != nil && sess.Options.MaxAge > 0 {
		return time.Duration(sess.Options.MaxAge) * time.Second
	}
	return s.idle
}

func (s *SessionStore) setCookie(w http.ResponseWriter, sess *sessions.Session) error {
	token, err := securecookie.EncodeMulti(sess.Name(), sess.ID, s.codecs...)
	if err != nil {
		return fmt.Errorf("store: encode session cookie: %w", err)
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), token, sess.Options))
	return nil
}

// encodeValues encodes session values with the store's codec.
func (s *SessionStore) encodeValues(v map[any]any) ([]byte, error) {
	data, err := s.codec.Encode(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode session values: %w", err)
	}
	return data, nil
}

// newSessionID returns 32 random bytes, URL-safe base64: unguessable, and opaque anyway
// since the cookie carries it encrypted.
func newSessionID() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}
