package sandbox

import (
	"strings"
	"time"

	"doorway/booking"
)

// Check reports whether [start, start+minutes) with providerID at the location with that
// Department is inside the provider's template time there and clear of breaks, blocks and
// holidays. It does not look at booked visits (the caller checks those against its database)
// nor at the booking window (see BookingWindow), and it does not require the slot
// grid: the front desk may book any free time. Errors are *booking.Error:
//   - CodeInvalid: bad duration, unknown provider or department, or the provider does not
//     work at that location;
//   - CodeOutsideWindow: a holiday, or outside the provider's hours (including breaks);
//   - CodeSlotTaken: the time is blocked (a meeting, admin time, leave).
func (e *Engine) Check(providerID, department string, start time.Time, minutes int) error {
	if minutes <= 0 || minutes > 480 {
		return booking.Malformed("Visit.Duration", "duration must be between 1 and 480 minutes")
	}
	pi, ok := e.provByID[providerID]
	if !ok {
		return booking.Malformed("Visit.AttendingProvider.ID", "unknown provider %q", providerID)
	}
	li := -1
	for i, l := range e.locs {
		if strings.EqualFold(l.ref.Department, department) {
			li = i
			break
		}
	}
	if li < 0 {
		return booking.Malformed("Visit.Location.Department", "unknown department %q", department)
	}
	p, l := &e.provs[pi], &e.locs[li]
	zone := e.zones[l.zone]
	ls, le := start.In(zone), start.Add(time.Duration(minutes)*time.Minute).In(zone)
	day := dayNumber(ls.Date())
	wd := ls.Weekday()
	from := ls.Hour()*60 + ls.Minute()
	to := le.Hour()*60 + le.Minute()
	if le.Second() > 0 || le.Nanosecond() > 0 {
		to++ // a visit ending at 12:00:30 runs into 12:00-12:01
	}
	if endDay := dayNumber(le.Date()); endDay != day {
		if endDay != day+1 || to != 0 {
			return ehrError(booking.CodeOutsideWindow, "A visit cannot run past midnight.")
		}
		to = 24 * 60
	}
	if name, closed := l.closed[day]; closed {
		return ehrError(booking.CodeOutsideWindow, "The clinic is closed on %s (%s).", ls.Format("Monday 2 January 2006"), name)
	}
	visit := span{from, to}
	works := false
	for _, ti := range p.tmpls {
		t := &e.tmpls[ti]
		if t.loc != li {
			continue
		}
		works = true
		if !t.days.Has(wd) || from < t.hours.start || to > t.hours.end || overlapsAny(t.breaks, visit) {
			continue
		}
		for _, b := range t.blocks {
			if b.on(day, wd) && b.span.overlaps(visit) {
				return ehrError(booking.CodeSlotTaken, "That time is blocked (%s).", b.reason)
			}
		}
		return nil
	}
	if !works {
		return booking.Malformed("Visit.Location", "%s does not see patients at %s", p.name, l.ref.Department)
	}
	return ehrError(booking.CodeOutsideWindow, "That time is outside %s's hours at %s.", p.name, l.ref.Department)
}

func overlapsAny(spans []span, s span) bool {
	for _, x := range spans {
		if x.overlaps(s) {
			return true
		}
	}
	return false
}
