package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// showWhen is step 3: dates, weekdays, time of day, providers and locations.
func (s *Server) showWhen(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	today := s.svc.Today()
	p := patient.NewWhenPage(s.page(c, w, 3), s.messages(c), s.clinic, w.Prefs.WithDefaultDates(today), today, nil)
	return s.render(c, http.StatusOK, patient.When(p))
}

// choosePreferences records the search preferences and shows the open times.
func (s *Server) choosePreferences(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	f, err := c.FormParams()
	if err != nil {
		return booking.Invalid("form", booking.MsgFormUnread)
	}
	form := booking.PreferencesForm{From: f.Get("from"), To: f.Get("to"), Days: f["days"], Bands: f["bands"],
		Providers: f["providers"], Locations: f["locations"]}
	today := s.svc.Today()
	prefs, fe := s.clinic.ApplyForm(w.Prefs, form, today)
	if len(fe) > 0 {
		p := patient.NewWhenPage(s.page(c, w, 3), s.messages(c), s.clinic, prefs, today, fe)
		return s.render(c, http.StatusUnprocessableEntity, patient.When(p))
	}
	w.Prefs, w.WhenSet = prefs, true
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathTimes)
}
