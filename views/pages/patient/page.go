// Package patient holds the patient mode's pages: the booking wizard (reason, visit type,
// when, times, details, review), the confirmation, the urgent page and the error page, each
// with its view model beside it, inside the patient layout. Builders turn domain values into
// view models in the page's language (an *i18n.Messages).
package patient

import (
	"doorway/booking"
	"doorway/views"
	"doorway/views/components"
	"doorway/views/i18n"
)

// Page is what the patient layout needs: the base page, and the wizard step it shows.
type Page struct {
	views.Page
	Step int    // the wizard step (1 reason, 2 visit type, 3 time, 4 details, 5 review), 0 elsewhere
	At   int    // where the step stands among the steps this patient takes
	Of   int    // how many steps this patient takes (the visit type is skipped when one fits)
	Back string // the previous step's URL, "" for none
}

// titled is p with its title set (each page names itself, in its language).
func (p Page) titled(title string) Page {
	p.Title = title
	return p
}

// OtherReason is the value of the "Something else" choice on the reason page.
const OtherReason = booking.ReasonOther

// fieldErrors turns booking's field errors into sentences, in the order of fields, each
// linked to the control with the id target(field).
func fieldErrors(m *i18n.Messages, fe booking.FieldErrors, fields []string, target func(string) string) []components.FieldError {
	var out []components.FieldError
	for _, f := range fields {
		if msg, ok := fe[f]; ok {
			out = append(out, components.FieldError{Field: target(f), Message: m.Problem(msg, 422)})
		}
	}
	return out
}

// say is the sentence for one field's error, "" when there is none.
func say(m *i18n.Messages, fe booking.FieldErrors, field string) string {
	if msg, ok := fe[field]; ok {
		return m.Problem(msg, 422)
	}
	return ""
}
