package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views"
	"doorway/views/pages"
)

// confirmBooking books the held time. The form's idempotency key makes a replay (double
// click, refresh, a retry after a timeout) return the same appointment. Afterwards the
// answers are cleared, the session id rotated, and the visit number remembered so this
// browser, and only this one, may see the confirmation.
func (s *Server) confirmBooking(c echo.Context) error {
	w := wizard(c)
	key := c.FormValue("key")
	if key == "" {
		return booking.Invalid("key", "This page is out of date. Please check your booking again and confirm.")
	}
	req := booking.ConfirmRequest{Key: key, SessionID: sessionID(c), Reason: s.reasonWords(w)}
	if w.missing(6) == "" {
		req.Patient = *w.Patient
		req.VisitType, _ = s.clinic.VisitType(w.VisitType)
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
	return s.render(c, http.StatusOK, pages.Booked(s.bookedPage(a)))
}

// bookedAppointment returns the appointment named in the URL if this session booked it.
// Anyone else gets the same "not found" as for a visit number that does not exist.
func (s *Server) bookedAppointment(c echo.Context) (booking.Appointment, error) {
	vn := c.Param("visit")
	if !slices.Contains(wizard(c).Booked, vn) {
		return booking.Appointment{}, booking.Errorf(booking.CodeNotFound,
			"We can't show that appointment in this browser. Your confirmation message has the details, or call us.")
	}
	return s.svc.Appointment(c.Request().Context(), vn)
}

// statusWords are the confirmation's heading and message for each appointment status.
var statusWords = map[booking.Status][2]string{
	booking.StatusBooked: {"You're booked", "Your appointment is confirmed with the clinic."},
	booking.StatusRequested: {"We're confirming your appointment",
		"We've sent your booking to the clinic and are waiting for their system to confirm it. This usually takes a minute. You don't need to book again: refresh this page to see the latest."},
	booking.StatusFailed: {"We couldn't book this time",
		"The clinic's system couldn't confirm this time (it may have been booked by phone meanwhile), so nothing is booked. Please choose another time, or call us and we'll help."},
	booking.StatusCanceled: {"This appointment is canceled", "This appointment has been canceled. You're welcome to book another."},
}

func (s *Server) bookedPage(a booking.Appointment) pages.BookedPage {
	words, ok := statusWords[a.Status]
	if !ok {
		words = [2]string{"Your appointment", "This appointment's status is: " + string(a.Status) + "."}
	}
	loc := s.locationOf(a.Location)
	prov, _ := s.clinic.Provider(a.Provider.ID)
	local := a.Start.In(loc.Zone())
	p := pages.BookedPage{Page: s.page(words[0], 0), VisitNumber: a.VisitNumber, Status: string(a.Status),
		Heading: words[0], StatusText: words[1]}
	p.Rows = []pages.Row{
		{Label: "When", Lines: []string{views.DayYear(local) + ", " + views.Clock(local) + " to " + views.Clock(a.End().In(loc.Zone())), views.ZoneName(loc.Zone())}, TestID: "when"},
		{Label: "Type of visit", Lines: []string{a.VisitType.Description + ", " + views.Minutes(a.Minutes)}},
		{Label: "With", Lines: []string{prov.DisplayName()}},
		{Label: "Where", Lines: []string{loc.Name, loc.Address.OneLine(), "Phone " + loc.Phone}, TestID: "where"},
		{Label: "For", Lines: []string{a.Patient.FirstName + " " + a.Patient.LastName}},
	}
	if len(a.Instructions) > 0 {
		p.Rows = append(p.Rows, pages.Row{Label: "Before your visit", List: a.Instructions, TestID: "instructions"})
	}
	if a.Status == booking.StatusBooked || a.Status == booking.StatusRequested {
		p.Calendar = "/booked/" + url.PathEscape(a.VisitNumber) + "/calendar.ics"
	}
	return p
}
