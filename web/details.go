package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages"
)

// showDetails is step 5: who the appointment is for, while the time is held.
func (s *Server) showDetails(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(5); to != "" {
		return redirect(c, to)
	}
	h, live, err := s.currentHold(c, w)
	if err != nil || !live {
		return holdGone(c, err)
	}
	p := pages.NewDetailsPage(s.page("Your details", 5), s.holdView(h), w.Form, nil, s.today().Format(time.DateOnly))
	return s.render(c, http.StatusOK, pages.Details(p))
}

// saveDetails validates the details and keeps them in the server-side session only.
func (s *Server) saveDetails(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(5); to != "" {
		return redirect(c, to)
	}
	f := booking.PatientForm{
		FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), DOB: c.FormValue("dob"),
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), Language: c.FormValue("language"), MRN: c.FormValue("mrn"),
	}
	patient, errs := f.Validate(s.today())
	if len(errs) == 0 {
		w.Patient, w.Form = &patient, f // kept even if the hold ended: no retyping
	}
	h, live, err := s.currentHold(c, w)
	if err != nil || !live {
		return holdGone(c, err)
	}
	if len(errs) > 0 {
		p := pages.NewDetailsPage(s.page("Your details", 5), s.holdView(h), f, errs, s.today().Format(time.DateOnly))
		return s.render(c, http.StatusUnprocessableEntity, pages.Details(p))
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathReview)
}

// holdGone answers a request whose hold check failed: the error, or back to the open times
// when the hold simply ended.
func holdGone(c echo.Context, err error) error {
	if err != nil {
		return err
	}
	return redirect(c, pathTimes)
}
