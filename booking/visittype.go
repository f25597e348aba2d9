package booking

import (
	"slices"
	"strings"
)

// Seen is a patient's answer to "have you been seen here in the last 3 years?": it decides
// between visit types for new and for returning patients.
type Seen string

// Answers to the seen question.
const (
	SeenUnasked Seen = ""    // not asked: it would change nothing
	SeenYes     Seen = "yes" // a returning patient
	SeenNo      Seen = "no"  // a new patient
)

// Fits reports whether visit type v is for a patient who answered seen.
func (v VisitType) Fits(seen Seen) bool {
	switch v.Patients {
	case PatientsNew:
		return seen != SeenYes
	case PatientsEstablished:
		return seen != SeenNo
	}
	return true
}

// VisitTypesFor returns the self-bookable visit types that fit a reason (a catalogue reason
// id; "" for a typed reason, which fits every self-bookable type) and the seen answer, in the
// reason's order.
func (c *Clinic) VisitTypesFor(reasonID string, seen Seen) []VisitType {
	var codes []string
	if r, ok := c.Reason(reasonID); ok {
		codes = r.VisitTypes
	} else {
		for _, v := range c.VisitTypes {
			codes = append(codes, v.Code)
		}
	}
	var out []VisitType
	for _, code := range codes {
		if v, ok := c.VisitType(code); ok && v.SelfBook && v.Fits(seen) {
			out = append(out, v)
		}
	}
	return out
}

// AsksSeen reports whether the seen question changes which visit types fit the reason while
// leaving something to book either way (a reason only new patients book asks nothing).
func (c *Clinic) AsksSeen(reasonID string) bool {
	all := len(c.VisitTypesFor(reasonID, SeenUnasked))
	yes, no := len(c.VisitTypesFor(reasonID, SeenYes)), len(c.VisitTypesFor(reasonID, SeenNo))
	return yes > 0 && no > 0 && (yes != all || no != all)
}

// OnlyVisitType is the one visit type that fits the reason, when exactly one does: the
// visit-type step is then skipped.
func (c *Clinic) OnlyVisitType(reasonID string) (VisitType, bool) {
	opts := c.VisitTypesFor(reasonID, SeenUnasked)
	if len(opts) == 1 {
		return opts[0], true
	}
	return VisitType{}, false
}

// ChooseVisitType checks the visit-type form: the seen answer (required when AsksSeen) and
// the chosen code ("" is fine when the answer leaves exactly one type). It returns the visit
// type and the seen answer to keep.
func (c *Clinic) ChooseVisitType(reasonID string, seen Seen, code string) (VisitType, Seen, FieldErrors) {
	fe := FieldErrors{}
	if !c.AsksSeen(reasonID) {
		seen = SeenUnasked
	} else if seen != SeenYes && seen != SeenNo {
		seen = SeenUnasked
		fe["seen"] = MsgSeenMissing
	}
	opts := c.VisitTypesFor(reasonID, SeenUnasked)
	i := slices.IndexFunc(opts, func(v VisitType) bool { return v.Code == code })
	fitting := c.VisitTypesFor(reasonID, seen)
	switch {
	case code == "" && len(fitting) == 1 && len(fe) == 0:
		return fitting[0], seen, nil
	case code == "" && len(fe) == 0:
		fe["visit_type"] = MsgVisitTypeMissing
	case code != "" && i < 0:
		fe["visit_type"] = MsgVisitTypeUnknown
	case i >= 0 && !opts[i].Fits(seen) && opts[i].Patients == PatientsNew:
		fe["visit_type"] = MsgVisitTypeForNew
	case i >= 0 && !opts[i].Fits(seen):
		fe["visit_type"] = MsgVisitTypeForReturning
	}
	if len(fe) > 0 {
		return VisitType{}, seen, fe
	}
	return opts[i], seen, nil
}

// CommonReasons are the first n bookable reasons in the clinic file's order: the clinic
// lists its most asked-for reasons first.
func (c *Clinic) CommonReasons(n int) []Reason {
	var out []Reason
	for _, r := range c.Reasons {
		if len(out) < n && !r.RedFlag {
			out = append(out, r)
		}
	}
	return out
}

// FindReasons are the reasons whose label, in lang or in DefaultLang, holds every word of q
// (any case, accents ignored): the reason step's search.
func (c *Clinic) FindReasons(q, lang string) []Reason {
	words := foldText(q)
	if len(words) == 0 {
		return nil
	}
	var out []Reason
	for _, r := range c.Reasons {
		label := " " + strings.Join(foldText(r.Label.In(lang)+" "+r.Label.String()), " ")
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(label, " "+w) }) {
			out = append(out, r)
		}
	}
	return out
}
