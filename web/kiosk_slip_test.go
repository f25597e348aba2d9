package web

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// qrTools finds rsvg-convert and zbarimg (Debian's librsvg2-bin and zbar-tools). Outside CI
// a missing tool skips the test; with CI=true it fails.
func qrTools(t *testing.T) (rsvg, zbar string) {
	t.Helper()
	rsvg, err1 := exec.LookPath("rsvg-convert")
	zbar, err2 := exec.LookPath("zbarimg")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("rsvg-convert or zbarimg not found (CI=true): apt-get install -y zbar-tools librsvg2-bin")
		}
		t.Skip("rsvg-convert or zbarimg not found: apt-get install -y zbar-tools librsvg2-bin")
	}
	return rsvg, zbar
}

// decodeQR renders svg (as the page has it) to a PNG and reads the QR code in it.
func decodeQR(t *testing.T, svg string) string {
	t.Helper()
	rsvg, zbar := qrTools(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "qr.svg"), filepath.Join(dir, "qr.png")
	if err := os.WriteFile(in, []byte(svg), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(rsvg, "-w", "400", "-h", "400", "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("rsvg-convert: %v\n%s", err, b)
	}
	b, err := exec.Command(zbar, "--raw", "-q", out).Output()
	if err != nil {
		t.Fatalf("zbarimg read no code: %v", err)
	}
	return strings.TrimSpace(string(b))
}

// TestKioskSlipQROpensTheAppointment: the slip's QR code, rendered as the page draws it,
// decodes to the appointment's signed manage link (a full address), and that link opens the
// appointment in a fresh browser.
func TestKioskSlipQROpensTheAppointment(t *testing.T) {
	a := newApp(t)
	_, code := a.newKiosk("Lobby")
	a.enroll(code)
	appt, done := a.bookWalkIn(a.walkIn())
	svg, err := goquery.OuterHtml(done.doc.Find("svg[data-testid=qr]").First())
	if err != nil || svg == "" {
		t.Fatalf("no QR code on the done screen: %v", err)
	}
	got := decodeQR(t, svg)
	if want := a.ts.URL + a.srv.links.Path(appt.VisitNumber); got != want {
		t.Fatalf("the QR code reads %q, want the manage link %q", got, want)
	}
	phone := a.browser()
	res := phone.get(strings.TrimPrefix(got, a.ts.URL))
	for res.StatusCode == http.StatusSeeOther {
		res = phone.get(res.Header.Get("Location"))
	}
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, appt.Code) {
		t.Errorf("the link opened a page without the appointment's code:\n%s", excerpt(res.body))
	}
}
