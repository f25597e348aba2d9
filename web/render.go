package web

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"doorway/views"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes component with status, in the request's language. It renders into a buffer
// first, so a template error becomes a proper error page instead of half a page, and the
// length is known.
func (s *Server) render(c echo.Context, status int, component templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	// Rendering into memory is quick; it must finish even when the request's context has
	// ended (the error handler runs after ContextTimeout has cancelled it).
	ctx := views.WithCSRF(context.WithoutCancel(c.Request().Context()), csrfToken(c))
	ctx = i18n.With(ctx, s.messages(c))
	if err := component.Render(ctx, buf); err != nil {
		return fmt.Errorf("web: render: %w", err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(status, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
}

// redirect answers a form POST (or a GET that is out of order) with 303 See Other, so the
// browser's back button and refresh never resubmit a form.
func redirect(c echo.Context, to string) error {
	return c.Redirect(http.StatusSeeOther, to)
}

// csrfToken is the token the CSRF middleware put on the request, "" outside page routes.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfContextKey).(string)
	return t
}

// csrfContextKey is where the CSRF middleware stores its token.
const csrfContextKey = "csrf"

// base is the base layout's view model for this request: the clinic, and the language switch
// leading to this page (or, after a failed POST, the page with its form) in each other
// language.
func (s *Server) base(c echo.Context, home string) views.Page {
	p := views.Page{Clinic: s.clinic.Name, Phone: s.clinic.Phone, Home: home}
	here := c.Request().URL
	path, query := here.Path, here.Query()
	if c.Request().Method != http.MethodGet {
		path, query = pageOf(c.Path()), nil
	}
	current := s.messages(c)
	for _, m := range i18n.Supported {
		if m == current {
			continue
		}
		q := maps.Clone(query)
		if q == nil {
			q = url.Values{}
		}
		q.Set(langParam, m.Lang)
		p.Switch = append(p.Switch, views.LangURL{Lang: m.Lang, Name: m.Name, URL: path + "?" + q.Encode()})
	}
	return p
}

// page is the patient layout's view model at wizard step (0 outside it).
func (s *Server) page(c echo.Context, w *Wizard, step int) patient.Page {
	at, of := s.stepOf(w, step)
	return patient.Page{Page: s.base(c, pathReason), Step: step, At: at, Of: of, Back: s.back(w, step)}
}
