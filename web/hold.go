package web

import (
	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views"
	"doorway/views/components"
)

// currentHold returns the session's live hold, renewing it while the patient is active.
// When it has expired the wizard forgets the time and saves a note for the open-times page;
// live is false and the caller redirects there.
func (s *Server) currentHold(c echo.Context, w *Wizard) (h booking.Hold, live bool, err error) {
	h, err = s.svc.CurrentHold(c.Request().Context(), sessionID(c))
	if booking.ErrorCode(err) == booking.CodeNotFound {
		w.Held, w.Notice = nil, "Your held time has ended, so we let it go. Please choose a time again: we've kept your other answers."
		return h, false, s.save(c, w)
	}
	return h, err == nil, err
}

// holdView describes a hold for the notice on the details and review pages.
func (s *Server) holdView(h booking.Hold) components.Hold {
	loc := s.locationOf(h.Slot.Location)
	local := h.Slot.Start.In(loc.Zone())
	left := max(h.ExpiresAt.Sub(s.svc.Now()), 0)
	return components.Hold{
		Clock: views.Clock(local), Day: views.Day(local), Zone: views.ZoneName(loc.Zone()),
		Minutes: int((left + 59e9) / 60e9), Seconds: int(left.Seconds()),
	}
}

// locationOf finds the catalogue location a slot or visit names, by id or by department.
func (s *Server) locationOf(ref booking.LocationRef) booking.Location {
	if l, ok := s.clinic.Location(ref.ID); ok {
		return l
	}
	if l, ok := s.clinic.LocationByDepartment(ref.Facility, ref.Department); ok {
		return l
	}
	return s.clinic.Locations[0]
}
