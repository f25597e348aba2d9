package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// Managing an appointment after booking, without an account: find it by its code, the last
// name and the date of birth, or open it with the signed link from the confirmation; see it
// as the EHR has it; cancel it; move it (the booking wizard's times and review, in "moving"
// mode). A browser may manage the appointments it booked or found (Wizard.Managing).

const (
	pathManage     = "/manage"
	pathManageLink = "/m/:token"
	// linkGrace is how long after the visit its manage link keeps working.
	linkGrace = 24 * time.Hour
)

// manageURL is the page of the appointment visit.
func manageURL(visit string) string { return pathManage + "/" + url.PathEscape(visit) }

// showFind is the find form.
func (s *Server) showFind(c echo.Context) error {
	return s.render(c, http.StatusOK, patient.Find(s.findPage(c, "")))
}

func (s *Server) findPage(c echo.Context, problem string) patient.FindPage {
	return patient.NewFindPage(s.page(c, wizard(c), 0), s.messages(c), problem)
}

// find looks the appointment up. Every failure, whichever part was wrong, renders the same
// page: the form empty again (nothing typed is echoed) and the one message.
func (s *Server) find(c echo.Context) error {
	f, err := c.FormParams()
	if err != nil {
		return booking.Invalid("form", booking.MsgFormUnread)
	}
	dob := booking.BirthDateOf(booking.PatientForm{DOB: f.Get("dob"), DOBYear: f.Get("dob_year"), DOBMonth: f.Get("dob_month"),
		DOBDay: f.Get("dob_day")})
	a, err := s.svc.Find(c.Request().Context(), booking.FindRequest{Code: f.Get("code"), LastName: f.Get("last_name"),
		DOB: dob, Actor: s.actor(c)})
	if booking.MsgOf(err) == booking.MsgManageNotFound {
		m := s.messages(c)
		return s.render(c, http.StatusUnprocessableEntity, patient.Find(s.findPage(c, m.Problem(booking.MsgManageNotFound, 422))))
	}
	if err != nil {
		return err
	}
	return s.openManaged(c, a.VisitNumber)
}

// openManaged lets this browser manage visit and shows it.
func (s *Server) openManaged(c echo.Context, visit string) error {
	w := wizard(c)
	w.manage(visit)
	sess := session(c)
	sess.Values[wizardKey] = *w
	// A new id for a session that just proved who it is (no fixation of a planted id).
	if err := s.sessions.Rotate(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	return redirect(c, manageURL(visit))
}

// manage adds visit to the appointments this browser may manage (its last few).
func (w *Wizard) manage(visit string) {
	if !slices.Contains(w.Managing, visit) {
		w.Managing = append(w.Managing, visit)
	}
	if len(w.Managing) > 10 {
		w.Managing = w.Managing[len(w.Managing)-10:]
	}
}

// mayManage reports whether this browser booked or found visit.
func (w *Wizard) mayManage(visit string) bool {
	return slices.Contains(w.Managing, visit) || slices.Contains(w.Booked, visit)
}

// openLink opens the appointment a signed manage link names, until a day after the visit
// (the visit it was moved to, when it was). A tampered, unknown or expired link is refused
// alike.
func (s *Server) openLink(c echo.Context) error {
	visit, ok := s.links.Visit(c.Param("token"))
	if !ok {
		return booking.Fail(booking.CodeNotFound, booking.MsgManageLinkBad)
	}
	a, _, err := s.svc.Current(c.Request().Context(), visit)
	if booking.ErrorCode(err) == booking.CodeNotFound || (err == nil && s.svc.Now().After(a.End().Add(linkGrace))) {
		return booking.Fail(booking.CodeNotFound, booking.MsgManageLinkBad)
	}
	if err != nil {
		return err
	}
	return s.openManaged(c, visit)
}

// managed returns the appointment of the URL's visit as it stands now, if this browser may
// manage it; a visit it may not manage is "not found" like one that does not exist. When the
// visit was moved, moved is the visit it became.
func (s *Server) managed(c echo.Context) (a booking.Appointment, moved string, err error) {
	visit := c.Param("visit")
	if !wizard(c).mayManage(visit) {
		return booking.Appointment{}, "", booking.Fail(booking.CodeNotFound, booking.MsgManageNotFound)
	}
	a, wasMoved, err := s.svc.Current(c.Request().Context(), visit)
	if err != nil {
		return booking.Appointment{}, "", err
	}
	if wasMoved {
		moved = a.VisitNumber
	}
	return a, moved, nil
}

// followMove sends the browser on to the visit its appointment became, which it may then
// manage too.
func (s *Server) followMove(c echo.Context, to string) error {
	w := wizard(c)
	w.manage(to)
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, manageURL(to)+"?moved=1")
}

// showManaged is the appointment's page: how it stands, and what the patient may do.
func (s *Server) showManaged(c echo.Context) error {
	a, moved, err := s.managed(c)
	if err != nil {
		return err
	}
	if moved != "" {
		return s.followMove(c, moved)
	}
	ctx := c.Request().Context()
	a = s.svc.Refresh(ctx, a) // the EHR's word, when it answers in time
	p := patient.NewManagePage(s.page(c, wizard(c), 0), s.messages(c), s.clinic, a, patient.ManageOf{
		Change: s.svc.CanChange(a), Moved: c.QueryParam("moved") != "", Canceled: c.QueryParam("canceled") != "",
		ByClinic: s.svc.ChangedByClinic(ctx, a.VisitNumber), CutoffHours: s.clinic.CancelCutoffHours, ReminderHours: s.reminderHours(a)})
	return s.render(c, http.StatusOK, patient.Manage(p))
}

// showCancel asks why before canceling.
func (s *Server) showCancel(c echo.Context) error {
	a, moved, err := s.managed(c)
	if err != nil {
		return err
	}
	if moved != "" {
		return s.followMove(c, moved)
	}
	if err := s.svc.CanChange(a); err != nil {
		return redirect(c, manageURL(a.VisitNumber))
	}
	p := patient.NewCancelPage(s.page(c, wizard(c), 0), s.messages(c), s.clinic, a, "", "", nil)
	return s.render(c, http.StatusOK, patient.Cancel(p))
}

// cancelManaged cancels with the reason given; a form error shows the form again.
func (s *Server) cancelManaged(c echo.Context) error {
	a, moved, err := s.managed(c)
	if err != nil {
		return err
	}
	if moved != "" {
		return s.followMove(c, moved)
	}
	reason, other := c.FormValue("reason"), c.FormValue("other")
	err = s.svc.CancelByPatient(c.Request().Context(), booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: reason,
		Other: other, Actor: s.actor(c)})
	if booking.ErrorCode(err) == booking.CodeInvalid {
		fe := booking.FieldErrors{booking.FieldOf(err): booking.MsgOf(err)}
		p := patient.NewCancelPage(s.page(c, wizard(c), 0), s.messages(c), s.clinic, a, reason, other, fe)
		return s.render(c, http.StatusUnprocessableEntity, patient.Cancel(p))
	}
	if err != nil {
		return err
	}
	s.metrics.booked("canceled")
	return redirect(c, manageURL(a.VisitNumber)+"?canceled=1")
}

// reminderHours is how long before a its reminder email goes, 0 when none is to come: no
// emails, no reminders, or a's reminder time has passed.
func (s *Server) reminderHours(a booking.Appointment) int {
	lead := s.svc.ReminderLead()
	if !s.svc.Emailing() || lead <= 0 || !a.Start.Add(-lead).After(s.svc.Now()) {
		return 0
	}
	return s.clinic.ReminderHours
}

// setReminders turns the appointment's reminder email on or off.
func (s *Server) setReminders(c echo.Context) error {
	a, moved, err := s.managed(c)
	if err != nil {
		return err
	}
	if moved != "" {
		return s.followMove(c, moved)
	}
	if err := s.svc.SetReminders(c.Request().Context(), booking.RemindersRequest{VisitNumber: a.VisitNumber,
		On: c.FormValue("on") == "1", Actor: s.actor(c)}); err != nil {
		return err
	}
	return redirect(c, manageURL(a.VisitNumber))
}

// startMove sets the wizard to move the appointment: its visit type and reason kept, its
// patient known, so the patient goes straight to the open times and then the review.
func (s *Server) startMove(c echo.Context) error {
	a, moved, err := s.managed(c)
	if err != nil {
		return err
	}
	if moved != "" {
		return s.followMove(c, moved)
	}
	if err := s.svc.CanChange(a); err != nil {
		return err
	}
	w := wizard(c)
	if w.Held != nil {
		if err := s.svc.ReleaseHold(c.Request().Context(), sessionID(c)); err != nil {
			return err
		}
	}
	p := a.Patient
	*w = Wizard{Moving: a.VisitNumber, Patient: &p, Booked: w.Booked, Managing: w.Managing, Family: w.Family,
		Prefs: booking.Preferences{VisitType: a.VisitType.Code, ReasonText: a.Reason}}
	w.Prefs = w.Prefs.WithDefaultDates(s.svc.Today())
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathTimes)
}

// moveBooking is the confirm of a move: the held time replaces the old appointment.
func (s *Server) moveBooking(c echo.Context, w *Wizard, key string) error {
	a, err := s.svc.Reschedule(c.Request().Context(), booking.RescheduleRequest{Key: key, SessionID: sessionID(c),
		Old: w.Moving, Actor: s.actor(c)})
	if err != nil {
		return err
	}
	w.finish(a.VisitNumber)
	w.manage(a.VisitNumber)
	sess := session(c)
	sess.Values[wizardKey] = *w
	if err := s.sessions.Rotate(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	s.metrics.booked("moved")
	s.log.InfoContext(c.Request().Context(), "appointment moved", "request_id", requestID(c), "visit_number", a.VisitNumber,
		"replaces", a.Replaces, "status", a.Status)
	return redirect(c, "/booked/"+url.PathEscape(a.VisitNumber))
}

// managedCalendar is the appointment's .ics: a cancellation once it is canceled.
func (s *Server) managedCalendar(c echo.Context) error {
	a, _, err := s.managed(c)
	if err != nil {
		return err
	}
	return s.sendCalendar(c, a)
}

// actor is who the request comes from, for the audit log: the session as an opaque hash,
// the client's address and user agent.
func (s *Server) actor(c echo.Context) booking.Actor {
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte("audit-session\x00" + sessionID(c)))
	return booking.Actor{Kind: "patient", Session: hex.EncodeToString(h.Sum(nil)[:8]), IP: c.RealIP(),
		UserAgent: c.Request().UserAgent()}
}
