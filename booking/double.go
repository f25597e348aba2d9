package booking

import (
	"cmp"
	"context"
	"slices"
)

// Double-booking: staff who may override book a visit type that allows it (VisitType.
// DoubleBook) on a time already booked, beside the visit there. The desk's search offers the
// start of each visit a provider has, marked Booked; a hold and a booking of it take the
// time's second seat (Slot.SeatKey), never its first, so a patient can never hold it and two
// clerks cannot both double-book it.

// withBooked is open (q's open times, earliest first) with the times already booked that q's
// visit type may be double-booked on, in order: the start of each visit by a provider
// offering the visit type, as the desk's day knows them (scheduled), inside u's window, when
// the time is not open anyway, has no second visit yet (at the EHR or in a seat) and matches
// q. open is never modified (the search cache shares it).
func (s *Service) withBooked(ctx context.Context, q SlotQuery, open []Slot, u unavailable) ([]Slot, error) {
	vt, ok := s.clinic.VisitType(q.VisitType.Code)
	desk, isDesk := s.appts.(DeskStore)
	if !ok || !vt.DoubleBook || !isDesk {
		return open, nil
	}
	items, _, err := s.scheduled(ctx, desk, BookedQuery{Start: q.Start, End: queryEnd(q), Providers: q.Providers})
	if err != nil {
		return nil, err
	}
	visits := map[slotKey]int{}
	var booked []Slot
	for _, it := range items {
		p, known := s.clinic.Provider(it.Provider.ID)
		loc, here := s.clinic.LocationByDepartment("", it.Location.Department)
		if it.Kind != DayVisit || !known || !here || !vt.OfferedBy(p.ID) {
			continue
		}
		sl := Slot{Start: it.Start, Minutes: vt.Minutes, Reason: vt.Name.String(), Provider: p.Ref(), Location: loc.Ref(), Booked: true}
		visits[sl.key()]++
		booked = append(booked, sl)
	}
	for _, sl := range open {
		visits[sl.key()] = -1 // open: booked the ordinary way
	}
	booked = keepIf(s.clean(booked, q), func(sl Slot) bool {
		k := sl.key()
		return visits[k] == 1 && !u.seats[k] && !sl.Start.Before(u.earliest) && sl.Start.Before(u.latest)
	})
	if len(booked) == 0 {
		return open, nil
	}
	out := append(slices.Clone(open), booked...)
	slices.SortStableFunc(out, func(a, b Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Provider.ID, b.Provider.ID))
	})
	return out, nil
}
