package pages

import (
	"doorway/booking"
	"doorway/views"
)

// VisitTypePage is step 2: the kinds of visit that fit the reason, and whether the patient
// is new to the clinic.
type VisitTypePage struct {
	views.Page
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

// ForText says who the visit is for, when it is not for everyone.
func (o VisitTypeOption) ForText() string {
	switch o.For {
	case booking.PatientsNew:
		return "For new patients"
	case booking.PatientsEstablished:
		return "For patients we've seen before"
	}
	return ""
}

// NewVisitTypeOption describes a catalogue visit type.
func NewVisitTypeOption(v booking.VisitType) VisitTypeOption {
	return VisitTypeOption{Code: v.Code, Name: v.Description, Summary: v.Summary, Duration: views.Minutes(v.Minutes), For: v.Patients}
}

// Errors lists the page's errors for the summary.
func (p VisitTypePage) Errors() []fieldError {
	var out []fieldError
	if p.SeenError != "" {
		out = append(out, fieldError{Field: "seen-yes", Message: p.SeenError})
	}
	if p.Error != "" && len(p.Options) > 0 {
		out = append(out, fieldError{Field: "vt-" + p.Options[0].Code, Message: p.Error})
	}
	return out
}
