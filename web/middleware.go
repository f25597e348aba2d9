package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"doorway/booking"
)

// contentSecurityPolicy allows only our own files: no inline script or style anywhere, so
// templates must never use style="" or onclick="".
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// recoverer turns a panic into a 500 page and logs it with its stack.
func (s *Server) recoverer() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.ErrorContext(c.Request().Context(), "panic", "request_id", requestID(c), "route", c.Path(),
				"err", err, "stack", string(stack))
			return err
		},
	})
}

// requestLogger logs one line per request and records its metrics. It logs the path without
// the query string and never form values: PHI must not reach the logs.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:  true, // run the error handler first, so the logged status is the real one
		LogLatency:   true,
		LogMethod:    true,
		LogURIPath:   true,
		LogRoutePath: true,
		LogStatus:    true,
		LogRequestID: true,
		LogRemoteIP:  true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			route := s.metrics.observe(v.RoutePath, v.Method, v.Status, v.Latency)
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelWarn
			}
			path := v.URIPath
			if v.RoutePath == pathManageLink {
				path = v.RoutePath // the token is a credential: never in a log
			}
			s.log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", v.RequestID), slog.String("method", clip(v.Method, 16)),
				slog.String("path", clip(path, 256)), slog.String("route", route), slog.Int("status", v.Status),
				slog.Float64("ms", float64(v.Latency.Microseconds())/1000), slog.String("remote_ip", v.RemoteIP))
			return nil
		},
	})
}

// secureHeaders sets the strict CSP and the other protective headers on every response.
func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.cfg.Secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// readForm reads a form body before the handler does, so a body over the limit (a chunked
// one has no Content-Length for BodyLimit to refuse up front) is a 413, not a form that
// silently reads as empty.
func readForm(skip middleware.Skipper) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if skip(c) || r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
				return next(c)
			}
			if err := r.ParseForm(); err != nil {
				var tooBig *http.MaxBytesError
				if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) || errors.As(err, &tooBig) {
					return echo.ErrStatusRequestEntityTooLarge
				}
				return booking.Invalid("form", booking.MsgFormUnread)
			}
			return next(c)
		}
	}
}

// contextTimeout bounds the request's context.
func (s *Server) contextTimeout() echo.MiddlewareFunc {
	return middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: s.cfg.RequestTimeout})
}

// csrf checks every state-changing request: browsers that send Sec-Fetch-Site are checked by
// it (same-origin only); others must echo the token of the _csrf cookie in the form's _csrf
// field. A failure is a 403 page.
func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf",
		ContextKey:     csrfContextKey,
		CookieName:     "_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.Secure,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return &echo.HTTPError{Code: http.StatusForbidden, Message: "csrf", Internal: err}
		},
	})
}

// bookingLimit limits booking POSTs per client IP.
func (s *Server) bookingLimit() echo.MiddlewareFunc {
	return s.limitPerIP(rate.Limit(s.cfg.BookingRate), s.cfg.BookingBurst, 3*time.Minute)
}

// findLimit limits appointment lookups per client IP: a few at once, then one a minute.
func (s *Server) findLimit() echo.MiddlewareFunc {
	return s.limitPerIP(rate.Limit(s.cfg.FindRate), s.cfg.FindBurst, time.Hour)
}

// enrollLimit limits kiosk enrollment tries per client IP, as lookups are.
func (s *Server) enrollLimit() echo.MiddlewareFunc {
	return s.limitPerIP(rate.Limit(s.cfg.FindRate), s.cfg.FindBurst, time.Hour)
}

// limitPerIP answers 429 past r requests a second per client IP, with bursts of burst; a
// client's allowance is forgotten after idle.
func (s *Server) limitPerIP(r rate.Limit, burst int, idle time.Duration) echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: r, Burst: burst, ExpiresIn: idle,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			return c.RealIP(), nil
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return &echo.HTTPError{Code: http.StatusForbidden, Message: "rate", Internal: err}
		},
		DenyHandler: func(c echo.Context, _ string, err error) error {
			return &echo.HTTPError{Code: http.StatusTooManyRequests, Message: "rate", Internal: err}
		},
	})
}

// loadSession loads the server-side session once per request and marks pages uncacheable:
// they may show a patient's details.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, err := s.sessions.Get(c.Request(), s.sessions.Name())
		if err != nil {
			return fmt.Errorf("web: load session: %w", err)
		}
		c.Set(sessionContextKey, sess)
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// requestID is the request's id as set by the RequestID middleware.
func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// requestIDs gives each request an id for the logs and the X-Request-Id header. A proxy's id
// is kept when it is a short token; anything else a client sends (a megabyte, a newline) is
// replaced, so it can neither bloat nor forge a log line.
func requestIDs() echo.MiddlewareFunc {
	return middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Skipper: func(c echo.Context) bool {
			if id := c.Request().Header.Get(echo.HeaderXRequestID); id != "" && !safeID.MatchString(id) {
				c.Request().Header.Del(echo.HeaderXRequestID)
			}
			return false
		},
	})
}

var safeID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// clip cuts a value taken from the request to at most n bytes (at a rune boundary) for a log
// line, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

var errNoSession = errors.New("web: no session on this route")
