package web

import (
	"strings"

	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// showReason is step 1: why the patient wants to be seen. After a booking, ?for=family
// starts the next one with the same contact details.
func (s *Server) showReason(c echo.Context) error {
	w := wizard(c)
	if c.QueryParam("for") == "family" {
		w.Form = w.Family
		if err := s.save(c, w); err != nil {
			return err
		}
		return redirect(c, pathReason)
	}
	selected, typed := w.Prefs.ReasonID, w.Prefs.ReasonText
	if typed != "" {
		selected = patient.OtherReason
	}
	q := booking.CleanText(c.QueryParam("q"))
	p := patient.NewReasonPage(s.page(c, w, 1), s.messages(c), s.clinic, q, selected, typed, nil)
	return s.render(c, http.StatusOK, patient.Reason(p))
}

// chooseReason records the reason, or stops the flow for a red flag.
func (s *Server) chooseReason(c echo.Context) error {
	w := wizard(c)
	id, typed := c.FormValue("reason"), strings.TrimSpace(c.FormValue("other"))
	choice, fe := s.clinic.ChooseReason(id, typed)
	if len(fe) > 0 {
		p := patient.NewReasonPage(s.page(c, w, 1), s.messages(c), s.clinic, "", id, typed, fe)
		return s.render(c, http.StatusUnprocessableEntity, patient.Reason(p))
	}
	if choice.Urgency.Stop() {
		// The reason is cleared: nothing can be booked for it, so the later steps send the
		// patient back here rather than on with an older answer. After a doubtful sign the
		// answer waits, for the patient who says it is no emergency.
		w.Prefs.ReasonID, w.Prefs.ReasonText, w.Urgent, w.Pending = "", "", choice.Urgency, nil
		if choice.Urgency.Doubt && !choice.Urgency.Typed && choice.Urgency.RedFlag == "" {
			w.Pending = &choice
		}
		if err := s.save(c, w); err != nil {
			return err
		}
		return redirect(c, pathUrgent)
	}
	return s.applyReason(c, w, choice)
}

// goOn books on with the reason that was only advised about: the patient says it is no
// emergency.
func (s *Server) goOn(c echo.Context) error {
	w := wizard(c)
	if w.Pending == nil {
		return redirect(c, pathReason)
	}
	choice := *w.Pending
	choice.Urgency = booking.Urgency{}
	return s.applyReason(c, w, choice)
}

// applyReason records a reason that leads on to booking.
func (s *Server) applyReason(c echo.Context, w *Wizard, choice booking.ReasonChoice) error {
	w.Urgent, w.Pending = booking.Urgency{}, nil
	prefs := w.Prefs.WithReason(s.clinic, choice)
	if prefs.VisitType == "" {
		w.Seen = "" // the visit-type question is asked again, afresh
	}
	if err := s.setPrefs(c, w, prefs); err != nil {
		return err
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, w.next(1))
}

// showUrgent tells the patient where to get help now.
func (s *Server) showUrgent(c echo.Context) error {
	w := wizard(c)
	p := patient.NewUrgentPage(s.page(c, w, 0), s.messages(c), s.clinic, w.Urgent)
	return s.render(c, http.StatusOK, patient.Urgent(p))
}
