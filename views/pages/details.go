package pages

import (
	"doorway/booking"
	"doorway/views"
	"doorway/views/components"
)

// DetailsPage is step 5: who the appointment is for.
type DetailsPage struct {
	views.Page
	Hold   components.Hold
	Fields []components.Field // first name, last name, date of birth, phone, email
	Lang   components.Select
	MRN    components.Field
	Errors []components.FieldError
}

// NewDetailsPage builds the form from what the patient typed and the errors beside each field.
func NewDetailsPage(page views.Page, hold components.Hold, f booking.PatientForm, errs booking.FieldErrors, today string) DetailsPage {
	p := DetailsPage{Page: page, Hold: hold}
	p.Fields = []components.Field{
		{Name: "first_name", Label: "First name", Type: "text", Value: f.FirstName, Error: errs["first_name"], Autocomplete: "given-name", MaxLength: 60},
		{Name: "last_name", Label: "Last name", Type: "text", Value: f.LastName, Error: errs["last_name"], Autocomplete: "family-name", MaxLength: 60},
		{Name: "dob", Label: "Date of birth", Hint: "For example, 1984-07-21.", Type: "date", Value: f.DOB, Error: errs["dob"], Autocomplete: "bday", Max: today},
		{Name: "phone", Label: "Mobile phone", Hint: "We'll text a reminder. Give a mobile number, an email address, or both.", Type: "tel", Value: f.Phone, Error: errs["phone"], Autocomplete: "tel", MaxLength: 30},
		{Name: "email", Label: "Email address", Type: "email", Value: f.Email, Error: errs["email"], Autocomplete: "email", MaxLength: 254},
	}
	p.Lang = components.Select{Name: "language", Label: "Preferred language", Hint: "We'll arrange an interpreter when you need one.",
		Value: f.Language, Error: errs["language"], Autocomplete: "language"}
	if p.Lang.Value == "" {
		p.Lang.Value = "en"
	}
	for _, l := range views.Languages {
		p.Lang.Options = append(p.Lang.Options, components.Option{Value: l.Code, Label: l.Name})
	}
	p.MRN = components.Field{Name: "mrn", Label: "Medical record number (optional)", Hint: "If you know it: it's on your patient portal or a past visit summary.",
		Type: "text", Value: f.MRN, Error: errs["mrn"], Autocomplete: "off", MaxLength: 20}
	for _, name := range booking.PatientFields {
		if m, ok := errs[name]; ok {
			p.Errors = append(p.Errors, components.FieldError{Field: name, Message: m})
		}
	}
	return p
}
