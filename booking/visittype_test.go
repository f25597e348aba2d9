package booking

import (
	"slices"
	"testing"
)

func codes(vs []VisitType) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Code)
	}
	return out
}

func TestVisitTypesFor(t *testing.T) {
	c := ruleClinic(t)
	tests := []struct {
		reason string
		seen   Seen
		want   []string
	}{
		{"mood", SeenUnasked, []string{"FU", "NEW"}}, // the reason's order
		{"mood", SeenYes, []string{"FU"}},
		{"mood", SeenNo, []string{"NEW"}},
		{"mole", SeenUnasked, []string{"SICK"}}, // PROC is not self-bookable
		{"skin", SeenUnasked, nil},
		{"", SeenUnasked, []string{"NEW", "FU", "SICK"}}, // a typed reason: every self-bookable type
		{"", SeenYes, []string{"FU", "SICK"}},
	}
	for _, tt := range tests {
		if got := codes(c.VisitTypesFor(tt.reason, tt.seen)); !slices.Equal(got, tt.want) {
			t.Errorf("VisitTypesFor(%q, %q) = %v, want %v", tt.reason, tt.seen, got, tt.want)
		}
	}
	for reason, want := range map[string]bool{"mood": true, "knee": false, "newbie": false, "": true} {
		if got := c.AsksSeen(reason); got != want {
			t.Errorf("AsksSeen(%q) = %v, want %v", reason, got, want)
		}
	}
	if v, ok := c.OnlyVisitType("knee"); !ok || v.Code != "SICK" {
		t.Errorf("OnlyVisitType(knee) = %v %v, want SICK", v.Code, ok)
	}
	if _, ok := c.OnlyVisitType("mood"); ok {
		t.Error("OnlyVisitType(mood) found one of two")
	}
}

func TestChooseVisitType(t *testing.T) {
	c := ruleClinic(t)
	tests := []struct {
		name, reason string
		seen         Seen
		code         string
		want         string // visit type chosen, "" for an error
		field        string
		msg          Msg
	}{
		{"returning patient's follow-up", "mood", SeenYes, "FU", "FU", "", ""},
		{"the answer leaves one", "mood", SeenNo, "", "NEW", "", ""},
		{"seen not answered", "mood", "", "FU", "", "seen", MsgSeenMissing},
		{"seen answered wrongly", "mood", "maybe", "FU", "", "seen", MsgSeenMissing},
		{"new patient picks a returning visit", "mood", SeenNo, "FU", "", "visit_type", MsgVisitTypeForReturning},
		{"returning patient picks a new visit", "mood", SeenYes, "NEW", "", "visit_type", MsgVisitTypeForNew},
		{"not in the list", "mood", SeenYes, "SICK", "", "visit_type", MsgVisitTypeUnknown},
		{"not self-bookable", "mole", "", "PROC", "", "visit_type", MsgVisitTypeUnknown},
		{"nothing chosen among several", "", SeenYes, "", "", "visit_type", MsgVisitTypeMissing},
		{"seen ignored when not asked", "knee", SeenYes, "SICK", "SICK", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _, fe := c.ChooseVisitType(tt.reason, tt.seen, tt.code)
			if tt.want != "" {
				if len(fe) != 0 || v.Code != tt.want {
					t.Errorf("got %s %v, want %s", v.Code, fe, tt.want)
				}
				return
			}
			if fe[tt.field] != tt.msg {
				t.Errorf("errors %v, want %s on %s", fe, tt.msg, tt.field)
			}
		})
	}
}
