package booking

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// The kiosk's walk-in rules: which visit types its first screen offers ("Next available today
// at this location"), which times a walk-in is offered (today's, else the soonest other day's),
// and how a time picked before the reason still goes through triage.

// MaxWalkInTypes bounds the visit types the kiosk's first screen offers when the clinic file
// marks none walk_in: the kinds most reasons lead to.
const MaxWalkInTypes = 2

// WalkInTypes are the visit types the kiosk's first screen offers: the self-bookable ones the
// clinic file marks walk_in, in its order. When it marks none, the self-bookable types that
// are not for new patients only (a walk-in is asked nothing about that) which the most
// (non-red-flag) reasons lead to, at most MaxWalkInTypes, ties in the file's order: in most
// clinics the sick visit and the follow-up.
func (c *Clinic) WalkInTypes() []VisitType {
	var out []VisitType
	for _, v := range c.VisitTypes {
		if v.WalkIn && v.SelfBook {
			out = append(out, v)
		}
	}
	if len(out) > 0 {
		return out
	}
	uses := map[string]int{}
	for _, r := range c.Reasons {
		if !r.RedFlag {
			for _, code := range r.VisitTypes {
				uses[code]++
			}
		}
	}
	for _, v := range c.VisitTypes {
		if v.SelfBook && v.Patients != PatientsNew && uses[v.Code] > 0 {
			out = append(out, v)
		}
	}
	slices.SortStableFunc(out, func(a, b VisitType) int { return cmp.Compare(uses[b.Code], uses[a.Code]) })
	return out[:min(len(out), MaxWalkInTypes)]
}

// WalkInType returns walk-in visit type code, false when the first screen does not offer it.
func (c *Clinic) WalkInType(code string) (VisitType, bool) {
	types := c.WalkInTypes()
	i := slices.IndexFunc(types, func(v VisitType) bool { return v.Code == code })
	if i < 0 {
		return VisitType{}, false
	}
	return types[i], true
}

// ReasonsFor are the catalogue reasons (no red flags) that lead to visit type code, in the
// file's order: the kiosk asks "what brings you in?" among them after a time was picked.
func (c *Clinic) ReasonsFor(code string) []Reason {
	var out []Reason
	for _, r := range c.Reasons {
		if !r.RedFlag && slices.Contains(r.VisitTypes, code) {
			out = append(out, r)
		}
	}
	return out
}

// WithReasonForVisit records the reason of a walk-in who picked a time of p's visit type
// before saying why: the visit type (and so the held time) is kept when it fits the reason
// (a typed reason fits every self-bookable type); kept is false when it does not, and the
// reason then leads to its own visit types as WithReason does.
func (p Preferences) WithReasonForVisit(c *Clinic, r ReasonChoice) (_ Preferences, kept bool) {
	code := p.VisitType
	p = p.WithReason(c, r)
	if code == "" || !slices.ContainsFunc(c.VisitTypesFor(r.ID, SeenUnasked), func(v VisitType) bool { return v.Code == code }) {
		return p, false
	}
	return p.WithVisitType(c, code), true
}

// SoonestTimes picks the times a walk-in is offered from slots (earliest first): up to n of
// today's and tomorrow's when any is today (today is true), else up to n of the soonest other
// day's, so that "nothing today" can be said plainly beside them.
func (c *Clinic) SoonestTimes(slots []Slot, today time.Time, n int) (picked []Slot, isToday bool) {
	day := func(sl Slot) string { return sl.Start.In(c.LocationOf(sl.Location).Zone()).Format(time.DateOnly) }
	first := today.Format(time.DateOnly)
	second := today.AddDate(0, 0, 1).Format(time.DateOnly)
	isToday = slices.ContainsFunc(slots, func(sl Slot) bool { return day(sl) == first })
	for _, sl := range slots {
		if len(picked) == n {
			break
		}
		switch d := day(sl); {
		case isToday && (d == first || d == second):
			picked = append(picked, sl)
		case !isToday && d > first && (len(picked) == 0 || d == day(picked[0])):
			picked = append(picked, sl)
		}
	}
	return picked, isToday
}

// WalkIn is what the kiosk's first screen offers of one walk-in visit type.
type WalkIn struct {
	VisitType VisitType
	Slots     []Slot // SoonestTimes at the kiosk's location
	Today     bool   // Slots are today's (and tomorrow's); false: the soonest other day's, or none
}

// WalkInSearchDays is how far the first screen looks for the soonest other day.
const WalkInSearchDays = DefaultSearchDays

// WalkInTimes is the kiosk's first screen at location: for each walk-in visit type, up to n of
// its soonest open times (SoonestTimes), for sessionID (its own hold does not hide a time from
// it). These searches are the kiosk's own, not a person's: the funnel does not count them.
func (s *Service) WalkInTimes(ctx context.Context, location, sessionID string, n int) ([]WalkIn, error) {
	today := s.Today()
	var out []WalkIn
	for _, vt := range s.clinic.WalkInTypes() {
		p := Preferences{VisitType: vt.Code, Locations: []string{location}}.WithDefaultDates(today)
		if len(s.clinic.MatchProviders(p)) == 0 {
			continue // nobody offers it here
		}
		res, err := s.find(ctx, p, sessionID)
		if err != nil {
			return nil, err
		}
		w := WalkIn{VisitType: vt}
		w.Slots, w.Today = s.clinic.SoonestTimes(res.Slots, today, n)
		out = append(out, w)
	}
	return out, nil
}

// ValidateWalkIn checks the details a walk-in types on the kiosk: those of Validate, and a
// phone number always (the person leaves the clinic with a slip, not a confirmation page:
// the clinic must be able to call them); the email stays optional.
func (f PatientForm) ValidateWalkIn(today time.Time) (Patient, FieldErrors) {
	p, fe := f.Validate(today)
	if CleanText(f.Phone) == "" {
		fe["phone"] = MsgPhoneMissing
	}
	return p, fe
}
