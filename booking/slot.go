package booking

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Band is a time-of-day preference, evaluated in the slot's location time zone:
// Morning before 12:00, Afternoon 12:00-17:00, Evening from 17:00.
type Band string

// Time-of-day bands; the wire values are these names (REDOX-SCHEDULING §S).
const (
	Morning   Band = "Morning"
	Afternoon Band = "Afternoon"
	Evening   Band = "Evening"
)

// Bands lists the bands in day order.
var Bands = []Band{Morning, Afternoon, Evening}

// BandOf returns the band that local clock time t falls in.
func BandOf(t time.Time) Band {
	switch h := t.Hour(); {
	case h < 12:
		return Morning
	case h < 17:
		return Afternoon
	default:
		return Evening
	}
}

// ParseBand accepts a band name in any case.
func ParseBand(s string) (Band, bool) {
	for _, b := range Bands {
		if strings.EqualFold(s, string(b)) {
			return b, true
		}
	}
	return "", false
}

// ParseWeekday accepts "Monday", "monday", "Mon" or "mon".
func ParseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 3 {
		return 0, false
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || s == name[:3] {
			return d, true
		}
	}
	return 0, false
}

// ProviderRef names a provider the way Redox does: an ID with its type, plus display fields
// the EHR may send along.
type ProviderRef struct {
	ID          string
	IDType      string
	FirstName   string
	LastName    string
	Credentials []string
}

// LocationRef names a location the way Redox does.
type LocationRef struct {
	ID         string // seed Locations[].ID
	Type       string
	Facility   string
	Department string
	Room       string
}

// Identifier is a patient identifier (MRN and the like).
type Identifier struct {
	ID     string
	IDType string
}

// SlotQuery is one search for open times: the whole of the patient's choice, sent to the EHR
// as one Scheduling.AvailableSlots query and enforced again on what comes back.
type SlotQuery struct {
	Start, End time.Time // the window, UTC instants; End exclusive
	Reasons    []string  // patient-friendly reasons (Visit.Reasons)
	VisitType  Coded     // Visit.VisitType
	Minutes    int       // VisitPreference Duration in minutes; 0 = any
	Days       []time.Weekday
	Bands      []Band
	Providers  []ProviderRef // any of these; empty = any provider
	Locations  []LocationRef // any of these; empty = any location
	Patient    []Identifier  // when known
	// FromDate and ToDate are the clinic-local dates (YYYY-MM-DD) the window was built for:
	// a slot counts when its date at its own location is one of them. Not sent to the EHR
	// (the window covers every searched zone's days); empty for a plain window.
	FromDate, ToDate string
}

// OnDates reports whether s, at location loc, falls on the query's clinic-local dates.
func (q SlotQuery) OnDates(s Slot, zone *time.Location) bool {
	if q.FromDate == "" {
		return true
	}
	var buf [len(time.DateOnly)]byte // no allocation: this runs for every slot of an answer
	d := s.Start.In(zone).AppendFormat(buf[:0], time.DateOnly)
	return string(d) >= q.FromDate && string(d) <= q.ToDate
}

// MaxWindow bounds a search window; longer queries are refused. It is MaxSearchDays of
// clinic days plus a day either side, since those days' midnights in the zones searched
// stretch the window past MaxSearchDays*24 hours.
const MaxWindow = (MaxSearchDays + 2) * 24 * time.Hour

// Validate checks the window and vocabulary. A query that fails was built wrongly by a
// program (the preferences were checked before), so the detail is for its developer.
func (q SlotQuery) Validate() error {
	switch {
	case q.Start.IsZero():
		return Malformed("StartDateTime", "start of the search window is required")
	case !q.End.IsZero() && !q.End.After(q.Start):
		return Malformed("EndDateTime", "end of the search window must be after its start")
	case !q.End.IsZero() && q.End.Sub(q.Start) > MaxWindow:
		return Malformed("EndDateTime", "search window is longer than %d days", int(MaxWindow.Hours()/24))
	case q.Minutes < 0:
		return Malformed("Visit.VisitPreference.Duration", "duration must not be negative")
	}
	return nil
}

// Slot is one open time offered by the EHR.
type Slot struct {
	ID       string // the EHR's slot ID, when it has one
	Start    time.Time
	Minutes  int
	Reason   string // visit type / reason the slot is for
	Provider ProviderRef
	Location LocationRef
	// Booked marks a time already booked, which only the desk's search offers, to double-book
	// (RuleDoubleBook); the EHR never offers one.
	Booked bool `json:",omitzero"`
}

// End is when the slot finishes.
func (s Slot) End() time.Time { return s.Start.Add(time.Duration(s.Minutes) * time.Minute) }

// DoubleSeat ends the seat key of a double-book (Slot.SeatKey).
const DoubleSeat = "+2"

// SeatKey is the key the store's unique constraints guard for a hold or booking of s: Key for
// a time as the EHR offers it, Key+DoubleSeat for a double-book of a time already booked. One
// time thus takes the visit the EHR offered it for and one double-book beside it, no more:
// two clerks double-booking one time cannot both win, and a patient's hold, always on Key,
// never lands on a booked time.
func (s Slot) SeatKey() string {
	if s.Booked {
		return s.Key() + DoubleSeat
	}
	return s.Key()
}

// Key identifies the slot by what the hold's unique constraint is on: provider, location and
// start instant.
func (s Slot) Key() string {
	// Called for every slot of every search: strconv, not fmt.
	return s.Provider.ID + "|" + s.Location.Department + "|" + strconv.FormatInt(s.Start.Unix(), 10)
}

// Matches reports whether slot s satisfies q's preferences, evaluating weekdays and bands in
// zone (the slot location's time zone). The EHR may ignore preferences; Doorway does not.
func (q SlotQuery) Matches(s Slot, zone *time.Location) bool {
	if s.Start.Before(q.Start) || (!q.End.IsZero() && !s.Start.Before(q.End)) {
		return false
	}
	if q.Minutes > 0 && s.Minutes < q.Minutes {
		return false
	}
	local := s.Start.In(zone)
	if len(q.Days) > 0 && !slices.Contains(q.Days, local.Weekday()) {
		return false
	}
	if len(q.Bands) > 0 && !slices.Contains(q.Bands, BandOf(local)) {
		return false
	}
	if len(q.Providers) > 0 && !slices.ContainsFunc(q.Providers, func(p ProviderRef) bool {
		return p.ID == s.Provider.ID && (p.IDType == "" || s.Provider.IDType == "" || strings.EqualFold(p.IDType, s.Provider.IDType))
	}) {
		return false
	}
	if len(q.Locations) > 0 && !slices.ContainsFunc(q.Locations, func(l LocationRef) bool {
		return l.matches(s.Location)
	}) {
		return false
	}
	return true
}

// matches compares the fields the filter sets with the slot's location.
func (l LocationRef) matches(s LocationRef) bool {
	ok := false
	if l.ID != "" {
		if s.ID != "" && s.ID != l.ID {
			return false
		}
		ok = s.ID == l.ID
	}
	if l.Department != "" {
		if !strings.EqualFold(l.Department, s.Department) {
			return false
		}
		ok = true
	}
	if l.Facility != "" {
		if s.Facility != "" && !strings.EqualFold(l.Facility, s.Facility) {
			return false
		}
		ok = true
	}
	return ok
}
