package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/pages/patient"
)

// currentHold returns the session's live hold, renewed when the request is a form the
// patient submitted (a GET only reads it). When it has expired the wizard forgets the time
// and saves a note for the open-times page; live is false and the caller redirects there.
func (s *Server) currentHold(c echo.Context, w *Wizard) (h booking.Hold, live bool, err error) {
	renew := c.Request().Method == http.MethodPost
	h, err = s.svc.CurrentHold(c.Request().Context(), sessionID(c), renew)
	if booking.ErrorCode(err) == booking.CodeNotFound {
		w.Held, w.Notice = nil, booking.MsgHoldLetGo
		return h, false, s.save(c, w)
	}
	return h, err == nil, err
}

// holdView describes a hold for the notice on the details and review pages.
func (s *Server) holdView(c echo.Context, h booking.Hold) components.Hold {
	return patient.HoldView(s.messages(c), s.clinic, h, s.svc.Now())
}

// holdGone answers a request whose hold check failed: the error, or back to the open times
// when the hold simply ended.
func holdGone(c echo.Context, err error) error {
	if err != nil {
		return err
	}
	return redirect(c, pathTimes)
}
