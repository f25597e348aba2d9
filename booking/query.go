package booking

import (
	"slices"
	"time"
)

// Query turns the preferences into one search: the whole choice in one SlotQuery, so the EHR
// gets one AvailableSlots query carrying every preference. "Anyone" means anyone who offers
// the visit type: the EHR is told so, and held to it. The window runs from the first day's
// midnight to the day after the last in every searched location's zone.
func (p Preferences) Query(c *Clinic) (SlotQuery, error) {
	vt, ok := c.VisitType(p.VisitType)
	if !ok {
		return SlotQuery{}, Invalid("visit_type", MsgVisitTypeMissing)
	}
	from, err1 := time.Parse(time.DateOnly, p.From)
	to, err2 := time.Parse(time.DateOnly, p.To)
	if err1 != nil || err2 != nil {
		return SlotQuery{}, Invalid("from", MsgFromMissing)
	}
	q := SlotQuery{VisitType: vt.Coded(), Minutes: vt.Minutes, Days: p.Days, Bands: p.Bands,
		Reasons: []string{p.ReasonWords(c)}, FromDate: p.From, ToDate: p.To}
	locs := c.Locations
	if len(p.Locations) > 0 {
		locs = nil
		for _, id := range p.Locations {
			if l, ok := c.Location(id); ok {
				locs = append(locs, l)
				q.Locations = append(q.Locations, l.Ref())
			}
		}
	}
	q.Start, q.End = window(from, to, locs)
	ids := p.Providers
	if len(ids) == 0 {
		ids = vt.Providers
	}
	for _, id := range ids {
		if pr, ok := c.Provider(id); ok {
			q.Providers = append(q.Providers, pr.Ref())
		}
	}
	return q, nil
}

// window runs from the first day's midnight to the day after the last, in every searched
// location's zone: the widest of them, as UTC instants.
func window(from, to time.Time, locs []Location) (start, end time.Time) {
	for i, l := range locs {
		s := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, l.Zone())
		e := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, l.Zone())
		if i == 0 || s.Before(start) {
			start = s
		}
		if i == 0 || e.After(end) {
			end = e
		}
	}
	return start.UTC(), end.UTC()
}

// Widening is a one-tap way to find more times when none match.
type Widening string

// Widenings, in the order they are offered.
const (
	WidenDays      Widening = "days"      // any day of the week
	WidenBands     Widening = "bands"     // any time of day
	WidenProviders Widening = "providers" // any provider
	WidenLocations Widening = "locations" // any location
	WidenLater     Widening = "later"     // the next DefaultSearchDays days after these
)

// Widenings are the widenings that apply to p on the clinic's date today: each narrowing
// can be dropped, and a later search applies while it stays within MaxAheadDays, so "no open
// times" is a dead end only at the end of the bookable year.
func (p Preferences) Widenings(today time.Time) []Widening {
	var out []Widening
	if len(p.Days) > 0 {
		out = append(out, WidenDays)
	}
	if len(p.Bands) > 0 {
		out = append(out, WidenBands)
	}
	if len(p.Providers) > 0 {
		out = append(out, WidenProviders)
	}
	if len(p.Locations) > 0 {
		out = append(out, WidenLocations)
	}
	if _, err := p.later(today); err == nil {
		out = append(out, WidenLater)
	}
	return out
}

// later is p moved to the DefaultSearchDays days after its last day, refused past the year.
func (p Preferences) later(today time.Time) (Preferences, error) {
	to, err := time.Parse(time.DateOnly, p.To)
	if err != nil {
		return p, Invalid("widen", MsgWidenUnknown)
	}
	from := to.AddDate(0, 0, 1)
	if from.After(civil(today).AddDate(0, 0, MaxAheadDays)) {
		return p, Invalid("widen", MsgFromTooFar)
	}
	p.From, p.To = from.Format(time.DateOnly), to.AddDate(0, 0, DefaultSearchDays).Format(time.DateOnly)
	return p, nil
}

// Widen applies w on the clinic's date today.
func (p Preferences) Widen(w Widening, today time.Time) (Preferences, error) {
	switch w {
	case WidenDays:
		p.Days = nil
	case WidenBands:
		p.Bands = nil
	case WidenProviders:
		p.Providers = nil
	case WidenLocations:
		p.Locations = nil
	case WidenLater:
		return p.later(today)
	default:
		return p, Invalid("widen", MsgWidenUnknown)
	}
	return p, nil
}

// Focus narrows p to one provider (offering its visit type and allowed by its filters), one
// of its dates or one of its locations, for the views that show every time of one of them;
// false when the provider, date or location is not p's to narrow to.
func (p Preferences) Focus(c *Clinic, providerID, date, locationID string) (Preferences, bool) {
	if locationID != "" {
		if _, ok := c.Location(locationID); !ok || (len(p.Locations) > 0 && !slices.Contains(p.Locations, locationID)) {
			return p, false
		}
		p.Locations = []string{locationID}
	}
	if providerID != "" {
		vt, _ := c.VisitType(p.VisitType)
		if _, ok := c.Provider(providerID); !ok || !vt.OfferedBy(providerID) ||
			(len(p.Providers) > 0 && !slices.Contains(p.Providers, providerID)) {
			return p, false
		}
		p.Providers, p.Who, p.Specialty, p.Speaks = []string{providerID}, "", "", ""
	}
	if date != "" {
		if _, err := time.Parse(time.DateOnly, date); err != nil || date < p.From || date > p.To {
			return p, false
		}
		p.From, p.To = date, date
	}
	return p, true
}
