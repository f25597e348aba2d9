package patient

import (
	"net/url"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// FindPage is the form that finds an appointment by its code, last name and birth date. After
// a failed find it shows the one message and empty fields: nothing typed is echoed back.
type FindPage struct {
	Page
	Problem        string // why the last try failed
	Code, LastName components.Field
	DOB            components.DateParts
}

// NewFindPage builds the find form.
func NewFindPage(page Page, m *i18n.Messages, problem string) FindPage {
	t := m.Manage
	p := FindPage{Page: page, Problem: problem}
	p.Code = components.Field{Name: "code", Label: t.CodeLabel, Hint: t.CodeHint, Type: "text", Autocomplete: "off", MaxLength: 40}
	p.LastName = components.Field{Name: "last_name", Label: t.LastName, Hint: t.LastNameHint, Type: "text", Autocomplete: "family-name", MaxLength: 100}
	p.DOB = dobParts(m, booking.PatientForm{}, "")
	return p
}

// ManagePage is an appointment's own page: how it stands and what the patient may do.
type ManagePage struct {
	BookedPage
	Notice   string // what the patient just did, or that the clinic moved it
	Change   bool   // the patient may move or cancel it online
	WhyNot   string // why not, when they may not
	Move     string // the move form's action
	Cancel   string // the cancel page
	Replaced bool   // this appointment replaced an earlier one
	// Reminders is the reminder email's switch (nil: not offered: no email, no reminders,
	// or the visit is over).
	Reminders *RemindersSwitch
}

// RemindersSwitch says whether a reminder email will come and offers the other choice.
type RemindersSwitch struct {
	Text   string // "We'll email you a reminder 24 hours before the visit."
	Action string // the form's action
	On     string // the value the button posts: "1" turns them on, "0" off
	Button string
}

// ManageOf is what the manage page shows besides the appointment.
type ManageOf struct {
	Change      error // nil when the patient may change it (booking.Service.CanChange)
	Moved       bool  // the patient just moved it here
	Canceled    bool  // the patient just canceled it
	ByClinic    bool  // the clinic changed or canceled it
	CutoffHours int
	// ReminderHours is how long before the visit its reminder email goes: 0 when this server
	// sends no reminders (no SMTP, or the clinic wants none).
	ReminderHours int
}

// NewManagePage builds the page of a.
func NewManagePage(page Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment, o ManageOf) ManagePage {
	t := m.Manage
	base := manageBase(a.VisitNumber)
	p := ManagePage{BookedPage: newAppointmentPage(page, m, c, a, base), Replaced: a.Replaces != ""}
	p.Heading = t.Title
	if text, ok := t.Status[a.Status]; ok {
		p.StatusText = text
	}
	switch {
	case o.Canceled:
		p.Notice = t.Canceled
	case o.Moved:
		p.Notice = t.Moved
	case o.ByClinic:
		p.Notice = t.ByClinic
	}
	p.Change = o.Change == nil
	switch {
	case p.Change:
		p.Move, p.Cancel = base+"/move", base+"/cancel"
	case booking.MsgOf(o.Change) == booking.MsgTooLateToChange:
		p.WhyNot = t.TooLate(o.CutoffHours)
	}
	if a.Status == booking.StatusCanceled || a.Status == booking.StatusFailed {
		p.Calendar = base + "/calendar.ics" // it removes the visit from the calendar
	}
	live := a.Status == booking.StatusBooked || a.Status == booking.StatusRequested
	if o.ReminderHours > 0 && a.Patient.Email != "" && live {
		r := &RemindersSwitch{Action: base + "/reminders", Text: t.RemindersOn(o.ReminderHours), On: "0", Button: t.StopReminders}
		if a.RemindersOff {
			r.Text, r.On, r.Button = t.RemindersOff, "1", t.SendReminders
		}
		p.Reminders = r
	}
	return p
}

func manageBase(visit string) string { return "/manage/" + url.PathEscape(visit) }

// CancelPage asks why before canceling.
type CancelPage struct {
	Page
	Summary      []Row // the appointment, in short
	Reasons      []Check
	Other        components.Field
	Errors       []components.FieldError
	ReasonError  string
	Action, Keep string
}

// NewCancelPage builds the cancel form for a, with what was chosen and typed and fe beside it
// when it came back with errors.
func NewCancelPage(page Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment, reason, other string, fe booking.FieldErrors) CancelPage {
	t := m.Manage
	base := manageBase(a.VisitNumber)
	facts := newAppointmentPage(page, m, c, a, base)
	p := CancelPage{Page: page, Summary: facts.Rows[:min(3, len(facts.Rows))], Action: base + "/cancel", Keep: base}
	for _, r := range booking.CancelReasons {
		p.Reasons = append(p.Reasons, Check{Value: r, Label: t.Reasons[r], Checked: r == reason})
	}
	p.Other = components.Field{Name: "other", Label: t.Other, Hint: t.OtherHint, Type: "text", Value: other, MaxLength: 200,
		Error: say(m, fe, "other"), Autocomplete: "off"}
	p.Errors = fieldErrors(m, fe, []string{"reason", "other"}, func(f string) string {
		if f == "reason" {
			return "cr-" + booking.CancelReasons[0]
		}
		return f
	})
	p.ReasonError = say(m, fe, "reason")
	return p
}
