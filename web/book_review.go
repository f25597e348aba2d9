package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/views/pages/patient"
)

// showReview is step 6: every answer with a Change link, and the confirm button. The
// idempotency key is made once and kept in the session, so re-rendering the page (or a
// double click on its button) can only ever book once.
func (s *Server) showReview(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(5); to != "" {
		return redirect(c, to)
	}
	h, live, err := s.currentHold(c, w)
	if err != nil || !live {
		return holdGone(c, err)
	}
	if w.Key == "" {
		w.Key = s.confirmKey(c)
		if err := s.save(c, w); err != nil {
			return err
		}
	}
	paths := stepPaths
	if s.skipsVisitType(w) {
		paths[2] = pathReason // one visit type fits the reason: the reason changes it
	}
	r := patient.ReviewOf{Prefs: w.Prefs, Slot: h.Slot, Patient: *w.Patient, Paths: paths}
	if w.Moving != "" {
		old, err := s.svc.Appointment(c.Request().Context(), w.Moving)
		if err != nil {
			return err
		}
		r.Moving = &old
	}
	p := patient.NewReviewPage(s.page(c, w, 5), s.messages(c), s.clinic, s.holdView(c, h), r, w.Key)
	return s.render(c, http.StatusOK, patient.Review(p))
}
