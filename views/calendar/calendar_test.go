package calendar

import (
	"strings"
	"testing"
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
