package booking

import (
	"slices"
	"testing"
	"time"
)

// TestWalkInTypes: the clinic file's walk_in marks win; without any, the self-bookable types
// most reasons lead to (not the new-patient-only ones), at most two.
func TestWalkInTypes(t *testing.T) {
	c := ruleClinic(t)
	// Unmarked: SICK (knee, mole) before FU (mood); NEW is for new patients only, PROC not
	// self-bookable.
	if got, want := codes(c.WalkInTypes()), []string{"SICK", "FU"}; !slices.Equal(got, want) {
		t.Errorf("default walk-in types %v, want %v", got, want)
	}
	c.VisitTypes[1].WalkIn = true // FU
	c.VisitTypes[3].WalkIn = true // PROC: not self-bookable, never offered
	if got, want := codes(c.WalkInTypes()), []string{"FU"}; !slices.Equal(got, want) {
		t.Errorf("marked walk-in types %v, want %v", got, want)
	}
	if _, ok := c.WalkInType("SICK"); ok {
		t.Error("SICK is a walk-in type although the file marks only FU")
	}
	if vt, ok := c.WalkInType("FU"); !ok || vt.Code != "FU" {
		t.Errorf("WalkInType(FU) = %v, %v; want the first (and only) walk-in type", vt.Code, ok)
	}
	// Unmarked, with no reason leading to FU: only SICK, though two may be offered.
	c = ruleClinic(t)
	for i, r := range c.Reasons {
		if slices.Contains(r.VisitTypes, "FU") {
			c.Reasons[i].VisitTypes = []string{"SICK"}
		}
	}
	if got, want := codes(c.WalkInTypes()), []string{"SICK"}; !slices.Equal(got, want) {
		t.Errorf("walk-in types with no reason for FU %v, want %v", got, want)
	}
}

// TestReasonsFor: the reasons that lead to a visit type, never a red flag.
func TestReasonsFor(t *testing.T) {
	c := ruleClinic(t)
	c.Reasons[len(c.Reasons)-1].VisitTypes = []string{"SICK"} // a red flag listing SICK stays out
	var got []string
	for _, r := range c.ReasonsFor("SICK") {
		got = append(got, r.ID)
	}
	if want := []string{"knee", "mole"}; !slices.Equal(got, want) {
		t.Errorf("reasons for SICK %v, want %v", got, want)
	}
}

// TestWithReasonForVisit: a time picked first keeps its visit type when the reason fits it.
func TestWithReasonForVisit(t *testing.T) {
	c := ruleClinic(t)
	tests := []struct {
		name     string
		r        ReasonChoice
		wantType string
		wantKept bool
	}{
		{"a reason that fits", ReasonChoice{ID: "mole"}, "SICK", true},
		{"a typed reason fits any", ReasonChoice{Typed: "a cough"}, "SICK", true},
		{"a reason that does not fit", ReasonChoice{ID: "mood"}, "", false},
		{"a reason with one other type", ReasonChoice{ID: "newbie"}, "NEW", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, kept := Preferences{VisitType: "SICK", Locations: []string{"north"}}.WithReasonForVisit(c, tc.r)
			if p.VisitType != tc.wantType || kept != tc.wantKept || p.ReasonID != tc.r.ID || p.ReasonText != tc.r.Typed {
				t.Errorf("got %+v kept %v, want visit type %q kept %v", p, kept, tc.wantType, tc.wantKept)
			}
		})
	}
}

// TestSoonestTimes: today's and tomorrow's times when any is today; else only the soonest
// other day's; at most n.
func TestSoonestTimes(t *testing.T) {
	c := ruleClinic(t)
	chicago := c.Locations[0].Zone()
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, chicago)
	at := func(day, hour int) Slot {
		return Slot{Start: time.Date(2026, 3, day, hour, 0, 0, 0, chicago), Minutes: 20, Location: c.Locations[0].Ref()}
	}
	days := func(ss []Slot) []int {
		var out []int
		for _, s := range ss {
			out = append(out, s.Start.Day()*100+s.Start.Hour())
		}
		return out
	}
	tests := []struct {
		name      string
		slots     []Slot
		n         int
		want      []int
		wantToday bool
	}{
		{"today and tomorrow", []Slot{at(2, 15), at(3, 9), at(4, 9)}, 5, []int{215, 309}, true},
		{"at most n", []Slot{at(2, 15), at(2, 16), at(3, 9)}, 2, []int{215, 216}, true},
		{"none today: the soonest other day alone", []Slot{at(4, 9), at(4, 10), at(5, 9)}, 5, []int{409, 410}, false},
		{"nothing", nil, 5, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, isToday := c.SoonestTimes(tc.slots, today, tc.n)
			if !slices.Equal(days(got), tc.want) || isToday != tc.wantToday {
				t.Errorf("got %v today=%v, want %v today=%v", days(got), isToday, tc.want, tc.wantToday)
			}
		})
	}
}

// TestWalkInTimesAtTheKiosksLocation: the first screen's times are the kiosk location's, today's
// and tomorrow's, asked of the EHR for that location alone.
func TestWalkInTimesAtTheKiosksLocation(t *testing.T) {
	today := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC) // 10:00 in Chicago
	ehr := &fakeEHR{slots: []Slot{
		slotAt("1111111111", "North FM", today),
		slotAt("2222222222", "West FM", today),
		slotAt("1111111111", "North FM", today.AddDate(0, 0, 1)),
		slotAt("1111111111", "North FM", today.AddDate(0, 0, 2)),
	}}
	svc, _ := newTestService(t, ehr)
	got, err := svc.WalkInTimes(t.Context(), "north", "kiosk-session", 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].VisitType.Code != "FU" || !got[0].Today || len(got[0].Slots) != 2 ||
		!got[0].Slots[0].Start.Equal(today) || !got[0].Slots[1].Start.Equal(today.AddDate(0, 0, 1)) {
		t.Fatalf("walk-in times %+v; want FU with North's times today and tomorrow", got)
	}
	if q := ehr.queries[len(ehr.queries)-1]; len(q.Locations) != 1 || q.Locations[0].ID != "north" {
		t.Errorf("the EHR was asked for %+v, want north alone", q.Locations)
	}
}
