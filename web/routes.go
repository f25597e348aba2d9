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
	notHook := func(c echo.Context) bool { return c.Path() == webhookPath }
	e.Use(s.recoverer(), requestIDs(), s.requestLogger(), s.secureHeaders,
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: formBodyLimit, Skipper: notHook}),
		readForm(notHook), s.contextTimeout())
	// Every page answers HEAD as it answers GET, without the body (net/http drops it).
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.GET(path, h, m...)
		e.HEAD(path, h, m...)
	}

	// Operations.
	get("/healthz", s.healthz)
	get("/readyz", s.readyz)
	get("/metrics", s.showMetrics)

	// The EHR's notifications (Redox verification token, no session, no CSRF).
	hook := newWebhook(s)
	get(webhookPath, hook.challenge)
	e.POST(webhookPath, hook.receive)

	// Embedded, content-hashed assets, cached for a year.
	get(static.Prefix+"*", echo.WrapHandler(static.Handler()))

	// The booking wizard. Pages get the session and a CSRF token; POSTs are checked against
	// it and rate limited per client.
	page := []echo.MiddlewareFunc{s.loadSession, s.locale, s.csrf()}
	post := append(page[:len(page):len(page)], s.bookingLimit())

	get(pathReason, s.showReason, page...)
	e.POST(pathReason, s.chooseReason, post...)
	get(pathUrgent, s.showUrgent, page...)
	e.POST(pathUrgent, s.goOn, post...)
	get(pathVisitType, s.showVisitTypes, page...)
	e.POST(pathVisitType, s.chooseVisitType, post...)
	get(pathTimes, s.showTimes, page...)
	get("/when", func(c echo.Context) error { return redirect(c, pathTimes) }) // the old step's address
	e.POST(pathTimes, s.holdSlot, post...)
	e.POST(pathFilter, s.filterTimes, post...)
	e.POST(pathWeek, s.moveWeek, post...)
	e.POST(pathWiden, s.widenSearch, post...)
	get(pathDetails, s.showDetails, page...)
	e.POST(pathDetails, s.saveDetails, post...)
	get(pathReview, s.showReview, page...)
	e.POST("/confirm", s.confirmBooking, post...)
	get("/booked/:visit", s.showBooked, page...)
	get("/booked/:visit/calendar.ics", s.downloadCalendar, page...)

	// Managing an appointment: find it (lookups limited per client), or open a signed link.
	get(pathManage, s.showFind, page...)
	e.POST(pathManage, s.find, append(post[:len(post):len(post)], s.findLimit())...)
	get(pathManageLink, s.openLink, page...)
	get(pathManage+"/:visit", s.showManaged, page...)
	get(pathManage+"/:visit/cancel", s.showCancel, page...)
	e.POST(pathManage+"/:visit/cancel", s.cancelManaged, post...)
	e.POST(pathManage+"/:visit/move", s.startMove, post...)
	e.POST(pathManage+"/:visit/reminders", s.setReminders, post...)
	get(pathManage+"/:visit/calendar.ics", s.managedCalendar, page...)

	// The front desk: sign-in (limited per client), then every page behind requireStaff.
	get(pathDeskLogin, s.showSignIn, page...)
	e.POST(pathDeskLogin, s.signIn, append(post[:len(post):len(post)], s.findLimit())...)
	staff := append(page[:len(page):len(page)], s.requireStaff)
	staffPost := append(post[:len(post):len(post)], s.requireStaff)
	e.POST(pathDeskLogout, s.logout, staffPost...)
	get(pathDesk, s.showDay, staff...)
	get(pathDeskChanges, s.deskChanges, staff...)
	get(pathDeskBook, s.showDeskBook, staff...)
	e.POST(pathDeskBook, s.deskBook, staffPost...)
	e.POST(pathDeskBook+"/find", s.deskFind, staffPost...)
	e.POST(pathDeskBook+"/use", s.deskUse, staffPost...)
	get(pathDesk+"/visit/:visit", s.showDeskVisit, staff...)
	e.POST(pathDesk+"/visit/:visit/cancel", s.deskCancel, staffPost...)
	e.POST(pathDesk+"/visit/:visit/resend", s.deskResend, staffPost...)
	get(pathDeskAttention, s.showAttention, staff...)
	e.POST(pathDeskAttention+"/:id/retry", s.retryAttention, staffPost...)
	e.POST(pathDeskAttention+"/:id/resolve", s.resolveAttention, staffPost...)
	admin := append(staff[:len(staff):len(staff)], s.requireAdmin)
	get(pathDesk+"/audit", s.showAudit, admin...)
	get(pathDesk+"/audit.csv", s.auditCSV, admin...)
	get(pathDeskFunnel, s.showFunnel, admin...)
	get(pathDeskFunnel+".csv", s.funnelCSV, admin...)
	get(pathDeskKiosks, s.showKiosks, admin...)
	adminPost := append(staffPost[:len(staffPost):len(staffPost)], s.requireAdmin)
	e.POST(pathDeskKiosks, s.createKiosk, adminPost...)
	e.POST(pathDeskKiosks+"/:id/code", s.newKioskCode, adminPost...)
	e.POST(pathDeskKiosks+"/:id/revoke", s.revokeKiosk, adminPost...)

	// The kiosk: the walk-in's own session (90 seconds, path /kiosk); every route but the
	// enrollment behind requireKiosk, which shows the enrollment form to any other browser;
	// POSTs limited per kiosk, the enrollment per address.
	kioskPage := []echo.MiddlewareFunc{s.loadKioskSession, s.locale, s.csrf()}
	e.POST(pathKiosk+"/enroll", s.enrollKiosk, append(kioskPage[:len(kioskPage):len(kioskPage)], s.enrollLimit())...)
	kioskGet := append(kioskPage[:len(kioskPage):len(kioskPage)], s.requireKiosk)
	kioskPost := append(kioskGet[:len(kioskGet):len(kioskGet)], s.kioskLimit())
	get(pathKiosk, s.showKioskStart, kioskGet...)
	e.POST(pathKioskNext, s.pickKioskTime, kioskPost...)
	get(pathKioskReason, s.showKioskReason, kioskGet...)
	e.POST(pathKioskReason, s.chooseKioskReason, kioskPost...)
	get(pathKioskUrgent, s.showKioskUrgent, kioskGet...)
	get(pathKioskVisitType, s.showKioskVisitType, kioskGet...)
	e.POST(pathKioskVisitType, s.chooseKioskVisitType, kioskPost...)
	get(pathKioskTimes, s.showKioskTimes, kioskGet...)
	e.POST(pathKioskTimes, s.holdKioskTime, kioskPost...)
	get(pathKioskDetails, s.showKioskDetails, kioskGet...)
	e.POST(pathKioskDetails, s.bookKiosk, kioskPost...)
	get(pathKioskDone+"/:visit", s.showKioskDone, kioskGet...)
	e.POST(pathKioskReset, s.resetKiosk, kioskPost...)
	e.POST(pathKioskHere, s.kioskStillHere, kioskPost...)
}
