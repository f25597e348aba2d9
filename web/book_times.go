package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// showTimes is step 3: the open times for the patient's whole choice, a week at a glance,
// straight after the reason (and the visit type), with the filters folded above them.
func (s *Server) showTimes(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	if w.Prefs.From == "" { // the first look: the next week, anyone, anywhere
		w.Prefs = w.Prefs.WithDefaultDates(s.svc.Today())
		if err := s.save(c, w); err != nil {
			return err
		}
	}
	key := s.timesKey(c, w)
	if page, ok := s.pages.get(key); ok && key != "" {
		// The page was built for another look at this search; it is still this person's.
		s.svc.CountSearch(c.Request().Context(), sessionID(c), w.Prefs.WithDefaultDates(s.svc.Today()), page.open)
		return s.serveShared(c, page)
	}
	p, err := s.timesPage(c, w, patient.ParseTimesView(c.QueryParams()), nil, nil)
	if errors.Is(err, errStillLooking) {
		again := pathTimes
		if q := c.Request().URL.RawQuery; q != "" {
			again += "?" + q
		}
		return s.render(c, http.StatusOK, patient.StillLooking(s.page(c, w, 3), again))
	}
	if err != nil {
		return err
	}
	if w.Notice != "" || w.Alts != nil { // shown once
		w.Notice, w.Alts = "", nil
		if err := s.save(c, w); err != nil {
			return err
		}
	}
	if key != "" {
		return s.renderShared(c, key, patient.Times(p), p.Total)
	}
	return s.render(c, http.StatusOK, patient.Times(p))
}

// errStillLooking: the EHR has not answered within the page's patience.
var errStillLooking = errors.New("web: the EHR is still looking")

// timesPage builds the open times of the view; form and fe are a filter form that did not
// apply, to show again with its errors.
func (s *Server) timesPage(c echo.Context, w *Wizard, v patient.TimesView, form *booking.Preferences, fe booking.FieldErrors) (patient.TimesPage, error) {
	shown := w.Prefs.WithDefaultDates(s.svc.Today())
	prefs, ok := shown.Focus(s.clinic, v.Provider, v.Day, v.Location)
	if !ok {
		v.Provider, v.Day, v.Location = "", "", ""
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.Patience)
	defer cancel()
	wv := v.Week()
	wv.Of = &shown // a view of one provider, day or place is still the search the patient made
	week, err := s.svc.Week(ctx, prefs, sessionID(c), wv)
	if err != nil && ctx.Err() == context.DeadlineExceeded && c.Request().Context().Err() == nil {
		return patient.TimesPage{}, errStillLooking // the query goes on; its answer is kept
	}
	if err != nil {
		return patient.TimesPage{}, err
	}
	var moving *booking.Appointment
	if w.Moving != "" {
		if old, err := s.svc.Appointment(c.Request().Context(), w.Moving); err == nil {
			moving = &old
		}
	}
	return patient.NewTimesPage(s.page(c, w, 3), s.messages(c), s.clinic, shown, week, patient.TimesOf{View: v, Moving: moving,
		Notice: w.Notice, Alts: w.Alts, Held: w.Held, Ref: s.refs.ref, Today: s.svc.Today(), Form: form, Errors: fe}), nil
}

// filterTimes applies the filter form (or clears it) and shows the times again.
func (s *Server) filterTimes(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	f, err := c.FormParams()
	if err != nil {
		return booking.Invalid("form", booking.MsgFormUnread)
	}
	form := booking.PreferencesForm{From: f.Get("from"), To: f.Get("to"), Days: f["days"], Bands: f["bands"],
		Providers: f["providers"], Locations: nonEmpty(f["locations"]), Who: f.Get("who"), Specialty: f.Get("specialty"), Speaks: f.Get("speaks")}
	if f.Get("clear") != "" {
		form = booking.PreferencesForm{From: w.Prefs.From, To: w.Prefs.To}
	}
	prefs, fe := s.clinic.ApplyForm(w.Prefs, form, s.svc.Today())
	if len(fe) > 0 {
		p, err := s.timesPage(c, w, patient.TimesView{View: patient.ByProvider}, &prefs, fe)
		if errors.Is(err, errStillLooking) {
			return s.render(c, http.StatusOK, patient.StillLooking(s.page(c, w, 3), pathTimes))
		}
		if err != nil {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, patient.Times(p))
	}
	w.Prefs = prefs
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathTimes)
}

// moveWeek shows the week before or after.
func (s *Server) moveWeek(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	days := 7
	if c.FormValue("go") == "prev" {
		days = -7
	}
	prefs, err := w.Prefs.Shift(days, s.svc.Today())
	if err != nil {
		return err
	}
	w.Prefs = prefs
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathTimes)
}

// holdSlot holds the picked time and asks for the patient's details. When the time was just
// taken, the open times come back with the nearest alternatives.
func (s *Server) holdSlot(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	key, ok := s.refs.key(c.FormValue("slot"))
	if !ok {
		return booking.Invalid("slot", booking.MsgSlotUnknown)
	}
	ctx := booking.WithClient(c.Request().Context(), c.RealIP())
	h, alts, err := s.svc.Hold(ctx, sessionID(c), w.Prefs, key)
	taken := booking.ErrorCode(err) == booking.CodeSlotTaken
	switch {
	case taken:
		w.Notice, w.Alts = booking.MsgOf(err), alts
		if len(alts) == 0 {
			w.Notice = booking.MsgSlotGone
		}
	case err != nil:
		return err
	default:
		w.Held, w.Notice, w.Alts = &h.Slot, "", nil
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	if taken {
		return redirect(c, pathTimes)
	}
	return redirect(c, w.next(3))
}

// widenSearch applies a one-tap widening from the "no open times" page.
func (s *Server) widenSearch(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	prefs, err := w.Prefs.Widen(booking.Widening(c.FormValue("widen")), s.svc.Today())
	if err != nil {
		return err
	}
	w.Prefs = prefs
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathTimes)
}

// nonEmpty drops empty values: "any location" is the select's empty choice.
func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
