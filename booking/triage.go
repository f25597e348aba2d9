package booking

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A triage rule matches when each of its groups is present in the text; a group is a list
// of alternatives, each a word stem (matching a word that starts with it) or, with a space in
// it, a phrase. Rules are in English and Spanish, read after foldText has taken out case,
// accents, punctuation, invisible characters and common misspellings, so word order,
// "can't"/"cant" and "chest" + a zero-width space + "pain" do not matter.
type rule [][]string

func r(groups ...string) rule {
	out := make(rule, len(groups))
	for i, g := range groups {
		out[i] = strings.Split(g, "|")
	}
	return out
}

// crisisRules suggest a mental health crisis: the urgent page leads with 988.
var crisisRules = []rule{
	r("suicid|kill myself|killing myself|end my life|end it all|want to die|wanna die|better off dead|no reason to live|" +
		"hurt myself|harm myself|self harm|cutting myself|cut myself|" +
		"matarme|quitarme la vida|quiero morir|me quiero morir|no quiero vivir|acabar con todo|acabar con mi vida|" +
		"hacerme dano|lastimarme|cortarme|hacerme algo"),
}

// emergencyRules are the red-flag families: chest pain, heart attack, breathing, stroke,
// severe bleeding, overdose or poisoning, bleeding in pregnancy, fever in a baby, loss of
// consciousness or a seizure, a closing throat, the worst headache.
var emergencyRules = []rule{
	r("chest|pecho", "pain|hurt|ache|pressur|tight|crush|squeez|heavy|dolor|duele|duel|presion|opresion|apriet|punzad"),
	r("heart attack|ataque al corazon|ataque cardiaco|infarto"),
	r("breath|respir|aire", "cant|cannot|can not|trouble|hard|short|difficult|struggl|gasp|not able|unable|no puedo|dificultad|falta|cuesta|me cuesta"),
	r("choking|me ahogo|ahogando|asfixi"),
	r("face droop|facial droop|slurred|slurring|cara caida|cara torcida|arrastra las palabras|no puedo hablar|trabo"),
	r("stroke|derrame|embolia", "having|symptom|sign|think|now|sintoma|senal|creo|tengo|teniendo"),
	r("sudden|suddenly|de repente|repentin", "weak|numb|confus|vision|speak|talk|debil|entumec|hablar|confund"),
	r("bleed|blood|sangr|hemorrag", "wont stop|will not stop|doesnt stop|cant stop|not stopping|a lot|lots|heavy|heavily|severe|"+
		"mucho|mucha|abundant|no para|no deja|sin parar"),
	r("vomiting blood|vomit blood|coughing up blood|cough up blood|throwing up blood|vomito sangre|vomitando sangre|toso sangre|tosiendo sangre"),
	r("overdos|took too many|too many pills|took all my|poison|sobredosis|envenen|demasiadas pastillas|tome muchas pastillas"),
	r("pregnan|embaraz", "bleed|blood|sangr|spotting|manch"),
	r("baby|infant|newborn|new born|week old|weeks old|month old|months old|bebe|recien nacid|semanas de nacid|meses de nacid", "fever|temperature|fiebre|calentura"),
	r("unconscious|passed out|pass out|fainted|not waking|wont wake|seizure|convuls|inconscien|desmay|no despierta"),
	r("anaphyla|throat closing|throat is closing|throat swell|swollen throat|tongue swell|swollen tongue|lengua hinchada|garganta se cierra|garganta cerrada|garganta hinchada"),
	r("worst headache|head injury|hit my head|peor dolor de cabeza|golpe en la cabeza|me golpee la cabeza"),
	r("stiff neck|cuello rigido|cuello tieso", "fever|fiebre"),
}

// doubtRules are weaker signs: the urgent advice is shown, with a way to go on booking.
var doubtRules = []rule{
	r("stroke|derrame|embolia"),
	r("bleeding|sangrado|sangrando|hemorrag"),
	r("chest|pecho", "burn|arde|ardor"),
	r("faint|dizzy|dizziness|lightheaded|light headed|mareo|mareado|mareada|desvanec"),
	r("numb|entumec|adormec|hormigue"),
	r("palpitation|heart racing|racing heart|heart pounding|palpitac|corazon acelerado"),
	r("confus|confund|desorient"),
	r("pregnan|embaraz", "pain|cramp|dolor|colic|contraccion"),
	r("severe pain|unbearable|worst pain|dolor insoportable|dolor muy fuerte|dolor fuerte"),
}

// misspellings are common ways of typing the words the rules look for, by the word they mean.
var misspellings = map[string]string{
	"breth": "breath", "brethe": "breathe", "brething": "breathing", "breathin": "breathing", "brath": "breath",
	"chset": "chest", "cheast": "chest", "chestt": "chest", "hart": "heart",
	"sucide": "suicide", "suicde": "suicide", "suiside": "suicide", "sucidal": "suicidal", "suicidle": "suicidal",
	"bleading": "bleeding", "bleding": "bleeding", "bledding": "bleeding", "unconcious": "unconscious",
	"siezure": "seizure", "seizur": "seizure", "seisure": "seizure", "seizer": "seizure",
	"pregnent": "pregnant", "pregant": "pregnant", "pregnet": "pregnant", "feaver": "fever", "fevor": "fever",
	"overdoes": "overdose", "overdossed": "overdosed", "od": "overdose", "pian": "pain", "pane": "pain",
}

// Urgency is why a reason stops self-booking. The zero value means it does not.
type Urgency struct {
	RedFlag string // the catalogue red-flag reason chosen, by id
	Typed   bool   // typed words describe an emergency
	Crisis  bool   // typed words suggest a mental health crisis: 988 first
	Doubt   bool   // typed words might be an emergency: advise, and let the person go on
}

// Stop reports whether the flow must stop at the urgent advice.
func (u Urgency) Stop() bool { return u.RedFlag != "" || u.Typed || u.Crisis || u.Doubt }

// Triage reads typed text for a mental health crisis, an emergency, or a sign that might be
// one. A false alarm costs a patient one click; a miss could cost more.
func Triage(text string) Urgency {
	words := foldText(text)
	switch {
	case anyRule(crisisRules, words):
		return Urgency{Typed: true, Crisis: true}
	case anyRule(emergencyRules, words):
		return Urgency{Typed: true}
	case anyRule(doubtRules, words):
		return Urgency{Doubt: true}
	}
	return Urgency{}
}

func anyRule(rules []rule, words []string) bool {
	joined := " " + strings.Join(words, " ") + " "
	for _, rl := range rules {
		if rl.matches(words, joined) {
			return true
		}
	}
	return false
}

func (rl rule) matches(words []string, joined string) bool {
	for _, group := range rl {
		found := false
		for _, alt := range group {
			if strings.Contains(alt, " ") {
				found = strings.Contains(joined, " "+alt) // a phrase, its last word a stem
			} else {
				for _, w := range words {
					if strings.HasPrefix(w, alt) {
						found = true
						break
					}
				}
			}
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// foldText is text as the rules read it: lower case, accents taken off, apostrophes dropped
// ("can't" is "cant"), invisible and punctuation characters made spaces, words split, and
// common misspellings replaced.
func foldText(s string) []string {
	var b strings.Builder
	for _, c := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, c): // an accent, after NFKD split it off its letter
		case c == '\'' || c == '\u2019' || c == '\u2018' || c == '`':
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			b.WriteRune(c)
		default: // spaces, punctuation, controls and format characters such as U+200B
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if fixed, ok := misspellings[w]; ok {
			words[i] = fixed
		}
	}
	return strings.Fields(strings.Join(words, " "))
}

// ReasonOther is the reason form's value for "something else", typed in a few words.
const ReasonOther = "other"

// MaxTypedReason bounds a typed reason, in characters.
const MaxTypedReason = 200

// ReasonChoice is the reason step's answer once checked: a catalogue reason or typed words,
// and an urgency when they call for help sooner than an appointment. The answer is kept even
// then, so a person who was only advised (Urgency.Doubt) can go on with it.
type ReasonChoice struct {
	ID      string // catalogue reason id; "" when typed
	Typed   string // what the person typed (PHI); "" when a catalogue reason fits alone
	Urgency Urgency
}

// ChooseReason checks the reason form: id is a catalogue reason id or ReasonOther, raw the
// words in the "tell us" box (kept cleaned of invisible characters). Typed words are triaged even
// beside a listed reason ("headache" and "worst of my life"); a red-flag reason or words
// stop the flow.
func (c *Clinic) ChooseReason(id, raw string) (ReasonChoice, FieldErrors) {
	typed := CleanText(raw)
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
	u := Triage(raw) // as typed: an invisible character between two words still parts them
	if listed && r.RedFlag {
		u.RedFlag, u.Doubt = r.ID, false
	}
	if listed {
		return ReasonChoice{ID: id, Urgency: u}, nil
	}
	return ReasonChoice{Typed: typed, Urgency: u}, nil
}
