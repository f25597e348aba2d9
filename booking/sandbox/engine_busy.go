package sandbox

import "slices"

// busyIndex answers "does [s, e) overlap a provider's busy time?" in constant time per slot.
// Busy intervals are bucketed by provider and by day of the window with a counting sort:
// O(n) with no comparison sort, whatever order the caller's rows come in. An interval is
// put in every day bucket it touches, so a slot (at most 8 hours) looks at one or two
// small buckets.
type busyIndex struct {
	lo    int64    // start of day bucket 0, unix seconds
	days  int      // day buckets per provider
	off   []int32  // bucket k = provider*days + day holds ivs[off[k]:off[k+1]]
	ivs   []busyIv // intervals, clipped to the indexed span
	empty bool
}

type busyIv struct{ start, end int64 }

// maxVisitSeconds bounds how far outside the window a busy interval can still matter.
const maxVisitSeconds = 480 * 60

// scratch holds an Open call's buffers; Engine pools them. Buffers grown by one huge query
// are dropped rather than pinned.
type scratch struct {
	cands []candidate
	off   []int32
	ivs   []busyIv
	prov  []int32
	ids   []byte // slot IDs being built
	ends  []int
}

// maxKeep is the largest buffer (in elements) kept for reuse.
const maxKeep = 1 << 18

func (sc *scratch) keep(cands []candidate, b busyIndex) {
	sc.cands = keepSmall(cands)
	sc.off, sc.ivs = keepSmall(b.off), keepSmall(b.ivs)
	sc.prov = keepSmall(sc.prov)
}

func keepSmall[T any](s []T) []T {
	if cap(s) > maxKeep {
		return nil
	}
	return s[:0]
}

func (e *Engine) indexBusy(busy []Busy, p *plan, sc *scratch) busyIndex {
	lo, hi := p.from-maxVisitSeconds, p.to+maxVisitSeconds
	b := busyIndex{lo: lo, days: int((hi-lo)/86400) + 1, empty: len(busy) == 0}
	if b.empty {
		return b
	}
	day := func(u int64) int { return int((u - lo) / 86400) }
	prov := slices.Grow(sc.prov[:0], len(busy))[:len(busy)]
	sc.prov = prov
	nb := len(e.provs) * b.days
	b.off = slices.Grow(sc.off[:0], nb+1)[:nb+1]
	clear(b.off)
	n := int32(0)
	for i, bz := range busy {
		pi, ok := e.provByID[bz.ProviderID]
		s, end := max(bz.Start.Unix(), lo), min(ceilUnix(bz.End), hi)
		if !ok || end <= s {
			prov[i] = -1
			continue
		}
		prov[i] = int32(pi)
		for d := day(s); d <= day(end-1); d++ {
			b.off[pi*b.days+d]++
			n++
		}
	}
	for k := 1; k < nb; k++ { // off[k] = end of bucket k
		b.off[k] += b.off[k-1]
	}
	b.off[nb] = n
	b.ivs = slices.Grow(sc.ivs[:0], int(n))[:n]
	// Fill each bucket from its end down, using off as the cursor: when done, off[k] is the
	// start of bucket k and off[k+1] its end.
	for i, bz := range busy {
		pi := int(prov[i])
		if pi < 0 {
			continue
		}
		s, end := max(bz.Start.Unix(), lo), min(ceilUnix(bz.End), hi)
		for d := day(s); d <= day(end-1); d++ {
			k := pi*b.days + d
			b.off[k]--
			b.ivs[b.off[k]] = busyIv{s, end}
		}
	}
	return b
}

// overlaps reports whether [s, e) overlaps busy time of provider prov.
func (b *busyIndex) overlaps(prov int, s, e int64) bool {
	if b.empty {
		return false
	}
	d0 := max(int((s-b.lo)/86400), 0)
	d1 := min(int((e-1-b.lo)/86400), b.days-1)
	for k := prov*b.days + d0; k <= prov*b.days+d1; k++ {
		for _, iv := range b.ivs[b.off[k]:b.off[k+1]] {
			if iv.start < e && s < iv.end {
				return true
			}
		}
	}
	return false
}
