package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/desk"
)

// showDeskVisit is one appointment at the desk: any appointment, as it now stands.
func (s *Server) showDeskVisit(c echo.Context) error {
	a, err := s.svc.Appointment(c.Request().Context(), c.Param("visit"))
	if err != nil {
		return err
	}
	m := s.messages(c)
	notice := ""
	switch {
	case c.QueryParam("booked") != "":
		notice = m.Desk.Booked2
	case c.QueryParam("canceled") != "":
		notice = m.Desk.Canceled
	case c.QueryParam("moved") != "":
		notice = m.Desk.Moved
	}
	canCancel := a.Status == booking.StatusBooked || a.Status == booking.StatusRequested
	p := desk.NewVisitPage(s.deskPage(c, "day"), m, s.clinic, a, canCancel && a.Start.After(s.svc.Now()), notice)
	return s.render(c, http.StatusOK, desk.Visit(p))
}

// deskCancel cancels an appointment for the patient, audited under the staff member.
func (s *Server) deskCancel(c echo.Context) error {
	vn := c.Param("visit")
	by := s.actor(c)
	by.Kind, by.Session = "staff", "staff:"+strconv.FormatInt(staffOf(c).ID, 10)
	err := s.svc.CancelByPatient(c.Request().Context(), booking.CancelRequest{VisitNumber: vn, Reason: c.FormValue("reason"),
		Actor: by, ByStaff: true})
	if err != nil {
		return err
	}
	return redirect(c, pathDesk+"/visit/"+url.PathEscape(vn)+"?canceled=1")
}
