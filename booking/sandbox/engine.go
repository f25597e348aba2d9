package sandbox

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
)

// DefaultLimit caps the slots one Open call returns when the caller passes no limit; past it
// the answer is marked incomplete (Meta.IsIncomplete) and the patient narrows the search.
// 500 is about a week of the demo clinic with every provider and visit type.
const DefaultLimit = 500

// DefaultWindow is the search window when a query gives no end (EndDateTime is optional in
// AvailableSlots). Longer windows are cut to booking.MaxWindow.
const DefaultWindow = 14 * 24 * time.Hour

// ScheduleAheadDays is how far the EHR's schedule runs past the patients' booking horizon:
// clinics build templates months ahead, and the front desk books there with an override.
const ScheduleAheadDays = 90

// LocationType is the Location.Type of every slot: the sandbox models outpatient clinics.
const LocationType = "Clinic"

// Busy is time a provider is taken: booked visits, patient-less holds and blocks received in
// notifications. The engine only reads it; any order will do.
type Busy struct {
	ProviderID string
	Start, End time.Time
}

// Engine computes open slots from a Definition. It is immutable after NewEngine and safe for
// concurrent use: every weekly template is turned once into free stretches of local clock
// minutes per weekday, so a query only walks days, stretches and the visit grid.
type Engine struct {
	horizon      time.Duration
	step         int // grid step in minutes; 0 = the visit type's length
	zones        []*time.Location
	locs         []engLocation
	provs        []engProvider
	vts          []engVisitType
	tmpls        []engTemplate // ordered by provider id, location id, start: Open's tie order
	provByID     map[string]int
	vtByCode     map[string]int // lower-cased code
	vtByDesc     map[string]int // lower-cased description
	reasonByName map[string]int // lower-cased reason id and label, into reasons
	reasons      []engReason
	scratch      sync.Pool // *scratch buffers reused across queries to keep allocations flat
}

type engReason struct {
	redFlag bool
	vts     []int // visit types the reason maps to
}

type engLocation struct {
	ref    booking.LocationRef
	zone   int              // index into Engine.zones
	closed map[int32]string // holiday day numbers (clinic-wide ones included) -> name
}

type engProvider struct {
	ref    booking.ProviderRef
	name   string
	offers []int // visit types this provider offers, catalogue order
	tmpls  []int // this provider's templates
}

type engVisitType struct {
	code, desc string
	minutes    int
	selfBook   bool
	doubleBook bool // the clinic file's double_book: a scheduler may overbook it
}

// engTemplate is one weekly template with its breaks and blocks already applied.
type engTemplate struct {
	prov, loc int
	days      clinicfile.Weekdays
	hours     span
	breaks    []span
	free      [7][]span   // hours minus breaks minus undated blocks, by weekday
	blocks    []blockRule // every block that applies to this template (for Check)
	dated     []blockRule // blocks with from/until, applied per day by Open
}

// blockRule is a Block resolved to day numbers and minutes.
type blockRule struct {
	days        clinicfile.Weekdays
	span        span
	from, until int32 // inclusive day numbers
	reason      string
}

func (b *blockRule) on(day int32, wd time.Weekday) bool {
	return b.days.Has(wd) && day >= b.from && day <= b.until
}

// NewEngine precomputes the weekly schedule of def, which must have passed Validate
// (ParseDefinition does that); entries that do not parse are skipped.
func NewEngine(def *clinicfile.File) *Engine {
	e := &Engine{
		horizon:      time.Duration(cmp.Or(def.HorizonDays, clinicfile.DefaultHorizonDays)+ScheduleAheadDays) * 24 * time.Hour,
		step:         def.SlotStepMinutes,
		provByID:     map[string]int{},
		vtByCode:     map[string]int{},
		vtByDesc:     map[string]int{},
		reasonByName: map[string]int{},
	}
	e.scratch.New = func() any { return new(scratch) }
	locByID := map[string]int{}
	zoneByName := map[string]int{}
	for i, l := range def.Locations {
		z, ok := zoneByName[l.TimeZone]
		if !ok {
			z = len(e.zones)
			zoneByName[l.TimeZone] = z
			e.zones = append(e.zones, l.Zone())
		}
		locByID[l.ID] = i
		e.locs = append(e.locs, engLocation{
			ref:    booking.LocationRef{ID: l.ID, Type: LocationType, Facility: l.Facility, Department: l.Department},
			zone:   z,
			closed: map[int32]string{},
		})
	}
	for _, h := range def.Holidays {
		day, ok := parseDate(h.Date)
		for i := range e.locs {
			if ok && (h.Location == "" || h.Location == e.locs[i].ref.ID) {
				e.locs[i].closed[day] = cmp.Or(h.Name, "holiday")
			}
		}
	}
	for i, v := range def.VisitTypes {
		e.vts = append(e.vts, engVisitType{code: v.Code, desc: cmp.Or(v.Name.String(), v.Code), minutes: v.Minutes, selfBook: v.SelfBook,
			doubleBook: v.DoubleBook})
		e.vtByCode[strings.ToLower(v.Code)] = i
		for _, name := range v.Name {
			e.vtByDesc[strings.ToLower(name)] = i
		}
	}
	for i, r := range def.Reasons {
		er := engReason{redFlag: r.RedFlag}
		for _, code := range r.VisitTypes {
			if j := slices.IndexFunc(def.VisitTypes, func(v booking.VisitType) bool { return v.Code == code }); j >= 0 {
				er.vts = append(er.vts, j)
			}
		}
		e.reasons = append(e.reasons, er)
		e.reasonByName[strings.ToLower(r.ID)] = i
		for _, label := range r.Label {
			e.reasonByName[strings.ToLower(label)] = i
		}
	}
	for i, p := range def.Providers {
		ep := engProvider{
			ref: booking.ProviderRef{ID: p.ID, IDType: cmp.Or(p.IDType, "NPI"), FirstName: p.FirstName,
				LastName: p.LastName, Credentials: slices.Clip(slices.Clone(p.Credentials))},
			name: p.DisplayName(),
		}
		for j, v := range def.VisitTypes {
			if v.OfferedBy(p.ID) {
				ep.offers = append(ep.offers, j)
			}
		}
		e.provs = append(e.provs, ep)
		e.provByID[p.ID] = i
	}
	e.buildTemplates(def, locByID)
	return e
}

// buildTemplates resolves templates and blocks and sorts templates into Open's tie order.
func (e *Engine) buildTemplates(def *clinicfile.File, locByID map[string]int) {
	for _, t := range def.Templates {
		pi, okP := e.provByID[t.Provider]
		li, okL := locByID[t.Location]
		days, bad := clinicfile.ParseWeekdays(t.Days)
		hours, ok := clockSpan(t.Start, t.End)
		if !okP || !okL || bad >= 0 || !ok {
			continue
		}
		et := engTemplate{prov: pi, loc: li, days: days, hours: hours}
		for _, b := range t.Breaks {
			if s, ok := clockSpan(b.Start, b.End); ok {
				et.breaks = append(et.breaks, s)
			}
		}
		for _, b := range def.Blocks {
			if (b.Provider == "" || b.Provider == t.Provider) && (b.Location == "" || b.Location == t.Location) {
				if r, ok := parseBlock(b); ok {
					et.blocks = append(et.blocks, r)
				}
			}
		}
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if !days.Has(wd) {
				continue
			}
			free := []span{hours}
			for _, b := range et.breaks {
				free = subtract(free, b)
			}
			for _, b := range et.blocks {
				if b.days.Has(wd) && b.from == minDay && b.until == maxDay {
					free = subtract(free, b.span)
				}
			}
			et.free[wd] = free
		}
		for _, b := range et.blocks {
			if b.from != minDay || b.until != maxDay {
				et.dated = append(et.dated, b)
			}
		}
		e.tmpls = append(e.tmpls, et)
	}
	slices.SortStableFunc(e.tmpls, func(a, b engTemplate) int {
		return cmp.Or(cmp.Compare(e.provs[a.prov].ref.ID, e.provs[b.prov].ref.ID),
			cmp.Compare(e.locs[a.loc].ref.ID, e.locs[b.loc].ref.ID), cmp.Compare(a.hours.start, b.hours.start))
	})
	for i, t := range e.tmpls {
		e.provs[t.prov].tmpls = append(e.provs[t.prov].tmpls, i)
	}
}

// Day-number bounds for blocks without from or until.
const (
	minDay int32 = -1 << 30
	maxDay int32 = 1 << 30
)

func parseBlock(b clinicfile.Block) (blockRule, bool) {
	s, ok := clockSpan(b.Start, b.End)
	days, bad := clinicfile.ParseWeekdays(b.Days)
	if !ok || bad >= 0 {
		return blockRule{}, false
	}
	r := blockRule{days: days, span: s, from: minDay, until: maxDay, reason: cmp.Or(b.Reason, "blocked")}
	if len(b.Days) == 0 {
		r.days = clinicfile.AllWeekdays
	}
	if d, ok := parseDate(b.From); ok {
		r.from = d
	}
	if d, ok := parseDate(b.Until); ok {
		r.until = d
	}
	return r, true
}

// DoubleBook reports whether the catalogue lets a scheduler book visit type vt (by code, or
// else by description) on a time already booked: the clinic file's double_book.
func (e *Engine) DoubleBook(vt booking.Coded) bool {
	i, ok := e.visitTypeByName(strings.ToLower(vt.Code), strings.ToLower(vt.Description))
	return ok && e.vts[i].doubleBook
}

// BookingWindow is the span in which slots may start at time now: from now until the end of
// the schedule (the patients' horizon plus ScheduleAheadDays). The lead time and the patients'
// horizon are the booking app's rules, as a real EHR leaves them to its self-scheduling front
// end: the front desk may book the next free minute. Check does not apply the window (it has
// no clock); callers do.
func (e *Engine) BookingWindow(now time.Time) (earliest, latest time.Time) {
	return now, now.Add(e.horizon)
}
