package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"doorway/views"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes component with status. It renders into a buffer first, so a template error
// becomes a proper error page instead of half a page, and the length is known.
func (s *Server) render(c echo.Context, status int, component templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	// Rendering into memory is quick; it must finish even when the request's context has
	// ended (the error handler runs after ContextTimeout has cancelled it).
	ctx := views.WithCSRF(context.WithoutCancel(c.Request().Context()), csrfToken(c))
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

// page is the layout's view model for a page titled title at wizard step (0 outside it).
func (s *Server) page(title string, step int) views.Page {
	p := views.Page{Title: title, Clinic: s.clinic.Name, Phone: s.clinic.Phone, Step: step}
	if step > 1 && step <= len(stepPaths) {
		p.Back = stepPaths[step-2]
	}
	return p
}
