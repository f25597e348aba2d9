package web

import "strings"

// redFlagWords are phrases in a typed reason that mean "do not wait for an appointment".
// Matching is by substring on lowercased text with straight apostrophes, so "suicid" covers
// suicide and suicidal. A false alarm costs a patient one click back; a miss could cost more.
var redFlagWords = []string{
	"chest pain", "chest pressure", "chest tightness", "heart attack",
	"can't breathe", "cant breathe", "cannot breathe", "can not breathe", "trouble breathing",
	"difficulty breathing", "struggling to breathe", "short of breath", "choking",
	"stroke", "face drooping", "slurred speech", "sudden weakness", "sudden numbness",
	"unconscious", "passed out", "fainted", "seizure", "overdose", "poisoning",
	"severe bleeding", "bleeding heavily", "won't stop bleeding", "wont stop bleeding", "coughing up blood", "vomiting blood",
	"anaphyla", "throat swelling", "throat is closing", "swollen tongue",
	"worst headache", "head injury", "stiff neck and fever",
}

// crisisWords suggest a mental health crisis: the urgent page leads with 988.
var crisisWords = []string{
	"suicid", "kill myself", "end my life", "want to die", "self harm", "self-harm",
	"hurt myself", "harm myself", "cutting myself",
}

// redFlag reports whether typed text describes an emergency, and whether it is a mental
// health crisis.
func redFlag(text string) (urgent, crisis bool) {
	t := strings.ToLower(strings.NewReplacer("\u2019", "'", "\u2018", "'").Replace(text))
	t = strings.Join(strings.Fields(t), " ")
	for _, w := range crisisWords {
		if strings.Contains(t, w) {
			return true, true
		}
	}
	for _, w := range redFlagWords {
		if strings.Contains(t, w) {
			return true, false
		}
	}
	return false, false
}
