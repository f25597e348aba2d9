package calendar

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCalendarFolding(t *testing.T) {
	var b icsWriter
	long := "DESCRIPTION:" + strings.Repeat("é", 100)
	b.line(long)
	out := b.String()
	if got := strings.ReplaceAll(strings.ReplaceAll(out, "\r\n ", ""), "\r\n", ""); got != long {
		t.Errorf("unfolding gives %q, want the original", got)
	}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("bad folded line %q (%d octets)", l, len(l))
		}
	}
	if got := escapeText("a,b;c\\d\ne"); got != `a\,b\;c\\d\ne` {
		t.Errorf("escapeText = %q", got)
	}
}

// TestCalendarTimezones: the calendar file's VTIMEZONE gives the offsets of any zone a clinic
// may be in: without daylight saving now (its last change), without any change (UTC), and
// half an hour off the hour.
func TestCalendarTimezones(t *testing.T) {
	at := time.Date(2026, 7, 1, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		zone   string
		blocks int
		want   []string
	}{
		{"America/Phoenix", 1, []string{"TZOFFSETFROM:-0600\r\nTZOFFSETTO:-0700\r\nTZNAME:MST\r\nEND:STANDARD\r\n"}},
		{"UTC", 1, []string{"BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\n"}},
		{"Asia/Kolkata", 1, []string{"TZOFFSETFROM:+0630\r\nTZOFFSETTO:+0530\r\nTZNAME:IST\r\n"}},
		{"America/St_Johns", 3, []string{"DTSTART:20260308T020000\r\nTZOFFSETFROM:-0330\r\nTZOFFSETTO:-0230\r\n",
			"DTSTART:20261101T020000\r\nTZOFFSETFROM:-0230\r\nTZOFFSETTO:-0330\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			zone, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			var b icsWriter
			writeTimezone(&b, zone, at)
			out := b.String()
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("VTIMEZONE lacks %q:\n%s", want, out)
				}
			}
			if n := strings.Count(out, "BEGIN:STANDARD") + strings.Count(out, "BEGIN:DAYLIGHT"); n != tt.blocks {
				t.Errorf("%d offset blocks, want %d:\n%s", n, tt.blocks, out)
			}
		})
	}
}
