package desk

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

// BookPage books for a caller on one screen: the search (visit type, location, provider,
// first day, and for staff who may override, the patients' rules to lift) on top, then the
// open times as choices, the override's reason when a time bends a rule, and the patient's
// details in one form. Moving an appointment for a patient, the visit type is the
// appointment's and the patient's details are not asked.
type BookPage struct {
	Page
	Heading                       string
	VisitType, Location, Provider components.Select
	From                          components.Field
	Lift                          []patient.Check // the rules to lift: staff who may override only
	Search                        string          // the search's fields, for the booking form to carry
	Days                          []BookDay
	Bends                         bool   // a listed time bends a rule: the override's reason is asked
	TypeBends                     string // the visit type is one patients cannot book: said once, not on every time
	NoDoubleBook                  string // times already booked were asked for a visit type that may not be double-booked
	OverrideReasons               []patient.Check
	OverrideNote                  components.Field
	OverrideError                 string
	Patient                       patient.PatientFields
	Find                          Find
	Moving                        string // "Moving Ada Lovelace's visit from …" when moving one
	MoveVisit                     string // the visit number moved
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
	Bends            string // the rules it bends, named ("" when none)
	Checked          bool
}

// BookOf is what the book page shows besides its search.
type BookOf struct {
	Prefs       booking.Preferences
	Slots       []booking.Slot // the open times found, earliest first
	Ref         func(booking.Slot) string
	Bends       func(booking.Slot) []booking.Rule // the rules a time bends
	Chosen      string                            // the chosen time's reference
	Form        booking.PatientForm
	Override    booking.Override // the reason and words chosen
	Errors      booking.FieldErrors
	Key         string
	Search      string
	Searched    bool
	MayOverride bool
	Lift        []booking.Rule
	Moving      *booking.Appointment
	Find        FindOf
}

// FindOf is the search for a returning patient and who it found.
type FindOf struct {
	Query  booking.PatientQuery
	Asked  bool // a search was made: say so when it found nobody
	Found  []booking.KnownPatient
	Errors booking.FieldErrors
}

// Find is the returning-patient search on the booking screen.
type Find struct {
	Last, First, DOB components.Field
	Asked            bool
	Found            []Known
	Errors           []components.FieldError
}

// Known is one patient found: what the clerk reads to the caller to be sure, and the details
// the "use" button fills in.
type Known struct {
	ID, Name, Born, Reach, Seen string
	Fields                      []components.Option // the details form's fields (Value is the name, Label the value)
}

// MaxBookTimes bounds the times the page lists: the first ones, a day at a time.
const MaxBookTimes = 60

// NewBookPage builds the page.
func NewBookPage(page Page, m *i18n.Messages, c *booking.Clinic, o BookOf) BookPage {
	t := m.Desk
	p := BookPage{Page: page, Heading: t.BookTitle, Key: o.Key, Search: o.Search, Searched: o.Searched}
	p.VisitType = components.Select{Name: "visit_type", Label: t.VisitType, Value: o.Prefs.VisitType}
	for _, vt := range c.VisitTypes {
		label := vt.Name.In(m.Lang) + ", " + m.Format.Minutes(vt.Minutes)
		if !vt.SelfBook {
			if !o.MayOverride && vt.Code != o.Prefs.VisitType { // booking what patients cannot is an override
				continue
			}
			label += " (" + t.StaffOnly + ")"
		}
		p.VisitType.Options = append(p.VisitType.Options, components.Option{Value: vt.Code, Label: label})
	}
	if o.MayOverride {
		p.Lift = liftChecks(t, c, o.Lift)
	}
	if vt, ok := c.VisitType(o.Prefs.VisitType); ok && !vt.DoubleBook && slices.Contains(o.Lift, booking.RuleDoubleBook) {
		p.NoDoubleBook = t.NoDoubleBook(vt.Name.In(m.Lang))
	}
	if a := o.Moving; a != nil {
		loc := c.LocationOf(a.Location)
		p.Heading, p.MoveVisit = t.MoveTitle, a.VisitNumber
		p.Moving = t.Moving(a.Patient.FirstName+" "+a.Patient.LastName, m.Format.Day(a.Start.In(loc.Zone()))+", "+m.Format.Clock(a.Start.In(loc.Zone())))
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
		bt := BookTime{Ref: ref, Label: m.Format.Clock(local), With: prov.DisplayName() + " · " + loc.Name, Checked: ref == o.Chosen}
		var names []string
		for _, r := range o.Bends(sl) {
			p.Bends = true
			if r == booking.RuleSelfBook {
				p.TypeBends = t.Override + ": " + t.Rules[r]
			} else {
				names = append(names, t.Rules[r])
			}
		}
		bt.Bends = strings.Join(names, ", ")
		d.Times = append(d.Times, bt)
		n++
	}
	for _, r := range booking.OverrideReasons {
		p.OverrideReasons = append(p.OverrideReasons, patient.Check{Value: r, Label: t.OverrideReasons[r], Checked: r == o.Override.Reason})
	}
	p.OverrideNote = components.Field{Name: "override_note", Label: t.OverrideNote, Hint: t.OverrideNoteHint, Type: "text",
		Value: o.Override.Note, MaxLength: booking.MaxOverrideNote}
	if o.Moving == nil {
		p.Patient = patient.NewPatientFields(m, o.Form, o.Errors)
		p.Find = newFind(m, o.Find)
	}
	if msg, ok := o.Errors["slot"]; ok {
		p.SlotError = m.Problem(msg, 422)
		p.Errors = append(p.Errors, components.FieldError{Field: "slot-first", Message: p.SlotError})
	}
	if msg, ok := o.Errors["override_reason"]; ok {
		p.OverrideError = m.Problem(msg, 422)
		p.Errors = append(p.Errors, components.FieldError{Field: "override-" + booking.OverrideReasons[0], Message: p.OverrideError})
	}
	if msg, ok := o.Errors["override_note"]; ok {
		p.OverrideNote.Error = m.Problem(msg, 422)
		p.Errors = append(p.Errors, components.FieldError{Field: "override_note", Message: p.OverrideNote.Error})
	}
	p.Errors = append(p.Errors, p.Patient.Errors...)
	return p
}

// liftChecks are the rules staff who may override can lift in the search: double-booking
// only when the clinic allows it for some visit type.
func liftChecks(t i18n.DeskPages, c *booking.Clinic, lift []booking.Rule) []patient.Check {
	rules := []booking.Rule{booking.RuleLeadTime, booking.RuleHorizon}
	if slices.ContainsFunc(c.VisitTypes, func(vt booking.VisitType) bool { return vt.DoubleBook }) {
		rules = append(rules, booking.RuleDoubleBook)
	}
	var out []patient.Check
	for _, r := range rules {
		out = append(out, patient.Check{Value: string(r), Label: t.Rules[r], Checked: slices.Contains(lift, r)})
	}
	return out
}

// errorRef is ref when there is an error to refer to.
func errorRef(err, ref string) string {
	if err == "" {
		return ""
	}
	return ref
}

// newFind builds the returning-patient search.
func newFind(m *i18n.Messages, o FindOf) Find {
	t := m.Desk
	f := Find{Asked: o.Asked,
		Last:  components.Field{Name: "find_last", Label: m.Details.LastName, Type: "text", Value: o.Query.Last, Autocomplete: "off"},
		First: components.Field{Name: "find_first", Label: t.FirstNameStart, Type: "text", Value: o.Query.First, Autocomplete: "off"},
		DOB:   components.Field{Name: "find_dob", Label: m.Details.DOB, Hint: t.DOBHint, Type: "text", Value: o.Query.DOB, Autocomplete: "off"},
	}
	for _, fe := range []struct {
		name  string
		field *components.Field
	}{{"find_last", &f.Last}, {"find_dob", &f.DOB}} {
		if msg, ok := o.Errors[fe.name]; ok {
			fe.field.Error = m.Problem(msg, 422)
			f.Errors = append(f.Errors, components.FieldError{Field: fe.name, Message: fe.field.Error})
		}
	}
	for _, k := range o.Found {
		p := k.Patient
		form := booking.FormOf(p)
		born, _ := time.Parse(time.DateOnly, p.DOB)
		reach := []string{}
		for _, v := range []string{p.Phone, p.Email} {
			if v != "" {
				reach = append(reach, v)
			}
		}
		seen := t.SeenHere(m.Format.DayYear(k.Last))
		if k.FromEHR {
			seen = t.SeenEHR(m.Format.DayYear(k.Last))
		}
		f.Found = append(f.Found, Known{Name: p.FirstName + " " + p.LastName, Born: m.Format.Birth(born), Reach: strings.Join(reach, " · "),
			Seen: seen, ID: "known-" + strconv.Itoa(len(f.Found)), Fields: []components.Option{{Value: "first_name", Label: form.FirstName},
				{Value: "last_name", Label: form.LastName}, {Value: "dob", Label: form.DOB}, {Value: "phone", Label: form.Phone},
				{Value: "email", Label: form.Email}, {Value: "language", Label: form.Language}, {Value: "mrn", Label: form.MRN}}})
	}
	return f
}
