package mail_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
	"doorway/booking/link"
	"doorway/mail"
	"doorway/mail/mailtest"
)

// The reason the patient typed: it must appear in no email.
const typedReason = "xylophone elbow twinges"

var signer = link.NewSigner([][]byte{[]byte("test link key")})

// mailerFor is a mailer sending to srv in plain text (loopback).
func mailerFor(t *testing.T, srv *mailtest.Server, change func(*mail.Config)) *mail.Mailer {
	t.Helper()
	port, _ := strconv.Atoi(srv.Port())
	cfg := mail.Config{Host: srv.Host(), Port: port, TLS: mail.NoTLS, From: "appointments@riverbend.example",
		ReplyTo: "desk@riverbend.example", BaseURL: "https://book.riverbend.example/", Links: signer,
		Clinic: &clinicfile.Demo().Clinic, Timeout: 5 * time.Second}
	if change != nil {
		change(&cfg)
	}
	m, err := mail.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// appointment is a booked visit at the demo clinic on a Tuesday in December, 9:00 Chicago.
func appointment(visit, lang string) booking.Appointment {
	c := &clinicfile.Demo().Clinic
	return booking.Appointment{VisitNumber: visit, Code: "K7M-4QX", Status: booking.StatusBooked,
		Patient: booking.Patient{FirstName: "Ana", LastName: "Núñez", DOB: "1984-07-21", Phone: "+13085550187",
			Email: "ana.nunez@example.org", Language: lang, Identifiers: []booking.Identifier{{ID: "MRN-1", IDType: "MR"}}},
		Start: time.Date(2026, 12, 8, 15, 0, 0, 0, time.UTC), Minutes: 20,
		VisitType: booking.Coded{Code: "SICK", Description: "Sick visit"}, Reason: "Sick visit: " + typedReason,
		Provider: booking.ProviderRef{ID: c.Providers[0].ID, IDType: "NPI"}, Location: c.Locations[0].Ref()}
}

var now = time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)

func notice(kind booking.EmailKind, a booking.Appointment, l booking.Lineage) booking.Notice {
	return booking.Notice{Kind: kind, Key: a.VisitNumber + "/" + string(kind), Appointment: a, Lineage: l, Now: now}
}

// receive sends n through m to srv and returns the message srv got, parsed.
func receive(t *testing.T, m *mail.Mailer, srv *mailtest.Server, n booking.Notice) mailtest.Parsed {
	t.Helper()
	before := len(srv.Messages())
	if err := m.Notify(context.Background(), n); err != nil {
		t.Fatalf("notify %s: %v", n.Kind, err)
	}
	msgs := srv.Wait(t, before+1, 5*time.Second)
	p, err := mailtest.Parse(msgs[before].Raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := msgs[before].To; len(got) != 1 || got[0] != n.Appointment.Patient.Email {
		t.Errorf("RCPT TO %v, want the patient's address only", got)
	}
	return p
}

func TestConfirmation(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	m := mailerFor(t, srv, nil)
	a := appointment("DW-FIRST1", "en")
	p := receive(t, m, srv, notice(booking.EmailConfirmation, a, booking.Lineage{First: a.VisitNumber}))

	for header, want := range map[string]string{
		"From":             `"Riverbend Family Health" <appointments@riverbend.example>`,
		"To":               `"Ana Núñez" <ana.nunez@example.org>`,
		"Reply-To":         `<desk@riverbend.example>`,
		"Message-Id":       "<" + mail.MessageID("DW-FIRST1/confirmation", "riverbend.example") + ">",
		"Content-Language": "en",
		"Auto-Submitted":   "auto-generated",
	} {
		got := p.Header.Get(header)
		if header == "To" || header == "From" {
			addr, err := p.Header.AddressList(header)
			if err == nil && len(addr) == 1 {
				got = `"` + addr[0].Name + `" <` + addr[0].Address + `>`
			}
		}
		if got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}
	if d, err := p.Header.Date(); err != nil || !d.Equal(now) {
		t.Errorf("Date: %v %v, want %v", d, err, now)
	}
	if want := "Booked: Tuesday, December 8, 9:00 AM Central time, Riverbend Family Health"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	if want := []string{"text/plain", "text/html", "text/calendar"}; strings.Join(p.Structure, " ") != strings.Join(want, " ") {
		t.Errorf("parts %v, want %v", p.Structure, want)
	}
	for _, part := range []struct{ name, body string }{{"text", p.Text}, {"html", p.HTML}} {
		for _, want := range []string{"Hello Ana", "K7M-4QX", "DW-FIRST1", "Tuesday, December 8, 2026", "9:00 AM to 9:20 AM",
			"Central time", "Maya Okafor, MD", "Riverbend Kearney Clinic", "(308) 555-0142", "Ana Núñez", "911"} {
			if !strings.Contains(part.body, want) {
				t.Errorf("%s part lacks %q:\n%s", part.name, want, part.body)
			}
		}
	}
	checkLink(t, p, a.VisitNumber)
	ics := attachment(t, p, "REQUEST")
	for _, want := range []string{"METHOD:REQUEST\r\n", "UID:DW-FIRST1@doorway\r\n", "SEQUENCE:0\r\n", "STATUS:CONFIRMED\r\n",
		"DTSTART;TZID=America/Chicago:20261208T090000\r\n", "BEGIN:VTIMEZONE\r\nTZID:America/Chicago\r\n",
		"ORGANIZER;CN=\"Riverbend Family Health\":mailto:appointments@riverbend.example\r\n", "ATTENDEE;"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendar file lacks %q:\n%s", want, ics)
		}
	}
	minimumNecessary(t, p)
}

// checkLink finds the manage link in both parts: absolute under the base URL, and signed for
// the visit.
func checkLink(t *testing.T, p mailtest.Parsed, visit string) {
	t.Helper()
	const base = "https://book.riverbend.example/m/"
	for _, body := range []string{p.Text, p.HTML} {
		i := strings.Index(body, base)
		if i < 0 {
			t.Errorf("no manage link under %s in:\n%s", base, body)
			continue
		}
		tok := body[i+len(base):]
		tok = tok[:strings.IndexAny(tok, "\"\r\n ")]
		if got, ok := signer.Visit(tok); !ok || got != visit {
			t.Errorf("the link's token %q opens %q (%v), want %s", tok, got, ok, visit)
		}
	}
}

// attachment returns the one calendar attachment, checking its name and method.
func attachment(t *testing.T, p mailtest.Parsed, method string) string {
	t.Helper()
	if len(p.Attachments) != 1 {
		t.Fatalf("%d attachments, want the calendar file", len(p.Attachments))
	}
	at := p.Attachments[0]
	if at.Name != "appointment.ics" || !strings.Contains(at.ContentType, "text/calendar") || !strings.Contains(at.ContentType, "method="+method) {
		t.Errorf("attachment %q of type %q, want appointment.ics, text/calendar; method=%s", at.Name, at.ContentType, method)
	}
	return strings.ReplaceAll(string(at.Body), "\r\n ", "") // unfolded
}

// minimumNecessary fails when the message carries the patient's details beyond their name,
// or the reason for the visit anywhere, or anything medical in the subject.
func minimumNecessary(t *testing.T, p mailtest.Parsed) {
	t.Helper()
	all := p.Subject + "\n" + p.Text + "\n" + p.HTML
	for _, at := range p.Attachments {
		all += "\n" + string(at.Body)
	}
	for _, private := range []string{typedReason, "1984", "July 21", "555-0187", "5550187", "MRN-1"} {
		if strings.Contains(all, private) {
			t.Errorf("the message carries %q", private)
		}
	}
	for _, medical := range []string{"Sick", "sick", "enfermedad", "Okafor", "Ana", "Núñez"} {
		if strings.Contains(p.Subject, medical) {
			t.Errorf("the subject %q names %q", p.Subject, medical)
		}
	}
}

// TestChangeThenCancel: a move's notice and the moved visit's cancellation update the same
// calendar event as the confirmation: one UID, the SEQUENCE rising, METHOD:CANCEL last; in
// Spanish for a patient who prefers it.
func TestChangeThenCancel(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	m := mailerFor(t, srv, nil)
	old := appointment("DW-FIRST1", "es")
	moved := appointment("DW-SECOND", "es")
	moved.Start, moved.Code, moved.Replaces = old.Start.Add(48*time.Hour), "X9Y-7QW", old.VisitNumber
	chain := booking.Lineage{First: old.VisitNumber, Moves: 1}
	n := notice(booking.EmailChange, moved, chain)
	n.Previous = &old
	p := receive(t, m, srv, n)
	if !strings.HasPrefix(p.Subject, "Cambio: su cita ahora es el jueves 10 de diciembre, 9:00 a. m.") || p.Header.Get("Content-Language") != "es" {
		t.Errorf("subject %q (%s), want the new time in Spanish", p.Subject, p.Header.Get("Content-Language"))
	}
	for _, want := range []string{"X9Y-7QW", "DW-SECOND", "En lugar de", "martes 8 de diciembre", "jueves 10 de diciembre"} {
		if !strings.Contains(p.Text, want) || !strings.Contains(p.HTML, want) {
			t.Errorf("the change notice lacks %q:\n%s", want, p.Text)
		}
	}
	checkLink(t, p, moved.VisitNumber)
	ics := attachment(t, p, "REQUEST")
	for _, want := range []string{"UID:DW-FIRST1@doorway\r\n", "SEQUENCE:1\r\n", "DTSTART;TZID=America/Chicago:20261210T090000\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("the change's calendar file lacks %q:\n%s", want, ics)
		}
	}
	minimumNecessary(t, p)

	moved.Status = booking.StatusCanceled
	p = receive(t, m, srv, notice(booking.EmailCancellation, moved, chain))
	if !strings.HasPrefix(p.Subject, "Cancelada:") {
		t.Errorf("subject %q", p.Subject)
	}
	ics = attachment(t, p, "CANCEL")
	for _, want := range []string{"METHOD:CANCEL\r\n", "UID:DW-FIRST1@doorway\r\n", "SEQUENCE:2\r\n", "STATUS:CANCELLED\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("the cancellation's calendar file lacks %q:\n%s", want, ics)
		}
	}
	if strings.Contains(p.Text, "X9Y-7QW") {
		t.Error("the cancellation gives the dead confirmation code")
	}
	minimumNecessary(t, p)
}

// TestReminderAndLanguages: a reminder says how to stop reminders; a patient preferring a
// language Doorway does not speak gets English.
func TestReminderAndLanguages(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	m := mailerFor(t, srv, nil)
	a := appointment("DW-FIRST1", "vi")
	p := receive(t, m, srv, notice(booking.EmailReminder, a, booking.Lineage{First: a.VisitNumber}))
	if !strings.HasPrefix(p.Subject, "Reminder: your appointment Tuesday, December 8") || p.Header.Get("Content-Language") != "en" {
		t.Errorf("subject %q (%s)", p.Subject, p.Header.Get("Content-Language"))
	}
	if !strings.Contains(p.Text, "Turn them off on your appointment's page") {
		t.Errorf("the reminder does not say how to stop them:\n%s", p.Text)
	}
	minimumNecessary(t, p)
}

func TestRefusalsAndOutages(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	m := mailerFor(t, srv, nil)
	a := appointment("DW-FIRST1", "en")
	n := notice(booking.EmailConfirmation, a, booking.Lineage{First: a.VisitNumber})

	srv.Refuse(a.Patient.Email, 550)
	err := m.Notify(context.Background(), n)
	if booking.ErrorCode(err) != booking.CodeRejected {
		t.Errorf("a 550 at RCPT TO: %v, want rejected (final)", err)
	}
	if err != nil && strings.Contains(err.Error(), a.Patient.Email) {
		t.Errorf("the error names the patient's address: %v", err)
	}
	srv.Refuse(a.Patient.Email, 0)

	srv.FailNext(1)
	if err := m.Notify(context.Background(), n); booking.ErrorCode(err) != booking.CodeUnavailable {
		t.Errorf("a 451 at DATA: %v, want unavailable (retried)", err)
	}
	srv.Stop()
	if err := m.Notify(context.Background(), n); booking.ErrorCode(err) != booking.CodeUnavailable {
		t.Errorf("the server down: %v, want unavailable (retried)", err)
	}
	if err := m.Ping(context.Background()); err == nil {
		t.Error("Ping with the server down: no error")
	}
	srv.Restart()
	if err := m.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if err := m.Notify(context.Background(), n); err != nil {
		t.Errorf("after the restart: %v", err)
	}
	if got := len(srv.Messages()); got != 1 {
		t.Errorf("the server kept %d messages, want 1", got)
	}
}

func TestAuth(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{Username: "doorway", Password: "s3cret"})
	a := appointment("DW-FIRST1", "en")
	n := notice(booking.EmailConfirmation, a, booking.Lineage{First: a.VisitNumber})
	good := mailerFor(t, srv, func(c *mail.Config) { c.Username, c.Password = "doorway", "s3cret" })
	if err := good.Notify(context.Background(), n); err != nil {
		t.Errorf("with the right password: %v", err)
	}
	bad := mailerFor(t, srv, func(c *mail.Config) { c.Username, c.Password = "doorway", "wrong" })
	if err := bad.Notify(context.Background(), n); err == nil || booking.ErrorCode(err) == booking.CodeRejected {
		t.Errorf("with a wrong password: %v, want a retried failure", err)
	}
	if got := len(srv.Messages()); got != 1 {
		t.Errorf("%d messages accepted, want 1", got)
	}
}

func TestConfigChecks(t *testing.T) {
	base := mail.Config{Host: "smtp.example.org", From: "a@example.org", BaseURL: "https://x.example", Links: signer,
		Clinic: &clinicfile.Demo().Clinic}
	cases := []struct {
		name   string
		change func(*mail.Config)
		ok     bool
	}{
		{"defaults: STARTTLS on 587", func(*mail.Config) {}, true},
		{"implicit TLS", func(c *mail.Config) { c.TLS = "tls" }, true},
		{"no TLS to a remote server", func(c *mail.Config) { c.TLS = "none" }, false},
		{"no TLS to 127.0.0.1", func(c *mail.Config) { c.TLS, c.Host = "none", "127.0.0.1" }, true},
		{"no TLS to localhost", func(c *mail.Config) { c.TLS, c.Host = "none", "localhost" }, true},
		{"no TLS to ::1", func(c *mail.Config) { c.TLS, c.Host = "none", "::1" }, true},
		{"no TLS to 10.0.0.5", func(c *mail.Config) { c.TLS, c.Host = "none", "10.0.0.5" }, false},
		{"an unknown policy", func(c *mail.Config) { c.TLS = "maybe" }, false},
		{"no host", func(c *mail.Config) { c.Host = "" }, false},
		{"no from", func(c *mail.Config) { c.From = "" }, false},
		{"a from with a name", func(c *mail.Config) { c.From = "Clinic <a@example.org>" }, false},
		{"a relative base URL", func(c *mail.Config) { c.BaseURL = "/" }, false},
		{"a password without a user", func(c *mail.Config) { c.Password = "x" }, false},
		{"a bad reply-to", func(c *mail.Config) { c.ReplyTo = "desk" }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			tc.change(&cfg)
			_, err := mail.New(cfg)
			if (err == nil) != tc.ok {
				t.Errorf("New: %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// TestMessageIDIsStable: the same event gives the same Message-ID, another event another,
// and none carries the visit number.
func TestMessageIDIsStable(t *testing.T) {
	a, b := mail.MessageID("DW-1/EmailConfirm/7", "x.org"), mail.MessageID("DW-1/EmailConfirm/7", "x.org")
	c := mail.MessageID("DW-1/EmailReminder/8", "x.org")
	if a != b || a == c || strings.Contains(a, "DW-1") || !strings.HasSuffix(a, "@x.org") {
		t.Errorf("Message-IDs %q %q %q", a, b, c)
	}
	if _, err := url.Parse("mid:" + a); err != nil {
		t.Error(err)
	}
}
