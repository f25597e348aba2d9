package patient

import (
	"strconv"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// ReasonPage is the first step: why the patient wants to be seen.
type ReasonPage struct {
	Page
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

// NewReasonPage builds the reason step with the answer so far (or as just submitted) and the
// errors beside it.
func NewReasonPage(page Page, m *i18n.Messages, c *booking.Clinic, selected, typed string, fe booking.FieldErrors) ReasonPage {
	return ReasonPage{Page: page, Groups: groupReasons(m, c), Selected: selected, Other: typed,
		Error: say(m, fe, "reason"), OtherError: say(m, fe, "other")}
}

// groupReasons sorts the clinic's reasons into groups by the kind of visit each one leads to
// first (in catalogue order), with red-flag reasons last under their own heading.
func groupReasons(m *i18n.Messages, c *booking.Clinic) []ReasonGroup {
	var groups []ReasonGroup
	index := map[string]int{}
	var urgent []ReasonOption
	for _, r := range c.Reasons {
		opt := ReasonOption{ID: r.ID, Label: r.Label.In(m.Lang)}
		if r.RedFlag {
			urgent = append(urgent, opt)
			continue
		}
		title := m.Reason.OtherReasons
		for _, code := range r.VisitTypes {
			if vt, ok := c.VisitType(code); ok && vt.SelfBook {
				title = vt.Name.In(m.Lang)
				break
			}
		}
		i, ok := index[title]
		if !ok {
			i = len(groups)
			index[title] = i
			groups = append(groups, ReasonGroup{ID: "rg" + strconv.Itoa(i), Title: title})
		}
		groups[i].Reasons = append(groups[i].Reasons, opt)
	}
	if len(urgent) > 0 {
		groups = append(groups, ReasonGroup{ID: "rgu", Title: m.Reason.UrgentGroup, Hint: m.Reason.UrgentHint, Reasons: urgent})
	}
	return groups
}

// Errors lists the page's errors for the summary.
func (p ReasonPage) Errors() []components.FieldError {
	var out []components.FieldError
	if p.Error != "" {
		out = append(out, components.FieldError{Field: p.firstReasonID(), Message: p.Error})
	}
	if p.OtherError != "" {
		out = append(out, components.FieldError{Field: "other", Message: p.OtherError})
	}
	return out
}

func (p ReasonPage) firstReasonID() string {
	for _, g := range p.Groups {
		for _, r := range g.Reasons {
			return "r-" + r.ID
		}
	}
	return "r-" + OtherReason
}

// UrgentPage is shown instead of booking when the reason is a red flag.
type UrgentPage struct {
	Page
	Advice string // the catalogue's advice for the reason, "" for typed reasons
	Crisis bool   // the reason suggests a mental health crisis: 988 first
	Doubt  bool   // the words might mean an emergency: advise, and offer to go on
}

// NewUrgentPage builds the urgent page for u, with the clinic's own advice for a red-flag
// reason.
func NewUrgentPage(page Page, m *i18n.Messages, c *booking.Clinic, u booking.Urgency) UrgentPage {
	p := UrgentPage{Page: page, Crisis: u.Crisis, Doubt: u.Doubt && !u.Typed && u.RedFlag == ""}
	if r, ok := c.Reason(u.RedFlag); ok {
		p.Advice = r.Urgent.In(m.Lang)
	}
	return p
}
