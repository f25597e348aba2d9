package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// showVisitTypes is step 2: the kinds of visit that fit the reason.
func (s *Server) showVisitTypes(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(2); to != "" {
		return redirect(c, to)
	}
	p := patient.NewVisitTypePage(s.page(c, w, 2), s.messages(c), s.clinic, w.Prefs.ReasonID, w.Seen, w.Prefs.VisitType, nil)
	return s.render(c, http.StatusOK, patient.VisitType(p))
}

// chooseVisitType records new-or-returning and the visit type. When the answer leaves one
// visit type, the patient need not also pick it.
func (s *Server) chooseVisitType(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(2); to != "" {
		return redirect(c, to)
	}
	code := c.FormValue("visit_type")
	vt, seen, fe := s.clinic.ChooseVisitType(w.Prefs.ReasonID, booking.Seen(c.FormValue("seen")), code)
	if len(fe) > 0 {
		p := patient.NewVisitTypePage(s.page(c, w, 2), s.messages(c), s.clinic, w.Prefs.ReasonID, seen, code, fe)
		return s.render(c, http.StatusUnprocessableEntity, patient.VisitType(p))
	}
	w.Seen = seen
	if err := s.setPrefs(c, w, w.Prefs.WithVisitType(s.clinic, vt.Code)); err != nil {
		return err
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, w.next(2))
}
