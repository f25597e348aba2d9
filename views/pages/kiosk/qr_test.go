package kiosk

import (
	"regexp"
	"strconv"
	"testing"

	"rsc.io/qr"
)

// TestQRHasItsQuietZone: every dark module lies inside the 4-module quiet zone, and the
// finder patterns touch it (the code is not shifted or cut), and the drawn modules are
// exactly the code's.
func TestQRHasItsQuietZone(t *testing.T) {
	const link = "https://book.example.org/m/abc.DEF-123"
	q, err := NewQR(link)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := qr.Encode(link, qr.M)
	const quiet = 4 // the standard's quiet zone, in modules
	if q.Size != c.Size+2*quiet {
		t.Fatalf("size %d, want %d (the code and 4 modules each side)", q.Size, c.Size+2*quiet)
	}
	dark := map[[2]int]bool{}
	minX, minY, maxX, maxY := q.Size, q.Size, 0, 0
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(q.Path, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		run, _ := strconv.Atoi(m[3])
		for i := range run {
			dark[[2]int{x + i, y}] = true
		}
		minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x+run), max(maxY, y+1)
	}
	if minX != quiet || minY != quiet || maxX != q.Size-quiet || maxY != q.Size-quiet {
		t.Errorf("modules span x %d..%d, y %d..%d; want %d..%d both ways", minX, maxX, minY, maxY, quiet, q.Size-quiet)
	}
	for y := range c.Size {
		for x := range c.Size {
			if dark[[2]int{x + quiet, y + quiet}] != c.Black(x, y) {
				t.Fatalf("module (%d, %d) drawn %v, the code has %v", x, y, !c.Black(x, y), c.Black(x, y))
			}
		}
	}
}
