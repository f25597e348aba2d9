package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages"
)

// statusOf maps a booking error code to its HTTP status; this is the one place that does.
var statusOf = map[booking.Code]int{
	booking.CodeInvalid:       http.StatusUnprocessableEntity,
	booking.CodeOutsideWindow: http.StatusUnprocessableEntity,
	booking.CodeNotFound:      http.StatusNotFound,
	booking.CodeSlotTaken:     http.StatusConflict,
	booking.CodeConflict:      http.StatusConflict,
	booking.CodeUnavailable:   http.StatusServiceUnavailable,
	booking.CodeRejected:      http.StatusBadGateway,
	booking.CodeUnauthorized:  http.StatusUnauthorized,
}

// problem is an error as the patient sees it.
type problem struct {
	status  int
	message string
	field   string
}

// classify turns any error a handler or middleware returned into what the patient sees.
func classify(err error) problem {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return problem{status: he.Code, message: httpMessage(he)}
	}
	if errors.Is(err, context.Canceled) {
		// The client went away (or the server is shutting down): nobody reads this answer and
		// nothing failed on our side, so it is not logged as an error. 499 as nginx does.
		return problem{status: 499, message: "The request was canceled."}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return problem{status: http.StatusServiceUnavailable, message: "The clinic's schedule is taking too long to answer. Please try again in a moment."}
	}
	code := booking.ErrorCode(err)
	p := problem{status: http.StatusInternalServerError, message: booking.ErrorMessage(err)}
	if st, ok := statusOf[code]; ok {
		p.status = st
	}
	var be *booking.Error
	if errors.As(err, &be) {
		p.field = be.Field
	}
	if code == booking.CodeInternal || code == booking.CodeRejected {
		p.message = "Something went wrong on our side. Please try again."
	}
	return p
}

func httpMessage(he *echo.HTTPError) string {
	switch he.Code {
	case http.StatusNotFound:
		return "We couldn't find that page."
	case http.StatusForbidden:
		return "This form has expired or came from somewhere else. Please go back, reload the page and try again."
	case http.StatusTooManyRequests:
		return "That was a lot of tries in a short time. Please wait a minute, then try again."
	case http.StatusRequestEntityTooLarge:
		return "That form was larger than we accept. Please shorten what you typed and try again."
	case http.StatusServiceUnavailable:
		return "The clinic's schedule is taking too long to answer. Please try again in a moment."
	case http.StatusMethodNotAllowed:
		return "That page can't be used that way."
	}
	if he.Code >= 500 {
		return "Something went wrong on our side. Please try again."
	}
	return "Something in that request wasn't right. Please go back and try again."
}

var headings = map[int]string{
	http.StatusBadRequest:            "Please check and try again",
	http.StatusUnprocessableEntity:   "Please check your answers",
	http.StatusUnauthorized:          "Please sign in",
	http.StatusForbidden:             "This form has expired",
	http.StatusNotFound:              "We couldn't find that",
	http.StatusConflict:              "That time is no longer available",
	http.StatusTooManyRequests:       "Too many tries",
	http.StatusServiceUnavailable:    "The clinic's schedule isn't answering",
	http.StatusBadGateway:            "Something went wrong",
	http.StatusInternalServerError:   "Something went wrong",
	http.StatusRequestEntityTooLarge: "That was too much",
}

// handleError is echo's HTTPErrorHandler: every failed request ends here. It logs server
// errors (never client ones), then answers JSON to API clients and a page to browsers.
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
	if wantsJSON(c.Request()) {
		body := map[string]any{"error": map[string]string{"message": p.message, "field": p.field}}
		if jerr := c.JSON(p.status, body); jerr != nil {
			s.log.ErrorContext(c.Request().Context(), "error response failed", "err", jerr)
		}
		return
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(p.status)
		return
	}
	page := pages.ErrorPage{Page: s.page(headingOf(p.status), 0), Status: p.status,
		Heading: headingOf(p.status), Message: p.message}
	page.Retry, page.Next, page.NextURL = wayOn(c, p.status)
	if rerr := s.render(c, p.status, pages.Error(page)); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "error page failed", "err", rerr)
		c.String(p.status, p.message)
	}
}

func headingOf(status int) string {
	if h, ok := headings[status]; ok {
		return h
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return "Please check and try again"
}

// wayOn offers a way forward from an error: "Try again" for passing failures (the same page
// for a GET, the form's page for a POST), and a fitting next step otherwise.
func wayOn(c echo.Context, status int) (retry, next, nextURL string) {
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
		next, nextURL = "Choose a time", pathTimes
	case status == http.StatusForbidden:
		next, nextURL = "Go back to the form", pageOf(route)
	}
	return retry, next, nextURL
}

// pageOf is the page that shows the form posting to route.
func pageOf(route string) string {
	switch route {
	case "/confirm":
		return pathReview
	case "/times/widen":
		return pathTimes
	case pathReason, pathVisitType, pathWhen, pathTimes, pathDetails:
		return route
	}
	return pathReason
}

// wantsJSON reports whether the client asked for JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}
