package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/views/i18n"
)

const (
	// langParam is the language switch's query parameter: ?lang=es.
	langParam = "lang"
	// langKey is where the session keeps the chosen language, and where the request keeps
	// its message table.
	langKey = "lang"
)

// locale picks the request's language: a switch (?lang=es on a GET) is remembered in the
// session and answered with a redirect to the same page without it, so the address stays
// clean and a refresh does not switch again; otherwise the session's choice, else
// Accept-Language, else English. It runs after loadSession.
func (s *Server) locale(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess := session(c)
		if code := c.QueryParam(langParam); code != "" && c.Request().Method == http.MethodGet {
			if _, ok := i18n.For(code); ok {
				sess.Values[langKey] = code
				if err := s.sessions.Save(c.Request(), c.Response(), sess); err != nil {
					return err
				}
			}
			u := *c.Request().URL
			q := u.Query()
			q.Del(langParam)
			u.RawQuery = q.Encode()
			return redirect(c, u.RequestURI())
		}
		if code, _ := sess.Values[langKey].(string); code != "" {
			if m, ok := i18n.For(code); ok {
				c.Set(langKey, m)
			}
		}
		return next(c)
	}
}

// messages is the request's message table: the one locale chose. A request outside the
// pages (an unknown address, a refused method) still answers in the language its session
// chose, when it has one, else in the best match for Accept-Language.
func (s *Server) messages(c echo.Context) *i18n.Messages {
	if m, ok := c.Get(langKey).(*i18n.Messages); ok {
		return m
	}
	m := i18n.Negotiate(c.Request().Header.Get("Accept-Language"))
	if _, err := c.Cookie(s.sessions.Name()); err == nil {
		// The error handler runs after the request's context has ended (ContextTimeout):
		// reading the session must not depend on it.
		r := c.Request().WithContext(context.WithoutCancel(c.Request().Context()))
		if sess, err := s.sessions.Get(r, s.sessions.Name()); err == nil {
			if chosen, ok := i18n.For(fmt.Sprint(sess.Values[langKey])); ok {
				m = chosen
			}
		}
	}
	c.Set(langKey, m)
	return m
}
