package i18n

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"doorway/booking"
)

// join lists items as the language does: "a", "a and b", "a, b and c" with word "and".
func join(word string) func([]string) string {
	return func(items []string) string {
		switch len(items) {
		case 0:
			return ""
		case 1:
			return items[0]
		}
		return strings.Join(items[:len(items)-1], ", ") + " " + word + " " + items[len(items)-1]
	}
}

// usZone maps the IANA zones US clinics use to the zone name patients know, in one language.
func usZone(names map[string]string, fallback func(string) string) func(string) string {
	byZone := map[string]string{
		"America/New_York": "eastern", "America/Detroit": "eastern", "America/Indiana/Indianapolis": "eastern",
		"America/Kentucky/Louisville": "eastern", "America/Chicago": "central", "America/Indiana/Knox": "central",
		"America/Menominee": "central", "America/North_Dakota/Center": "central", "America/Denver": "mountain",
		"America/Boise": "mountain", "America/Phoenix": "arizona", "America/Los_Angeles": "pacific",
		"America/Anchorage": "alaska", "Pacific/Honolulu": "hawaii", "America/Puerto_Rico": "atlantic",
		"Europe/London": "uk", "UTC": "utc",
	}
	return func(iana string) string {
		if n, ok := names[byZone[iana]]; ok {
			return n
		}
		return fallback(strings.ReplaceAll(iana, "_", " "))
	}
}

// clock12 is "9:30" on a 12-hour clock, and whether it is after noon.
func clock12(t time.Time) (string, bool) {
	h := t.Hour() % 12
	if h == 0 {
		h = 12
	}
	return strconv.Itoa(h) + ":" + t.Format("04"), t.Hour() >= 12
}

// hoursMinutes is a visit length from its parts in one language.
func hoursMinutes(n int, hour, hours, minute, minutes, and string) string {
	h, m := n/60, n%60
	var parts []string
	switch {
	case h == 1:
		parts = append(parts, "1 "+hour)
	case h > 1:
		parts = append(parts, strconv.Itoa(h)+" "+hours)
	}
	switch {
	case m == 1:
		parts = append(parts, "1 "+minute)
	case m > 1 || h == 0:
		parts = append(parts, strconv.Itoa(m)+" "+minutes)
	}
	return strings.Join(parts, and)
}

// weekOrder is days in the order of a week starting on Monday.
func weekOrder(days []time.Weekday) []time.Weekday {
	var out []time.Weekday
	for d := time.Monday; d <= time.Monday+6; d++ {
		if slices.Contains(days, d%7) {
			out = append(out, d%7)
		}
	}
	return out
}

// bandOrder is bands in the order of a day.
func bandOrder(bands []booking.Band) []booking.Band {
	var out []booking.Band
	for _, b := range booking.Bands {
		if slices.Contains(bands, b) {
			out = append(out, b)
		}
	}
	return out
}
