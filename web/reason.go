package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages"
)

// showReason is step 1: why the patient wants to be seen.
func (s *Server) showReason(c echo.Context) error {
	w := wizard(c)
	p := s.reasonPage()
	p.Selected, p.Other = w.ReasonID, w.ReasonText
	if w.ReasonText != "" {
		p.Selected = pages.OtherReason
	}
	return s.render(c, http.StatusOK, pages.Reason(p))
}

// chooseReason records the reason, or stops the flow for a red flag.
func (s *Server) chooseReason(c echo.Context) error {
	id, other := c.FormValue("reason"), strings.TrimSpace(c.FormValue("other"))
	reason, listed := s.clinic.Reason(id)
	p := s.reasonPage()
	p.Selected, p.Other = id, other
	if p.Error, p.OtherError = checkReason(id, other, listed); p.Error != "" || p.OtherError != "" {
		return s.render(c, http.StatusUnprocessableEntity, pages.Reason(p))
	}
	w := wizard(c)
	// Typed words are checked even beside a listed reason: "headache" plus "worst of my life".
	if urgent, crisis := redFlag(other); urgent || reason.RedFlag {
		// The reason is cleared: nothing can be booked for it, so the later steps send the
		// patient back here rather than on with an older answer.
		w.ReasonID, w.ReasonText, w.Urgent = "", "", urgentKind(reason, crisis)
		if err := s.save(c, w); err != nil {
			return err
		}
		return redirect(c, "/urgent")
	}
	typed := other
	if listed {
		typed = ""
	} else {
		id = ""
	}
	if err := s.setReason(c, w, id, typed); err != nil {
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
	p := pages.UrgentPage{Page: s.page("Please get help now", 0), Crisis: w.Urgent == "crisis"}
	if r, ok := s.clinic.Reason(w.Urgent); ok {
		p.Advice = r.Urgent
	}
	return s.render(c, http.StatusOK, pages.Urgent(p))
}

// checkReason returns the errors beside the reason choice and the typed reason.
func checkReason(id, other string, listed bool) (choiceErr, otherErr string) {
	switch {
	case id == "" && other == "":
		return "Choose a reason, or tell us in a few words.", ""
	case id == pages.OtherReason && other == "":
		return "", "Tell us in a few words what you'd like to be seen for."
	case utf8.RuneCountInString(other) > 200:
		return "", "Please keep it to 200 characters or fewer."
	case id != "" && id != pages.OtherReason && !listed:
		return "Choose a reason from the list.", ""
	}
	return "", ""
}

func (s *Server) reasonPage() pages.ReasonPage {
	return pages.ReasonPage{Page: s.page("Reason for your visit", 1), Groups: pages.GroupReasons(s.clinic)}
}

// urgentKind is what the urgent page needs to know: the catalogue reason (its own advice),
// or whether typed words suggested a mental health crisis.
func urgentKind(r booking.Reason, crisis bool) string {
	switch {
	case crisis:
		return "crisis"
	case r.RedFlag:
		return r.ID
	}
	return "typed"
}

// setReason records a new reason. A visit type that no longer fits is dropped (with its held
// time); when exactly one fits, it is chosen, and the visit-type step needs no visit.
func (s *Server) setReason(c echo.Context, w *Wizard, id, typed string) error {
	w.ReasonID, w.ReasonText, w.Urgent = id, typed, ""
	opts := s.visitTypeOptions(w)
	choice := w.VisitType
	if !fitsAny(opts, choice) {
		choice = ""
	}
	if len(opts) == 1 {
		choice = opts[0].Code
	}
	return s.setVisitType(c, w, choice)
}

// setVisitType records the visit type; a change lets go of the held time, whose length was
// for the old one.
func (s *Server) setVisitType(c echo.Context, w *Wizard, code string) error {
	if code == w.VisitType {
		return nil
	}
	w.VisitType = code
	if w.Held == nil {
		return nil
	}
	w.clearTime()
	return s.svc.ReleaseHold(c.Request().Context(), sessionID(c))
}
