package redox

import (
	"fmt"
	"strings"
	"time"
)

// wireLayout is what Doorway sends: UTC with milliseconds, the shape of Redox's own samples
// (2021-02-05T17:45:00.000Z), so our messages look like the traffic EHR teams already know.
const wireLayout = "2006-01-02T15:04:05.000Z07:00"

// parseLayouts are tried in order. Redox and sources send Z, offsets, fractional seconds
// and, for dates such as DOB, plain dates; RFC3339Nano already accepts any fraction.
var parseLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700", // offset without colon: -0500
	"2006-01-02T15:04:05.999999999",      // no zone: read as UTC
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseTime reads an ISO 8601 timestamp the lenient way Redox traffic needs: Z or numeric
// offsets, optional fractional seconds, or a bare date (midnight UTC). It returns UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty timestamp")
	}
	// Some producers send a lower-case 't' or 'z'; ISO 8601 allows it, time.Parse does not.
	norm := strings.ToUpper(s)
	for _, layout := range parseLayouts {
		if t, err := time.Parse(layout, norm); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 timestamp", s)
}

// FormatTime writes t as Doorway sends timestamps: UTC, RFC 3339 with milliseconds.
func FormatTime(t time.Time) string {
	return t.UTC().Format(wireLayout)
}

// formatOptional formats t, or returns "" for the zero time so omitempty drops the field.
func formatOptional(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatTime(t)
}
