package clinicfile

import (
	"fmt"
	"time"

	"doorway/booking"
)

// problem is a validation failure at a path in the file; Parse places it on its line.
type problem struct {
	field, message string
}

func (p *problem) Error() string { return p.field + ": " + p.message }

func problemf(field, format string, args ...any) error {
	return &problem{field: field, message: fmt.Sprintf(format, args...)}
}

// ParseClock reads a 24-hour clock time "8:00" or "08:00" ("24:00" allowed as an end) as
// minutes after midnight.
func ParseClock(s string) (int, bool) {
	if len(s) == 4 {
		s = "0" + s
	}
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	var v [4]int
	for i, j := range []int{0, 1, 3, 4} {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		v[i] = int(c - '0')
	}
	h, m := v[0]*10+v[1], v[2]*10+v[3]
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// Weekdays is a set of weekdays, bit d for time.Weekday d.
type Weekdays uint8

// AllWeekdays is every day of the week.
const AllWeekdays Weekdays = 1<<7 - 1

// Has reports whether d is in the set.
func (w Weekdays) Has(d time.Weekday) bool { return w&(1<<d) != 0 }

// ParseWeekdays reads day names ("Monday", "Mon"); it returns the index of the first bad
// name, or -1.
func ParseWeekdays(days []string) (Weekdays, int) {
	var w Weekdays
	for i, s := range days {
		d, ok := booking.ParseWeekday(s)
		if !ok {
			return 0, i
		}
		w |= 1 << d
	}
	return w, -1
}

// span is a half-open range of local clock minutes [start, end).
type span struct{ start, end int }

// isDate reports whether s is a date like 2026-12-25.
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
