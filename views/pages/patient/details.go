package patient

import (
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// DetailsPage is step 5: who the appointment is for.
type DetailsPage struct {
	Page
	Hold components.Hold
	PatientFields
}

// PatientFields is the patient's details form (the wizard's and the desk's): names, date of
// birth, contact, preferred language and record number, with the errors beside each.
type PatientFields struct {
	Fields []components.Field // first name, last name
	DOB    components.DateParts
	Reach  []components.Field // phone, email
	Lang   components.Select
	MRN    components.Field
	Errors []components.FieldError
}

// NewDetailsPage builds the form from what the patient typed and the errors beside each
// field. The preferred language defaults to the page's.
func NewDetailsPage(page Page, m *i18n.Messages, hold components.Hold, f booking.PatientForm, fe booking.FieldErrors, today time.Time) DetailsPage {
	return DetailsPage{Page: page, Hold: hold, PatientFields: NewPatientFields(m, f, fe)}
}

// NewPatientFields builds the details form from what was typed and the errors beside each
// field.
func NewPatientFields(m *i18n.Messages, f booking.PatientForm, fe booking.FieldErrors) PatientFields {
	var p PatientFields
	t := m.Details
	p.Fields = []components.Field{
		{Name: "first_name", Label: t.FirstName, Type: "text", Value: f.FirstName, Error: say(m, fe, "first_name"), Autocomplete: "given-name", MaxLength: 60},
		{Name: "last_name", Label: t.LastName, Type: "text", Value: f.LastName, Error: say(m, fe, "last_name"), Autocomplete: "family-name", MaxLength: 60},
		{Name: "phone", Label: t.Phone, Hint: t.PhoneHint, Type: "tel", Value: f.Phone, Error: say(m, fe, "phone"), Autocomplete: "tel", MaxLength: 30},
		{Name: "email", Label: t.Email, Type: "email", Value: f.Email, Error: say(m, fe, "email"), Autocomplete: "email", MaxLength: 254},
	}
	p.Reach, p.Fields = p.Fields[2:], p.Fields[:2]
	p.DOB = dobParts(m, f, say(m, fe, "dob"))
	p.Lang = components.Select{Name: "language", Label: t.Language, Hint: t.LanguageHint,
		Value: f.Language, Error: say(m, fe, "language"), Autocomplete: "language"}
	if p.Lang.Value == "" {
		p.Lang.Value = m.Lang
	}
	for _, l := range m.Languages {
		p.Lang.Options = append(p.Lang.Options, components.Option{Value: l.Code, Label: l.Name})
	}
	p.MRN = components.Field{Name: "mrn", Label: t.MRN, Hint: t.MRNHint,
		Type: "text", Value: f.MRN, Error: say(m, fe, "mrn"), Autocomplete: "off", MaxLength: 20}
	p.Errors = fieldErrors(m, fe, booking.PatientFields, func(f string) string {
		if f == "dob" {
			return p.DOB.Parts[0].ID()
		}
		return f
	})
	return p
}

// dobParts are the date of birth's three fields in the page's order, filled in from what was
// typed (or split from a one-field date).
func dobParts(m *i18n.Messages, f booking.PatientForm, err string) components.DateParts {
	t := m.Details
	values := map[string]string{"year": f.DOBYear, "month": f.DOBMonth, "day": f.DOBDay}
	if d, e := time.Parse(time.DateOnly, f.DOB); e == nil {
		values = map[string]string{"year": d.Format("2006"), "month": d.Format("1"), "day": d.Format("2")}
	}
	parts := map[string]components.DatePart{
		"year":  {Name: "dob_year", Label: t.Year, Value: values["year"], Autocomplete: "bday-year", Size: 4},
		"month": {Name: "dob_month", Label: t.Month, Value: values["month"], Autocomplete: "bday-month", Size: 2},
		"day":   {Name: "dob_day", Label: t.Day, Value: values["day"], Autocomplete: "bday-day", Size: 2},
	}
	d := components.DateParts{Name: "dob", Legend: t.DOB, Hint: t.DOBHint, Error: err}
	for _, k := range t.DOBOrder {
		d.Parts = append(d.Parts, parts[k])
	}
	return d
}

// HoldView describes a hold for the notice on the details and review pages.
func HoldView(m *i18n.Messages, c *booking.Clinic, h booking.Hold, now time.Time) components.Hold {
	loc := c.LocationOf(h.Slot.Location)
	local := h.Slot.Start.In(loc.Zone())
	left := max(h.ExpiresAt.Sub(now), 0)
	return components.Hold{
		Clock: m.Format.Clock(local), Day: m.Format.Day(local), Zone: m.Format.Zone(loc.TimeZone),
		Minutes: int((left + time.Minute - 1) / time.Minute), Seconds: int(left.Seconds()),
	}
}
