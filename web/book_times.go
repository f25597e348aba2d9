package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/patient"
)

// showTimes is step 4: the open times for the patient's whole choice.
func (s *Server) showTimes(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
		return redirect(c, to)
	}
	res, err := s.svc.Search(c.Request().Context(), w.Prefs, sessionID(c))
	if err != nil {
		return err
	}
	p := patient.NewTimesPage(s.page(c, w, 4), s.messages(c), s.clinic, w.Prefs, res,
		patient.TimesOf{View: c.QueryParam("view"), Notice: w.Notice, Alts: w.Alts, Held: w.Held, Ref: s.refs.ref, Today: s.svc.Today()})
	if w.Notice != "" || w.Alts != nil { // shown once
		w.Notice, w.Alts = "", nil
		if err := s.save(c, w); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, patient.Times(p))
}

// holdSlot holds the picked time and asks for the patient's details. When the time was just
// taken, the open times come back with the nearest alternatives.
func (s *Server) holdSlot(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
		return redirect(c, to)
	}
	key, ok := s.refs.key(c.FormValue("slot"))
	if !ok {
		return booking.Invalid("slot", booking.MsgSlotUnknown)
	}
	h, alts, err := s.svc.Hold(c.Request().Context(), sessionID(c), w.Prefs, key)
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
	return redirect(c, w.next(4))
}

// widenSearch applies a one-tap widening from the "no open times" page.
func (s *Server) widenSearch(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
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
