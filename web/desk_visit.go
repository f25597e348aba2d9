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
	case c.QueryParam("resent") != "":
		notice = m.Desk.Resent
	}
	canCancel := a.Status == booking.StatusBooked || a.Status == booking.StatusRequested
	live := canCancel && a.Start.After(s.svc.Now())
	p := desk.NewVisitPage(s.deskPage(c, "day"), m, s.clinic, a, live, notice)
	if live && s.svc.Emailing() && a.Patient.Email != "" {
		p.Resend = "/desk/visit/" + url.PathEscape(a.VisitNumber) + "/resend"
	}
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

// deskResend sends the confirmation email again, audited under the staff member.
func (s *Server) deskResend(c echo.Context) error {
	vn := c.Param("visit")
	by := s.actor(c)
	by.Kind, by.Session = "staff", "staff:"+strconv.FormatInt(staffOf(c).ID, 10)
	if _, err := s.svc.ResendConfirmation(c.Request().Context(), vn, by); err != nil {
		return err
	}
	return redirect(c, pathDesk+"/visit/"+url.PathEscape(vn)+"?resent=1")
}
