package mail

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"doorway/booking"
	"doorway/views/calendar"
	"doorway/views/email"
)

// Compose builds n's message: From the clinic (its name, the configured address), To the
// patient, a subject with nothing medical, text and HTML alternatives in the patient's
// language, and the calendar file attached (REQUEST, or CANCEL once canceled). It sends
// nothing.
func (m *Mailer) Compose(ctx context.Context, n booking.Notice) (*gomail.Msg, error) {
	a := n.Appointment
	c := m.cfg.Clinic
	words := email.Language(a.Patient.Language)
	e := email.New(words, c, n, m.ManageURL(a.VisitNumber))
	text, html, err := email.Render(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("mail: render: %w", err)
	}
	ev := calendar.EventOf(n.Lineage, a, calendar.Request)
	ev.Organizer, ev.OrganizerName, ev.Attendee = m.cfg.From, c.Name, a.Patient.Email
	ics := calendar.File(words, c, a, ev, n.Now)

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(c.Name, m.cfg.From); err != nil {
		return nil, fmt.Errorf("mail: from: %w", err)
	}
	name := strings.TrimSpace(a.Patient.FirstName + " " + a.Patient.LastName)
	if err := msg.AddToFormat(name, a.Patient.Email); err != nil {
		return nil, fmt.Errorf("mail: the patient's address: %s", redact(err.Error()))
	}
	if m.cfg.ReplyTo != "" {
		if err := msg.ReplyTo(m.cfg.ReplyTo); err != nil {
			return nil, fmt.Errorf("mail: reply-to: %w", err)
		}
	}
	msg.Subject(e.Subject)
	msg.SetMessageIDWithValue(MessageID(n.Key, m.domain))
	msg.SetDateWithValue(n.Now)
	msg.SetGenHeader(gomail.HeaderContentLang, e.Lang)
	// RFC 3834: sent by a program, so vacation responders do not answer it.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, text)
	msg.AddAlternativeString(gomail.TypeTextHTML, html)
	ct := gomail.ContentType("text/calendar; method=" + ev.Method + "; charset=UTF-8")
	if err := msg.AttachReader("appointment.ics", bytes.NewReader(ics), gomail.WithFileContentType(ct)); err != nil {
		return nil, fmt.Errorf("mail: attach the calendar file: %w", err)
	}
	return msg, nil
}
