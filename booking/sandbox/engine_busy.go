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
	recs  []busyRec
	ids   []byte // slot IDs being built
	ends  []int
}

// maxKeep is the largest buffer (in elements) kept for reuse.
const maxKeep = 1 << 18

func (sc *scratch) keep(cands []candidate, b busyIndex) {
	sc.cands = keepSmall(cands)
	if b.off != nil { // an empty busy list built no index: keep the old buffers
		sc.off, sc.ivs = keepSmall(b.off), keepSmall(b.ivs)
	}
	sc.recs = keepSmall(sc.recs)
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
	// First pass: resolve and clip each interval once, and count the bucket sizes.
	recs := slices.Grow(sc.recs[:0], len(busy))
	nb := len(e.provs) * b.days
	b.off = slices.Grow(sc.off[:0], nb+1)[:nb+1]
	clear(b.off)
	n := int32(0)
	for _, bz := range busy {
		pi, ok := e.provByID[bz.ProviderID]
		s, end := max(bz.Start.Unix(), lo), min(ceilUnix(bz.End), hi)
		if !ok || end <= s {
			continue
		}
		r := busyRec{busyIv{s, end}, int32(pi*b.days) + int32((s-lo)/86400), int32(pi*b.days) + int32((end-1-lo)/86400)}
		recs = append(recs, r)
		for k := r.k0; k <= r.k1; k++ {
			b.off[k]++
		}
		n += r.k1 - r.k0 + 1
	}
	sc.recs = recs
	for k := 1; k < nb; k++ { // off[k] = end of bucket k
		b.off[k] += b.off[k-1]
	}
	b.off[nb] = n
	// Second pass: fill each bucket from its end down, using off as the cursor; when done,
	// off[k] is the start of bucket k and off[k+1] its end.
	b.ivs = slices.Grow(sc.ivs[:0], int(n))[:n]
	for _, r := range recs {
		for k := r.k0; k <= r.k1; k++ {
			b.off[k]--
			b.ivs[b.off[k]] = r.iv
		}
	}
	return b
}

// busyRec is a resolved Busy: its clipped interval and its first and last bucket.
type busyRec struct {
	iv     busyIv
	k0, k1 int32
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
