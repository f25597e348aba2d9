package patient

import (
	"net/url"
	"time"

	"doorway/booking"
	"doorway/views/i18n"
)

// BookedPage is the confirmation: what was booked, where and when, and what happens next.
type BookedPage struct {
	Page
	VisitNumber string
	Status      string // booked, requested, failed, canceled
	Heading     string
	StatusText  string
	Rows        []Row
	Calendar    string // .ics URL, "" when there is nothing to add
	Google      string // the same event as a Google Calendar link
	Outlook     string // and as an Outlook one
	Map         string // the address on a map
	LocPhone    string // the clinic's number for what happens next
	Code        string // the confirmation code, to read over the phone
	ManageLink  string // the signed link that opens this appointment later ("" for none)
	EmailNote   string // whether an email confirmation comes ("" to say nothing)
}

// NewBookedPage builds the confirmation of a: a move says so. emailing is whether this
// server sends emails: when it does not, the page says so; when it does, it says one is on
// its way to a patient who gave an address.
func NewBookedPage(page Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment, emailing bool) BookedPage {
	p := newAppointmentPage(page, m, c, a, "/booked/"+url.PathEscape(a.VisitNumber))
	if a.Replaces != "" && a.Status == booking.StatusBooked {
		p.Heading, p.StatusText = m.Manage.MovedHeading, m.Manage.MovedText
	}
	live := a.Status == booking.StatusBooked || a.Status == booking.StatusRequested
	switch {
	case !emailing:
		p.EmailNote = m.Booked.NoEmail
	case live && a.Patient.Email != "":
		p.EmailNote = m.Booked.Emailed
	}
	return p
}

// NewAppointmentFacts lays out a's facts outside any page (an email's body): the
// confirmation page's rows, codes and place, in m's language.
func NewAppointmentFacts(m *i18n.Messages, c *booking.Clinic, a booking.Appointment) BookedPage {
	return newAppointmentPage(Page{}, m, c, a, "")
}

// newAppointmentPage lays out a: its status in words, its facts, where it is, and the
// calendar links (the .ics under base).
func newAppointmentPage(page Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment, base string) BookedPage {
	t := m.Booked
	heading, ok := t.Heading[a.Status]
	text := t.Text[a.Status]
	if !ok {
		heading, text = m.Review.Title, t.Other(string(a.Status))
	}
	loc := c.LocationOf(a.Location)
	prov, _ := c.Provider(a.Provider.ID)
	local := a.Start.In(loc.Zone())
	p := BookedPage{Page: page, VisitNumber: a.VisitNumber, Code: a.Code, Status: string(a.Status), Heading: heading, StatusText: text}
	p.Rows = []Row{
		{Label: t.When, Lines: []string{t.Span(m.Format.DayYear(local), m.Format.Clock(local), m.Format.Clock(a.End().In(loc.Zone()))), m.Format.Zone(loc.TimeZone)}, TestID: "when"},
		{Label: t.VisitType, Lines: []string{VisitTypeName(m, c, a.VisitType) + ", " + m.Format.Minutes(a.Minutes)}},
		{Label: t.With, Lines: []string{prov.DisplayName()}},
		{Label: t.Where, Lines: []string{loc.Name, loc.Address.OneLine()}, Tel: loc.Phone, TestID: "where"},
		{Label: t.For, Lines: []string{a.Patient.FirstName + " " + a.Patient.LastName}},
	}
	if in := Instructions(m, c, a); len(in) > 0 {
		p.Rows = append(p.Rows, Row{Label: t.Before, List: in, TestID: "instructions"})
	}
	p.Map, p.LocPhone = mapURL(loc), loc.Phone
	if a.Status == booking.StatusBooked || a.Status == booking.StatusRequested {
		p.Calendar = base + "/calendar.ics"
		title := m.Calendar.Summary(VisitTypeName(m, c, a.VisitType), c.Name)
		where := loc.Name + ", " + loc.Address.OneLine()
		p.Google, p.Outlook = googleURL(title, where, a), outlookURL(title, where, a)
	}
	return p
}

// mapURL finds the clinic's address on a map: a plain link, no map script on the page.
func mapURL(loc booking.Location) string {
	return "https://www.google.com/maps/search/?api=1&query=" + url.QueryEscape(loc.Name+", "+loc.Address.OneLine())
}

// googleURL adds the visit to Google Calendar: its title, place and times only, nothing about
// the patient.
func googleURL(title, where string, a booking.Appointment) string {
	const f = "20060102T150405Z"
	q := url.Values{"action": {"TEMPLATE"}, "text": {title}, "location": {where},
		"dates": {a.Start.UTC().Format(f) + "/" + a.End().UTC().Format(f)}}
	return "https://calendar.google.com/calendar/render?" + q.Encode()
}

// outlookURL adds the visit to an Outlook calendar, as googleURL.
func outlookURL(title, where string, a booking.Appointment) string {
	q := url.Values{"path": {"/calendar/action/compose"}, "rru": {"addevent"}, "subject": {title}, "location": {where},
		"startdt": {a.Start.UTC().Format(time.RFC3339)}, "enddt": {a.End().UTC().Format(time.RFC3339)}}
	return "https://outlook.live.com/calendar/0/deeplink/compose?" + q.Encode()
}

// VisitTypeName is the visit type's name in the page's language when the clinic knows it,
// else the name the appointment carries.
func VisitTypeName(m *i18n.Messages, c *booking.Clinic, vt booking.Coded) string {
	if v, ok := c.VisitType(vt.Code); ok {
		return v.Name.In(m.Lang)
	}
	return vt.Description
}

// Instructions are what to do before the visit, in the page's language when the clinic's
// visit type still has them, else as stored with the appointment.
func Instructions(m *i18n.Messages, c *booking.Clinic, a booking.Appointment) []string {
	if v, ok := c.VisitType(a.VisitType.Code); ok && len(v.Instructions) > 0 {
		return v.Instructions.In(m.Lang)
	}
	return a.Instructions
}

// StatusClass is the message style for the status.
func (p BookedPage) StatusClass() string {
	switch p.Status {
	case "booked":
		return "ok"
	case "failed", "canceled":
		return "bad"
	}
	return "note"
}
