// Package views holds Doorway's templ components: the layout here, pages in views/pages and
// shared pieces in views/components. Components take view models shaped like the screen;
// context carries only cross-cutting values (the CSRF token) through the helpers below.
package views

import "context"

// Steps is how many screens the booking wizard has before the confirmation.
const Steps = 6

// StepNames names each wizard step for the step indicator (index = step number).
var StepNames = [Steps + 1]string{"", "Reason", "Type of visit", "When", "Time", "Your details", "Check and book"}

// Page is what the layout needs from every page.
type Page struct {
	Title  string // this page's part of <title>; the clinic name is appended
	Clinic string // the clinic's name, shown in the header
	Phone  string // the clinic's phone number, shown in the footer
	Step   int    // 1..Steps inside the wizard, 0 elsewhere
	Back   string // the previous step's URL, "" for none
}

// StepName is the name of the page's wizard step.
func (p Page) StepName() string {
	if p.Step < 1 || p.Step > Steps {
		return ""
	}
	return StepNames[p.Step]
}

type ctxKey int

const csrfKey ctxKey = 1

// WithCSRF returns ctx carrying the CSRF token that forms embed.
func WithCSRF(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey, token)
}

// CSRF returns the CSRF token carried by ctx ("" when none).
func CSRF(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey).(string)
	return s
}
