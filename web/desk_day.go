package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/views/pages/desk"
)

// showDay is the desk's day view: today (or ?date=) at the staff member's location (or
// ?location=), every provider a column.
func (s *Server) showDay(c echo.Context) error {
	loc := c.QueryParam("location")
	if loc == "" {
		loc = staffOf(c).Location
	}
	d, err := s.svc.Day(c.Request().Context(), c.QueryParam("date"), loc)
	if err != nil {
		return err
	}
	p := desk.NewDayPage(s.deskPage(c, "day"), s.messages(c), s.clinic, d)
	return s.render(c, http.StatusOK, desk.Day(p))
}
