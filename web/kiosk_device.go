package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"doorway/booking"
	"doorway/views/pages/kiosk"
)

// The kiosk's two cookies. The device cookie says which kiosk this tablet is: the kiosk's id
// and device version, signed with the server's secret; it lives a year, and the database has
// the last word (a revoke or a later enrollment moves the version on, and the cookie stops
// working at its next request). The kiosk session is the walk-in's: its own cookie, scoped to
// /kiosk (so it never reaches the desk or the patient pages, and theirs never reach the
// kiosk's handlers), forgotten by the server 90 seconds after the last request, and by the
// browser too (the cookie's Max-Age).

const (
	pathKiosk         = "/kiosk"
	kioskDeviceCookie = "doorway-kiosk-device"
	kioskSessionName  = "doorway-kiosk"
	kioskCtxKey       = "kiosk"
	kioskDeviceFor    = 365 * 24 * time.Hour
)

// kioskOf is the request's kiosk (set by requireKiosk).
func kioskOf(c echo.Context) booking.Kiosk {
	k, _ := c.Get(kioskCtxKey).(booking.Kiosk)
	return k
}

// deviceMAC signs a kiosk id and device version.
func (s *Server) deviceMAC(id, version int64) string {
	h := hmac.New(sha256.New, s.secret)
	fmt.Fprintf(h, "kiosk-device\x00%d\x00%d", id, version)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// setDevice gives the tablet the device cookie of k.
func (s *Server) setDevice(c echo.Context, k booking.Kiosk) {
	c.SetCookie(&http.Cookie{Name: kioskDeviceCookie, Path: pathKiosk, MaxAge: int(kioskDeviceFor / time.Second),
		Value:    fmt.Sprintf("%d.%d.%s", k.ID, k.Version, s.deviceMAC(k.ID, k.Version)),
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

// dropDevice deletes the device cookie.
func (s *Server) dropDevice(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: kioskDeviceCookie, Path: pathKiosk, MaxAge: -1, HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteLaxMode})
}

// device reads the device cookie: the kiosk id and version it names, when its signature holds.
func (s *Server) device(c echo.Context) (id, version int64, ok bool) {
	ck, err := c.Cookie(kioskDeviceCookie)
	if err != nil {
		return 0, 0, false
	}
	parts := strings.Split(ck.Value, ".")
	if len(parts) != 3 {
		return 0, 0, false
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	version, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || !hmac.Equal([]byte(parts[2]), []byte(s.deviceMAC(id, version))) {
		return 0, 0, false
	}
	return id, version, true
}

// loadKioskSession loads the walk-in's session (its own cookie, path /kiosk, 90 seconds) in
// place of the patient's, and marks every kiosk answer uncacheable: nothing the last person
// saw may come back from the browser's cache.
func (s *Server) loadKioskSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		sess, err := s.sessions.Get(c.Request(), kioskSessionName)
		if err != nil {
			return fmt.Errorf("web: load kiosk session: %w", err)
		}
		sess.Options.Path, sess.Options.MaxAge = pathKiosk, kiosk.ResetAfter
		c.Set(sessionContextKey, sess)
		return next(c)
	}
}

// requireKiosk lets a request through only from an enrolled tablet: a device cookie whose
// signature holds and whose kiosk is neither revoked nor enrolled again since. Anything else
// sees the enrollment form, and nothing else (a 401 but on the start page). What the request
// does is the kiosk's: the funnel counts it under the kiosk channel and the hold cap counts
// per kiosk, not per address (a clinic's tablets may share one). A request of a walk-in's
// session restarts its 90 seconds.
func (s *Server) requireKiosk(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, version, ok := s.device(c)
		var k booking.Kiosk
		var err error
		if ok {
			k, err = s.svc.EnrolledKiosk(c.Request().Context(), id, version)
		}
		if !ok || booking.ErrorCode(err) == booking.CodeUnauthorized {
			if _, e := c.Cookie(kioskDeviceCookie); e == nil {
				s.dropDevice(c)
			}
			status := http.StatusUnauthorized
			if (c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead) && c.Path() == pathKiosk {
				status = http.StatusOK
			}
			return s.renderEnroll(c, status, "")
		}
		if err != nil {
			return err
		}
		c.Set(kioskCtxKey, k)
		ctx := booking.WithChannel(c.Request().Context(), booking.ChannelKiosk)
		c.SetRequest(c.Request().WithContext(booking.WithClient(ctx, booking.KioskActor(k.ID))))
		if sess := session(c); !sess.IsNew && c.Path() != pathKiosk+"/reset" {
			if err := s.sessions.Save(c.Request(), c.Response(), sess); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// kioskLimit limits a kiosk's POSTs per kiosk (its id, not its address).
func (s *Server) kioskLimit() echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(s.cfg.BookingRate), Burst: s.cfg.BookingBurst, ExpiresIn: 3 * time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			return booking.KioskActor(kioskOf(c).ID), nil
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return &echo.HTTPError{Code: http.StatusForbidden, Message: "rate", Internal: err}
		},
		DenyHandler: func(c echo.Context, _ string, err error) error {
			return &echo.HTTPError{Code: http.StatusTooManyRequests, Message: "rate", Internal: err}
		},
	})
}

// kioskPage is the kiosk layout's view model: the idle timer on every screen of an enrolled
// kiosk (idle seconds), the "Start over" button but on the first screen.
func (s *Server) kioskPage(c echo.Context, idle int) kiosk.Page {
	p := kiosk.Page{Page: s.base(c, pathKiosk), Idle: idle, StartOver: c.Path() != pathKiosk}
	p.Tagline = s.messages(c).Kiosk.Tagline
	return p
}

// kioskActor is the kiosk as the audit log names it.
func (s *Server) kioskActor(c echo.Context) booking.Actor {
	return booking.Actor{Kind: booking.ActorKiosk, Session: booking.KioskActor(kioskOf(c).ID), IP: c.RealIP(),
		UserAgent: c.Request().UserAgent()}
}
