package booking

import (
	"strings"
	"unicode/utf8"
)

// redFlagWords are phrases in a typed reason that mean "do not wait for an appointment".
// Matching is by substring on lowercased text with straight apostrophes and single spaces,
// so "suicid" covers suicide and suicidal and "chest  pain" is still chest pain. A false alarm
// costs a patient one click back; a miss could cost more.
var redFlagWords = []string{
	"chest pain", "chest pressure", "chest tightness", "heart attack",
	"can't breathe", "cant breathe", "cannot breathe", "can not breathe", "trouble breathing",
	"difficulty breathing", "struggling to breathe", "short of breath", "choking",
	"stroke", "face drooping", "slurred speech", "sudden weakness", "sudden numbness",
	"unconscious", "passed out", "fainted", "seizure", "overdose", "poisoning",
	"severe bleeding", "bleeding heavily", "won't stop bleeding", "wont stop bleeding", "coughing up blood", "vomiting blood",
	"anaphyla", "throat swelling", "throat is closing", "swollen tongue",
	"worst headache", "head injury", "stiff neck and fever",
	// The same emergencies as Spanish-speaking patients type them (accents are dropped before
	// matching, so "dolor de pecho" and "no puedo respirar" match with or without them).
	"dolor de pecho", "dolor en el pecho", "presion en el pecho", "ataque al corazon", "infarto",
	"no puedo respirar", "falta de aire", "me ahogo", "dificultad para respirar",
	"derrame", "embolia", "convulsion", "desmay", "inconsciente", "sobredosis", "envenenamiento",
	"sangrado abundante", "sangrado que no para", "no deja de sangrar", "vomito sangre", "toso sangre",
	"garganta se cierra", "lengua hinchada", "peor dolor de cabeza",
}

// crisisWords suggest a mental health crisis: the urgent page leads with 988.
var crisisWords = []string{
	"suicid", "kill myself", "end my life", "want to die", "self harm", "self-harm",
	"hurt myself", "harm myself", "cutting myself",
	"matarme", "quitarme la vida", "quiero morir", "hacerme dano", "lastimarme", "cortarme",
}

// Urgency is why a reason stops self-booking. The zero value means it does not.
type Urgency struct {
	RedFlag string // the catalogue red-flag reason chosen, by id
	Typed   bool   // typed words describe an emergency
	Crisis  bool   // typed words suggest a mental health crisis: 988 first
}

// Stop reports whether the flow must stop and send the person to urgent help.
func (u Urgency) Stop() bool { return u.RedFlag != "" || u.Typed || u.Crisis }

// Triage reads typed text for an emergency or a mental health crisis.
func Triage(text string) Urgency {
	t := foldText(text)
	for _, w := range crisisWords {
		if strings.Contains(t, w) {
			return Urgency{Typed: true, Crisis: true}
		}
	}
	for _, w := range redFlagWords {
		if strings.Contains(t, w) {
			return Urgency{Typed: true}
		}
	}
	return Urgency{}
}

// foldText lowercases, straightens apostrophes, drops Spanish accents and collapses runs of
// white space, so a list entry matches however it was typed.
func foldText(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'", "á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// ReasonOther is the reason form's value for "something else", typed in a few words.
const ReasonOther = "other"

// MaxTypedReason bounds a typed reason, in characters.
const MaxTypedReason = 200

// ReasonChoice is the reason step's answer once checked: a catalogue reason or typed words,
// or an urgency that stops the flow.
type ReasonChoice struct {
	ID      string // catalogue reason id; "" when typed
	Typed   string // what the person typed (PHI); "" when a catalogue reason fits alone
	Urgency Urgency
}

// ChooseReason checks the reason form: id is a catalogue reason id or ReasonOther, typed the
// words in the "tell us" box. Typed words are triaged even beside a listed reason
// ("headache" and "worst of my life"); a red-flag reason or words stop the flow.
func (c *Clinic) ChooseReason(id, typed string) (ReasonChoice, FieldErrors) {
	typed = strings.TrimSpace(typed)
	r, listed := c.Reason(id)
	switch {
	case id == "" && typed == "":
		return ReasonChoice{}, FieldErrors{"reason": MsgReasonMissing}
	case id == ReasonOther && typed == "":
		return ReasonChoice{}, FieldErrors{"other": MsgReasonTypedMissing}
	case utf8.RuneCountInString(typed) > MaxTypedReason:
		return ReasonChoice{}, FieldErrors{"other": MsgReasonTypedLong}
	case id != "" && id != ReasonOther && !listed:
		return ReasonChoice{}, FieldErrors{"reason": MsgReasonUnknown}
	}
	u := Triage(typed)
	if listed && r.RedFlag {
		u.RedFlag = r.ID
	}
	if u.Stop() {
		return ReasonChoice{Urgency: u}, nil
	}
	if listed {
		return ReasonChoice{ID: id}, nil
	}
	return ReasonChoice{Typed: typed}, nil
}
