// Package pages holds one templ page per screen with its view model beside it. View models
// are plain values shaped like the screen; the builders here turn catalogue entries into them.
package pages

import (
	"doorway/booking"
	"doorway/views"
)

// OtherReason is the value of the "Something else" choice on the reason page.
const OtherReason = "other"

// ReasonPage is the first step: why the patient wants to be seen.
type ReasonPage struct {
	views.Page
	Groups     []ReasonGroup
	Selected   string // a reason id, OtherReason, or ""
	Other      string // what the patient typed
	Error      string // about the choice as a whole
	OtherError string // about the typed reason
}

// ReasonGroup is a heading with the reasons under it.
type ReasonGroup struct {
	ID      string
	Title   string
	Hint    string
	Reasons []ReasonOption
}

// ReasonOption is one catalogue reason.
type ReasonOption struct {
	ID, Label string
}

// GroupReasons sorts the clinic's reasons into groups by the kind of visit each one leads to
// first (in catalogue order), with red-flag reasons last under their own heading.
func GroupReasons(c *booking.Clinic) []ReasonGroup {
	var groups []ReasonGroup
	index := map[string]int{}
	var urgent []ReasonOption
	for _, r := range c.Reasons {
		opt := ReasonOption{ID: r.ID, Label: r.Label}
		if r.RedFlag {
			urgent = append(urgent, opt)
			continue
		}
		title := "Other reasons"
		for _, code := range r.VisitTypes {
			if vt, ok := c.VisitType(code); ok && vt.SelfBook {
				title = vt.Description
				break
			}
		}
		i, ok := index[title]
		if !ok {
			i = len(groups)
			index[title] = i
			groups = append(groups, ReasonGroup{ID: "rg" + itoa(i), Title: title})
		}
		groups[i].Reasons = append(groups[i].Reasons, opt)
	}
	if len(urgent) > 0 {
		groups = append(groups, ReasonGroup{ID: "rgu", Title: "Urgent symptoms",
			Hint: "Choose one of these and we'll tell you where to get help now.", Reasons: urgent})
	}
	return groups
}

// Errors lists the page's errors for the summary.
func (p ReasonPage) Errors() []fieldError {
	var out []fieldError
	if p.Error != "" {
		out = append(out, fieldError{Field: firstReasonID(p), Message: p.Error})
	}
	if p.OtherError != "" {
		out = append(out, fieldError{Field: "other", Message: p.OtherError})
	}
	return out
}

func firstReasonID(p ReasonPage) string {
	for _, g := range p.Groups {
		for _, r := range g.Reasons {
			return "r-" + r.ID
		}
	}
	return "r-" + OtherReason
}
