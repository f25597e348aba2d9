package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/calendar"
)

// downloadCalendar serves the appointment as an iCalendar file for "Add to calendar".
func (s *Server) downloadCalendar(c echo.Context) error {
	a, err := s.bookedAppointment(c)
	if err != nil {
		return err
	}
	return s.sendCalendar(c, a)
}

// sendCalendar answers with a's calendar file in the page's language: the same event (UID,
// SEQUENCE) as the emails' files, so whichever the patient added is the one later ones update.
func (s *Server) sendCalendar(c echo.Context, a booking.Appointment) error {
	ctx := c.Request().Context()
	e := calendar.EventOf(s.svc.Lineage(ctx, a), a, calendar.Publish)
	c.Response().Header().Set("Content-Disposition", `attachment; filename="appointment.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", calendar.File(s.messages(c), s.clinic, a, e, s.svc.Now()))
}
