package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// showDetails is step 5: who the appointment is for, while the time is held.
func (s *Server) showDetails(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
		return redirect(c, to)
	}
	h, live, err := s.currentHold(c, w)
	if err != nil || !live {
		return holdGone(c, err)
	}
	p := patient.NewDetailsPage(s.page(c, w, 4), s.messages(c), s.holdView(c, h), w.Form, nil, s.svc.Today())
	return s.render(c, http.StatusOK, patient.Details(p))
}

// saveDetails validates the details and keeps them in the server-side session only.
func (s *Server) saveDetails(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
		return redirect(c, to)
	}
	f := booking.PatientForm{
		FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), DOB: c.FormValue("dob"),
		DOBYear: c.FormValue("dob_year"), DOBMonth: c.FormValue("dob_month"), DOBDay: c.FormValue("dob_day"),
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), Language: c.FormValue("language"), MRN: c.FormValue("mrn"),
	}
	person, fe := f.Validate(s.svc.Today())
	if len(fe) == 0 {
		w.Patient, w.Form = &person, f // kept even if the hold ended: no retyping
	}
	h, live, err := s.currentHold(c, w)
	if err != nil || !live {
		return holdGone(c, err)
	}
	if len(fe) > 0 {
		p := patient.NewDetailsPage(s.page(c, w, 4), s.messages(c), s.holdView(c, h), f, fe, s.svc.Today())
		return s.render(c, http.StatusUnprocessableEntity, patient.Details(p))
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathReview)
}
