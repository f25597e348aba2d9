package sandbox

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
)

// Open lists open slots satisfying q, earliest first (ties: provider id, location id, visit
// type catalogue order), at most limit of them (limit <= 0: DefaultLimit); incomplete is true
// when more existed.
//
// Open slots are the weekly templates minus breaks, blocks and holidays, cut on a grid (see
// Definition.SlotStepMinutes), minus any slot overlapping a Busy of its provider. Nothing
// starts before now or after the end of the schedule (see BookingWindow). Filters:
//   - window: slots start in [q.Start, q.End); no Start means now, no End means
//     DefaultWindow, longer windows are cut to booking.MaxWindow;
//   - visit type: q.VisitType (code, else description, any case) decides when it names one
//     (an unknown one matches nothing); otherwise q.Reasons that name a catalogue reason (id
//     or label) or a visit type give their visit types; otherwise every self-bookable type.
//     A red-flag reason returns no slots at all; free-text reasons do not restrict;
//   - q.Minutes keeps visit types at least that long; slot length is the visit type's;
//   - q.Providers by ID (IDType empty or NPI), q.Locations by every one of ID, Department,
//     Facility that is set; q.Days and q.Bands in the location's time zone.
func (e *Engine) Open(q booking.SlotQuery, busy []Busy, now time.Time, limit int) (slots []booking.Slot, incomplete bool) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	p, ok := e.plan(q, now)
	if !ok {
		return []booking.Slot{}, false
	}
	sc := e.scratch.Get().(*scratch)
	b := e.indexBusy(busy, &p, sc)
	cands := e.collect(&p, &b, limit, sc.cands[:0])
	slices.Sort(cands) // the packing makes numeric order Open's order
	n := min(len(cands), limit)
	slots = e.slots(&p, cands[:n], sc)
	incomplete = len(cands) > limit
	sc.keep(cands, b)
	e.scratch.Put(sc)
	return slots, incomplete
}

// candidate is a slot before it is materialised, packed into one integer so a query can
// collect and sort thousands cheaply: seconds after the window start (24 bits: 194 days, more
// than booking.MaxWindow), then the template (24 bits) and the visit type (16 bits) indices.
// Templates are in tie order, so numeric order is start, provider, location, visit type.
type candidate uint64

func (p *plan) candidate(start int64, tmpl, vt int) candidate {
	return candidate(uint64(start-p.from)<<40 | uint64(tmpl)<<16 | uint64(vt))
}

func (p *plan) start(c candidate) int64 { return p.from + int64(c>>40) }
func (c candidate) tmpl() int           { return int(c >> 16 & (1<<24 - 1)) }
func (c candidate) vt() int             { return int(c & (1<<16 - 1)) }

// plan is a query resolved against the catalogue.
type plan struct {
	from, to int64  // window [from, to) in unix seconds
	vtOK     []bool // visit types asked for
	tmpls    []int  // templates that can contribute
	zones    []bool // zones those templates are in
	days     clinicfile.Weekdays
	bands    uint8
}

func (e *Engine) plan(q booking.SlotQuery, now time.Time) (plan, bool) {
	start, end := q.Start, q.End
	if start.IsZero() {
		start = now
	}
	if end.IsZero() {
		end = start.Add(DefaultWindow)
	}
	if end.Sub(start) > booking.MaxWindow {
		end = start.Add(booking.MaxWindow)
	}
	earliest, latest := e.BookingWindow(now)
	p := plan{from: ceilUnix(laterOf(start, earliest)), to: ceilUnix(earlierOf(end, latest)), days: clinicfile.AllWeekdays, bands: allBands}
	vtOK, ok := e.visitTypes(q)
	if !ok || p.from >= p.to {
		return p, false
	}
	p.vtOK = vtOK
	if len(q.Days) > 0 {
		p.days = 0
		for _, d := range q.Days {
			p.days |= 1 << (d % 7)
		}
	}
	if len(q.Bands) > 0 {
		p.bands = 0
		for _, b := range q.Bands {
			switch b {
			case booking.Morning:
				p.bands |= 1
			case booking.Afternoon:
				p.bands |= 2
			case booking.Evening:
				p.bands |= 4
			}
		}
	}
	provOK, locOK := e.providerFilter(q.Providers), e.locationFilter(q.Locations)
	p.zones = make([]bool, len(e.zones))
	for i, t := range e.tmpls {
		if (provOK == nil || provOK[t.prov]) && (locOK == nil || locOK[t.loc]) && t.days&p.days != 0 &&
			slices.ContainsFunc(e.provs[t.prov].offers, func(v int) bool { return vtOK[v] }) {
			p.tmpls = append(p.tmpls, i)
			p.zones[e.locs[t.loc].zone] = true
		}
	}
	return p, len(p.tmpls) > 0 && p.bands != 0
}

// visitTypes resolves the visit types a query asks for; false means none can match.
func (e *Engine) visitTypes(q booking.SlotQuery) ([]bool, bool) {
	var fromReasons []int
	for _, r := range q.Reasons {
		key := strings.ToLower(strings.TrimSpace(r))
		if ri, ok := e.reasonByName[key]; ok {
			if e.reasons[ri].redFlag {
				return nil, false // never offer times for an emergency, whatever else was asked
			}
			fromReasons = append(fromReasons, e.reasons[ri].vts...)
		} else if vi, ok := e.visitTypeByName(key, key); ok {
			fromReasons = append(fromReasons, vi)
		}
	}
	vtOK, any := make([]bool, len(e.vts)), false
	mark := func(i int) {
		if e.vts[i].minutes >= q.Minutes {
			vtOK[i], any = true, true
		}
	}
	switch {
	case q.VisitType.Code != "" || q.VisitType.Description != "":
		vi, ok := e.visitTypeByName(strings.ToLower(q.VisitType.Code), strings.ToLower(q.VisitType.Description))
		if !ok {
			return nil, false
		}
		mark(vi)
	case fromReasons != nil:
		for _, vi := range fromReasons {
			mark(vi)
		}
	default:
		for i, v := range e.vts {
			if v.selfBook {
				mark(i)
			}
		}
	}
	return vtOK, any
}

func (e *Engine) visitTypeByName(code, desc string) (int, bool) {
	if i, ok := e.vtByCode[code]; ok && code != "" {
		return i, true
	}
	i, ok := e.vtByDesc[desc]
	return i, ok && desc != ""
}

// providerFilter marks the providers q.Providers names; nil means every provider.
func (e *Engine) providerFilter(refs []booking.ProviderRef) []bool {
	if len(refs) == 0 {
		return nil
	}
	ok := make([]bool, len(e.provs))
	for _, r := range refs {
		if i, found := e.provByID[strings.TrimSpace(r.ID)]; found && (r.IDType == "" || strings.EqualFold(r.IDType, e.provs[i].ref.IDType)) {
			ok[i] = true
		}
	}
	return ok
}

// locationFilter marks the locations q.Locations names; nil means every location. A ref
// must set at least one of ID, Department, Facility, and every one it sets must match
// (the same rule as booking.SlotQuery.Matches).
func (e *Engine) locationFilter(refs []booking.LocationRef) []bool {
	if len(refs) == 0 {
		return nil
	}
	ok := make([]bool, len(e.locs))
	for _, r := range refs {
		for i, l := range e.locs {
			if (r.ID != "" || r.Department != "" || r.Facility != "") &&
				(r.ID == "" || r.ID == l.ref.ID) &&
				(r.Department == "" || strings.EqualFold(r.Department, l.ref.Department)) &&
				(r.Facility == "" || strings.EqualFold(r.Facility, l.ref.Facility)) {
				ok[i] = true
			}
		}
	}
	return ok
}

// slots materialises candidates. All slot IDs are written into one buffer and converted to
// one string that the IDs slice, so an answer costs two allocations rather than one per slot.
func (e *Engine) slots(pl *plan, cands []candidate, sc *scratch) []booking.Slot {
	out := make([]booking.Slot, len(cands))
	buf, ends := slices.Grow(sc.ids[:0], 64*len(cands)), slices.Grow(sc.ends[:0], len(cands))
	for i, c := range cands {
		t := &e.tmpls[c.tmpl()]
		p, l, v := &e.provs[t.prov], &e.locs[t.loc], &e.vts[c.vt()]
		start := time.Unix(pl.start(c), 0).UTC()
		out[i] = booking.Slot{Start: start, Minutes: v.minutes, Reason: v.desc, Provider: p.ref, Location: l.ref}
		buf = appendSlotID(buf, p.ref.ID, l.ref.ID, start, v.minutes, v.code)
		ends = append(ends, len(buf))
	}
	ids := string(buf)
	from := 0
	for i, end := range ends {
		out[i].ID = ids[from:end]
		from = end
	}
	sc.ids, sc.ends = keepSmall(buf), keepSmall(ends)
	return out
}

// SlotID is the sandbox's stable slot identifier, "S-<npi>-<location>-<yyyymmddThhmmZ>-
// <minutes>-<visit type code>" (start in UTC): the same slot gets the same ID in every
// answer, and two visit types of the same length at the same time stay distinct.
func SlotID(providerID, locationID string, start time.Time, minutes int, visitType string) string {
	var buf [96]byte
	return string(appendSlotID(buf[:0], providerID, locationID, start, minutes, visitType))
}

func appendSlotID(b []byte, providerID, locationID string, start time.Time, minutes int, visitType string) []byte {
	b = append(b, "S-"...)
	b = append(append(b, providerID...), '-')
	b = append(append(b, locationID...), '-')
	y, mo, d := start.UTC().Date()
	h, mi, _ := start.UTC().Clock()
	b = appendDigits(b, y, 4)
	b = appendDigits(b, int(mo), 2)
	b = appendDigits(b, d, 2)
	b = appendDigits(append(b, 'T'), h, 2)
	b = append(appendDigits(b, mi, 2), 'Z')
	b = strconv.AppendInt(append(b, '-'), int64(minutes), 10)
	return append(append(b, '-'), visitType...)
}

// appendDigits appends n zero-padded to width digits (time.AppendFormat is slower and this
// runs once per slot).
func appendDigits(b []byte, n, width int) []byte {
	for w := width - 1; w >= 0; w-- {
		d := n
		for range w {
			d /= 10
		}
		b = append(b, byte('0'+d%10))
	}
	return b
}

// ceilUnix rounds t up to a whole second: slot starts are whole minutes, so a window edge
// with a fraction of a second still compares correctly.
func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierOf(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
