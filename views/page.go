// Package views holds Doorway's templ components: the base layout every mode's layout wraps
// (layout.templ), the pages of each mode in views/pages/<mode>, shared pieces in
// views/components and the words of every page, per language, in views/i18n. Components take
// view models shaped like the screen; the context carries only cross-cutting values (the
// language's message table, the CSRF token) through the helpers here and in views/i18n.
package views

import "context"

// Page is what the base layout needs from every page.
type Page struct {
	Title   string    // this page's part of <title>; the clinic name is appended
	Clinic  string    // the clinic's name, shown in the header
	Phone   string    // the clinic's phone number, shown in the footer
	Home    string    // where the clinic's name links to: the mode's start
	Switch  []LangURL // the language switch: the page in each other language
	Tagline string    // beside the clinic's name; "" for the patient's "Book an appointment"
}

// LangURL is this page in another language.
type LangURL struct {
	Lang, Name, URL string // "es", "Español", "/times?lang=es"
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
