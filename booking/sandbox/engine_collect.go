package sandbox

import (
	"cmp"
	"math"
	"time"
)

// collect walks the window day by day and gathers candidates. It stops early once more than
// limit candidates start before the earliest moment a later day could begin: those are then
// certainly the first limit+1 slots, which is all Open needs.
func (e *Engine) collect(p *plan, b *busyIndex, limit int, cands []candidate) []candidate {
	dayLo, dayHi := maxDay, minDay
	from, last := time.Unix(p.from, 0), time.Unix(p.to-1, 0)
	for z, used := range p.zones {
		if used {
			dayLo = min(dayLo, localDay(from, e.zones[z]))
			dayHi = max(dayHi, localDay(last, e.zones[z]))
		}
	}
	zd := make([]zoneDay, len(e.zones))
	for day := dayLo; day <= dayHi; day++ {
		wd := dayWeekday(day)
		if p.days.Has(wd) {
			for z, used := range p.zones {
				if used {
					zd[z] = newZoneDay(e.zones[z], day)
				}
			}
			for _, ti := range p.tmpls {
				cands = e.collectTemplate(p, b, ti, day, wd, &zd[e.locs[e.tmpls[ti].loc].zone], cands)
			}
		}
		if len(cands) > limit && e.settled(p, cands, day, limit) {
			break
		}
	}
	return cands
}

// settled reports whether more than limit candidates start before the first local midnight
// after day in any zone in play; no slot of a later day can start earlier than that.
func (e *Engine) settled(p *plan, cands []candidate, day int32, limit int) bool {
	cut := int64(math.MaxInt64)
	for z, used := range p.zones {
		if used {
			next := newZoneDay(e.zones[z], day+1)
			cut = min(cut, next.midnight())
		}
	}
	n := 0
	for _, c := range cands {
		if p.start(c) < cut {
			n++
		}
	}
	return n > limit
}

// collectTemplate adds the open slots of one template on one local day.
func (e *Engine) collectTemplate(p *plan, b *busyIndex, ti int, day int32, wd time.Weekday, z *zoneDay, cands []candidate) []candidate {
	t := &e.tmpls[ti]
	if !t.days.Has(wd) {
		return cands
	}
	if _, closed := e.locs[t.loc].closed[day]; closed {
		return cands
	}
	free := t.free[wd]
	for i := range t.dated {
		if t.dated[i].on(day, wd) {
			free = subtract(free, t.dated[i].span)
		}
	}
	for _, vi := range e.provs[t.prov].offers {
		if !p.vtOK[vi] {
			continue
		}
		mins := e.vts[vi].minutes
		length := int64(mins) * 60
		step := cmp.Or(e.step, mins)
		for _, s := range free {
			for m := s.start; m+mins <= s.end; m += step {
				u, lm := z.instant(m)
				if u < p.from {
					continue
				}
				if u >= p.to {
					break
				}
				if z.irregular {
					// On a DST-change day skip clock times that do not exist and slots
					// whose wall-clock length differs from their real length.
					if end, _ := z.instant(m + mins); lm != m || end-u != length {
						continue
					}
				}
				if p.bands&bandBit(lm) == 0 || b.overlaps(t.prov, u, u+length) {
					continue
				}
				cands = append(cands, p.candidate(u, ti, vi))
			}
		}
	}
	return cands
}
