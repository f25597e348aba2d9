package email

import (
	"context"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
	"doorway/views/i18n"
)

// TestEveryEmailInEveryLanguage renders each kind in each language: every sentence filled in
// (no {placeholder} left), the subject without the visit type, the text part plain (no tags,
// no entities), the HTML part in the email's language.
func TestEveryEmailInEveryLanguage(t *testing.T) {
	c := &clinicfile.Demo().Clinic
	a := booking.Appointment{VisitNumber: "DW-1", Code: "K7M-4QX", Status: booking.StatusBooked,
		Patient: booking.Patient{FirstName: "Ana & Bo", LastName: "O'Brien", Email: "a@example.org"},
		Start:   time.Date(2026, 12, 8, 15, 0, 0, 0, time.UTC), Minutes: 20, VisitType: booking.Coded{Code: "SICK"},
		Provider: booking.ProviderRef{ID: c.Providers[0].ID}, Location: c.Locations[0].Ref()}
	prev := a
	prev.Start = prev.Start.Add(-24 * time.Hour)
	for _, m := range i18n.Supported {
		for _, kind := range booking.EmailKinds {
			t.Run(m.Lang+"/"+string(kind), func(t *testing.T) {
				n := booking.Notice{Kind: kind, Appointment: a}
				if kind == booking.EmailChange {
					n.Previous = &prev
				}
				e := New(m, c, n, "https://book.example/m/tok.en")
				text, html, err := Render(context.Background(), e)
				if err != nil {
					t.Fatal(err)
				}
				for part, body := range map[string]string{"subject": e.Subject, "text": text, "html": html} {
					if strings.Contains(body, "{") {
						t.Errorf("%s has a {placeholder} left:\n%s", part, body)
					}
				}
				if vt := m.Format.Minutes(20); strings.Contains(e.Subject, "isit") || strings.Contains(e.Subject, vt) {
					t.Errorf("subject %q names the visit", e.Subject)
				}
				if strings.ContainsAny(text, "<>") || strings.Contains(text, "&amp;") || !strings.Contains(text, "Ana & Bo") {
					t.Errorf("the text part is not plain:\n%s", text)
				}
				if !strings.Contains(html, `<html lang="`+m.Lang+`">`) || !strings.Contains(html, "Ana &amp; Bo") {
					t.Errorf("the HTML part's language or escaping:\n%s", html)
				}
				if (kind == booking.EmailChange) != strings.Contains(text, m.Email.Was) {
					t.Errorf("the old time shown: %v, want it in the change only", !strings.Contains(text, m.Email.Was))
				}
			})
		}
	}
}
