package desk

import (
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

// BookPage books for a caller on one screen: the search (visit type, location, provider,
// first day) on top, then the open times as choices and the patient's details in one form.
type BookPage struct {
	Page
	VisitType, Location, Provider components.Select
	From                          components.Field
	Search                        string // the search's fields, for the booking form to carry
	Days                          []BookDay
	Patient                       patient.PatientFields
	Key                           string // the form's idempotency key
	SlotError                     string
	Searched                      bool
	Errors                        []components.FieldError
}

// BookDay is one day's open times.
type BookDay struct {
	ID, Label string
	Times     []BookTime
}

// BookTime is one open time to choose.
type BookTime struct {
	Ref, Label, With string
	Checked          bool
}

// BookOf is what the book page shows besides its search.
type BookOf struct {
	Prefs    booking.Preferences
	Slots    []booking.Slot // the open times found, earliest first
	Ref      func(booking.Slot) string
	Chosen   string // the chosen time's reference
	Form     booking.PatientForm
	Errors   booking.FieldErrors
	Key      string
	Search   string
	Searched bool
}

// MaxBookTimes bounds the times the page lists: the first ones, a day at a time.
const MaxBookTimes = 60

// NewBookPage builds the page.
func NewBookPage(page Page, m *i18n.Messages, c *booking.Clinic, o BookOf) BookPage {
	t := m.Desk
	p := BookPage{Page: page, Key: o.Key, Search: o.Search, Searched: o.Searched}
	p.VisitType = components.Select{Name: "visit_type", Label: t.VisitType, Value: o.Prefs.VisitType}
	for _, vt := range c.VisitTypes {
		if !vt.SelfBook { // booking what patients cannot is an override (not yet offered)
			continue
		}
		p.VisitType.Options = append(p.VisitType.Options, components.Option{Value: vt.Code, Label: vt.Name.In(m.Lang) + ", " + m.Format.Minutes(vt.Minutes)})
	}
	p.Location = components.Select{Name: "location", Label: t.Location, Options: []components.Option{{Value: "", Label: m.Filters.AnyLocation}}}
	if len(o.Prefs.Locations) == 1 {
		p.Location.Value = o.Prefs.Locations[0]
	}
	for _, l := range c.Locations {
		p.Location.Options = append(p.Location.Options, components.Option{Value: l.ID, Label: l.Name})
	}
	p.Provider = components.Select{Name: "provider", Label: t.Provider, Options: []components.Option{{Value: "", Label: t.Anyone}}}
	if len(o.Prefs.Providers) == 1 {
		p.Provider.Value = o.Prefs.Providers[0]
	}
	for _, pr := range c.Providers {
		p.Provider.Options = append(p.Provider.Options, components.Option{Value: pr.ID, Label: pr.DisplayName()})
	}
	p.From = components.Field{Name: "from", Label: t.From, Type: "date", Value: o.Prefs.From}
	n := 0
	for _, sl := range o.Slots {
		if n == MaxBookTimes {
			break
		}
		loc := c.LocationOf(sl.Location)
		local := sl.Start.In(loc.Zone())
		date := local.Format(time.DateOnly)
		if len(p.Days) == 0 || p.Days[len(p.Days)-1].ID != "d-"+date {
			p.Days = append(p.Days, BookDay{ID: "d-" + date, Label: m.Format.Day(local)})
		}
		prov, _ := c.Provider(sl.Provider.ID)
		ref := o.Ref(sl)
		d := &p.Days[len(p.Days)-1]
		d.Times = append(d.Times, BookTime{Ref: ref, Label: m.Format.Clock(local), With: prov.DisplayName() + " · " + loc.Name, Checked: ref == o.Chosen})
		n++
	}
	p.Patient = patient.NewPatientFields(m, o.Form, o.Errors)
	if msg, ok := o.Errors["slot"]; ok {
		p.SlotError = m.Problem(msg, 422)
		p.Errors = append([]components.FieldError{{Field: "slot-first", Message: p.SlotError}}, p.Patient.Errors...)
	} else {
		p.Errors = p.Patient.Errors
	}
	return p
}
