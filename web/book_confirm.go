package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// confirmBooking books the held time. The form's idempotency key, bound to this browser,
// makes a replay (double click, refresh, a retry after a timeout) return the same
// appointment, and nobody else's key opens it. Afterwards the
// answers are cleared, the session id rotated, and the visit number remembered so this
// browser, and only this one, may see the confirmation.
func (s *Server) confirmBooking(c echo.Context) error {
	w := wizard(c)
	key := c.FormValue("key")
	if !s.checkKey(c, key) {
		// Missing, made up, or issued to another browser: all refused alike.
		return booking.Invalid("key", booking.MsgPageExpired)
	}
	if w.Moving != "" {
		return s.moveBooking(c, w, key)
	}
	req := booking.ConfirmRequest{Key: key, SessionID: sessionID(c), Reason: w.Prefs.ReasonWords(s.clinic), ReasonID: w.Prefs.ReasonID}
	if w.missing(5) == "" {
		req.Patient = *w.Patient
		req.VisitType, _ = s.clinic.VisitType(w.Prefs.VisitType)
	} else {
		// Not a complete booking (the answers were cleared by the booking this replays, or
		// never given): without the session id no hold is found, so only a replay succeeds.
		req.SessionID = ""
	}
	a, err := s.svc.Confirm(c.Request().Context(), req)
	if err != nil {
		return err
	}
	fresh := !slices.Contains(w.Booked, a.VisitNumber)
	w.finish(a.VisitNumber)
	sess := session(c)
	sess.Values[wizardKey] = *w
	if err := s.sessions.Rotate(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	if fresh {
		s.metrics.booked(string(a.Status))
		s.log.InfoContext(c.Request().Context(), "booking confirmed", "request_id", requestID(c),
			"visit_number", a.VisitNumber, "status", a.Status)
	}
	return redirect(c, "/booked/"+url.PathEscape(a.VisitNumber))
}

// showBooked is the confirmation page.
func (s *Server) showBooked(c echo.Context) error {
	a, err := s.bookedAppointment(c)
	if err != nil {
		return err
	}
	p := patient.NewBookedPage(s.page(c, wizard(c), 0), s.messages(c), s.clinic, a, s.svc.Emailing())
	if a.Status == booking.StatusBooked || a.Status == booking.StatusRequested {
		p.ManageLink = s.links.Path(a.VisitNumber) // relative: right behind any proxy
	}
	return s.render(c, http.StatusOK, patient.Booked(p))
}

// bookedAppointment returns the appointment named in the URL if this session booked it.
// Anyone else gets the same "not found" as for a visit number that does not exist.
func (s *Server) bookedAppointment(c echo.Context) (booking.Appointment, error) {
	vn := c.Param("visit")
	if !wizard(c).mayManage(vn) {
		return booking.Appointment{}, booking.Fail(booking.CodeNotFound, booking.MsgBookedElsewhere)
	}
	return s.svc.Appointment(c.Request().Context(), vn)
}
