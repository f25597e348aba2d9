package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"doorway/views/pages/desk"
)

// showDay is the desk's day view: today (or ?date=) at the staff member's location (or
// ?location=), every provider a column (or only ?provider=).
func (s *Server) showDay(c echo.Context) error {
	loc := c.QueryParam("location")
	if loc == "" {
		loc = staffOf(c).Location
	}
	gen := s.svc.Activity() // before reading: a change while building shows as a change
	d, err := s.svc.Day(c.Request().Context(), c.QueryParam("date"), loc)
	if err != nil {
		return err
	}
	p := desk.NewDayPage(s.deskPage(c, "day"), s.messages(c), s.clinic, d, c.QueryParam("provider"))
	p.Gen = strconv.FormatUint(gen, 10)
	return s.render(c, http.StatusOK, desk.Day(p))
}

// deskChanges answers whether anything held or booked here changed since the page was built
// (booking.Service.Activity): {"changed": true} makes app.js reload the day.
func (s *Server) deskChanges(c echo.Context) error {
	since, _ := strconv.ParseUint(c.QueryParam("since"), 10, 64)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, map[string]bool{"changed": s.svc.Activity() != since})
}
