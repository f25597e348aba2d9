package kiosk

import (
	"fmt"
	"strconv"
	"strings"

	"rsc.io/qr"
)

// QuietZone is the empty border around a QR code, in modules: 4, as the standard asks, so a
// scanner finds the code on a slip whatever is printed beside it.
const QuietZone = 4

// QR is a QR code drawn as one SVG path: Size modules square with the quiet zone, each dark
// module a 1 × 1 square of Path.
type QR struct {
	Size int
	Path string
}

// ViewBox is the SVG's viewBox attribute.
func (q QR) ViewBox() string { return "0 0 " + strconv.Itoa(q.Size) + " " + strconv.Itoa(q.Size) }

// NewQR encodes text (the signed manage link) at error correction level M, which survives a
// crease or a smudge on a printed slip, and draws it in Go: no script, no image request.
func NewQR(text string) (QR, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return QR{}, fmt.Errorf("kiosk: encode QR: %w", err)
	}
	var b strings.Builder
	for y := range c.Size {
		for x := 0; x < c.Size; x++ {
			if !c.Black(x, y) {
				continue
			}
			run := 1 // a row's dark modules side by side are one rectangle: a shorter path
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+QuietZone, y+QuietZone, run, run)
			x += run - 1
		}
	}
	return QR{Size: c.Size + 2*QuietZone, Path: b.String()}, nil
}
