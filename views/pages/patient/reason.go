package patient

import (
	"strconv"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// ReasonPage is the first step: why the patient wants to be seen. The most common reasons
// (or a search's matches) come first; every other reason is one tap away, grouped.
type ReasonPage struct {
	Page
	Query      string         // the search as typed
	Matched    bool           // Shown are the search's matches
	NoMatch    bool           // the search matched no listed reason
	Shown      []ReasonOption // the common reasons, or the matches
	Groups     []ReasonGroup  // every other reason, by the kind of visit it leads to
	More       int            // how many reasons the groups hold
	MoreOpen   bool           // the chosen reason is among them
	Selected   string         // a reason id, OtherReason, or ""
	Other      string         // what the patient typed
	Error      string         // about the choice as a whole
	OtherError string         // about the typed reason
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

// CommonReasons is how many reasons the step shows before "All reasons".
const CommonReasons = 8

// NewReasonPage builds the reason step for a search query (may be empty) with the answer so
// far (or as just submitted) and the errors beside it.
func NewReasonPage(page Page, m *i18n.Messages, c *booking.Clinic, query, selected, typed string, fe booking.FieldErrors) ReasonPage {
	p := ReasonPage{Page: page, Query: query, Selected: selected, Other: typed,
		Error: say(m, fe, "reason"), OtherError: say(m, fe, "other")}
	shown := c.CommonReasons(CommonReasons)
	if query != "" {
		if found := c.FindReasons(query, m.Lang); len(found) > 0 {
			shown, p.Matched = found, true
		} else if p.NoMatch = true; p.Other == "" {
			p.Other, p.Selected = query, OtherReason // the search's words, ready to send as typed
		}
	}
	in := map[string]bool{}
	for _, r := range shown {
		p.Shown = append(p.Shown, ReasonOption{ID: r.ID, Label: r.Label.In(m.Lang)})
		in[r.ID] = true
	}
	p.Groups = groupReasons(m, c, in)
	for _, g := range p.Groups {
		p.More += len(g.Reasons)
		for _, r := range g.Reasons {
			p.MoreOpen = p.MoreOpen || r.ID == selected
		}
	}
	return p
}

// groupReasons sorts the clinic's reasons not already shown into groups by the kind of visit
// each one leads to first (in catalogue order), with red-flag reasons last under their own
// heading.
func groupReasons(m *i18n.Messages, c *booking.Clinic, shown map[string]bool) []ReasonGroup {
	var groups []ReasonGroup
	index := map[string]int{}
	var urgent []ReasonOption
	for _, r := range c.Reasons {
		opt := ReasonOption{ID: r.ID, Label: r.Label.In(m.Lang)}
		switch {
		case shown[r.ID]:
			continue
		case r.RedFlag:
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
	for _, r := range p.Shown {
		return "r-" + r.ID
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
