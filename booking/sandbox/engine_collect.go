package sandbox

import (
	"cmp"
	"math"
	"slices"
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
		if p.days.has(wd) {
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
		if c.start < cut {
			n++
		}
	}
	return n > limit
}

// collectTemplate adds the open slots of one template on one local day.
func (e *Engine) collectTemplate(p *plan, b *busyIndex, ti int, day int32, wd time.Weekday, z *zoneDay, cands []candidate) []candidate {
	t := &e.tmpls[ti]
	if !t.days.has(wd) {
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
	busy := b.of(t.prov)
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
				if p.bands&bandBit(lm) == 0 || busy.overlaps(u, u+length) {
					continue
				}
				cands = append(cands, candidate{start: u, tmpl: int32(ti), vt: int32(vi)})
			}
		}
	}
	return cands
}

// busyIndex holds the Busy list grouped by provider, each group sorted by start with a
// running maximum of ends, so one binary search answers "does [s, e) overlap anything?"
// even when busy intervals overlap each other.
type busyIndex struct {
	ivs []busyIv
	off []int // provider i's group is ivs[off[i]:off[i+1]]
}

type busyIv struct{ start, end, maxEnd int64 }

type busyList []busyIv

func (b *busyIndex) of(prov int) busyList {
	if b.off == nil {
		return nil
	}
	return b.ivs[b.off[prov]:b.off[prov+1]]
}

// overlaps reports whether [s, e) overlaps an interval of l.
func (l busyList) overlaps(s, e int64) bool {
	lo, hi := 0, len(l) // find the first interval starting at or after e
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if l[mid].start < e {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo > 0 && l[lo-1].maxEnd > s
}

// maxVisitSeconds bounds how far outside the window a busy interval can still matter.
const maxVisitSeconds = 480 * 60

// indexBusy groups busy by provider with a counting sort (O(n), and order-preserving, so an
// input already sorted by start needs no sorting at all). Busy of unknown providers, empty
// intervals and intervals nowhere near the window are dropped.
func (e *Engine) indexBusy(busy []Busy, p *plan) busyIndex {
	if len(busy) == 0 {
		return busyIndex{}
	}
	lo, hi := p.from-maxVisitSeconds, p.to+maxVisitSeconds
	prov := make([]int32, len(busy))
	off := make([]int, len(e.provs)+1)
	for i, bz := range busy {
		pi, ok := e.provByID[bz.ProviderID]
		if !ok || !bz.End.After(bz.Start) || bz.End.Unix() < lo || bz.Start.Unix() > hi {
			prov[i] = -1
			continue
		}
		prov[i] = int32(pi)
		off[pi+1]++
	}
	for i := 1; i < len(off); i++ {
		off[i] += off[i-1]
	}
	ivs := make([]busyIv, off[len(off)-1])
	next := slices.Clone(off)
	for i, bz := range busy {
		if pi := prov[i]; pi >= 0 {
			ivs[next[pi]] = busyIv{start: bz.Start.Unix(), end: ceilUnix(bz.End)}
			next[pi]++
		}
	}
	for pi := range e.provs {
		g := ivs[off[pi]:off[pi+1]]
		byStart := func(a, b busyIv) int { return cmp.Compare(a.start, b.start) }
		if !slices.IsSortedFunc(g, byStart) {
			slices.SortFunc(g, byStart)
		}
		var run int64 = math.MinInt64
		for k := range g {
			run = max(run, g[k].end)
			g[k].maxEnd = run
		}
	}
	return busyIndex{ivs: ivs, off: off}
}
