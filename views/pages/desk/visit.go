package desk

import (
	"doorway/booking"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

// VisitPage is one appointment as the desk sees it, with what the desk may do.
type VisitPage struct {
	Page
	patient.BookedPage
	Notice    string
	CanCancel bool
	Cancel    string // the cancel form's action
	Reasons   []patient.Check
}

// NewVisitPage builds the page of a.
func NewVisitPage(page Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment, canCancel bool, notice string) VisitPage {
	facts := patient.NewBookedPage(patient.Page{Page: page.Page}, m, c, a)
	p := VisitPage{Page: page, BookedPage: facts, Notice: notice, CanCancel: canCancel, Cancel: "/desk/visit/" + a.VisitNumber + "/cancel"}
	p.Heading = m.Desk.VisitTitle
	for _, r := range booking.CancelReasons {
		if r != "other" {
			p.Reasons = append(p.Reasons, patient.Check{Value: r, Label: m.Manage.Reasons[r]})
		}
	}
	return p
}
