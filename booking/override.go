package booking

import (
	"slices"
	"strings"
	"time"
)

// Overrides: the patient rules the front desk may bend for one booking, when the clinic lets
// a staff member do so (Staff.MayOverride). The desk's search and hold lift the rules it may
// bend (Search and Hold take them); the booking then names every rule its time bends, with a
// reason, and the override is kept with the appointment, sent to the EHR with the New, and
// audit-logged under the staff member in the booking's transaction.

// Rule names one patient rule.
type Rule string

// The rules the desk may bend.
const (
	RuleLeadTime Rule = "lead_time" // nothing sooner than the clinic's lead time (Clinic.LeadMinutes)
	RuleHorizon  Rule = "horizon"   // nothing later than the patients' horizon (Clinic.HorizonDays)
	RuleSelfBook Rule = "self_book" // only visit types patients may book themselves (VisitType.SelfBook)
	// RuleDoubleBook: only times nobody is booked at. Staff may book a visit type that allows it
	// (VisitType.DoubleBook) on a time already booked, beside the visit there (Slot.Booked).
	RuleDoubleBook Rule = "double_book"
)

// Rules are the rules in the order the desk lists them.
var Rules = []Rule{RuleLeadTime, RuleHorizon, RuleSelfBook, RuleDoubleBook}

// OverrideReasons are why the desk bends a rule; "other" takes words.
var OverrideReasons = []string{"urgent", "clinician", "follow_up", "access", "other"}

// MaxOverrideNote bounds the words that go with an override's reason.
const MaxOverrideNote = 200

// Override is a booking's bent rules and why.
type Override struct {
	Rules  []Rule `json:",omitzero"`
	Reason string `json:",omitzero"` // one of OverrideReasons
	Note   string `json:",omitzero"` // the staff member's words: required for "other"
}

// IsZero reports whether nothing was bent.
func (o Override) IsZero() bool { return len(o.Rules) == 0 }

// Bent reports whether the override bends r.
func (o Override) Bent(r Rule) bool { return slices.Contains(o.Rules, r) }

// String is the override as the EHR and the audit log read it: "lead_time,self_book: urgent
// (the note)".
func (o Override) String() string {
	if o.IsZero() {
		return ""
	}
	names := make([]string, len(o.Rules))
	for i, r := range o.Rules {
		names[i] = string(r)
	}
	s := strings.Join(names, ",") + ": " + o.Reason
	if o.Note != "" {
		s += " (" + o.Note + ")"
	}
	return s
}

// ParseOverride reads Override.String back (what an EHR echoes in AppointmentInfo); ok is
// false when s names no known rule.
func ParseOverride(s string) (o Override, ok bool) {
	names, rest, found := strings.Cut(s, ": ")
	if !found {
		return Override{}, false
	}
	for _, n := range strings.Split(names, ",") {
		if r := Rule(strings.TrimSpace(n)); slices.Contains(Rules, r) {
			o.Rules = append(o.Rules, r)
		}
	}
	o.Reason, o.Note, _ = strings.Cut(rest, " (")
	o.Note = strings.TrimSuffix(o.Note, ")")
	return o, len(o.Rules) > 0
}

// Bends is the rules a booking of sl for visit type vt would bend at time now, in Rules order.
func (s *Service) Bends(sl Slot, vt VisitType) []Rule {
	return s.clinic.slotBends(sl, vt, s.now())
}

// slotBends is the rules a booking of sl bends at time now: those of its start (bends), and
// RuleDoubleBook when sl is a time already booked.
func (c *Clinic) slotBends(sl Slot, vt VisitType, now time.Time) []Rule {
	out := c.bends(sl.Start, vt, now)
	if sl.Booked {
		out = append(out, RuleDoubleBook)
	}
	return out
}

// bends is the rules a visit of type vt starting at start bends at time now, but
// RuleDoubleBook, which depends on the time's visits, not its start (see slotBends).
func (c *Clinic) bends(start time.Time, vt VisitType, now time.Time) []Rule {
	var out []Rule
	if start.Before(now.Add(c.Lead())) {
		out = append(out, RuleLeadTime)
	}
	if !start.Before(now.Add(c.Horizon())) {
		out = append(out, RuleHorizon)
	}
	if !vt.SelfBook {
		out = append(out, RuleSelfBook)
	}
	return out
}

// heldOverride checks o against the rules a booking of h with visit type vt bends (see
// checkOverride). The rules are judged as they stood when the time was held: a patient's time
// does not turn into an override by slipping inside the lead time while they type. A time
// already booked takes only a visit type that may be double-booked, whoever asks.
func (s *Service) heldOverride(h Hold, vt VisitType, o *Override, by *Actor) (Override, error) {
	if h.Slot.Booked && !vt.DoubleBook {
		return Override{}, Fail(CodeConflict, MsgDoubleBookNotAllowed)
	}
	return checkOverride(o, s.clinic.slotBends(h.Slot, vt, h.CreatedAt), by)
}

// checkOverride checks o against the rules bent: each named, with a reason (and words for
// "other"), by a staff member. It returns o cleaned, holding exactly the rules bent.
func checkOverride(o *Override, bent []Rule, by *Actor) (Override, error) {
	if len(bent) == 0 {
		return Override{}, nil
	}
	if o == nil || by == nil || by.Kind != "staff" || slices.ContainsFunc(bent, func(r Rule) bool { return !slices.Contains(o.Rules, r) }) {
		return Override{}, Fail(CodeConflict, MsgOverrideNeeded)
	}
	if !slices.Contains(OverrideReasons, o.Reason) {
		return Override{}, Invalid("override_reason", MsgOverrideReasonMissing)
	}
	note := CleanText(o.Note)
	if o.Reason == "other" && note == "" {
		return Override{}, Invalid("override_note", MsgOverrideNoteMissing)
	}
	if len([]rune(note)) > MaxOverrideNote {
		return Override{}, Invalid("override_note", MsgReasonTypedLong)
	}
	return Override{Rules: slices.Clone(bent), Reason: o.Reason, Note: note}, nil
}

// lifts reports whether lift lifts r.
func lifts(lift []Rule, r Rule) bool { return slices.Contains(lift, r) }
