package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/kiosk"
)

// The kiosk's first screen, "Next available today at this location": the soonest open times of
// the walk-in visit types at the kiosk's location (booking.Service.WalkInTimes). A time tapped
// there is held for its visit type, and the reason is asked next (kiosk_book.go): no details and
// no booking before it is triaged.

// showKioskStart is the first screen: the next open times today at the kiosk's location.
func (s *Server) showKioskStart(c echo.Context) error {
	w := wizard(c)
	if pickedType(w) != "" {
		// Back at the start with a time tapped and no reason given: the start is a fresh
		// choice, so the held time goes (and "something else" offers every reason again).
		if err := s.setPrefs(c, w, booking.Preferences{}); err != nil {
			return err
		}
		if err := s.save(c, w); err != nil {
			return err
		}
	}
	walk, err := s.svc.WalkInTimes(c.Request().Context(), kioskOf(c).Location, sessionID(c), kiosk.MaxNext)
	if err != nil {
		return err
	}
	notice, err := s.kioskNotice(c, w)
	if err != nil {
		return err
	}
	p := kiosk.NewNextPage(s.kioskPage(c, kiosk.ResetAfter), s.messages(c), s.clinic, walk, s.svc.Today(), s.refs.ref, notice)
	return s.render(c, http.StatusOK, kiosk.Next(p))
}

// kioskNotice is the notice for this screen, shown once.
func (s *Server) kioskNotice(c echo.Context, w *Wizard) (string, error) {
	if w.Notice == "" {
		return "", nil
	}
	notice := s.messages(c).Problem(w.Notice, http.StatusConflict)
	w.Notice = ""
	return notice, s.save(c, w)
}

// pickKioskTime holds a time tapped on the first screen, for its walk-in visit type, and asks
// what brings the person in: nothing is booked before the reason is triaged.
func (s *Server) pickKioskTime(c echo.Context) error {
	w := wizard(c)
	vt, ok := s.clinic.WalkInType(c.FormValue("visit_type"))
	if !ok {
		return booking.Invalid("visit_type", booking.MsgVisitTypeUnknown)
	}
	prefs := booking.Preferences{VisitType: vt.Code, Locations: []string{kioskOf(c).Location}}
	if err := s.setPrefs(c, w, prefs.WithDefaultDates(s.svc.Today())); err != nil {
		return err
	}
	w.Urgent, w.Pending = booking.Urgency{}, nil
	// The first screen's times were this person's search: counted once they act on it (an
	// idle kiosk showing its start is nobody's search).
	s.svc.CountSearch(c.Request().Context(), sessionID(c), w.Prefs, 1)
	if err := s.holdKiosk(c, w); err != nil {
		return err
	}
	if w.Held == nil {
		return redirect(c, pathKiosk)
	}
	return redirect(c, pathKioskReason)
}

// showKioskReason asks why the person needs to be seen: among the reasons of the visit type
// whose time they tapped, or the common ones.
func (s *Server) showKioskReason(c echo.Context) error {
	w := wizard(c)
	p := kiosk.NewStartPage(s.kioskPage(c, kiosk.ResetAfter), s.messages(c), s.clinic, pickedType(w), w.Prefs.ReasonText, nil)
	return s.render(c, http.StatusOK, kiosk.Start(p))
}

// pickedType is the visit type of the time held from the first screen while no reason is
// given yet, else "".
func pickedType(w *Wizard) string {
	if w.Held != nil && !w.Prefs.HasReason() {
		return w.Prefs.VisitType
	}
	return ""
}
