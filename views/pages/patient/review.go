package patient

import (
	"time"

	"doorway/booking"
	"doorway/views"
	"doorway/views/components"
	"doorway/views/i18n"
)

// ReviewPage is the last step: everything at once, each answer with a Change link, and the confirm
// button. Key is the idempotency key that makes a double click book once.
type ReviewPage struct {
	Page
	Hold    components.Hold
	Rows    []Row
	Key     string
	Button  string // "Book this appointment", or "Move my appointment"
	Heading string
}

// Row is one answer on the review or confirmation page.
type Row struct {
	Label  string
	Lines  []string
	List   []string // shown as a bulleted list under Lines
	Change string   // URL of the step that edits it, "" for none
	Tel    string   // a phone number shown as a link under Lines
	TestID string
}

// ReviewOf is what the review page shows: the answers, the held time and the patient.
type ReviewOf struct {
	Prefs   booking.Preferences
	Slot    booking.Slot
	Patient booking.Patient
	Paths   [6]string            // each step's URL, by step number, for the Change links
	Moving  *booking.Appointment // the appointment this time replaces, when moving one
}

// NewReviewPage lists the answers, each with the step that changes it.
func NewReviewPage(page Page, m *i18n.Messages, c *booking.Clinic, hold components.Hold, r ReviewOf, key string) ReviewPage {
	vt, _ := c.VisitType(r.Prefs.VisitType)
	loc := c.LocationOf(r.Slot.Location)
	prov, _ := c.Provider(r.Slot.Provider.ID)
	local := r.Slot.Start.In(loc.Zone())
	t := m.Review
	if r.Moving != nil { // only the time changes: the rest is the appointment's
		old := r.Moving
		oldLoc := c.LocationOf(old.Location)
		oldLocal := old.Start.In(oldLoc.Zone())
		rows := []Row{
			{Label: t.When, Lines: []string{t.At(m.Format.DayYear(local), m.Format.Clock(local)), m.Format.Zone(loc.TimeZone)}, Change: r.Paths[3], TestID: "when"},
			{Label: m.Manage.MovingFrom, Lines: []string{t.At(m.Format.DayYear(oldLocal), m.Format.Clock(oldLocal)), m.Format.Zone(oldLoc.TimeZone)}, TestID: "moving-from"},
			{Label: t.VisitType, Lines: []string{VisitTypeName(m, c, old.VisitType) + ", " + m.Format.Minutes(r.Slot.Minutes)}},
			{Label: t.With, Lines: []string{prov.DisplayName(), prov.Specialty.In(m.Lang)}, Change: r.Paths[3]},
			{Label: t.Where, Lines: []string{loc.Name, loc.Address.OneLine()}, Change: r.Paths[3]},
			{Label: t.Who, Lines: patientLines(m, r.Patient)},
		}
		return ReviewPage{Page: page, Hold: hold, Rows: rows, Key: key, Button: m.Manage.MoveIt, Heading: m.Manage.MoveHeading}
	}
	rows := []Row{
		{Label: t.Reason, Lines: []string{ReasonWords(m, c, r.Prefs)}, Change: r.Paths[1]},
		{Label: t.VisitType, Lines: []string{vt.Name.In(m.Lang) + ", " + m.Format.Minutes(vt.Minutes)}, Change: r.Paths[2]},
		{Label: t.When, Lines: []string{t.At(m.Format.DayYear(local), m.Format.Clock(local)), m.Format.Zone(loc.TimeZone)}, Change: r.Paths[3], TestID: "when"},
		{Label: t.With, Lines: []string{prov.DisplayName(), prov.Specialty.In(m.Lang)}, Change: r.Paths[3]},
		{Label: t.Where, Lines: []string{loc.Name, loc.Address.OneLine()}, Change: r.Paths[3]},
		{Label: t.Who, Lines: patientLines(m, r.Patient), Change: r.Paths[4]},
	}
	return ReviewPage{Page: page, Hold: hold, Rows: rows, Key: key, Button: t.Book, Heading: t.Heading}
}

// ReasonWords is the reason in the page's language: the catalogue label, or what was typed.
func ReasonWords(m *i18n.Messages, c *booking.Clinic, p booking.Preferences) string {
	if r, ok := c.Reason(p.ReasonID); ok {
		return r.Label.In(m.Lang)
	}
	return p.ReasonText
}

func patientLines(m *i18n.Messages, p booking.Patient) []string {
	t := m.Review
	born := p.DOB
	if d, err := time.Parse(time.DateOnly, p.DOB); err == nil {
		born = m.Format.Birth(d)
	}
	lines := []string{p.FirstName + " " + p.LastName, t.Born(born)}
	if p.Phone != "" {
		lines = append(lines, t.Mobile(views.Phone(p.Phone)))
	}
	if p.Email != "" {
		lines = append(lines, p.Email)
	}
	if p.Language != "" {
		lines = append(lines, t.Prefers(languageName(m, p.Language)))
	}
	for _, id := range p.Identifiers {
		lines = append(lines, t.Record(id.ID))
	}
	return lines
}
