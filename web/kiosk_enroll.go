package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/kiosk"
)

// Enrolling a tablet: the one-time code an admin got at the desk (/desk/kiosks) turns this
// browser into that kiosk (the device cookie). Tries are limited per address, and the
// service locks an address out after a few wrong codes.

// renderEnroll shows the enrollment form, with a problem beside the code.
func (s *Server) renderEnroll(c echo.Context, status int, problem string) error {
	p := kiosk.NewEnrollPage(s.kioskPage(c, 0), s.messages(c), problem)
	return s.render(c, status, kiosk.Enroll(p))
}

// enrollKiosk checks the code and, when it is right, makes this tablet the kiosk: the device
// cookie, and a fresh walk-in session.
func (s *Server) enrollKiosk(c echo.Context) error {
	k, err := s.svc.EnrollKiosk(c.Request().Context(), c.FormValue("code"), s.actor(c))
	if booking.MsgOf(err) == booking.MsgKioskCodeWrong {
		return s.renderEnroll(c, http.StatusUnprocessableEntity, s.messages(c).Problem(booking.MsgKioskCodeWrong, 422))
	}
	if err != nil {
		return err
	}
	s.setDevice(c, k)
	if err := s.restartSession(c, nil); err != nil {
		return err
	}
	s.log.InfoContext(c.Request().Context(), "kiosk enrolled", "request_id", requestID(c), "kiosk_id", k.ID)
	return redirect(c, pathKiosk)
}
