package booking

// Tests added for mutants of doorway/booking that the other tests let live (make mutate
// PKG=./booking/, docs/TESTING.md).

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestIsBlock: a visit of the EHR's with a patient's identifier is a patient's visit; one with
// no identifier, or only blank ones, is a block of the provider's time.
func TestIsBlock(t *testing.T) {
	tests := []struct {
		name string
		ids  []Identifier
		want bool
	}{
		{"no identifier", nil, true},
		{"a blank identifier", []Identifier{{ID: "  ", IDType: "MR"}}, true},
		{"a patient's identifier", []Identifier{{ID: "MRN-1", IDType: "MR"}}, false},
		{"a blank one, then the patient's", []Identifier{{ID: ""}, {ID: "MRN-1", IDType: "MR"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Appointment{Patient: Patient{Identifiers: tt.ids}}
			if got := a.IsBlock(); got != tt.want {
				t.Errorf("IsBlock() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestConfirmWithoutAHoldSaysItExpired: a patient whose hold lapsed before they confirmed is
// told the hold expired (the store's bare not-found is not what they read).
func TestConfirmWithoutAHoldSaysItExpired(t *testing.T) {
	svc, _ := newTestService(t, &fakeEHR{})
	vt, _ := svc.Clinic().VisitType("FU")
	_, err := svc.Confirm(context.Background(), ConfirmRequest{Key: "k", SessionID: "s", VisitType: vt,
		Patient: Patient{FirstName: "A", LastName: "B", DOB: "1990-01-01"}})
	if ErrorCode(err) != CodeNotFound || MsgOf(err) != MsgHoldExpired {
		t.Errorf("Confirm without a hold = %v, want not found: %s", err, MsgHoldExpired)
	}
}

// TestGenerationCountsEveryAnswerWithoutACache: with the search cache off, each search is a
// new answer from the EHR and a new generation, so a page built from the last one is not
// served for the next.
func TestGenerationCountsEveryAnswerWithoutACache(t *testing.T) {
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", testNow.Add(26*time.Hour))}}
	svc, _ := newTestService(t, ehr) // CacheFor: -1
	ctx := context.Background()
	before := svc.Generation()
	for i := range 2 {
		if _, err := svc.Search(ctx, days(7), "s"); err != nil {
			t.Fatal(err)
		}
		if got, want := svc.Generation(), before+uint64(i+1); got != want {
			t.Errorf("after search %d: generation %d, want %d", i+1, got, want)
		}
	}
}

// TestCutMalformedBytes: an event name of stray continuation bytes (a sender's malformed
// UTF-8) is cut to nothing rather than crashing the dead letter's keeping.
func TestCutMalformedBytes(t *testing.T) {
	if got := cut(strings.Repeat("\x80", 50), 40); got != "" {
		t.Errorf("cut(50 continuation bytes, 40) = %q, want \"\"", got)
	}
}

// TestSearchMemoStaysBounded: the memo of counted searches and of sessions' bookings does not
// grow past searchMemoMax: expired searches are forgotten first, and a burst of recent ones
// (or of sessions that booked) is forgotten whole.
func TestSearchMemoStaysBounded(t *testing.T) {
	p := days(7)
	t.Run("expired searches forgotten", func(t *testing.T) {
		m := newSearchMemo()
		for i := range searchMemoMax {
			m.first(strconv.Itoa(i), p, testNow)
		}
		if !m.first("late", p, testNow.Add(searchMemoFor)) {
			t.Error("a new session's search was not counted")
		}
		if len(m.seen) != 1 {
			t.Errorf("%d searches remembered, want 1: the %d expired ones forgotten", len(m.seen), searchMemoMax)
		}
	})
	t.Run("a burst of recent searches forgotten whole", func(t *testing.T) {
		m := newSearchMemo()
		for i := range searchMemoMax {
			m.first(strconv.Itoa(i), p, testNow)
		}
		m.first("late", p, testNow.Add(time.Minute))
		if len(m.seen) != 1 {
			t.Errorf("%d searches remembered, want 1: the %d recent ones forgotten", len(m.seen), searchMemoMax)
		}
	})
	t.Run("expired forgotten, recent kept", func(t *testing.T) {
		m := newSearchMemo()
		half := searchMemoMax / 2
		for i := range searchMemoMax {
			at := testNow // expired by the time of the last search
			if i >= half {
				at = testNow.Add(searchMemoFor / 2)
			}
			m.first(strconv.Itoa(i), p, at)
		}
		now := testNow.Add(searchMemoFor + time.Minute)
		m.first("late", p, now)
		if len(m.seen) != half+1 {
			t.Errorf("%d searches remembered, want the %d recent ones and the new one", len(m.seen), half)
		}
		if m.first(strconv.Itoa(searchMemoMax-1), p, now) {
			t.Error("a recent search was counted again")
		}
	})
	t.Run("bookings", func(t *testing.T) {
		m := newSearchMemo()
		for i := range searchMemoMax {
			m.booked(strconv.Itoa(i))
		}
		m.booked("late")
		if len(m.epochs) > searchMemoMax {
			t.Errorf("%d sessions' bookings remembered, want at most %d", len(m.epochs), searchMemoMax)
		}
	})
}

// TestEveryBookingEndsTheSessionsSearch: the desk books for three callers in turn in one
// session, each after the same search: each caller's search counts, the third's too.
func TestEveryBookingEndsTheSessionsSearch(t *testing.T) {
	now := testNow
	var slots []Slot
	for i := range 3 {
		sl := wednesday9
		sl.Start = sl.Start.Add(time.Duration(i) * time.Hour)
		slots = append(slots, sl)
	}
	svc, rec := countingService(t, &fakeEHR{slots: slots}, &now)
	desk := WithChannel(context.Background(), ChannelDesk)
	vt, _ := svc.Clinic().VisitType("FU")
	by := Actor{Kind: "staff", Session: "staff:1"}
	for i, sl := range slots {
		if _, err := svc.Search(desk, days(7), "desk-session"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Hold(desk, "desk-session", days(7), sl.Key()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Confirm(desk, ConfirmRequest{By: &by, Key: "K-" + strconv.Itoa(i), SessionID: "desk-session", VisitType: vt,
			Patient: Patient{FirstName: "Caller", LastName: "No" + strconv.Itoa(i), DOB: "1990-01-01"}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := rec.of(EventSearch); len(got) != 3 {
		t.Errorf("%d searches counted, want one for each of the 3 callers", len(got))
	}
}

// TestFunnelByChannel: the report narrowed to a channel counts that channel's only; a channel
// Doorway does not have is no narrowing.
func TestFunnelByChannel(t *testing.T) {
	svc, st, _ := reportService(t)
	ctx := context.Background()
	for ch, n := range map[Channel]int64{ChannelWeb: 5, ChannelDesk: 3, ChannelClinic: 1} {
		k := key("2026-12-01", EventSearch, "knee")
		k.Channel = ch
		if err := st.AddFunnel(ctx, []FunnelCount{{FunnelKey: k, N: n}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		channel, want Channel
		searches      int64
	}{
		{ChannelWeb, ChannelWeb, 5},
		{ChannelDesk, ChannelDesk, 3},
		{ChannelClinic, ChannelClinic, 1},
		{"fax", "", 9},
	} {
		r, err := svc.Funnel(ctx, FunnelFilter{Channel: tc.channel})
		if err != nil || r.Filter.Channel != tc.want || r.Total.Searches != tc.searches {
			t.Errorf("channel %q: filter %q, %d searches, %v; want %q, %d", tc.channel, r.Filter.Channel, r.Total.Searches, err, tc.want, tc.searches)
		}
	}
}

// TestLineageFollowsEveryMove: a visit moved twice has the first visit of its chain as its
// lineage's first, two moves back.
func TestLineageFollowsEveryMove(t *testing.T) {
	svc, st := newTestService(t, &fakeEHR{})
	st.appts["DW-A"] = Appointment{VisitNumber: "DW-A"}
	st.appts["DW-B"] = Appointment{VisitNumber: "DW-B", Replaces: "DW-A"}
	c := Appointment{VisitNumber: "DW-C", Replaces: "DW-B"}
	if got, want := svc.Lineage(context.Background(), c), (Lineage{First: "DW-A", Moves: 2}); got != want {
		t.Errorf("Lineage = %+v, want %+v", got, want)
	}
}

// TestParseOverrideNeedsARule: appointment notes an EHR echoes that look like "Label: text"
// but name no rule Doorway bends are not read as overrides.
func TestParseOverrideNeedsARule(t *testing.T) {
	for _, s := range []string{"Parking: use the back lot", "interpreter, wheelchair: both booked"} {
		if o, ok := ParseOverride(s); ok {
			t.Errorf("ParseOverride(%q) = %+v, true; want not an override", s, o)
		}
	}
}

// TestOverrideNoteUpToItsLimit: an override's note is kept up to MaxOverrideNote characters
// (counted in characters, not bytes), and refused past it.
func TestOverrideNoteUpToItsLimit(t *testing.T) {
	bent := []Rule{RuleLeadTime}
	by := &Actor{Kind: "staff", Session: "staff:1"}
	for _, tc := range []struct {
		n    int
		want Msg
	}{{MaxOverrideNote, ""}, {MaxOverrideNote + 1, MsgReasonTypedLong}} {
		o := &Override{Rules: bent, Reason: "other", Note: strings.Repeat("é", tc.n)}
		got, err := checkOverride(o, bent, by)
		if MsgOf(err) != tc.want || (tc.want == "" && (err != nil || got.Note != o.Note)) {
			t.Errorf("a note of %d characters: %+v, %v; want %q", tc.n, got, err, tc.want)
		}
	}
}

// TestResolveAttentionStoreFailure: when the store fails to keep a resolution, the desk is
// told so, not that the item was resolved.
func TestResolveAttentionStoreFailure(t *testing.T) {
	r := newAttnRig(t)
	r.trouble(1, OutboxNew, testNow.Add(48*time.Hour), StatusFailed, true, testNow.Add(-time.Hour))
	r.st.resolveErr = errors.New("store: resolve: database is locked")
	err := r.svc.ResolveAttention(context.Background(), ResolveRequest{ID: "outbox-1", Note: "Called Ada", StaffID: 7, Actor: staffActor})
	if err == nil {
		t.Error("ResolveAttention = nil with the store failing, want its error")
	}
}

// TestAProviderWithoutALocation: a patient may pick a provider and leave the location open.
func TestAProviderWithoutALocation(t *testing.T) {
	c := ruleClinic(t)
	_, fe := c.ApplyForm(Preferences{ReasonID: "knee", VisitType: "SICK"},
		PreferencesForm{From: "2026-03-02", To: "2026-03-15", Providers: []string{"1111111111"}}, ruleToday)
	if len(fe) != 0 {
		t.Errorf("errors %v, want none", fe)
	}
}

// TestFocusOnADay: the day view narrows a search to one of its dates, keeping its providers
// and locations, its first and last days included; a date outside the search is not the
// search's to narrow to.
func TestFocusOnADay(t *testing.T) {
	c := ruleClinic(t)
	p := Preferences{ReasonID: "knee", VisitType: "SICK", From: "2026-03-02", To: "2026-03-15", Providers: []string{"1111111111", "2222222222"}}
	got, ok := p.Focus(c, "", "2026-03-04", "")
	if !ok || got.From != "2026-03-04" || got.To != "2026-03-04" || !slices.Equal(got.Providers, p.Providers) {
		t.Errorf("Focus on 4 March = %+v, %v; want that day, both providers", got, ok)
	}
	for _, day := range []string{p.From, p.To} { // the search's own first and last days
		if got, ok := p.Focus(c, "", day, ""); !ok || got.From != day || got.To != day {
			t.Errorf("Focus on %s = %+v, %v; want that day", day, got, ok)
		}
	}
	if _, ok := p.Focus(c, "", "2026-03-16", ""); ok {
		t.Error("a date past the search was focused on")
	}
	if _, ok := p.Focus(c, "", "2026-03-01", ""); ok {
		t.Error("a date before the search was focused on")
	}
}

// TestMatchesALocationByItsID: a filter naming a location by Doorway's id alone matches the
// slots of that location, not those of another or of none.
func TestMatchesALocationByItsID(t *testing.T) {
	q := SlotQuery{Start: testNow, Locations: []LocationRef{{ID: "north"}}}
	for _, tc := range []struct {
		loc  LocationRef
		want bool
	}{{LocationRef{ID: "north"}, true}, {LocationRef{ID: "west"}, false}, {LocationRef{}, false}} {
		s := Slot{Start: testNow.Add(time.Hour), Minutes: 20, Location: tc.loc}
		if got := q.Matches(s, time.UTC); got != tc.want {
			t.Errorf("a slot at %q: Matches = %v, want %v", tc.loc.ID, got, tc.want)
		}
	}
}

// lockedBuffer is a log's buffer safe to read while the log writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestTallyRunSaysWhatIsLost: a tally whose store is down warns that it will retry while it
// runs and logs the counts lost at shutdown (without a logger, it still shuts down); with the
// store up it logs neither.
func TestTallyRunSaysWhatIsLost(t *testing.T) {
	k := key("2026-12-01", EventSearch, "knee")
	run := func(down bool, log *slog.Logger, ticks bool) *funnelMem {
		st := newFunnelMem()
		if down {
			st.fail = errors.New("store: add funnel: database is locked")
		}
		tally := NewTally(st, log)
		tally.Count(k)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { tally.Run(ctx, time.Millisecond); close(done) }()
		if ticks {
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		<-done
		return st
	}
	for _, down := range []bool{true, false} {
		var buf lockedBuffer
		st := run(down, slog.New(slog.NewTextHandler(&buf, nil)), true)
		logged := buf.String()
		if got := strings.Contains(logged, "will retry"); got != down {
			t.Errorf("store down %v: warned of a retry %v, want %v; log:\n%s", down, got, down, logged)
		}
		if got := strings.Contains(logged, "lost at shutdown"); got != down {
			t.Errorf("store down %v: logged counts lost %v, want %v; log:\n%s", down, got, down, logged)
		}
		if !down && st.total(k) != 1 {
			t.Errorf("store up: %d searches kept, want 1", st.total(k))
		}
	}
	run(true, nil, false) // no logger: must not crash
}

// TestAsksSeenOnlyWhenItMatters: a reason only new patients book, or only returning ones,
// does not ask whether the patient has been seen; one whose visit types differ by it does.
func TestAsksSeenOnlyWhenItMatters(t *testing.T) {
	c := ruleClinic(t)
	c.Reasons = append(c.Reasons, Reason{ID: "check", Label: En("Check-in"), VisitTypes: []string{"FU"}}) // returning patients only
	if err := c.Prepare(); err != nil {
		t.Fatal(err)
	}
	for reason, want := range map[string]bool{"newbie": false, "skin": false, "check": false, "mood": true} {
		if got := c.AsksSeen(reason); got != want {
			t.Errorf("AsksSeen(%q) = %v, want %v", reason, got, want)
		}
	}
}

// silentEHR is an EHR whose Booked query does not answer.
type silentEHR struct{ *fakeEHR }

func (silentEHR) Booked(context.Context, BookedQuery) (VisitPage, error) {
	return VisitPage{}, errors.New("no answer")
}

// TestDayListsItsOwnLocationOnly: a visit of a provider of this location, at another
// location's department, is not on this location's day.
func TestDayListsItsOwnLocationOnly(t *testing.T) {
	r := newDoubleRig(t)
	r.ehr.visits = append(r.ehr.visits, Appointment{VisitNumber: "W1", Start: r.nine.Add(30 * time.Minute), Minutes: 20, Status: StatusBooked,
		Provider: ProviderRef{ID: "1111111111", IDType: "NPI"}, Location: LocationRef{Facility: "Test Clinic", Department: "West FM"}})
	if got, _ := dayAt(t, r.svc, r.nine.Add(30*time.Minute)); len(got) != 0 {
		t.Errorf("north's day lists %v, a visit at West FM", got)
	}
}

// TestDayOpenTimesNeedTheEHRsList: the day lists the EHR's open times when the EHR answered
// its Booked query; when it did not, the day says so and lists none (an open time could be a
// visit booked by phone).
func TestDayOpenTimesNeedTheEHRsList(t *testing.T) {
	r := newDoubleRig(t)
	if got, stale := dayAt(t, r.svc, r.eleven); stale || !slices.Equal(got, []string{DayOpen + "  "}) {
		t.Errorf("the day at 11:00 lists %q (stale %v), want the open time", got, stale)
	}
	svc := NewService(Config{Clinic: r.svc.Clinic(), EHR: silentEHR{r.ehr}, Holds: r.st, Appointments: r.st,
		Now: func() time.Time { return testNow }, CacheFor: -1})
	if got, stale := dayAt(t, svc, r.eleven); !stale || len(got) != 0 {
		t.Errorf("without the EHR's list the day at 11:00 lists %q (stale %v), want nothing, stale", got, stale)
	}
}

// TestShortestVisitType: the desk's step for open times is the shortest visit type, the
// first of the shortest in the file's order.
func TestShortestVisitType(t *testing.T) {
	c := testClinic(t)
	c.VisitTypes = []VisitType{{Code: "LONG", Minutes: 40}, {Code: "A", Minutes: 15}, {Code: "MID", Minutes: 30}, {Code: "B", Minutes: 15}}
	svc := NewService(Config{Clinic: c, EHR: &fakeEHR{}, Holds: newMemStore(), Now: func() time.Time { return testNow }})
	if vt, ok := svc.shortestVisitType(); !ok || vt.Code != "A" {
		t.Errorf("shortest visit type %q, %v; want A", vt.Code, ok)
	}
}

// TestAnOpenTimeIsNotOfferedAsADoubleBook: a time the EHR lists as open is offered as open,
// even when a visit is listed there too: it is not also a double-book.
func TestAnOpenTimeIsNotOfferedAsADoubleBook(t *testing.T) {
	r := newDoubleRig(t)
	r.ehr.visits = append(r.ehr.visits, Appointment{VisitNumber: "E4", Start: r.eleven, Minutes: 20, Status: StatusBooked,
		Patient: Patient{FirstName: "Phone", LastName: "E4"}, Provider: ProviderRef{ID: "1111111111", IDType: "NPI"},
		Location: LocationRef{Facility: "Test Clinic", Department: "North FM"}})
	if got := r.starts(t, r.wednesday, "desk", RuleDoubleBook); !slices.Equal(got, []string{"15:00*", "17:00"}) {
		t.Errorf("the desk double-booking sees %v, want 15:00 marked and 17:00 open, once", got)
	}
}

// TestDefaultDatesAreTheNextSevenDays: a search with no dates covers today and the six days
// after it, one week; chosen dates are kept.
func TestDefaultDatesAreTheNextSevenDays(t *testing.T) {
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if p := (Preferences{}).WithDefaultDates(today); p.From != "2026-03-02" || p.To != "2026-03-08" {
		t.Errorf("default dates %s to %s, want 2026-03-02 to 2026-03-08", p.From, p.To)
	}
	if p := (Preferences{From: "2026-03-10", To: "2026-03-11"}).WithDefaultDates(today); p.From != "2026-03-10" || p.To != "2026-03-11" {
		t.Errorf("chosen dates became %s to %s", p.From, p.To)
	}
}
