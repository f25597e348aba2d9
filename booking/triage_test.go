package booking

import "testing"

// triageCases are phrasings people type, in English and Spanish, with their misspellings and
// invisible characters: what each must lead to. "stop" is an emergency, "crisis" a mental
// health crisis, "doubt" the urgent advice with a way to go on, "" booking as usual (the
// near misses: a chest X-ray follow-up is not chest pain).
var triageCases = []struct{ text, want string }{
	// Chest pain and the heart.
	{"I have CHEST PAIN since this morning", "stop"}, {"pain in my chest", "stop"},
	{"my chest hurts and my left arm is numb", "stop"}, {"chest  \t pain when I climb stairs", "stop"},
	{"chest\u200bpain", "stop"}, {"I took  too   many of my pills", "stop"}, {"took\ttoo\u00a0many", "stop"}, {"chest\u202epain", "stop"}, {"tightness in chest", "stop"},
	{"crushing feeling in my chest", "stop"}, {"pressure on my chest", "stop"}, {"chset pian", "stop"},
	{"I think I'm having a heart attack", "stop"}, {"hart attack symptoms", "stop"},
	{"dolor de pecho", "stop"}, {"me duele el pecho", "stop"}, {"Dolor en el PECHO", "stop"},
	{"siento presión en el pecho", "stop"}, {"creo que es un infarto", "stop"}, {"ataque al corazón", "stop"},
	// Breathing.
	{"I can't breathe well at night", "stop"}, {"I cant breath", "stop"}, {"I can’t breathe", "stop"},
	{"trouble breathing", "stop"}, {"short of breath", "stop"}, {"shortness of breath walking", "stop"},
	{"hard to breathe", "stop"}, {"struggling to breathe", "stop"}, {"difficulty breathing", "stop"},
	{"can not breathe", "stop"}, {"my child is choking", "stop"}, {"no puedo respirar", "stop"},
	{"me falta el aire", "stop"}, {"dificultad para respirar", "stop"}, {"me cuesta respirar", "stop"}, {"me ahogo", "stop"},
	// Stroke.
	{"face drooping on one side", "stop"}, {"slurred speech since lunch", "stop"}, {"I think I'm having a stroke", "stop"},
	{"stroke symptoms", "stop"}, {"sudden weakness in my arm", "stop"}, {"suddenly numb on one side", "stop"},
	{"sudden confusion", "stop"}, {"sudden vision loss", "stop"}, {"cara caída y no puedo hablar", "stop"},
	{"creo que tengo un derrame", "stop"}, {"debilidad de repente en el brazo", "stop"},
	// Bleeding.
	{"bleeding a lot and it won't stop", "stop"}, {"bleeding that wont stop", "stop"}, {"heavy bleeding", "stop"},
	{"bleading heavily", "stop"}, {"blood won't stop", "stop"}, {"severe bleeding from a cut", "stop"},
	{"vomiting blood", "stop"}, {"coughing up blood", "stop"}, {"sangrado abundante", "stop"},
	{"sangra mucho y no para", "stop"}, {"estoy vomitando sangre", "stop"},
	// Overdose and poisoning.
	{"worried about an overdose of my pills", "stop"}, {"I took too many pills", "stop"}, {"my son drank poison", "stop"},
	{"overdosed on tylenol", "stop"}, {"sobredosis", "stop"}, {"tomé demasiadas pastillas", "stop"},
	// Pregnancy bleeding.
	{"pregnant and bleeding", "stop"}, {"bleeding while pregnant", "stop"}, {"pregnent with spotting", "stop"},
	{"embarazada y con sangrado", "stop"}, {"estoy embarazada y manchando", "stop"},
	// Fever in a baby.
	{"my 3 week old has a fever", "stop"}, {"newborn with fever", "stop"}, {"baby has a temperature of 101", "stop"},
	{"infant feaver", "stop"}, {"mi bebé tiene fiebre", "stop"}, {"recién nacido con calentura", "stop"},
	// Unconscious, seizures, the throat, the head.
	{"my dad passed out", "stop"}, {"fainted twice today", "stop"}, {"had a seizure", "stop"}, {"siezure this morning", "stop"},
	{"se desmayó", "stop"}, {"convulsiones", "stop"}, {"my throat is closing", "stop"}, {"swollen tongue after peanuts", "stop"},
	{"worst headache of my life", "stop"}, {"hit my head and feel sick", "stop"}, {"stiff neck and fever", "stop"},
	{"el peor dolor de cabeza de mi vida", "stop"}, {"se me hincha la lengua, lengua hinchada", "stop"},
	// A mental health crisis.
	{"I've been feeling suicidal", "crisis"}, {"I want to end it all", "crisis"}, {"I want to hurt myself", "crisis"},
	{"thinking about killing myself", "crisis"}, {"sucidal thoughts", "crisis"}, {"I want to die", "crisis"},
	{"better off dead", "crisis"}, {"self-harm", "crisis"}, {"Quiero quitarme la vida", "crisis"},
	{"me siento muy triste y quiero morir", "crisis"}, {"no quiero vivir", "crisis"}, {"pienso en hacerme daño", "crisis"},
	// Signs that might be an emergency.
	{"follow-up after my stroke last year", "doubt"}, {"some bleeding after my procedure", "doubt"},
	{"burning in my chest after meals", "doubt"}, {"feeling dizzy", "doubt"}, {"numbness in my toes", "doubt"},
	{"heart palpitations", "doubt"}, {"pregnant with cramps", "doubt"}, {"severe pain in my side", "doubt"},
	{"mareos", "doubt"}, {"embarazada con dolor", "doubt"},
	// Near misses: nothing urgent.
	{"chest x-ray follow-up", ""}, {"a follow-up about my thyroid", ""}, {"knee hurts after running", ""},
	{"blood pressure check", ""}, {"blood test results", ""}, {"heart medication refill", ""},
	{"breathing exercises for anxiety", ""}, {"inhaler refill", ""}, {"pregnancy test", ""}, {"prenatal visit", ""},
	{"baby's vaccines", ""}, {"my baby has a rash", ""}, {"fever and cough for two days", ""}, {"my son has a fever", ""},
	{"left arm pain after the gym", ""}, {"back pain", ""}, {"headache for two days", ""},
	{"medication refill for depression", ""}, {"control de la tiroides", ""}, {"análisis de sangre", ""},
	{"control de la presión arterial", ""}, {"vacunas del bebé", ""}, {"dolor de rodilla", ""}, {"tos y fiebre", ""},
}

func TestTriage(t *testing.T) {
	if len(triageCases) < 100 {
		t.Fatalf("%d phrasings; keep at least 100", len(triageCases))
	}
	for _, tt := range triageCases {
		t.Run(tt.text, func(t *testing.T) {
			u := Triage(tt.text)
			got := ""
			switch {
			case u.Crisis:
				got = "crisis"
			case u.Typed:
				got = "stop"
			case u.Doubt:
				got = "doubt"
			}
			if got != tt.want {
				t.Errorf("Triage(%q) = %+v (%q), want %q", tt.text, u, got, tt.want)
			}
			if u.Stop() != (tt.want != "") {
				t.Errorf("Stop() = %v", u.Stop())
			}
		})
	}
}

func TestChooseReason(t *testing.T) {
	c := ruleClinic(t)
	tests := []struct {
		name, id, typed string
		field           string // the error's field, "" when valid
		want            ReasonChoice
	}{
		{"catalogue reason", "knee", "", "", ReasonChoice{ID: "knee"}},
		{"catalogue reason drops typed words", "knee", "left knee", "", ReasonChoice{ID: "knee"}},
		{"typed reason", ReasonOther, "  thyroid follow-up ", "", ReasonChoice{Typed: "thyroid follow-up"}},
		{"typed words without a choice", "", "thyroid", "", ReasonChoice{Typed: "thyroid"}},
		{"nothing", "", "", "reason", ReasonChoice{}},
		{"something else, nothing typed", ReasonOther, " ", "other", ReasonChoice{}},
		{"unknown reason", "nope", "", "reason", ReasonChoice{}},
		{"too long", ReasonOther, string(make([]byte, 201)), "other", ReasonChoice{}},
		{"red-flag reason", "chest", "", "", ReasonChoice{ID: "chest", Urgency: Urgency{RedFlag: "chest"}}},
		{"red-flag words beside a listed reason", "knee", "worst headache of my life", "", ReasonChoice{ID: "knee", Urgency: Urgency{Typed: true}}},
		{"a doubtful sign keeps the answer", ReasonOther, "feeling dizzy", "", ReasonChoice{Typed: "feeling dizzy", Urgency: Urgency{Doubt: true}}},
		{"invisible characters are taken out", ReasonOther, "thyroid\u200b follow\u202e-up\x00", "", ReasonChoice{Typed: "thyroid follow-up"}},
		{"crisis words", ReasonOther, "I want to end my life", "", ReasonChoice{Typed: "I want to end my life", Urgency: Urgency{Typed: true, Crisis: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fe := c.ChooseReason(tt.id, tt.typed)
			if tt.field != "" {
				if _, ok := fe[tt.field]; !ok || len(fe) != 1 {
					t.Fatalf("errors %v, want one on %s", fe, tt.field)
				}
				return
			}
			if len(fe) != 0 || got != tt.want {
				t.Errorf("got %+v %v, want %+v", got, fe, tt.want)
			}
		})
	}
}
