package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"doorway/static"
)

// formBodyLimit bounds request bodies: the largest form (the details step) is well under 2 KB.
// The Redox webhook reads its own, larger limit (WebhookBodyLimit).
const formBodyLimit = "64K"

const webhookPath = "/redox/webhook"

// routes registers the middleware chain and every route. Middleware order (STYLE.md §6):
// Recover, RequestID, RequestLogger, secure headers + CSP, BodyLimit, ContextTimeout; then per
// route: static files, or session + language + CSRF (+ the booking rate limit on POSTs).
func (s *Server) routes(e *echo.Echo) {
	e.Use(s.recoverer(), requestIDs(), s.requestLogger(), s.secureHeaders,
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: formBodyLimit,
			Skipper: func(c echo.Context) bool { return c.Path() == webhookPath }}),
		s.contextTimeout())

	// Operations.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.showMetrics)

	// The EHR's notifications (Redox verification token, no session, no CSRF).
	hook := newWebhook(s.cfg.WebhookToken, s.svc, s.log.With("component", "webhook"))
	e.GET(webhookPath, hook.challenge)
	e.POST(webhookPath, hook.receive)

	// Embedded, content-hashed assets, cached for a year.
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))

	// The booking wizard. Pages get the session and a CSRF token; POSTs are checked against
	// it and rate limited per client.
	page := []echo.MiddlewareFunc{s.loadSession, s.locale, s.csrf()}
	post := append(page[:len(page):len(page)], s.bookingLimit())

	e.GET(pathReason, s.showReason, page...)
	e.POST(pathReason, s.chooseReason, post...)
	e.GET(pathUrgent, s.showUrgent, page...)
	e.POST(pathUrgent, s.goOn, post...)
	e.GET(pathVisitType, s.showVisitTypes, page...)
	e.POST(pathVisitType, s.chooseVisitType, post...)
	e.GET(pathWhen, s.showWhen, page...)
	e.POST(pathWhen, s.choosePreferences, post...)
	e.GET(pathTimes, s.showTimes, page...)
	e.POST(pathTimes, s.holdSlot, post...)
	e.POST("/times/widen", s.widenSearch, post...)
	e.GET(pathDetails, s.showDetails, page...)
	e.POST(pathDetails, s.saveDetails, post...)
	e.GET(pathReview, s.showReview, page...)
	e.POST("/confirm", s.confirmBooking, post...)
	e.GET("/booked/:visit", s.showBooked, page...)
	e.GET("/booked/:visit/calendar.ics", s.downloadCalendar, page...)
}
