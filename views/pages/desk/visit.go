package desk

import (
	"net/url"

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
	Move      string // the link to move it ("" when it cannot be moved)
	Resend    string // the form's action to send the confirmation email again ("" for none)
	Reasons   []patient.Check
}

// NewVisitPage builds the page of a.
func NewVisitPage(page Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment, canCancel bool, notice string) VisitPage {
	facts := patient.NewBookedPage(patient.Page{Page: page.Page}, m, c, a, false)
	p := VisitPage{Page: page, BookedPage: facts, Notice: notice, CanCancel: canCancel, Cancel: "/desk/visit/" + a.VisitNumber + "/cancel"}
	if canCancel {
		p.Move = "/desk/book?move=" + url.QueryEscape(a.VisitNumber)
	}
	p.Heading = m.Desk.VisitTitle
	status := m.Desk.Status[a.Status]
	if facts.StatusText != "" && a.Status != booking.StatusBooked {
		status += ": " + facts.StatusText // what a failed or moved visit means
	}
	head := []patient.Row{{Label: m.Desk.VisitNumber, Lines: []string{a.VisitNumber}, TestID: "visit-number"},
		{Label: m.Desk.StatusLabel, Lines: []string{status}, TestID: "status"}}
	if a.Code != "" {
		head = append(head, patient.Row{Label: m.Desk.CodeLabel, Lines: []string{a.Code}})
	}
	p.Rows = append(head, p.Rows...)
	if o := a.Override; !o.IsZero() {
		row := patient.Row{Label: m.Desk.Override, TestID: "override"}
		for _, r := range o.Rules {
			row.Lines = append(row.Lines, m.Desk.Rules[r])
		}
		row.Lines = append(row.Lines, m.Desk.OverrideReasons[o.Reason])
		if o.Note != "" {
			row.Lines = append(row.Lines, o.Note)
		}
		p.Rows = append(p.Rows, row)
	}
	for _, r := range booking.CancelReasons {
		if r != "other" {
			p.Reasons = append(p.Reasons, patient.Check{Value: r, Label: m.Manage.Reasons[r]})
		}
	}
	return p
}
