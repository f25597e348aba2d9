// Package desk holds the front desk's pages (sign-in, the day view, booking for a caller,
// acting for a patient), each with its view model, inside the desk layout: denser than the
// patient's, desktop first, usable on a tablet.
package desk

import (
	"doorway/views"
	"doorway/views/components"
)

// Page is what the desk layout needs: the base page, and who is signed in.
type Page struct {
	views.Page
	Staff     string // the signed-in staff member's name; "" on the sign-in page
	Admin     bool
	Current   string // the desk area shown: "day", "book", "attention"
	Attention int    // how many items need attention, for the navigation
}

// titled is p with its title set.
func (p Page) titled(title string) Page {
	p.Title = title
	return p
}

// SignInPage is the sign-in form. After a failed try it shows the one message and empty
// fields (the same page for an unknown email and a wrong password).
type SignInPage struct {
	Page
	Problem  string
	Email    components.Field
	Password components.Field
	Next     string // where to go once signed in
}
