package storetest

import (
	"context"
	"encoding/gob"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/sessions"

	"doorway/store"
)

// wizardAnswers stands in for the web layer's gob-registered wizard struct.
type wizardAnswers struct {
	Reason string
	Days   []string
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *fakeClock                   { return &fakeClock{t: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)} }
func testKeys(seed byte) [][]byte            { return [][]byte{key(seed, 32), key(seed+1, 32)} }
func key(seed byte, n int) []byte            { return []byte(strings.Repeat(string(rune('a'+seed)), n)) }
func sessionStore(db *store.DB, c *fakeClock, keys ...[]byte) *store.SessionStore {
	return store.NewSessionStore(db, store.SessionOptions{KeyPairs: keys, Secure: true, Now: c.Now})
}

// visit runs one request through st with cookie (nil for none); fn may change the session,
// which is then saved unless fn returns false. It returns the session and the Set-Cookie.
func visit(t *testing.T, st *store.SessionStore, cookie *http.Cookie, fn func(*sessions.Session) bool) (*sessions.Session, *http.Cookie) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	sess, err := st.Get(r, "doorway")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if fn != nil && fn(sess) {
		if err := sess.Save(r, w); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}
	cs := w.Result().Cookies()
	if len(cs) == 0 {
		return sess, nil
	}
	return sess, cs[0]
}

func setAnswers(s *sessions.Session) bool {
	gob.Register(wizardAnswers{}) // idempotent; the web layer registers its own types once
	s.Values["answers"] = wizardAnswers{Reason: "knee pain", Days: []string{"Mon"}}
	return true
}

func testSessionRoundTripCookieCarriesOnlyToken(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	st := sessionStore(db, c, testKeys(0)...)
	first, ck := visit(t, st, nil, setAnswers)
	if ck == nil {
		t.Fatal("no Set-Cookie")
	}
	if strings.Contains(ck.Value, "knee") || strings.Contains(ck.Value, first.ID) {
		t.Errorf("cookie value %q carries the values or the raw id", ck.Value)
	}
	if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Errorf("cookie flags Secure=%v HttpOnly=%v SameSite=%v Path=%q; want true true Lax /", ck.Secure, ck.HttpOnly, ck.SameSite, ck.Path)
	}
	got, _ := visit(t, st, ck, nil)
	if got.IsNew || got.ID != first.ID || store.SessionID(got) != first.ID {
		t.Errorf("reloaded IsNew=%v id=%q; want false %q", got.IsNew, got.ID, first.ID)
	}
	if a, _ := got.Values["answers"].(wizardAnswers); a.Reason != "knee pain" || len(a.Days) != 1 {
		t.Errorf("answers = %+v; want the saved ones", got.Values["answers"])
	}
}

func testSessionNewHasIDBeforeSave(t *testing.T, s suite) {
	st := sessionStore(s.db(t), newClock(), testKeys(0)...)
	sess, _ := visit(t, st, nil, nil)
	if !sess.IsNew || store.SessionID(sess) == "" {
		t.Errorf("IsNew=%v id=%q; want a new session with an id", sess.IsNew, store.SessionID(sess))
	}
	// The id a new session has before its first Save (a hold may already be made under it)
	// is the one saved and the one its cookie brings back.
	var before string
	saved, ck := visit(t, st, nil, func(s *sessions.Session) bool { before = s.ID; return setAnswers(s) })
	if saved.ID != before {
		t.Errorf("first Save changed the id from %q to %q", before, saved.ID)
	}
	if back, _ := visit(t, st, ck, nil); back.IsNew || back.ID != before {
		t.Errorf("the cookie brings back %q (new %v), want %q", back.ID, back.IsNew, before)
	}
}

func testSessionRejectedCookies(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	st := sessionStore(db, c, testKeys(0)...)
	first, ck := visit(t, st, nil, setAnswers)
	tests := []struct {
		name   string
		store  *store.SessionStore
		cookie *http.Cookie
	}{
		{"tampered", st, &http.Cookie{Name: ck.Name, Value: ck.Value[:len(ck.Value)-4] + "AAAA"}},
		{"garbage", st, &http.Cookie{Name: ck.Name, Value: "not-a-token"}},
		{"unknown keys", sessionStore(db, c, testKeys(5)...), ck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := visit(t, tt.store, tt.cookie, nil)
			if !got.IsNew || got.ID == first.ID || len(got.Values) != 0 {
				t.Errorf("IsNew=%v sameID=%v values=%v; want a fresh empty session", got.IsNew, got.ID == first.ID, got.Values)
			}
		})
	}
}

func testSessionKeyRotation(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	oldKeys, newKeys := testKeys(0), testKeys(2)
	first, oldCookie := visit(t, sessionStore(db, c, oldKeys...), nil, setAnswers)
	rotated := sessionStore(db, c, append(append([][]byte{}, newKeys...), oldKeys...)...)
	got, newCookie := visit(t, rotated, oldCookie, func(*sessions.Session) bool { return true })
	if got.IsNew || got.ID != first.ID {
		t.Fatalf("old cookie under rotated keys: IsNew=%v; want the same session", got.IsNew)
	}
	if got, _ := visit(t, sessionStore(db, c, newKeys...), newCookie, nil); got.IsNew {
		t.Error("cookie re-issued after rotation is not signed with the new first pair")
	}
	if got, _ := visit(t, sessionStore(db, c, oldKeys...), newCookie, nil); !got.IsNew {
		t.Error("cookie re-issued after rotation still verifies under the old pair alone")
	}
}

func testSessionIdleExpirySlides(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	st := sessionStore(db, c, testKeys(0)...)
	first, ck := visit(t, st, nil, setAnswers)
	touch := func(*sessions.Session) bool { return true }
	for i, step := range []struct {
		wait    time.Duration
		save    bool
		wantNew bool
	}{
		{14 * time.Minute, true, false}, // within 15 min; saving slides the expiry
		{14 * time.Minute, false, false},
		{2 * time.Minute, false, true}, // 16 min after the last save
	} {
		c.Advance(step.wait)
		var fn func(*sessions.Session) bool
		if step.save {
			fn = touch
		}
		got, _ := visit(t, st, ck, fn)
		if got.IsNew != step.wantNew || (!step.wantNew && got.ID != first.ID) {
			t.Errorf("step %d: IsNew=%v; want %v", i, got.IsNew, step.wantNew)
		}
	}
}

func testSessionCleanup(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	st := sessionStore(db, c, testKeys(0)...)
	visit(t, st, nil, setAnswers)
	c.Advance(10 * time.Minute)
	visit(t, st, nil, setAnswers)
	n, err := st.Cleanup(context.Background(), c.Now().Add(6*time.Minute))
	if err != nil || n != 1 {
		t.Errorf("Cleanup = %d, %v; want 1 (only the first is idle 16 min)", n, err)
	}
	if left := count(t, db, "sessions"); left != 1 {
		t.Errorf("rows left = %d; want 1", left)
	}
}

func testSessionRotateKeepsValuesAndHold(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	ctx := context.Background()
	st := sessionStore(db, c, testKeys(0)...)
	first, oldCookie := visit(t, st, nil, setAnswers)
	h := testHold(first.ID, testSlot("P1", c.Now().Add(time.Hour), 30), c.Now())
	if err := db.PutHold(ctx, h, c.Now()); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.AddCookie(oldCookie)
	w := httptest.NewRecorder()
	sess, err := st.Get(r, "doorway")
	must(t, err)
	if err := st.Rotate(r, w, sess); err != nil {
		t.Fatal(err)
	}
	if sess.ID == first.ID {
		t.Fatal("Rotate kept the id")
	}
	got, _ := visit(t, st, w.Result().Cookies()[0], nil)
	if got.IsNew || got.ID != sess.ID || got.Values["answers"] == nil {
		t.Errorf("after Rotate: IsNew=%v values=%v; want the same values under the new id", got.IsNew, got.Values)
	}
	if old, _ := visit(t, st, oldCookie, nil); !old.IsNew {
		t.Error("old cookie still loads the session after Rotate")
	}
	if _, err := db.SessionHold(ctx, sess.ID, c.Now()); err != nil {
		t.Errorf("hold did not follow the rotated id: %v", err)
	}
	// A concurrent request still carrying the old session saves: it must not revive the old id.
	stale, _ := visit(t, st, nil, nil)
	stale.ID, stale.IsNew = first.ID, false
	stale.Values["answers"] = wizardAnswers{Reason: "stale"}
	sr := httptest.NewRequest(http.MethodGet, "/", nil)
	if err := st.Save(sr, httptest.NewRecorder(), stale); err != nil {
		t.Fatal(err)
	}
	if stale.ID == first.ID || stale.ID == "" {
		t.Errorf("Save of the rotated session gave it id %q; want a fresh one", stale.ID)
	}
}

func testSessionDeleteWithNegativeMaxAge(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	st := sessionStore(db, c, testKeys(0)...)
	_, ck := visit(t, st, nil, setAnswers)
	_, gone := visit(t, st, ck, func(s *sessions.Session) bool { s.Options.MaxAge = -1; return true })
	if gone == nil || gone.MaxAge >= 0 || gone.Value != "" {
		t.Errorf("delete cookie = %+v; want an empty expired cookie", gone)
	}
	if n := count(t, db, "sessions"); n != 0 {
		t.Errorf("rows = %d; want 0", n)
	}
}

func testSessionMaxAgeSetsIdle(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	st := sessionStore(db, c, testKeys(0)...)
	_, ck := visit(t, st, nil, func(s *sessions.Session) bool { s.Options.MaxAge = 90; return true })
	if ck.MaxAge != 90 {
		t.Errorf("cookie MaxAge = %d; want 90", ck.MaxAge)
	}
	c.Advance(89 * time.Second)
	if got, _ := visit(t, st, ck, nil); got.IsNew {
		t.Fatal("kiosk session gone after 89 s idle, within its 90")
	}
	c.Advance(2 * time.Second)
	if got, _ := visit(t, st, ck, nil); !got.IsNew {
		t.Error("kiosk session alive after 91 s idle")
	}
}

// rotate runs one request through st that rotates the session of cookie, and returns the new
// id and cookie.
func rotate(t *testing.T, st *store.SessionStore, cookie *http.Cookie) (string, *http.Cookie) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.AddCookie(cookie)
	w := httptest.NewRecorder()
	sess, err := st.Get(r, "doorway")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Rotate(r, w, sess); err != nil {
		t.Fatal(err)
	}
	return sess.ID, w.Result().Cookies()[0]
}
