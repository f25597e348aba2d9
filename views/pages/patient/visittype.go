package patient

import (
	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// VisitTypePage is step 2: the kinds of visit that fit the reason, and whether the patient
// is new to the clinic.
type VisitTypePage struct {
	Page
	AskSeen   bool   // some options are only for new or only for returning patients
	Seen      string // "yes", "no" or ""
	SeenError string
	Options   []VisitTypeOption
	Selected  string // visit type code
	Error     string
}

// VisitTypeOption is one self-bookable visit type.
type VisitTypeOption struct {
	Code     string
	Name     string
	Summary  string
	Duration string // "40 minutes"
	For      booking.PatientKind
	ForText  string // who the visit is for, when it is not for everyone
}

// NewVisitTypePage builds step 2 for the reason, with the answers so far (or as submitted)
// and the errors beside them.
func NewVisitTypePage(page Page, m *i18n.Messages, c *booking.Clinic, reasonID string, seen booking.Seen, selected string, fe booking.FieldErrors) VisitTypePage {
	p := VisitTypePage{Page: page, AskSeen: c.AsksSeen(reasonID), Seen: string(seen), Selected: selected,
		SeenError: say(m, fe, "seen"), Error: say(m, fe, "visit_type")}
	for _, v := range c.VisitTypesFor(reasonID, booking.SeenUnasked) {
		o := VisitTypeOption{Code: v.Code, Name: v.Name.In(m.Lang), Summary: v.Summary.In(m.Lang),
			Duration: m.Format.Minutes(v.Minutes), For: v.Patients}
		switch v.Patients {
		case booking.PatientsNew:
			o.ForText = m.VisitType.ForNew
		case booking.PatientsEstablished:
			o.ForText = m.VisitType.ForReturning
		}
		p.Options = append(p.Options, o)
	}
	return p
}

// Class hides the option with CSS when it does not fit the new/returning answer.
func (o VisitTypeOption) Class() string {
	switch o.For {
	case booking.PatientsNew:
		return "choice for-new"
	case booking.PatientsEstablished:
		return "choice for-established"
	}
	return "choice"
}

// Errors lists the page's errors for the summary.
func (p VisitTypePage) Errors() []components.FieldError {
	var out []components.FieldError
	if p.SeenError != "" {
		out = append(out, components.FieldError{Field: "seen-yes", Message: p.SeenError})
	}
	if p.Error != "" && len(p.Options) > 0 {
		out = append(out, components.FieldError{Field: "vt-" + p.Options[0].Code, Message: p.Error})
	}
	return out
}
