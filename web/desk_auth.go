package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/pages/desk"
)

// The front desk's sign-in. A staff member signs in with email and password; the session is
// then a staff session: a new id, nothing of a patient's booking kept, the staff member's id
// in it. Every /desk page but the sign-in checks it in one middleware (requireStaff).

const (
	pathDesk        = "/desk"
	pathDeskLogin   = "/desk/login"
	pathDeskLogout  = "/desk/logout"
	staffKey        = "staff"
	staffSeenKey    = "staff-seen" // when the staff member last did something (unix seconds)
	pathDeskChanges = "/desk/changes"
	staffCtxKey     = "staff-member"
)

// staffOf is the request's signed-in staff member (set by requireStaff).
func staffOf(c echo.Context) booking.Staff {
	st, _ := c.Get(staffCtxKey).(booking.Staff)
	return st
}

// requireStaff lets a request through only with a signed-in staff member whose account is
// still active; anyone else goes to the sign-in (a JSON client gets 401).
func (s *Server) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, _ := session(c).Values[staffKey].(int64)
		if id == 0 {
			return s.toSignIn(c)
		}
		st, err := s.svc.StaffMember(c.Request().Context(), id)
		if booking.ErrorCode(err) == booking.CodeNotFound || booking.ErrorCode(err) == booking.CodeUnauthorized {
			return s.signOut(c, false) // disabled or removed since: the session ends
		}
		if err != nil {
			return err
		}
		c.Set(staffCtxKey, st)
		// What the service does for this request is the desk's: its funnel counts say so.
		c.SetRequest(c.Request().WithContext(booking.WithChannel(c.Request().Context(), booking.ChannelDesk)))
		if err := s.stillHere(c); err != nil {
			return err
		}
		return next(c)
	}
}

// stillHere keeps a working staff member signed in: a page (not the day view's background
// look for changes) saves the session, which restarts its 15 idle minutes; at most once a
// minute, so a busy desk does not write on every page.
func (s *Server) stillHere(c echo.Context) error {
	if c.Path() == pathDeskChanges {
		return nil
	}
	sess := session(c)
	now := s.svc.Now().Unix()
	if seen, _ := sess.Values[staffSeenKey].(int64); now-seen < 60 {
		return nil
	}
	sess.Values[staffSeenKey] = now
	return s.sessions.Save(c.Request(), c.Response(), sess)
}

// toSignIn sends the browser to the sign-in page, coming back here afterwards.
func (s *Server) toSignIn(c echo.Context) error {
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON) {
		return booking.Fail(booking.CodeUnauthorized, booking.MsgSignInFailed)
	}
	to := pathDeskLogin
	if c.Request().Method == http.MethodGet && c.Path() != pathDesk {
		to += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	return redirect(c, to)
}

// deskPage is the desk layout's view model for this request.
func (s *Server) deskPage(c echo.Context, current string) desk.Page {
	p := desk.Page{Page: s.base(c, pathDesk), Current: current}
	p.Tagline = s.messages(c).Desk.Tagline
	if st := staffOf(c); st.ID != 0 {
		p.Staff, p.Admin = st.Name, st.Role == booking.RoleAdmin
		p.Attention = s.svc.AttentionCount(c.Request().Context())
	}
	return p
}

func (s *Server) signInPage(c echo.Context, email, problem string) desk.SignInPage {
	t := s.messages(c).Desk
	next := c.QueryParam("next")
	if c.Request().Method == http.MethodPost {
		next = c.FormValue("next")
	}
	return desk.SignInPage{Page: s.deskPage(c, ""), Problem: problem, Next: safeNext(next),
		Email:    components.Field{Name: "email", Label: t.Email, Type: "email", Value: email, Autocomplete: "username", MaxLength: 254},
		Password: components.Field{Name: "password", Label: t.Password, Type: "password", Autocomplete: "current-password", MaxLength: 200}}
}

// safeNext is where to go after signing in: a desk page of this site, else the day view.
func safeNext(next string) string {
	if !strings.HasPrefix(next, pathDesk) || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return pathDesk
	}
	return next
}

// showSignIn is the sign-in form; a signed-in staff member goes straight to the desk.
func (s *Server) showSignIn(c echo.Context) error {
	if id, _ := session(c).Values[staffKey].(int64); id != 0 {
		return redirect(c, pathDesk)
	}
	return s.render(c, http.StatusOK, desk.SignIn(s.signInPage(c, "", "")))
}

// signIn checks the email and password. Every failure renders the same page (empty fields,
// the one message); success starts a new session holding only the staff member and
// the language.
func (s *Server) signIn(c echo.Context) error {
	st, err := s.svc.SignIn(c.Request().Context(), c.FormValue("email"), c.FormValue("password"), s.actor(c))
	if booking.MsgOf(err) == booking.MsgSignInFailed {
		m := s.messages(c)
		// Nothing typed comes back: the page is the same for an unknown email and a wrong password.
		return s.render(c, http.StatusUnauthorized, desk.SignIn(s.signInPage(c, "", m.Problem(booking.MsgSignInFailed, 401))))
	}
	if err != nil {
		return err
	}
	// A patient's session never becomes a staff session: nothing carries over.
	if err := s.restartSession(c, map[any]any{staffKey: st.ID}); err != nil {
		return err
	}
	return redirect(c, safeNext(c.FormValue("next")))
}

// logout signs the staff member out.
func (s *Server) logout(c echo.Context) error { return s.signOut(c, true) }

// signOut ends the staff session (a new id, nothing kept but the language) and shows the
// sign-in page; audited when the staff member asked for it.
func (s *Server) signOut(c echo.Context, asked bool) error {
	sess := session(c)
	if id, _ := sess.Values[staffKey].(int64); id != 0 && asked {
		a := s.actor(c)
		a.Kind, a.Session = "staff", "staff:"+strconv.FormatInt(id, 10)
		if err := s.svc.Audit(c.Request().Context(), booking.AuditEntry{At: s.svc.Now(), Action: booking.AuditSignOut, Actor: a}); err != nil {
			return err
		}
	}
	if err := s.restartSession(c, nil); err != nil {
		return err
	}
	return redirect(c, pathDeskLogin)
}
