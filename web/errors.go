package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/kiosk"
	"doorway/views/pages/patient"
)

// statusOf maps a booking error code to its HTTP status; this is the one place that does.
var statusOf = map[booking.Code]int{
	booking.CodeInvalid:       http.StatusUnprocessableEntity,
	booking.CodeMalformed:     http.StatusBadRequest,
	booking.CodeOutsideWindow: http.StatusUnprocessableEntity,
	booking.CodeNotFound:      http.StatusNotFound,
	booking.CodeSlotTaken:     http.StatusConflict,
	booking.CodeConflict:      http.StatusConflict,
	booking.CodeUnavailable:   http.StatusServiceUnavailable,
	booking.CodeRejected:      http.StatusBadGateway,
	booking.CodeUnauthorized:  http.StatusUnauthorized,
	booking.CodeForbidden:     http.StatusForbidden,
	booking.CodeTooLarge:      http.StatusRequestEntityTooLarge,
	booking.CodeLimited:       http.StatusTooManyRequests,
}

// problem is an error as the person sees it: a status, the sentence to say (by key; the
// status's own sentence when empty), the field it is about, and for API clients the detail.
type problem struct {
	status int
	msg    booking.Msg
	field  string
	detail string
}

// classify turns any error a handler or middleware returned into what the person sees.
func classify(err error) problem {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return problem{status: he.Code}
	}
	if errors.Is(err, context.Canceled) {
		// The client went away (or the server is shutting down): nobody reads this answer and
		// nothing failed on our side, so it is not logged as an error. 499 as nginx does.
		return problem{status: 499}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return problem{status: http.StatusServiceUnavailable}
	}
	code := booking.ErrorCode(err)
	p := problem{status: http.StatusInternalServerError}
	if st, ok := statusOf[code]; ok {
		p.status = st
	}
	var be *booking.Error
	if errors.As(err, &be) && code != booking.CodeInternal && code != booking.CodeRejected {
		p.msg, p.field, p.detail = be.Msg, be.Field, be.Detail
	}
	return p
}

// handleError is echo's HTTPErrorHandler: every failed request ends here. It logs server
// errors (never client ones), then answers JSON to API clients and a page to browsers, in
// the request's language.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := classify(err)
	if p.status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "request_id", requestID(c),
			"route", c.Path(), "status", p.status, "err", err)
	}
	if p.status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "10")
	}
	m := s.messages(c)
	message := m.Problem(p.msg, p.status)
	if wantsJSON(c) {
		s.answerJSON(c, p.status, s.explain(c, p.msg, p.status, p.detail), p.field)
		return
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(p.status)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, pathKiosk+"/") || c.Request().URL.Path == pathKiosk {
		// The kiosk's own screen: its layout and its one way on, starting over.
		kp := s.kioskPage(c, kiosk.ResetAfter)
		kp.StartOver = true
		if rerr := s.render(c, p.status, kiosk.Error(kiosk.ErrorPage{Page: kp, Heading: m.Errors.Heading(p.status), Message: message})); rerr != nil {
			s.log.ErrorContext(c.Request().Context(), "error page failed", "err", rerr)
			c.String(p.status, message)
		}
		return
	}
	page := patient.ErrorPage{Page: s.page(c, &Wizard{}, 0), Status: p.status, Heading: m.Errors.Heading(p.status), Message: message}
	page.Retry, page.Next, page.NextTo = wayOn(c, p.status)
	if rerr := s.render(c, p.status, patient.Error(page)); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "error page failed", "err", rerr)
		c.String(p.status, message)
	}
}

// explain is a problem as an API client reads it: the sentence for msg (or the status's), in
// the request's language, then the detail for the integrator.
func (s *Server) explain(c echo.Context, msg booking.Msg, status int, detail string) string {
	message := s.messages(c).Problem(msg, status)
	if detail != "" {
		message += ": " + detail
	}
	return message
}

// answerJSON writes {"error": {"message", "field"}}.
func (s *Server) answerJSON(c echo.Context, status int, message, field string) {
	body := map[string]any{"error": map[string]string{"message": message, "field": field}}
	if err := c.JSON(status, body); err != nil {
		s.log.ErrorContext(c.Request().Context(), "error response failed", "err", err)
	}
}

// wayOn is the patient area's way forward from an error: "Try again" for passing failures
// (the same page for a GET, the form's page for a POST), and a fitting next step otherwise.
func wayOn(c echo.Context, status int) (retry, next, nextTo string) {
	route := c.Path()
	if status == http.StatusServiceUnavailable || status >= 500 || status == http.StatusTooManyRequests {
		if c.Request().Method == http.MethodGet {
			retry = c.Request().URL.RequestURI()
		} else {
			retry = pageOf(route)
		}
	}
	switch {
	case status == http.StatusConflict, status == http.StatusNotFound && (route == "/confirm" || route == pathReview || route == pathDetails):
		next, nextTo = pathTimes, patient.NextTime
	case status == http.StatusForbidden:
		next, nextTo = pageOf(route), patient.NextForm
	}
	return retry, next, nextTo
}

// pageOf is the page that shows the form posting to route.
func pageOf(route string) string {
	switch route {
	case "/confirm":
		return pathReview
	case pathWiden, pathFilter, pathWeek:
		return pathTimes
	case pathReason, pathVisitType, pathTimes, pathDetails:
		return route
	}
	return pathReason
}

// wantsJSON reports whether the client is an API client (the EHR's webhook always is) or
// asked for JSON rather than a page.
func wantsJSON(c echo.Context) bool {
	r := c.Request()
	if c.Path() == webhookPath || strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}
