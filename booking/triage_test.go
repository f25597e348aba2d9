package booking

import "testing"

func TestTriage(t *testing.T) {
	tests := []struct {
		text          string
		typed, crisis bool
	}{
		{"I have CHEST PAIN since this morning", true, false},
		{"chest  \t pain when I climb stairs", true, false}, // runs of white space
		{"I can’t breathe well at night", true, false},       // a curly apostrophe
		{"worried about an overdose of my pills", true, false},
		{"slurred speech since lunch", true, false},
		{"I've been feeling suicidal", true, true},
		{"I want to hurt myself", true, true},
		{"tengo dolor de pecho", true, false},      // Spanish
		{"no puedo respirar bien", true, false},    // Spanish
		{"tengo convulsiones", true, false},        // Spanish, plural
		{"Quiero quitarme la vida", true, true},    // Spanish crisis
		{"me siento muy triste y quiero morir", true, true},
		{"Dolor en el PECHO", true, false},         // accents and case
		{"a follow-up about my thyroid", false, false},
		{"knee hurts after running", false, false},
		{"control de la tiroides", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			u := Triage(tt.text)
			if u.Typed != tt.typed || u.Crisis != tt.crisis {
				t.Errorf("Triage(%q) = %+v, want typed %v crisis %v", tt.text, u, tt.typed, tt.crisis)
			}
			if u.Stop() != tt.typed {
				t.Errorf("Stop() = %v, want %v", u.Stop(), tt.typed)
			}
		})
	}
}

// TestTriageCoversEveryListedWord: each phrase on the lists is caught on its own, so a phrase
// dropped from matching (or a typo in one) fails here.
func TestTriageCoversEveryListedWord(t *testing.T) {
	for _, w := range redFlagWords {
		if u := Triage("since yesterday " + w + " again"); !u.Typed {
			t.Errorf("%q not caught", w)
		}
	}
	for _, w := range crisisWords {
		if u := Triage(w); !u.Crisis {
			t.Errorf("%q not caught as a crisis", w)
		}
	}
	for _, must := range []string{"overdose", "chest pain", "stroke", "suicid", "dolor de pecho"} {
		if u := Triage(must); !u.Typed {
			t.Errorf("the list lacks %q", must)
		}
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
		{"red-flag reason", "chest", "", "", ReasonChoice{Urgency: Urgency{RedFlag: "chest"}}},
		{"red-flag words beside a listed reason", "knee", "worst headache of my life", "", ReasonChoice{Urgency: Urgency{Typed: true}}},
		{"crisis words", ReasonOther, "I want to end my life", "", ReasonChoice{Urgency: Urgency{Typed: true, Crisis: true}}},
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
