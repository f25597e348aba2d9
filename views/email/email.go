// Package email renders the emails to patients (booking.Notice): a subject, a plain-text
// part and an HTML part, both templ components over one view model built from the same
// appointment facts as the confirmation page (patient.BookedPage), in the patient's
// language. Minimum necessary: the patient's name and the appointment's facts (when, what
// kind of visit, with whom, where, the codes and what to bring), never the reason for the
// visit; subjects name only the time and the clinic.
package email

import (
	"bytes"
	"context"
	"html"
	"strings"

	"doorway/booking"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

// Email is one email's view model.
type Email struct {
	Lang      string
	Kind      booking.EmailKind
	Subject   string
	Heading   string
	Hello     string
	Lead      string
	Facts     patient.BookedPage // the appointment's facts, as the confirmation page has them
	Was       *patient.Row       // a change: the time it replaces
	ManageURL string             // absolute, signed: opens the appointment without an account
	Manage    string
	Attached  string // what the calendar file does
	Reminders string // a reminder's way to have no more
	Phone     string
	Clinic    string
	Footer    string
}

// Language is the words for a patient who prefers lang (an ISO 639-1 code): English or
// Spanish, English for every other language.
func Language(lang string) *i18n.Messages {
	if m, ok := i18n.For(lang); ok {
		return m
	}
	return i18n.English
}

// New builds the email of n in m's language; manageURL is the appointment's absolute,
// signed manage link.
func New(m *i18n.Messages, c *booking.Clinic, n booking.Notice, manageURL string) Email {
	a := n.Appointment
	t := m.Email
	facts := patient.NewAppointmentFacts(m, c, a)
	loc := c.LocationOf(a.Location)
	e := Email{Lang: m.Lang, Kind: n.Kind, Heading: t.Heading[n.Kind], Hello: t.Hello(a.Patient.FirstName), Lead: t.Lead[n.Kind],
		Facts: facts, ManageURL: manageURL, Manage: t.Manage, Attached: t.Attached[n.Kind], Phone: loc.Phone,
		Clinic: c.Name, Footer: t.Footer(c.Name)}
	e.Subject = t.Subject[n.Kind](When(m, c, a), c.Name)
	if n.Kind == booking.EmailReminder {
		e.Reminders = t.Reminders
	}
	if n.Previous != nil {
		was := patient.NewAppointmentFacts(m, c, *n.Previous).Rows[0]
		was.Label, was.TestID = t.Was, "was"
		e.Was = &was
	}
	return e
}

// When is a's time as a subject line says it: the clinic-local day, clock and zone.
func When(m *i18n.Messages, c *booking.Clinic, a booking.Appointment) string {
	loc := c.LocationOf(a.Location)
	local := a.Start.In(loc.Zone())
	return m.Email.At(m.Format.Day(local), m.Format.Clock(local), m.Format.Zone(loc.TimeZone))
}

// Render returns e's plain-text and HTML parts.
func Render(ctx context.Context, e Email) (text, htmlPart string, err error) {
	ctx = i18n.With(ctx, Language(e.Lang))
	var h, t bytes.Buffer
	if err := HTML(e).Render(ctx, &h); err != nil {
		return "", "", err
	}
	if err := Text(e).Render(ctx, &t); err != nil {
		return "", "", err
	}
	// templ escapes what it writes for HTML; the text part is the same words unescaped,
	// with the template's line breaks only (its source indentation is not text).
	return plain(t.String()), h.String(), nil
}

// plain is templ's output as text: entities decoded, each line trimmed, at most one blank
// line in a row, CRLF endings as mail wants.
func plain(s string) string {
	var out []string
	blank := false
	for l := range strings.SplitSeq(html.UnescapeString(s), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\r\n")) + "\r\n"
}

// fill puts values into a sentence's {name} places, for the text part (the HTML part uses
// views.Say).
func fill(sentence string, values map[string]string) string {
	for k, v := range values {
		sentence = strings.ReplaceAll(sentence, "{"+k+"}", v)
	}
	return sentence
}

// nl is a line break in the text part.
const nl = "\n"
