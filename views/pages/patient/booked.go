package patient

import (
	"net/url"

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
}

// NewBookedPage builds the confirmation of a.
func NewBookedPage(page Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment) BookedPage {
	t := m.Booked
	heading, ok := t.Heading[a.Status]
	text := t.Text[a.Status]
	if !ok {
		heading, text = m.Review.Title, t.Other(string(a.Status))
	}
	loc := c.LocationOf(a.Location)
	prov, _ := c.Provider(a.Provider.ID)
	local := a.Start.In(loc.Zone())
	p := BookedPage{Page: page, VisitNumber: a.VisitNumber, Status: string(a.Status), Heading: heading, StatusText: text}
	p.Rows = []Row{
		{Label: t.When, Lines: []string{t.Span(m.Format.DayYear(local), m.Format.Clock(local), m.Format.Clock(a.End().In(loc.Zone()))), m.Format.Zone(loc.TimeZone)}, TestID: "when"},
		{Label: t.VisitType, Lines: []string{VisitTypeName(m, c, a.VisitType) + ", " + m.Format.Minutes(a.Minutes)}},
		{Label: t.With, Lines: []string{prov.DisplayName()}},
		{Label: t.Where, Lines: []string{loc.Name, loc.Address.OneLine(), t.Phone(loc.Phone)}, TestID: "where"},
		{Label: t.For, Lines: []string{a.Patient.FirstName + " " + a.Patient.LastName}},
	}
	if in := Instructions(m, c, a); len(in) > 0 {
		p.Rows = append(p.Rows, Row{Label: t.Before, List: in, TestID: "instructions"})
	}
	if a.Status == booking.StatusBooked || a.Status == booking.StatusRequested {
		p.Calendar = "/booked/" + url.PathEscape(a.VisitNumber) + "/calendar.ics"
	}
	return p
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
