package sandbox

import (
	"time"

	"doorway/booking/clinicfile"
)

// The schedule is kept in local clock minutes (0..1440) on civil day numbers (days since
// 1970-01-01), because templates are written in clock time and must stay at 8:00 local on
// both sides of a DST change. Instants are computed only when a slot is emitted.

// span is a half-open range of local clock minutes [start, end).
type span struct{ start, end int }

func (s span) overlaps(o span) bool { return s.start < o.end && o.start < s.end }

// subtract returns spans minus cut. It never modifies spans, which may be shared precomputed
// data.
func subtract(spans []span, cut span) []span {
	out := make([]span, 0, len(spans)+1)
	for _, s := range spans {
		if !s.overlaps(cut) {
			out = append(out, s)
			continue
		}
		if s.start < cut.start {
			out = append(out, span{s.start, cut.start})
		}
		if cut.end < s.end {
			out = append(out, span{cut.end, s.end})
		}
	}
	return out
}

// clockSpan reads a start/end pair of clock times (checked by the clinic file).
func clockSpan(start, end string) (span, bool) {
	s, ok1 := clinicfile.ParseClock(start)
	e, ok2 := clinicfile.ParseClock(end)
	return span{s, e}, ok1 && ok2 && s < e
}

// dayNumber is the civil date y-m-d as days since 1970-01-01.
func dayNumber(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// localDay is the civil day number of instant t in zone.
func localDay(t time.Time, zone *time.Location) int32 {
	return dayNumber(t.In(zone).Date())
}

// dayWeekday is the weekday of a day number (1970-01-01 was a Thursday).
func dayWeekday(day int32) time.Weekday { return time.Weekday((int(day)%7 + 11) % 7) }

// dayDate is the civil date of a day number.
func dayDate(day int32) (int, time.Month, int) {
	return time.Unix(int64(day)*86400, 0).UTC().Date()
}

// parseDate reads "2006-01-02" as a day number.
func parseDate(s string) (int32, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return dayNumber(t.Date()), true
}

// zoneDay turns local clock minutes of one civil day in one zone into instants. On the
// common day with one UTC offset that is arithmetic; on a DST-change day it falls back to
// time.Date, so clock times keep time.Date's meaning on both sides of the change.
type zoneDay struct {
	zone      *time.Location
	y, d      int
	m         time.Month
	base      int64 // unix seconds of local 00:00 when the offset is constant all day
	irregular bool  // the UTC offset changes during this day
}

func newZoneDay(zone *time.Location, day int32) zoneDay {
	y, m, d := dayDate(day)
	_, o0 := time.Date(y, m, d, 0, 0, 0, 0, zone).Zone()
	_, o1 := time.Date(y, m, d, 23, 59, 59, 0, zone).Zone()
	return zoneDay{zone: zone, y: y, m: m, d: d, base: int64(day)*86400 - int64(o0), irregular: o0 != o1}
}

// instant is the unix time of local clock minute m and the local minute it really names
// (they differ only inside a spring-forward gap).
func (z *zoneDay) instant(m int) (int64, int) {
	if !z.irregular {
		return z.base + int64(m)*60, m
	}
	t := time.Date(z.y, z.m, z.d, m/60, m%60, 0, 0, z.zone)
	return t.Unix(), t.Hour()*60 + t.Minute()
}

// midnight is the unix time at which this local day starts.
func (z *zoneDay) midnight() int64 {
	if !z.irregular {
		return z.base
	}
	return time.Date(z.y, z.m, z.d, 0, 0, 0, 0, z.zone).Unix()
}

// bandBit is the bit of the time-of-day band of local minute m (booking.BandOf's rule).
func bandBit(m int) uint8 {
	switch {
	case m < 12*60:
		return 1
	case m < 17*60:
		return 2
	default:
		return 4
	}
}

const allBands uint8 = 7
