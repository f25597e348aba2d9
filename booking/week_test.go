package booking

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// cappedEHR is an EHR that, like the sandbox, answers a query with at most limit open
// times, earliest first, flagging the answer incomplete when it cut it.
type cappedEHR struct {
	fakeEHR
	limit int
	mu    sync.Mutex
	asked []SlotQuery
}

func (e *cappedEHR) AvailableSlots(_ context.Context, q SlotQuery) (SlotPage, error) {
	e.mu.Lock()
	e.asked = append(e.asked, q)
	e.mu.Unlock()
	var out []Slot
	for _, sl := range e.slots {
		inProv := len(q.Providers) == 0 || slices.ContainsFunc(q.Providers, func(p ProviderRef) bool { return p.ID == sl.Provider.ID })
		if inProv && !sl.Start.Before(q.Start) && sl.Start.Before(q.End) {
			out = append(out, sl)
		}
	}
	slices.SortFunc(out, func(a, b Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Provider.ID, b.Provider.ID))
	})
	if len(out) > e.limit {
		return SlotPage{Slots: out[:e.limit], Incomplete: true}, nil
	}
	return SlotPage{Slots: out}, nil
}

// everyHour offers each provider at north a slot every hour from 8:00 to 16:00 (Chicago) on
// the seven days from 2 December 2026.
func everyHour(providers ...string) []Slot {
	chicago, _ := time.LoadLocation("America/Chicago")
	var out []Slot
	for d := range 7 {
		for h := 8; h <= 16; h++ {
			for _, p := range providers {
				out = append(out, slotAt(p, "North FM", time.Date(2026, 12, 2+d, h, 0, 0, 0, chicago)))
			}
		}
	}
	return out
}

func TestWeekAsksDayByDayAndCompletesThePage(t *testing.T) {
	ehr := &cappedEHR{limit: 12}
	ehr.slots = everyHour("1111111111", "4444444444", "5555555555")
	svc, _ := newTestService(t, &ehr.fakeEHR)
	svc.ehr = ehr
	svc.clinic.Providers = append(svc.clinic.Providers,
		Provider{ID: "4444444444", IDType: "NPI", FirstName: "Di", Locations: []string{"north"}},
		Provider{ID: "5555555555", IDType: "NPI", FirstName: "Ed", Locations: []string{"north"}})
	p := Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-08"}
	w, err := svc.Week(context.Background(), p, "s", WeekView{PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Dates) != 7 || w.Providers != 3 || w.Pages != 2 || len(w.Rows) != 2 {
		t.Fatalf("week %d dates, %d providers, %d pages, %d rows", len(w.Dates), w.Providers, w.Pages, len(w.Rows))
	}
	// Each day of 27 times was capped at 12; asked again for the page's two providers (18),
	// capped again, each row still reaches into the afternoon of every day of the week.
	for _, r := range w.Rows {
		for d, times := range r.Days {
			if len(times) < 6 {
				t.Errorf("%s on %s: %d times, want the day's first six at least", r.ProviderID, w.Dates[d], len(times))
			}
		}
	}
	if !w.Incomplete || !w.Capped {
		t.Errorf("capped days not reported: incomplete %v, capped %v", w.Incomplete, w.Capped)
	}
	if whole, _ := svc.Week(context.Background(), Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-02", Providers: []string{"1111111111"}}, "s", WeekView{PerPage: 2}); whole.Capped || whole.Total() != 9 {
		t.Errorf("one provider's day (9 times, under the cap): capped %v with %d times", whole.Capped, whole.Total())
	}
	if s, ok := w.Soonest(); !ok || s.Provider.ID != "1111111111" {
		t.Errorf("soonest %+v", s)
	}
	if w2, _ := svc.Week(context.Background(), p, "s", WeekView{Page: 5, PerPage: 2}); w2.Page != 1 || len(w2.Rows) != 1 {
		t.Errorf("a page past the end: page %d with %d rows, want the last", w2.Page, len(w2.Rows))
	}
}

func TestHoldAsksForThatProviderAndDay(t *testing.T) {
	ehr := &cappedEHR{limit: 10} // a day of everyone (18) is cut; one provider's day (9) is not
	ehr.slots = everyHour("1111111111", "4444444444")
	svc, _ := newTestService(t, &ehr.fakeEHR)
	svc.ehr = ehr
	svc.clinic.Providers = append(svc.clinic.Providers, Provider{ID: "4444444444", IDType: "NPI", Locations: []string{"north"}})
	p := Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-08"}
	late := ehr.slots[len(ehr.slots)-1] // the week's last time: beyond any capped answer for everyone
	if _, _, err := svc.Hold(context.Background(), "s", p, late.Key()); err != nil {
		t.Fatalf("holding the week's last time: %v", err)
	}
	_, alts, err := svc.Hold(context.Background(), "other", p, late.Key())
	if ErrorCode(err) != CodeSlotTaken || len(alts) == 0 {
		t.Errorf("another session: %v with %d alternatives, want taken with some", err, len(alts))
	}
	outside := Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-03"}
	if _, _, err := svc.Hold(context.Background(), "third", outside, ehr.slots[len(ehr.slots)-2].Key()); ErrorCode(err) != CodeInvalid {
		t.Errorf("a time outside the patient's dates: %v, want refused", err)
	}
	mornings := Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-08", Bands: []Band{Morning}}
	if _, _, err := svc.Hold(context.Background(), "fourth", mornings, ehr.slots[len(ehr.slots)-4].Key()); ErrorCode(err) != CodeSlotTaken {
		t.Errorf("an afternoon time for a mornings search: %v, want not offered", err)
	}
}

func TestMatchProvidersAndShift(t *testing.T) {
	c := ruleClinic(t)
	c.Providers[0].LastName, c.Providers[0].Languages, c.Providers[0].Specialty = "Ruíz", []string{"es"}, En("Pediatrics")
	tests := []struct {
		p    Preferences
		want []string
	}{
		{Preferences{VisitType: "SICK", Who: "ruiz"}, []string{"1111111111"}}, // accents and case ignored
		{Preferences{VisitType: "SICK", Speaks: "es"}, []string{"1111111111"}},
		{Preferences{VisitType: "SICK", Specialty: "pediatrics"}, []string{"1111111111"}},
		{Preferences{VisitType: "SICK", Locations: []string{"west"}, Who: "e"}, []string{"2222222222"}},
		{Preferences{VisitType: "SICK", Who: "Cy"}, nil}, // Cy does not offer SICK
	}
	for _, tt := range tests {
		if got := c.MatchProviders(tt.p); !slices.Equal(got, tt.want) {
			t.Errorf("MatchProviders(%+v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	_, fe := c.ApplyForm(Preferences{VisitType: "SICK"}, PreferencesForm{From: "2026-03-02", To: "2026-03-08", Who: "nobody"}, ruleToday)
	if fe["who"] != MsgNoProviderMatches {
		t.Errorf("a name nobody has: %v", fe)
	}
	p := Preferences{From: "2026-03-02", To: "2026-03-08"}
	if next, _ := p.Shift(7, ruleToday); next.From != "2026-03-09" || next.To != "2026-03-15" {
		t.Errorf("a week on: %+v", next)
	}
	if back, _ := p.Shift(-7, ruleToday); back.From != "2026-03-02" || back.To != "2026-03-08" {
		t.Errorf("a week back from today: %+v, want today's week", back)
	}
	far := Preferences{From: "2027-02-28", To: "2027-03-06"}
	if _, err := far.Shift(7, ruleToday); ErrorCode(err) != CodeInvalid {
		t.Errorf("past the bookable year: %v", err)
	}
}

// TestWeekReusesTheCachedAnswer: the cache keeps each day's answer cleaned and in order, so
// a second look at the week neither asks the EHR nor copies or sorts what it answered; a time
// another patient holds is left out of the second look without touching the shared answer.
func TestWeekReusesTheCachedAnswer(t *testing.T) {
	ehr := &cappedEHR{limit: 1000}
	ehr.slots = everyHour("1111111111")
	st := newMemStore()
	now := testNow
	svc := NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st, Appointments: st, Now: func() time.Time { return now }, CacheFor: time.Minute})
	p := Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-08"}
	v := WeekView{PerPage: 4, CellTimes: 3}
	first, err := svc.Week(context.Background(), p, "s", v)
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.Week(context.Background(), p, "s", v)
	if err != nil {
		t.Fatal(err)
	}
	if len(ehr.asked) != 7 {
		t.Errorf("the EHR was asked %d times for two looks at 7 days, want 7", len(ehr.asked))
	}
	if &first.Days[0][0] != &again.Days[0][0] {
		t.Error("the second look copied the cached answer")
	}
	if r := again.Rows[0]; len(r.Days[0]) != 3 || r.More[0] != 6 {
		t.Errorf("a cell of 9 times shows %d and %d more, want 3 and 6", len(r.Days[0]), r.More[0])
	}
	if all := (Week{Days: again.Days}); !slices.IsSortedFunc(slices.Collect(all.All()), slotOrder) || all.Total() != 63 {
		t.Errorf("All: %d times, sorted %v", all.Total(), slices.IsSortedFunc(slices.Collect(all.All()), slotOrder))
	}

	taken := first.Days[0][1]
	if err := st.PutHold(context.Background(), Hold{ID: "H1", SessionID: "other", Slot: taken, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now); err != nil {
		t.Fatal(err)
	}
	held, err := svc.Week(context.Background(), p, "s", v)
	if err != nil {
		t.Fatal(err)
	}
	if held.Total() != 62 || slices.ContainsFunc(held.Days[0], func(sl Slot) bool { return sl.Key() == taken.Key() }) {
		t.Errorf("with one time held elsewhere: %d times (want 62), held time offered: %v", held.Total(),
			slices.ContainsFunc(held.Days[0], func(sl Slot) bool { return sl.Key() == taken.Key() }))
	}
	if first.Days[0][1].Key() != taken.Key() || len(first.Days[0]) != 9 {
		t.Error("leaving the held time out changed the shared answer")
	}
}

// TestAllMergesTheDaysInTimeOrder: a clinic's late time on one date can come after another
// clinic's early time on the next (time zones): All still yields earliest first.
func TestAllMergesTheDaysInTimeOrder(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	w := Week{Days: [][]Slot{
		{slotAt("1111111111", "North FM", t0), slotAt("1111111111", "North FM", t0.Add(3*time.Hour))},
		{slotAt("2222222222", "West FM", t0.Add(time.Hour)), slotAt("2222222222", "West FM", t0.Add(4*time.Hour))},
		nil,
		{slotAt("1111111111", "North FM", t0.Add(2*time.Hour))},
	}}
	var got []time.Duration
	for sl := range w.All() {
		got = append(got, sl.Start.Sub(t0)/time.Hour)
	}
	if !slices.Equal(got, []time.Duration{0, 1, 2, 3, 4}) {
		t.Errorf("All yields hours %v, want 0 1 2 3 4", got)
	}
	if s, ok := w.Soonest(); !ok || !s.Start.Equal(t0) {
		t.Errorf("Soonest %v", s.Start)
	}
}

// TestQueryKeyTellsQueriesApart: the cache shares an answer only between identical queries;
// every field that changes the EHR's answer, or Doorway's reading of it, changes the key.
func TestQueryKeyTellsQueriesApart(t *testing.T) {
	base := SlotQuery{Start: testNow, End: testNow.Add(24 * time.Hour), Reasons: []string{"Cough"},
		VisitType: Coded{Code: "SICK"}, Minutes: 20, FromDate: "2026-12-02", ToDate: "2026-12-02"}
	variants := map[string]func(q *SlotQuery){
		"start":     func(q *SlotQuery) { q.Start = q.Start.Add(time.Hour) },
		"end":       func(q *SlotQuery) { q.End = q.End.Add(time.Hour) },
		"reasons":   func(q *SlotQuery) { q.Reasons = []string{"Cough", "Fever"} },
		"visitType": func(q *SlotQuery) { q.VisitType.Code = "FU" },
		"minutes":   func(q *SlotQuery) { q.Minutes = 40 },
		"days":      func(q *SlotQuery) { q.Days = []time.Weekday{time.Monday} },
		"bands":     func(q *SlotQuery) { q.Bands = []Band{Morning} },
		"providers": func(q *SlotQuery) { q.Providers = []ProviderRef{{ID: "1111111111", IDType: "NPI"}} },
		"locations": func(q *SlotQuery) { q.Locations = []LocationRef{{Department: "North FM"}} },
		"patient":   func(q *SlotQuery) { q.Patient = []Identifier{{ID: "M1", IDType: "MR"}} },
		"dates":     func(q *SlotQuery) { q.ToDate = "2026-12-03" },
		"split":     func(q *SlotQuery) { q.Reasons = []string{"Co", "ugh"} },
	}
	seen := map[string]string{queryKey(base): "base"}
	for name, change := range variants {
		q := base
		change(&q)
		k := queryKey(q)
		if other, dup := seen[k]; dup {
			t.Errorf("%s has the same key as %s: %q", name, other, k)
		}
		seen[k] = name
	}
}
