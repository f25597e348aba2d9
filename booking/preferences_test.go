package booking

import (
	"slices"
	"testing"
	"time"
)

// ruleToday is the clinic's date in the preference tests: Monday 2 March 2026.
var ruleToday = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func TestApplyForm(t *testing.T) {
	c := ruleClinic(t)
	base := Preferences{ReasonID: "knee", VisitType: "SICK"}
	ok := PreferencesForm{From: "2026-03-02", To: "2026-03-15"}
	tests := []struct {
		name  string
		edit  func(*PreferencesForm)
		field string
		msg   Msg
	}{
		{"valid", func(*PreferencesForm) {}, "", ""},
		{"US date order", func(f *PreferencesForm) { f.From, f.To = "3/2/2026", "3/15/2026" }, "", ""},
		{"no first date", func(f *PreferencesForm) { f.From = " " }, "from", MsgFromMissing},
		{"first date not a date", func(f *PreferencesForm) { f.From = "next week" }, "from", MsgFromFormat},
		{"first date past", func(f *PreferencesForm) { f.From = "2026-03-01" }, "from", MsgFromPast},
		{"first date over a year ahead", func(f *PreferencesForm) { f.From, f.To = "2027-03-03", "2027-03-04" }, "from", MsgFromTooFar},
		{"no last date", func(f *PreferencesForm) { f.To = "" }, "to", MsgToMissing},
		{"last date not a date", func(f *PreferencesForm) { f.To = "soon" }, "to", MsgToFormat},
		{"last before first", func(f *PreferencesForm) { f.To = "2026-03-01" }, "to", MsgToBeforeFrom},
		{"15 days (what a page shows is 14)", func(f *PreferencesForm) { f.To = "2026-03-16" }, "to", MsgToSpan},
		{"14 days", func(f *PreferencesForm) { f.To = "2026-03-15" }, "", ""},
		{"unknown weekday", func(f *PreferencesForm) { f.Days = []string{"mon", "funday"} }, "days", MsgDaysUnknown},
		{"unknown band", func(f *PreferencesForm) { f.Bands = []string{"night"} }, "bands", MsgBandsUnknown},
		{"unknown provider", func(f *PreferencesForm) { f.Providers = []string{"9"} }, "providers", MsgProvidersUnknown},
		{"provider who does not offer the visit", func(f *PreferencesForm) { f.Providers = []string{"3333333333"} }, "providers", MsgProvidersUnknown},
		{"unknown location", func(f *PreferencesForm) { f.Locations = []string{"east"} }, "locations", MsgLocationsUnknown},
		{"a location without a provider", func(f *PreferencesForm) { f.Locations = []string{"west"} }, "", ""},
		{"provider not at the location", func(f *PreferencesForm) {
			f.Providers, f.Locations = []string{"1111111111"}, []string{"west"}
		}, "locations", MsgLocationsNoneWork},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.edit(&f)
			p, fe := c.ApplyForm(base, f, ruleToday)
			if tt.field == "" {
				if len(fe) != 0 {
					t.Fatalf("errors %v, want none", fe)
				}
				if p.From != "2026-03-02" || p.ReasonID != "knee" {
					t.Errorf("preferences %+v not normalised or lost the reason", p)
				}
				return
			}
			if fe[tt.field] != tt.msg {
				t.Errorf("errors %v, want %s on %s", fe, tt.msg, tt.field)
			}
		})
	}
	p, _ := c.ApplyForm(base, PreferencesForm{From: "next week", Days: []string{"Tue", "tue", "mon"}, Bands: []string{"evening"}}, ruleToday)
	if p.From != "next week" || !slices.Equal(p.Days, []time.Weekday{time.Tuesday, time.Monday}) || !slices.Equal(p.Bands, []Band{Evening}) {
		t.Errorf("form not kept as typed for re-rendering: %+v", p)
	}
}

func TestPreferencesQuery(t *testing.T) {
	c := ruleClinic(t)
	p := Preferences{ReasonID: "knee", VisitType: "SICK", From: "2026-03-02", To: "2026-03-03", Days: []time.Weekday{time.Monday}, Bands: []Band{Morning}}
	q, err := p.Query(c)
	if err != nil {
		t.Fatal(err)
	}
	chicago, _ := time.LoadLocation("America/Chicago")
	denver, _ := time.LoadLocation("America/Denver")
	if want := time.Date(2026, 3, 2, 0, 0, 0, 0, chicago); !q.Start.Equal(want) {
		t.Errorf("start %v, want Chicago's midnight %v (the earliest)", q.Start, want)
	}
	if want := time.Date(2026, 3, 4, 0, 0, 0, 0, denver); !q.End.Equal(want) {
		t.Errorf("end %v, want Denver's midnight after the last day %v (the latest)", q.End, want)
	}
	if q.VisitType != (Coded{Code: "SICK", Description: "Sick"}) || q.Minutes != 20 || !slices.Equal(q.Reasons, []string{"Knee pain"}) {
		t.Errorf("query %+v", q)
	}
	// Anyone means anyone who offers the visit type.
	if len(q.Providers) != 2 || q.Providers[0].ID != "1111111111" || q.Providers[0].IDType != "NPI" {
		t.Errorf("providers %+v, want the two who offer SICK", q.Providers)
	}
	p.Locations, p.Providers = []string{"west"}, []string{"2222222222"}
	if q, _ = p.Query(c); len(q.Locations) != 1 || q.Locations[0].Department != "West FM" || len(q.Providers) != 1 ||
		!q.Start.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, denver)) {
		t.Errorf("narrowed query %+v", q)
	}
	if _, err := (Preferences{VisitType: "SICK"}).Query(c); ErrorCode(err) != CodeInvalid {
		t.Errorf("a query without dates: %v", err)
	}
	longest := Preferences{VisitType: "SICK", From: "2026-03-02", To: "2026-05-30"}
	if q, _ := longest.Query(c); q.Validate() != nil {
		t.Errorf("the longest search a person may ask for is refused: %v", q.Validate())
	}
}

func TestOnDatesReadsTheSlotsZone(t *testing.T) {
	c := ruleClinic(t)
	q, err := Preferences{VisitType: "SICK", From: "2026-03-02", To: "2026-03-02"}.Query(c)
	if err != nil {
		t.Fatal(err)
	}
	west, _ := c.Location("west")
	north, _ := c.Location("north")
	// 23:30 on 2 March in Denver is 00:30 on 3 March in Chicago: on the chosen date at west.
	late := Slot{Start: time.Date(2026, 3, 3, 6, 30, 0, 0, time.UTC)}
	if !q.OnDates(late, west.Zone()) {
		t.Error("Denver's 2 March evening is not on 2 March")
	}
	if q.OnDates(late, north.Zone()) {
		t.Error("Chicago's 3 March is on 2 March")
	}
	if !late.Start.Before(q.End) {
		t.Error("the window does not reach Denver's 2 March evening")
	}
}

func TestWiden(t *testing.T) {
	p := Preferences{From: "2026-03-02", To: "2026-03-15", Days: []time.Weekday{time.Monday}, Providers: []string{"x"}}
	if got := p.Widenings(ruleToday); !slices.Equal(got, []Widening{WidenDays, WidenProviders, WidenLater}) {
		t.Errorf("widenings %v", got)
	}
	later, err := p.Widen(WidenLater, ruleToday)
	if err != nil || later.From != "2026-03-16" || later.To != "2026-03-22" || len(later.Days) != 1 {
		t.Errorf("later: %+v %v", later, err)
	}
	if w, _ := p.Widen(WidenDays, ruleToday); w.Days != nil || w.Providers == nil {
		t.Errorf("days: %+v", w)
	}
	if _, err := p.Widen("everything", ruleToday); ErrorCode(err) != CodeInvalid {
		t.Errorf("unknown widening: %v", err)
	}
	// "Later" stops at the year the form allows: never a search starting past it.
	end := Preferences{From: "2027-02-20", To: "2027-03-02"}
	if _, err := end.Widen(WidenLater, ruleToday); ErrorCode(err) != CodeInvalid {
		t.Errorf("later past the year: %v", err)
	}
	if slices.Contains(end.Widenings(ruleToday), WidenLater) {
		t.Error("later offered past the year")
	}
	if got := (Preferences{From: "2026-03-02", To: "2026-03-08"}).Widenings(ruleToday); !slices.Equal(got, []Widening{WidenLater}) {
		t.Errorf("widenings of an unnarrowed search = %v, want only later", got)
	}
	for range 40 { // tapping "later" again and again
		next, err := p.Widen(WidenLater, ruleToday)
		if err != nil {
			break
		}
		p = next
	}
	if from, _ := time.Parse(time.DateOnly, p.From); from.After(ruleToday.AddDate(0, 0, MaxAheadDays)) {
		t.Errorf("later reached %s", p.From)
	}
}

func TestWithReason(t *testing.T) {
	c := ruleClinic(t)
	p := Preferences{ReasonID: "mood", VisitType: "FU"}
	if got := p.WithReason(c, ReasonChoice{ID: "knee"}); got.VisitType != "SICK" {
		t.Errorf("one fitting visit type not chosen: %+v", got)
	}
	// A new reason asks again whenever more than one visit type fits, even if the old one
	// still does (the sports physical booked as the adult's physical).
	if got := p.WithReason(c, ReasonChoice{Typed: "thyroid"}); got.VisitType != "" || got.ReasonID != "" {
		t.Errorf("the last reason's visit type kept for a new one: %+v", got)
	}
	if got := p.WithReason(c, ReasonChoice{ID: "mood"}); got.VisitType != "FU" {
		t.Errorf("the same reason again lost its visit type: %+v", got)
	}
	withProvider := Preferences{ReasonID: "mood", VisitType: "FU", Providers: []string{"3333333333"}, Who: "Cy"}
	if got := withProvider.WithReason(c, ReasonChoice{ID: "knee"}); len(got.Providers) != 0 || got.Who != "" {
		t.Errorf("a provider who does not offer the new visit type kept: %+v", got)
	}
	if got := (Preferences{VisitType: "SICK"}).WithReason(c, ReasonChoice{ID: "mood"}); got.VisitType != "" {
		t.Errorf("a visit type that no longer fits kept: %+v", got)
	}
	if got := (Preferences{ReasonID: "mood", VisitType: "SICK"}).WithReason(c, ReasonChoice{ID: "mood"}); got.VisitType != "" {
		t.Errorf("the same reason kept a visit type that does not fit it: %+v", got)
	}
}
