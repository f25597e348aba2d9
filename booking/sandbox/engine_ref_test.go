package sandbox

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
)

// referenceOpen is a slow, obviously-correct Open for the property tests to compare with: it
// marks every free minute of every template day in a bitmap and walks the grid with
// time.Date, sharing no code with the engine's fast path (it does share the window rules,
// spelt out again here).
func referenceOpen(def *clinicfile.File, q booking.SlotQuery, busy []Busy, now time.Time) []booking.Slot {
	from, to := q.Start, q.End
	if from.IsZero() {
		from = now
	}
	if to.IsZero() {
		to = from.Add(DefaultWindow)
	}
	if to.Sub(from) > booking.MaxWindow {
		to = from.Add(booking.MaxWindow)
	}
	from = laterOf(from, now)
	to = earlierOf(to, now.Add(time.Duration(def.HorizonDays+ScheduleAheadDays)*24*time.Hour))
	allowed := refVisitTypes(def, q)
	var out []booking.Slot
	for _, tp := range def.Templates {
		prov, _ := def.Provider(tp.Provider)
		loc, _ := def.Location(tp.Location)
		zone := loc.Zone()
		first := from.In(zone)
		for i := -1; ; i++ {
			date := time.Date(first.Year(), first.Month(), first.Day()+i, 0, 0, 0, 0, zone)
			if !date.Before(to.Add(24 * time.Hour)) {
				break
			}
			free := refFreeMinutes(def, tp, date)
			for _, vt := range def.VisitTypes {
				if !allowed[vt.Code] || !vt.OfferedBy(prov.ID) {
					continue
				}
				step := cmp.Or(def.SlotStepMinutes, vt.Minutes)
				for _, run := range refRuns(free) {
					for m := run[0]; m+vt.Minutes <= run[1]; m += step {
						y, mo, d := date.Date()
						st := time.Date(y, mo, d, m/60, m%60, 0, 0, zone)
						end := time.Date(y, mo, d, (m+vt.Minutes)/60, (m+vt.Minutes)%60, 0, 0, zone)
						if st.Hour()*60+st.Minute() != m || end.Sub(st) != vt.Duration() {
							continue // inside a DST gap, or crossing the change
						}
						s := booking.Slot{
							ID: SlotID(prov.ID, loc.ID, st, vt.Minutes, vt.Code), Start: st.UTC(), Minutes: vt.Minutes,
							Reason:   cmp.Or(vt.Name.String(), vt.Code),
							Provider: booking.ProviderRef{ID: prov.ID, IDType: prov.IDType, FirstName: prov.FirstName, LastName: prov.LastName, Credentials: prov.Credentials},
							Location: booking.LocationRef{ID: loc.ID, Type: LocationType, Facility: loc.Facility, Department: loc.Department},
						}
						if st.Before(from) || !st.Before(to) || !q.Matches(s, zone) || refBusy(busy, s) {
							continue
						}
						out = append(out, s)
					}
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b booking.Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Provider.ID, b.Provider.ID),
			cmp.Compare(a.Location.ID, b.Location.ID), cmp.Compare(refVTIndex(def, a), refVTIndex(def, b)))
	})
	return out
}

func refVTIndex(def *clinicfile.File, s booking.Slot) int {
	return slices.IndexFunc(def.VisitTypes, func(v booking.VisitType) bool { return strings.HasSuffix(s.ID, "-"+v.Code) })
}

// refVisitTypes applies Open's documented precedence: VisitType, else Reasons, else every
// self-bookable type; red flags give nothing; Minutes keeps types at least that long.
func refVisitTypes(def *clinicfile.File, q booking.SlotQuery) map[string]bool {
	var fromReasons []string
	for _, r := range q.Reasons {
		r = strings.TrimSpace(r)
		i := slices.IndexFunc(def.Reasons, func(x booking.Reason) bool {
			return strings.EqualFold(x.ID, r) || strings.EqualFold(x.Label.String(), r)
		})
		if i >= 0 && def.Reasons[i].RedFlag {
			return nil
		}
		if i >= 0 {
			fromReasons = append(fromReasons, def.Reasons[i].VisitTypes...)
		} else if j := refFindVT(def, r, r); j >= 0 {
			fromReasons = append(fromReasons, def.VisitTypes[j].Code)
		}
	}
	var codes []string
	switch {
	case q.VisitType.Code != "" || q.VisitType.Description != "":
		if j := refFindVT(def, q.VisitType.Code, q.VisitType.Description); j >= 0 {
			codes = []string{def.VisitTypes[j].Code}
		}
	case fromReasons != nil:
		codes = fromReasons
	default:
		for _, v := range def.VisitTypes {
			if v.SelfBook {
				codes = append(codes, v.Code)
			}
		}
	}
	ok := map[string]bool{}
	for _, c := range codes {
		if v, _ := def.VisitType(c); v.Minutes >= q.Minutes {
			ok[c] = true
		}
	}
	return ok
}

func refFindVT(def *clinicfile.File, code, desc string) int {
	if i := slices.IndexFunc(def.VisitTypes, func(v booking.VisitType) bool { return code != "" && strings.EqualFold(v.Code, code) }); i >= 0 {
		return i
	}
	return slices.IndexFunc(def.VisitTypes, func(v booking.VisitType) bool { return desc != "" && strings.EqualFold(v.Name.String(), desc) })
}

// refFreeMinutes marks the free minutes of template tp on date (local midnight).
func refFreeMinutes(def *clinicfile.File, tp clinicfile.Template, date time.Time) *[1440]bool {
	var free [1440]bool
	ds := date.Format(time.DateOnly)
	if !slices.ContainsFunc(tp.Days, func(d string) bool { return strings.EqualFold(d[:3], date.Weekday().String()[:3]) }) {
		return &free
	}
	for _, h := range def.Holidays {
		if h.Date == ds && (h.Location == "" || h.Location == tp.Location) {
			return &free
		}
	}
	set := func(start, end string, v bool) {
		s, e := refClock(start), refClock(end)
		for m := s; m < e; m++ {
			free[m] = v
		}
	}
	set(tp.Start, tp.End, true)
	for _, b := range tp.Breaks {
		set(b.Start, b.End, false)
	}
	for _, b := range def.Blocks {
		if (b.Provider != "" && b.Provider != tp.Provider) || (b.Location != "" && b.Location != tp.Location) ||
			(b.From != "" && ds < b.From) || (b.Until != "" && ds > b.Until) {
			continue
		}
		if len(b.Days) == 0 || slices.ContainsFunc(b.Days, func(d string) bool { return strings.EqualFold(d[:3], date.Weekday().String()[:3]) }) {
			set(b.Start, b.End, false)
		}
	}
	return &free
}

func refClock(s string) int {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 1440
		}
		panic(s)
	}
	return t.Hour()*60 + t.Minute()
}

// refRuns lists the maximal runs [start, end) of free minutes.
func refRuns(free *[1440]bool) [][2]int {
	var runs [][2]int
	for m := 0; m < 1440; m++ {
		if free[m] && (m == 0 || !free[m-1]) {
			runs = append(runs, [2]int{m, m})
		}
		if free[m] {
			runs[len(runs)-1][1] = m + 1
		}
	}
	return runs
}

// refBusy reports whether s overlaps a Busy of its provider.
func refBusy(busy []Busy, s booking.Slot) bool {
	return slices.ContainsFunc(busy, func(b Busy) bool {
		return b.ProviderID == s.Provider.ID && b.Start.Before(s.End()) && s.Start.Before(b.End)
	})
}
