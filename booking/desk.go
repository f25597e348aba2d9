package booking

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// The front desk's day: every provider of one location, what fills their day (visits, holds
// made online, blocks) and what is open, from Doorway's appointments and holds, the mirror of
// the EHR's notifications, and the EHR's own Booked answer when it comes in time.

// DeskStore is what the desk's views read of the store. Implemented by store.
type DeskStore interface {
	// AppointmentsBetween returns Doorway's appointments starting in [start, end).
	AppointmentsBetween(ctx context.Context, start, end time.Time) ([]Appointment, error)
	// HoldsBetween returns the live holds starting in [start, end).
	HoldsBetween(ctx context.Context, start, end, now time.Time) ([]Hold, error)
	// MirrorBetween returns the mirrored EHR visits, holds and blocks starting in [start, end).
	MirrorBetween(ctx context.Context, start, end time.Time) ([]MirrorVisit, error)
}

// MirrorVisit is one row of the EHR's schedule as its notifications told it (no PHI).
type MirrorVisit struct {
	VisitNumber, ProviderID, Department string
	Start, End                          time.Time
	Status                              Status
	Block                               bool
}

// Kinds of what fills a day.
const (
	DayVisit = "visit" // a patient's appointment
	DayHold  = "hold"  // a time being booked online right now
	DayBlock = "block" // the EHR's block or hold without a patient
	DayOpen  = "open"  // an open time
)

// DayItem is one thing in a provider's day.
type DayItem struct {
	Kind        string
	Start, End  time.Time
	VisitNumber string
	Patient     string // "First Last" of a visit (PHI: the desk's own screen only)
	VisitType   Coded
	Status      Status   // of a visit
	Override    Override // of a visit Doorway booked: the rules the desk bent
	Kiosk       string   // of a visit booked on a kiosk: the kiosk's name
	Doorway     bool     // a visit Doorway has (booked here, or followed here from the EHR), which the desk can open
	Slot        Slot     // of an open time
}

// DayColumn is one provider's day at the location.
type DayColumn struct {
	Provider Provider
	Items    []DayItem // by start
}

// Day is the desk's day view at one location.
type Day struct {
	Date     string // YYYY-MM-DD, the location's
	Location Location
	Columns  []DayColumn
	EHRStale bool // the EHR did not answer in time: visits are as Doorway and the mirror know them
}

// deskEHRWait bounds the desk's wait for the EHR's Booked answer.
const deskEHRWait = 2 * time.Second

// Day builds the day at location locationID (the first location when empty) on date
// (YYYY-MM-DD; today when empty).
func (s *Service) Day(ctx context.Context, date, locationID string) (Day, error) {
	desk, ok := s.appts.(DeskStore)
	if !ok {
		return Day{}, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "the desk's store is not wired"}
	}
	loc, ok := s.clinic.Location(locationID)
	if !ok {
		loc = s.clinic.Locations[0]
	}
	if date == "" {
		date = s.now().In(loc.Zone()).Format(time.DateOnly)
	}
	day, err := time.ParseInLocation(time.DateOnly, date, loc.Zone())
	if err != nil {
		return Day{}, Invalid("date", MsgFromFormat)
	}
	start, end := day, day.AddDate(0, 0, 1)
	out := Day{Date: date, Location: loc}
	index := map[string]int{}
	for _, p := range s.clinic.Providers {
		if p.WorksAt(loc.ID) {
			index[p.ID] = len(out.Columns)
			out.Columns = append(out.Columns, DayColumn{Provider: p})
		}
	}
	add := func(providerID, department string, it DayItem) {
		if department != "" && department != loc.Department {
			return
		}
		if i, ok := index[providerID]; ok {
			out.Columns[i].Items = append(out.Columns[i].Items, it)
		}
	}
	items, stale, err := s.scheduled(ctx, desk, BookedQuery{Start: start, End: end,
		Location: &LocationRef{Department: loc.Department, Facility: loc.Facility}})
	if err != nil {
		return Day{}, err
	}
	out.EHRStale = stale
	for _, it := range items {
		add(it.Provider.ID, it.Location.Department, it.DayItem)
	}
	holds, err := desk.HoldsBetween(ctx, start, end, s.now())
	if err != nil {
		return Day{}, err
	}
	for _, h := range holds {
		add(h.Slot.Provider.ID, h.Slot.Location.Department, DayItem{Kind: DayHold, Start: h.Slot.Start, End: h.Slot.End(), Slot: h.Slot})
	}
	// Open times, in steps of the shortest visit type (what fits most), one query for the day:
	// every open time the EHR has, the patients' rules lifted (a walk-in takes the next one).
	if vt, ok := s.shortestVisitType(); ok && !out.EHRStale {
		res, err := s.find(ctx, Preferences{VisitType: vt.Code, From: date, To: date, Locations: []string{loc.ID}}, "desk",
			RuleLeadTime, RuleHorizon, RuleSelfBook)
		if err == nil {
			for _, sl := range res.Slots {
				add(sl.Provider.ID, sl.Location.Department, DayItem{Kind: DayOpen, Start: sl.Start, End: sl.End(), Slot: sl})
			}
		}
	}
	for i := range out.Columns {
		slices.SortStableFunc(out.Columns[i].Items, dayOrder)
	}
	return out, nil
}

// dayOrder orders a day by start and, at one time, a double-book after the visit it joins.
// The sort is stable: two visits at one time are both listed, always in the same order.
func dayOrder(a, b DayItem) int {
	if c := cmp.Compare(a.Start.Unix(), b.Start.Unix()); c != 0 {
		return c
	}
	switch da, db := a.Override.Bent(RuleDoubleBook), b.Override.Bent(RuleDoubleBook); {
	case da && !db:
		return 1
	case db && !da:
		return -1
	}
	return 0
}

// placed is a visit or block with the provider and location whose time it fills.
type placed struct {
	DayItem
	Provider ProviderRef
	Location LocationRef
}

// scheduled is what fills q's window: Doorway's live appointments, the EHR's own list (Booked,
// waited for deskEHRWait; stale when it did not answer) for the visits booked by phone or
// elsewhere, and the mirror of its notifications, visits and blocks; each visit once.
func (s *Service) scheduled(ctx context.Context, desk DeskStore, q BookedQuery) (out []placed, stale bool, err error) {
	seen := map[string]bool{}
	appts, err := desk.AppointmentsBetween(ctx, q.Start, q.End)
	if err != nil {
		return nil, false, err
	}
	for _, a := range appts {
		if a.Status == StatusCanceled || a.Status == StatusFailed {
			continue
		}
		seen[a.VisitNumber] = true
		out = append(out, placed{DayItem{Kind: DayVisit, Start: a.Start, End: a.End(), VisitNumber: a.VisitNumber,
			Patient: a.Patient.FirstName + " " + a.Patient.LastName, VisitType: a.VisitType, Status: a.Status, Override: a.Override,
			Kiosk: a.Kiosk, Doorway: true},
			a.Provider, a.Location})
	}
	ectx, cancel := context.WithTimeout(ctx, deskEHRWait)
	booked, berr := s.ehr.Booked(ectx, q)
	cancel()
	for _, v := range booked.Visits {
		if seen[v.VisitNumber] || v.Status == StatusCanceled || v.Status == StatusNoShow {
			continue
		}
		seen[v.VisitNumber] = true
		out = append(out, placed{DayItem{Kind: DayVisit, Start: v.Start, End: v.End(), VisitNumber: v.VisitNumber,
			Patient: v.Patient.FirstName + " " + v.Patient.LastName, VisitType: v.VisitType, Status: v.Status}, v.Provider, v.Location})
	}
	mirror, err := desk.MirrorBetween(ctx, q.Start, q.End)
	if err != nil {
		return nil, false, err
	}
	for _, m := range mirror {
		if seen[m.VisitNumber] || m.Status == StatusCanceled || m.Status == StatusNoShow || m.Status == StatusFailed {
			continue
		}
		kind := DayVisit
		if m.Block {
			kind = DayBlock
		}
		out = append(out, placed{DayItem{Kind: kind, Start: m.Start, End: m.End, VisitNumber: m.VisitNumber, Status: m.Status},
			ProviderRef{ID: m.ProviderID}, LocationRef{Department: m.Department}})
	}
	return out, berr != nil, nil
}

// shortestVisitType is the shortest visit type, the desk's step for open times.
func (s *Service) shortestVisitType() (VisitType, bool) {
	var best VisitType
	for _, vt := range s.clinic.VisitTypes {
		if best.Code == "" || vt.Minutes < best.Minutes {
			best = vt
		}
	}
	return best, best.Code != ""
}
