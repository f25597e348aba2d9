package views

import (
	"fmt"
	"strings"
	"time"
)

// Day formats a clinic-local date the way people say it: "Tuesday 4 March".
func Day(t time.Time) string { return t.Format("Monday 2 January") }

// DayYear is Day with the year: "Tuesday 4 March 2026".
func DayYear(t time.Time) string { return t.Format("Monday 2 January 2006") }

// ShortDay is "Tue 4 Mar", for compact summaries.
func ShortDay(t time.Time) string { return t.Format("Mon 2 Jan") }

// Clock formats a clinic-local clock time: "9:30 am".
func Clock(t time.Time) string { return t.Format("3:04 pm") }

// zoneNames spells out the US zones patients know by name.
var zoneNames = map[string]string{
	"America/New_York": "Eastern time", "America/Detroit": "Eastern time",
	"America/Indiana/Indianapolis": "Eastern time", "America/Kentucky/Louisville": "Eastern time",
	"America/Chicago": "Central time", "America/Indiana/Knox": "Central time",
	"America/Menominee": "Central time", "America/North_Dakota/Center": "Central time",
	"America/Denver": "Mountain time", "America/Boise": "Mountain time",
	"America/Phoenix": "Arizona time", "America/Los_Angeles": "Pacific time",
	"America/Anchorage": "Alaska time", "Pacific/Honolulu": "Hawaii time",
	"America/Puerto_Rico": "Atlantic time", "Europe/London": "UK time",
}

// ZoneName spells out a time zone: "Central time". Unknown zones show their IANA name.
func ZoneName(z *time.Location) string {
	if z == nil {
		return "UTC"
	}
	if n, ok := zoneNames[z.String()]; ok {
		return n
	}
	return strings.ReplaceAll(z.String(), "_", " ") + " time"
}

// Minutes formats a visit length: "20 minutes", "1 hour", "1 hour 30 minutes".
func Minutes(n int) string {
	h, m := n/60, n%60
	var parts []string
	switch {
	case h == 1:
		parts = append(parts, "1 hour")
	case h > 1:
		parts = append(parts, fmt.Sprintf("%d hours", h))
	}
	switch {
	case m == 1:
		parts = append(parts, "1 minute")
	case m > 1 || h == 0:
		parts = append(parts, fmt.Sprintf("%d minutes", m))
	}
	return strings.Join(parts, " ")
}

// Languages maps the ISO 639-1 codes Doorway offers to their English names, in the order the
// details form lists them.
var Languages = []struct{ Code, Name string }{
	{"en", "English"}, {"es", "Spanish"}, {"zh", "Chinese"}, {"vi", "Vietnamese"},
	{"ar", "Arabic"}, {"ko", "Korean"}, {"ru", "Russian"}, {"tl", "Tagalog"},
	{"fr", "French"}, {"ht", "Haitian Creole"}, {"pt", "Portuguese"}, {"de", "German"},
	{"hi", "Hindi"}, {"ta", "Tamil"}, {"so", "Somali"}, {"pl", "Polish"}, {"ja", "Japanese"},
	{"it", "Italian"}, {"uk", "Ukrainian"}, {"fa", "Persian"},
}

// Language names an ISO 639-1 code ("es" -> "Spanish"); unknown codes are returned as given.
func Language(code string) string {
	for _, l := range Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// Speaks is "Speaks English and Spanish" for a provider's languages ("" for none).
func Speaks(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = Language(c)
	}
	return "Speaks " + List(names)
}

// List joins words as people write them: "a", "a and b", "a, b and c".
func List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// TelURL turns a display phone number into a tel: link target.
func TelURL(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r == '+' || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return "tel:" + b.String()
}

// Phone formats an E.164 number for reading: North American numbers as "(555) 201-3344",
// others as stored.
func Phone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+1") {
		d := e164[2:]
		return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
	}
	return e164
}
