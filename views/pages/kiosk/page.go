// Package kiosk holds the kiosk's screens (a clinic tablet on which walk-ins book): the
// enrollment form, the next open times today, the reason, the visit type, the times (the soonest first), the details,
// the urgent advice and the done screen with its printable slip, each with its view model,
// inside the kiosk layout: large type, touch targets of at least 48 × 48 px, an idle warning
// and a full reset, nothing remembered by the browser.
package kiosk

import (
	"slices"
	"time"

	"doorway/booking"
	"doorway/views"
	"doorway/views/components"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

// Idle timing, in seconds: the warning, then the reset (the session's own max age is the
// same 90 seconds, so without script the server forgets the person at the same moment).
const (
	WarnAfter  = 60
	ResetAfter = 90
	DoneAfter  = 30 // the done screen starts over sooner: the booking is made
)

// Page is what the kiosk layout needs.
type Page struct {
	views.Page
	Idle      int  // seconds after which the screen starts over (0: the enrollment form, no timer)
	StartOver bool // show the "Start over" button (every screen but the first)
}

// titled is p with its title set.
func (p Page) titled(title string) Page {
	p.Title = title
	return p
}

// EnrollPage is the enrollment form a tablet shows until it is a kiosk.
type EnrollPage struct {
	Page
	Code components.Field
}

// NewEnrollPage builds the enrollment form with the problem, if any, beside the code.
func NewEnrollPage(p Page, m *i18n.Messages, problem string) EnrollPage {
	t := m.Kiosk
	return EnrollPage{Page: p, Code: components.Field{Name: "code", Label: t.EnrollCode, Hint: t.CodeHint, Type: "text",
		Error: problem, Autocomplete: "off", MaxLength: 20}}
}

// Choice is one big button: the value it posts and its words.
type Choice struct {
	Value, Label string
	Mark         string // a word before the label ("Today"), "" for none
}

// NextPage is the first screen: "Next available today at this location", the soonest open
// times of each walk-in visit type, and the way to choose a reason instead.
type NextPage struct {
	Page
	Types    []NextType
	AnyToday bool   // some time is today; false: say so plainly, and send the person to the desk
	Notice   string // the time just tapped was taken
}

// NextType is one walk-in visit type's times on the first screen.
type NextType struct {
	Code, Name string
	Times      []Choice
	Today      bool // its times are today's (and tomorrow's), not the soonest other day's
}

// MaxNext bounds the times of each visit type on the first screen: a few big buttons.
const MaxNext = 4

// NewNextPage builds the first screen from the walk-in times (booking.Service.WalkInTimes).
func NewNextPage(p Page, m *i18n.Messages, c *booking.Clinic, walk []booking.WalkIn, today time.Time, ref func(booking.Slot) string, notice string) NextPage {
	out := NextPage{Page: p, Notice: notice}
	for _, w := range walk {
		if len(w.Slots) == 0 {
			continue
		}
		out.AnyToday = out.AnyToday || w.Today
		out.Types = append(out.Types, NextType{Code: w.VisitType.Code, Name: w.VisitType.Name.In(m.Lang), Today: w.Today,
			Times: timeChoices(m, c, w.Slots, today, ref)})
	}
	return out
}

// timeChoices are slots as time buttons, today's and tomorrow's marked.
func timeChoices(m *i18n.Messages, c *booking.Clinic, slots []booking.Slot, today time.Time, ref func(booking.Slot) string) []Choice {
	var out []Choice
	for _, sl := range slots {
		local := sl.Start.In(c.LocationOf(sl.Location).Zone())
		ch := Choice{Value: ref(sl), Label: m.Kiosk.Time(m.Format.Day(local), m.Format.Clock(local), providerName(c, sl.Provider.ID))}
		switch local.Format(time.DateOnly) {
		case today.Format(time.DateOnly):
			ch.Mark = m.Kiosk.Today
		case today.AddDate(0, 0, 1).Format(time.DateOnly):
			ch.Mark = m.Kiosk.Tomorrow
		}
		out = append(out, ch)
	}
	return out
}

// StartPage is the reason screen: why the person needs to be seen.
type StartPage struct {
	Page
	Heading, Intro string
	Reasons        []Choice
	Other          components.Field
	OtherValue     string
	Error          string // about the reason buttons
}

// NewStartPage builds the reason screen: the clinic's common reasons as buttons, or, when the
// person already tapped a time of visit type forType ("" for none), the reasons that lead to
// it; and a box for other words (triaged, like every reason).
func NewStartPage(p Page, m *i18n.Messages, c *booking.Clinic, forType, typed string, fe booking.FieldErrors) StartPage {
	t := m.Kiosk
	out := StartPage{Page: p, Heading: t.StartHeading, Intro: t.StartIntro, OtherValue: booking.ReasonOther, Error: problem(m, fe, "reason")}
	reasons := c.CommonReasons(8)
	if forType != "" {
		out.Heading, out.Intro, reasons = t.WhyHeading, t.WhyIntro, c.ReasonsFor(forType)
	}
	for _, r := range reasons {
		out.Reasons = append(out.Reasons, Choice{Value: r.ID, Label: r.Label.In(m.Lang)})
	}
	out.Other = components.Field{Name: "other", Label: t.Other, Hint: t.OtherHint, Type: "text", Value: typed,
		Error: problem(m, fe, "other"), Autocomplete: "off", MaxLength: booking.MaxTypedReason}
	return out
}

// VisitTypePage asks the kind of visit when the reason leaves more than one.
type VisitTypePage struct {
	Page
	Types []Choice
}

// NewVisitTypePage builds the visit-type buttons.
func NewVisitTypePage(p Page, m *i18n.Messages, types []booking.VisitType) VisitTypePage {
	out := VisitTypePage{Page: p}
	for _, vt := range types {
		out.Types = append(out.Types, Choice{Value: vt.Code, Label: vt.Name.In(m.Lang)})
	}
	return out
}

// TimesPage is the open times as buttons, the soonest first.
type TimesPage struct {
	Page
	Times  []Choice
	Today  bool   // the times are today's (and tomorrow's); false: none is left today
	Notice string // the time just picked was taken
}

// MaxTimes bounds the times shown: a walk-in wants the next ones, not a week's grid.
const MaxTimes = 12

// NewTimesPage builds the time buttons from slots (booking.Clinic.SoonestTimes: today's, or
// the soonest other day's when isToday is false); ref names a slot in the form.
func NewTimesPage(p Page, m *i18n.Messages, c *booking.Clinic, slots []booking.Slot, isToday bool, today time.Time, ref func(booking.Slot) string, notice string) TimesPage {
	return TimesPage{Page: p, Notice: notice, Today: isToday, Times: timeChoices(m, c, slots, today, ref)}
}

func providerName(c *booking.Clinic, id string) string {
	if pr, ok := c.Provider(id); ok {
		return pr.DisplayName()
	}
	return ""
}

// DetailsPage is who the visit is for, with the held time above the form.
type DetailsPage struct {
	Page
	Held string
	Hold components.Hold
	Key  string // the booking's idempotency key
	patient.PatientFields
}

// NewDetailsPage builds the details form: the patient form's fields, none of them offered
// to or remembered by the browser's autofill (the next person uses the same tablet).
func NewDetailsPage(p Page, m *i18n.Messages, c *booking.Clinic, h booking.Hold, now time.Time, key string, f booking.PatientForm, fe booking.FieldErrors) DetailsPage {
	fields := patient.NewPatientFields(m, f, fe)
	for i := range fields.Fields {
		fields.Fields[i].Autocomplete = "off"
	}
	for i := range fields.Reach {
		fields.Reach[i].Autocomplete = "off"
		switch fields.Reach[i].Name { // a phone always (booking.PatientForm.ValidateWalkIn), the email if they like
		case "phone":
			fields.Reach[i].Hint = m.Kiosk.PhoneHint
		case "email":
			fields.Reach[i].Label = m.Kiosk.Email
		}
	}
	for i := range fields.DOB.Parts {
		fields.DOB.Parts[i].Autocomplete = "off"
	}
	fields.Lang.Autocomplete, fields.MRN.Autocomplete = "off", "off"
	loc := c.LocationOf(h.Slot.Location)
	local := h.Slot.Start.In(loc.Zone())
	when := m.Format.Day(local) + ", " + m.Format.Clock(local)
	return DetailsPage{Page: p, Held: m.Kiosk.Held(when, providerName(c, h.Slot.Provider.ID), loc.Name),
		Hold: patient.HoldView(m, c, h, now), Key: key, PatientFields: fields}
}

// UrgentPage stops the flow: get help now, and tell the front desk.
type UrgentPage struct {
	Page
	Advice string // the clinic's advice for a red-flag reason, "" for typed words
	Crisis bool
}

// DonePage is the booked screen with its slip.
type DonePage struct {
	Page
	Code, VisitNumber string
	Day, Clock, Zone  string
	Provider, Place   string
	Address, Phone    string
	Bring             []string // what to bring: the visit type's instructions, then the clinic's usual
	QR                QR
}

// NewDonePage builds the done screen and slip of a: when, where, with whom, the code, what to
// bring and the manage link as a QR code. Nothing of the reason or the patient's details is on it.
func NewDonePage(p Page, m *i18n.Messages, c *booking.Clinic, a booking.Appointment, manageURL string) (DonePage, error) {
	loc := c.LocationOf(a.Location)
	local := a.Start.In(loc.Zone())
	qr, err := NewQR(manageURL)
	if err != nil {
		return DonePage{}, err
	}
	return DonePage{Page: p, Code: a.Code, VisitNumber: a.VisitNumber, Day: m.Format.Day(local), Clock: m.Format.Clock(local),
		Zone: m.Format.Zone(loc.TimeZone), Provider: providerName(c, a.Provider.ID), Place: loc.Name, Address: loc.Address.OneLine(),
		Phone: loc.Phone, QR: qr, Bring: slices.Concat(patient.Instructions(m, c, a), []string{m.Kiosk.BringAlways})}, nil
}

// ErrorPage is a kiosk screen for a failure, with a way to start over.
type ErrorPage struct {
	Page
	Heading, Message string
}

// problem is the sentence for one field's error, "" when there is none.
func problem(m *i18n.Messages, fe booking.FieldErrors, field string) string {
	if msg, ok := fe[field]; ok {
		return m.Problem(msg, 422)
	}
	return ""
}
