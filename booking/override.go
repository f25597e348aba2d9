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
)

// Rules are the rules in the order the desk lists them.
var Rules = []Rule{RuleLeadTime, RuleHorizon, RuleSelfBook}

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
	return s.clinic.bends(sl.Start, vt, s.now())
}

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
