package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"doorway/views"
	"doorway/views/i18n"
)

// pageCache keeps rendered open-times pages for a moment, shared by every patient making the
// same search: most patients with one reason look at the same week. A page is kept under a
// key naming everything it shows (the language, the address, the search, the session's own
// held time) and the service's generation, so a hold, a booking, a cancel or a new EHR answer
// in this instance makes the next look build it again; ttl bounds what no generation counts
// (other instances' holds, a hold running out, the clock). The session's CSRF token is the
// one thing in a page that differs between patients: pages are rendered with a placeholder
// and the token put in on the way out.
type pageCache struct {
	mu      sync.Mutex
	pages   map[string]cachedPage
	ttl     time.Duration
	max     int
	now     func() time.Time
	csrfTag string // the placeholder rendered where the token goes
}

type cachedPage struct {
	parts [][]byte // the page split where the CSRF token goes
	size  int
	at    time.Time
	open  int // the open times the page shows, for the funnel's count of a search served from here
}

func newPageCache(ttl time.Duration, max int, now func() time.Time) *pageCache {
	b := make([]byte, 16)
	rand.Read(b)
	return &pageCache{pages: map[string]cachedPage{}, ttl: ttl, max: max, now: now, csrfTag: "csrf" + hex.EncodeToString(b)}
}

// get returns the page under key when it is fresh.
func (pc *pageCache) get(key string) (cachedPage, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	p, ok := pc.pages[key]
	if !ok || pc.now().Sub(p.at) >= pc.ttl {
		return cachedPage{}, false
	}
	return p, true
}

// page is body split where the CSRF placeholder is, once, so serving it is one copy.
func (pc *pageCache) page(body []byte) cachedPage {
	return cachedPage{parts: bytes.Split(body, []byte(pc.csrfTag)), size: len(body), at: pc.now()}
}

// with is the page with token where the placeholder was.
func (p cachedPage) with(token string) []byte {
	out := make([]byte, 0, p.size+len(p.parts)*len(token))
	for i, part := range p.parts {
		if i > 0 {
			out = append(out, token...)
		}
		out = append(out, part...)
	}
	return out
}

// put keeps body under key. Past max pages, the stale ones go; if all are fresh, all go (a
// burst of distinct searches is rare, and rebuilding is what happens without the cache).
func (pc *pageCache) put(key string, p cachedPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	now := pc.now()
	if len(pc.pages) >= pc.max {
		for k, p := range pc.pages {
			if now.Sub(p.at) >= pc.ttl {
				delete(pc.pages, k)
			}
		}
		if len(pc.pages) >= pc.max {
			clear(pc.pages)
		}
	}
	pc.pages[key] = p
}

// timesKey is what a times page shows, besides the CSRF token: "" when the page must not be
// shared (a notice shown once, a typed reason, an appointment being moved).
func (s *Server) timesKey(c echo.Context, w *Wizard) string {
	p := w.Prefs
	if w.Notice != "" || w.Alts != nil || p.ReasonText != "" || w.Moving != "" {
		return ""
	}
	var b strings.Builder
	field := func(parts ...string) {
		for _, x := range parts {
			b.WriteString(x)
			b.WriteByte(0)
		}
	}
	field(s.messages(c).Lang, c.Request().URL.RequestURI(), strconv.FormatUint(s.svc.Generation(), 10),
		p.ReasonID, p.VisitType, p.From, p.To, p.Who, p.Specialty, p.Speaks, fmt.Sprint(p.Days), fmt.Sprint(p.Bands))
	field(p.Providers...)
	field(p.Locations...)
	if w.Held != nil {
		field("held", w.Held.Key())
	}
	return b.String()
}

// renderShared renders component as render does, keeps it in the page cache under key (with
// the open times it shows), and serves it.
func (s *Server) renderShared(c echo.Context, key string, component templ.Component, open int) error {
	var buf bytes.Buffer
	ctx := views.WithCSRF(context.WithoutCancel(c.Request().Context()), s.pages.csrfTag)
	ctx = i18n.With(ctx, s.messages(c))
	if err := component.Render(ctx, &buf); err != nil {
		return fmt.Errorf("web: render: %w", err)
	}
	p := s.pages.page(buf.Bytes())
	p.open = open
	s.pages.put(key, p)
	return s.serveShared(c, p)
}

// serveShared serves a shared page with this session's CSRF token in it.
func (s *Server) serveShared(c echo.Context, p cachedPage) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, p.with(csrfToken(c)))
}
