package web

import (
	"maps"
	"slices"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/store"
)

// Wizard is the patient's answers so far. It lives in the server-side session (the cookie
// carries only the session id) and never appears in a URL or a log line. The session store
// gob-encodes it; NewServer registers it.
type Wizard struct {
	Prefs   booking.Preferences   `json:",omitzero"` // reason, visit type and search preferences
	Urgent  booking.Urgency       `json:",omitzero"` // the red flag that stopped the flow
	Pending *booking.ReasonChoice `json:",omitzero"` // the reason to go on with after a doubtful sign (PHI)
	Seen    booking.Seen          `json:",omitzero"` // seen here in the last 3 years, when asked

	Held    *booking.Slot       `json:",omitzero"` // the held time
	Form    booking.PatientForm `json:",omitzero"` // the details as typed, to refill the form
	Patient *booking.Patient    `json:",omitzero"` // the validated details
	Key     string              `json:",omitzero"` // the confirm form's idempotency key

	Notice booking.Msg         `json:",omitzero"` // a message for the next page, shown once (never PHI)
	Alts   []booking.Slot      `json:",omitzero"` // nearest open times after a taken one, shown once
	Booked []string            `json:",omitzero"` // visit numbers booked in this browser: who may see a confirmation
	Family booking.PatientForm `json:",omitzero"` // the last booking's contact details, for booking a family member

	Managing []string `json:",omitzero"` // visit numbers this browser found (or booked) and may manage
	Moving   string   `json:",omitzero"` // the visit being moved: the wizard books its new time in its place
}

// The wizard's steps, in order, and the pages beside them.
const (
	pathReason    = "/"
	pathVisitType = "/visit-type"
	pathTimes     = "/times"
	pathDetails   = "/details"
	pathReview    = "/review"
	pathUrgent    = "/urgent"
	pathFilter    = "/times/filter"
	pathWeek      = "/times/week"
	pathWiden     = "/times/widen"
)

// stepPaths are the steps' URLs by step number (index 0 unused): the open times come right
// after the reason (and the visit type, when more than one fits).
var stepPaths = [6]string{"", pathReason, pathVisitType, pathTimes, pathDetails, pathReview}

// done reports whether step (1-based) has been answered.
func (w *Wizard) done(step int) bool {
	switch step {
	case 1:
		return w.Prefs.HasReason() || w.Moving != ""
	case 2:
		return w.Prefs.VisitType != ""
	case 3:
		return w.Held != nil
	case 4:
		return w.Patient != nil
	}
	return false
}

// missing returns the first unanswered step before step, "" when all are answered: a page
// reached out of order (a bookmark, an expired session) redirects there.
func (w *Wizard) missing(step int) string {
	for i := 1; i < step; i++ {
		if !w.done(i) {
			return stepPaths[i]
		}
	}
	return ""
}

// next is where a step's POST goes: the first unanswered step after step, or the review when
// everything is answered (a "Change" from the review returns there).
func (w *Wizard) next(step int) string {
	for i := step + 1; i < len(stepPaths)-1; i++ {
		if !w.done(i) {
			return stepPaths[i]
		}
	}
	return pathReview
}

// back is the step before step, skipping the visit-type step when the reason left only one.
func (s *Server) back(w *Wizard, step int) string {
	if w.Moving != "" { // moving: the times, then the review
		if step == 3 {
			return manageURL(w.Moving)
		}
		return pathTimes
	}
	if step == 3 && s.skipsVisitType(w) {
		return pathReason
	}
	if step > 1 {
		return stepPaths[step-1]
	}
	return ""
}

// skipsVisitType reports whether this patient's reason leaves one visit type: the
// visit-type step is not one of their steps.
func (s *Server) skipsVisitType(w *Wizard) bool {
	_, only := s.clinic.OnlyVisitType(w.Prefs.ReasonID)
	return only
}

// stepOf is where step stands among the steps this patient takes, and how many there are.
func (s *Server) stepOf(w *Wizard, step int) (at, of int) {
	if w.Moving != "" { // the new time, then the review
		if step >= 5 {
			return 2, 2
		}
		return 1, 2
	}
	at, of = step, len(stepPaths)-1
	if s.skipsVisitType(w) {
		of--
		if step > 2 {
			at--
		}
	}
	return at, of
}

// setPrefs records new preferences; a changed visit type lets go of the held time, whose
// length was for the old one.
func (s *Server) setPrefs(c echo.Context, w *Wizard, p booking.Preferences) error {
	changed := p.VisitType != w.Prefs.VisitType
	w.Prefs = p
	if !changed || w.Held == nil {
		return nil
	}
	w.Held, w.Key = nil, ""
	return s.svc.ReleaseHold(c.Request().Context(), sessionID(c))
}

// finish clears every answer after a booking, keeping the visit numbers booked here and the
// contact details (not the name or birth date) for booking a family member next.
func (w *Wizard) finish(visitNumber string) {
	family := booking.PatientForm{Phone: w.Form.Phone, Email: w.Form.Email, Language: w.Form.Language}
	if w.Moving != "" {
		family = w.Family // a move typed no contact details
	}
	booked, managing := w.Booked, w.Managing
	if !slices.Contains(booked, visitNumber) {
		booked = append(booked, visitNumber)
	}
	// A browser keeps its last few bookings viewable; older ones need the visit number by phone.
	if len(booked) > 10 {
		booked = booked[len(booked)-10:]
	}
	*w = Wizard{Booked: booked, Family: family, Managing: managing}
}

const (
	sessionContextKey = "session"
	wizardKey         = "wizard"
)

// session is the request's session, loaded by the loadSession middleware.
func session(c echo.Context) *sessions.Session {
	sess, _ := c.Get(sessionContextKey).(*sessions.Session)
	if sess == nil {
		panic(errNoSession) // a route wired without loadSession: a bug, not a request error
	}
	return sess
}

// restartSession empties the request's session but for its language, sets values, and saves
// it under a new id (store.SessionStore.Rotate): nothing of the session before carries over,
// and an id known before (fixation) is worth nothing after.
func (s *Server) restartSession(c echo.Context, values map[any]any) error {
	sess := session(c)
	lang := sess.Values[langKey]
	clear(sess.Values)
	if lang != nil {
		sess.Values[langKey] = lang
	}
	maps.Copy(sess.Values, values)
	return s.sessions.Rotate(c.Request(), c.Response(), sess)
}

// wizard is the request's wizard: a copy the handler may change and save.
func wizard(c echo.Context) *Wizard {
	w, _ := session(c).Values[wizardKey].(Wizard)
	return &w
}

// sessionID is the server-side id the session's hold is stored under.
func sessionID(c echo.Context) string { return store.SessionID(session(c)) }

// save stores w in the session and writes it (and the cookie) before the response.
func (s *Server) save(c echo.Context, w *Wizard) error {
	sess := session(c)
	sess.Values[wizardKey] = *w
	return s.sessions.Save(c.Request(), c.Response(), sess)
}
