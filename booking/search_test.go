package booking

import (
	"context"
	"slices"
	"testing"
	"time"
)

// fakeMirror is a MirrorStore that applies every notification and reports fixed busy time.
type fakeMirror struct{ busy []Interval }

func (m *fakeMirror) ApplyNotification(context.Context, Notification, time.Time) (bool, error) {
	return true, nil
}
func (m *fakeMirror) BusyIntervals(context.Context, time.Time, time.Time) ([]Interval, error) {
	return m.busy, nil
}

// fakeSlotCache is a SlotCache holding the slots the EHR last pushed.
type fakeSlotCache struct{ slots []Slot }

func (c *fakeSlotCache) SavePush(context.Context, SlotPush, time.Time) (int, error) { return 0, nil }
func (c *fakeSlotCache) CachedSlots(context.Context, time.Time, time.Time) ([]Slot, error) {
	return c.slots, nil
}

// mirrorService is a service over ehr with a mirror, the pushed-slot cache and the default
// search cache (the clock stands still).
func mirrorService(t *testing.T, ehr *fakeEHR, m *fakeMirror, pushed *fakeSlotCache) *Service {
	st := newMemStore()
	return NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st, Appointments: st, Mirror: m, SlotCache: pushed,
		Now: func() time.Time { return testNow }})
}

func oneDay(d time.Time) Preferences {
	return Preferences{VisitType: "FU", From: d.Format(time.DateOnly), To: d.Format(time.DateOnly)}
}

// TestSearchesAreCachedByDefault: without CacheFor, the same search within a few seconds
// asks the EHR once.
func TestSearchesAreCachedByDefault(t *testing.T) {
	ehr := &fakeEHR{}
	svc := mirrorService(t, ehr, &fakeMirror{}, nil)
	for range 2 {
		if _, err := svc.Search(context.Background(), days(3), "s"); err != nil {
			t.Fatal(err)
		}
	}
	if len(ehr.queries) != 1 {
		t.Errorf("the EHR was asked %d times, want 1", len(ehr.queries))
	}
}

// TestNotificationDropsCachedSearchesAroundIt: a visit the EHR tells us about drops the
// cached searches of its day and a day either side (a moved visit's old time is not in the
// message), so nobody is offered a time that is gone.
func TestNotificationDropsCachedSearchesAroundIt(t *testing.T) {
	ehr := &fakeEHR{}
	svc := mirrorService(t, ehr, &fakeMirror{}, nil)
	ctx := context.Background()
	visitDay := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	search := func() {
		for _, d := range []time.Time{visitDay.AddDate(0, 0, -1), visitDay, visitDay.AddDate(0, 0, 1)} {
			if _, err := svc.Search(ctx, oneDay(d), "s"); err != nil {
				t.Fatal(err)
			}
		}
	}
	search()
	visit := Appointment{VisitNumber: "EHR-1", Start: visitDay.Add(18 * time.Hour), Minutes: 20, Provider: ProviderRef{ID: "1111111111"}}
	if applied, err := svc.ApplyNotification(ctx, Notification{Key: "n1", Event: "New", Appointment: visit}); err != nil || !applied {
		t.Fatalf("ApplyNotification = %v, %v", applied, err)
	}
	search()
	if len(ehr.queries) != 6 {
		t.Errorf("the EHR was asked %d times, want 6 (every cached day dropped)", len(ehr.queries))
	}
}

// TestNotificationBeyondTheHorizon: a visit past the clinic's horizon and a grace day is
// refused (no patient could have booked it); one within the grace day is applied.
func TestNotificationBeyondTheHorizon(t *testing.T) {
	svc := mirrorService(t, &fakeEHR{}, &fakeMirror{}, nil)
	limit := testNow.Add(svc.Clinic().Horizon() + 24*time.Hour)
	for _, tt := range []struct {
		name string
		at   time.Time
		want Code
	}{
		{"within the grace day", limit.Add(-12 * time.Hour), ""},
		{"at the limit", limit, ""},
		{"past the limit", limit.Add(time.Minute), CodeOutsideWindow},
		{"a Cancel past the limit", limit.Add(time.Minute), ""},
	} {
		ev := "New"
		if tt.name == "a Cancel past the limit" {
			ev = "Cancel"
		}
		n := Notification{Key: tt.name, Event: ev, Appointment: Appointment{VisitNumber: "V", Start: tt.at, Minutes: 20}}
		if _, err := svc.ApplyNotification(context.Background(), n); ErrorCode(err) != tt.want {
			t.Errorf("%s: %v, want code %q", tt.name, err, tt.want)
		}
	}
}

// TestSearchFallsBackToPushedSlots: with the EHR down, a search offers the times the EHR last
// pushed, marked as such; without any, the patient is told the EHR is down.
func TestSearchFallsBackToPushedSlots(t *testing.T) {
	wed := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	down := &Error{Code: CodeUnavailable, Detail: "down"}
	pushed := &fakeSlotCache{slots: []Slot{slotAt("1111111111", "North FM", wed)}}
	res, err := mirrorService(t, &fakeEHR{err: down}, &fakeMirror{}, pushed).Search(context.Background(), days(3), "s")
	if err != nil || !res.FromPush || len(res.Slots) != 1 || !res.Slots[0].Start.Equal(wed) {
		t.Errorf("EHR down with pushed slots: %+v, %v; want the pushed slot, marked", res, err)
	}
	if _, err := mirrorService(t, &fakeEHR{err: down}, &fakeMirror{}, &fakeSlotCache{}).Search(context.Background(), days(3), "s"); ErrorCode(err) != CodeUnavailable {
		t.Errorf("EHR down, nothing pushed: %v, want unavailable", err)
	}
	refused := &Error{Code: CodeRejected, Detail: "bad query"}
	if _, err := mirrorService(t, &fakeEHR{err: refused}, &fakeMirror{}, pushed).Search(context.Background(), days(3), "s"); ErrorCode(err) != CodeRejected {
		t.Errorf("EHR refusing the query: %v, want its refusal, not pushed slots", err)
	}
}

// TestSearchHidesTheEHRsBusyTime: a time the EHR told us is busy (a phone booking) is not
// offered, even when no hold or appointment here takes it.
func TestSearchHidesTheEHRsBusyTime(t *testing.T) {
	wed := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", wed), slotAt("1111111111", "North FM", wed.Add(time.Hour))}}
	m := &fakeMirror{busy: []Interval{{ProviderID: "1111111111", Start: wed.Add(10 * time.Minute), End: wed.Add(30 * time.Minute)}}}
	res, err := mirrorService(t, ehr, m, nil).Search(context.Background(), days(3), "s")
	if err != nil || len(res.Slots) != 1 || !res.Slots[0].Start.Equal(wed.Add(time.Hour)) {
		t.Errorf("search = %+v, %v; want only the time the EHR's visit leaves free", res.Slots, err)
	}
}

// raceStore refuses every hold as taken: another session took the time between the search
// and the hold.
type raceStore struct{ *memStore }

func (raceStore) PutHold(context.Context, Hold, time.Time) error { return ErrSlotTaken }

// TestHoldLostToARaceOffersNearest: a hold refused by the store (someone was quicker) gets
// "just held by someone else" and the nearest other times, as a time already gone does.
func TestHoldLostToARaceOffersNearest(t *testing.T) {
	base := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	ehr := &fakeEHR{}
	for i := range 4 {
		ehr.slots = append(ehr.slots, slotAt("1111111111", "North FM", base.Add(time.Duration(i)*20*time.Minute)))
	}
	st := raceStore{newMemStore()}
	svc := NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st, Appointments: st.memStore,
		Now: func() time.Time { return testNow }, CacheFor: -1})
	_, alts, err := svc.Hold(context.Background(), "s", days(3), ehr.slots[1].Key())
	if MsgOf(err) != MsgSlotHeld || len(alts) != 3 || slices.ContainsFunc(alts, func(sl Slot) bool { return sl.Key() == ehr.slots[1].Key() }) {
		t.Errorf("Hold = %v with %d alternatives; want slot held and the 3 other times", err, len(alts))
	}
}

// TestHoldOnTheWindowsEdges: a time on the first or the last day of the patient's search can
// be held; one the day after cannot.
func TestHoldOnTheWindowsEdges(t *testing.T) {
	first := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC) // 15:00 on 1 Dec in Chicago
	last := first.AddDate(0, 0, 2)
	after := first.AddDate(0, 0, 3)
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", first), slotAt("1111111111", "North FM", last),
		slotAt("1111111111", "North FM", after)}}
	svc, _ := newTestService(t, ehr)
	for i, want := range []Code{"", "", CodeInvalid} {
		if _, _, err := svc.Hold(context.Background(), "s", days(3), ehr.slots[i].Key()); ErrorCode(err) != want {
			t.Errorf("hold at %v: %v, want code %q", ehr.slots[i].Start, err, want)
		}
	}
}

// TestHoldCarriesTheClientCap: each hold carries the per-client cap the store enforces:
// DefaultHoldsPerClient unless configured, none when configured negative.
func TestHoldCarriesTheClientCap(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	for cfg, want := range map[int]int{0: DefaultHoldsPerClient, 2: 2, -1: 0} {
		ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}}
		st := newMemStore()
		svc := NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st, Appointments: st, HoldsPerClient: cfg,
			Now: func() time.Time { return testNow }, CacheFor: -1})
		h, _, err := svc.Hold(context.Background(), "s", days(3), ehr.slots[0].Key())
		if err != nil || h.ClientCap != want || st.holds["s"].ClientCap != want {
			t.Errorf("HoldsPerClient %d: cap %d (stored %d), %v; want %d", cfg, h.ClientCap, st.holds["s"].ClientCap, err, want)
		}
	}
}

// TestNearestIsNearestEitherSide: the alternatives to a taken time are the closest before and
// after it, not the earliest of the day.
func TestNearestIsNearestEitherSide(t *testing.T) {
	base := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	var slots []Slot
	for i := range 10 {
		slots = append(slots, slotAt("1111111111", "North FM", base.Add(time.Duration(i)*20*time.Minute)))
	}
	taken := slots[5]
	for _, a := range Nearest(keepIf(slots, func(sl Slot) bool { return sl.Key() != taken.Key() }), taken.Key(), 3) {
		if d := a.Start.Sub(taken.Start); d > 40*time.Minute || d < -40*time.Minute {
			t.Errorf("alternative %v is %v from the taken time; want the nearest", a.Start, d)
		}
	}
}

// TestWindowIsTheWidestOfTheZones: a search over two zones runs from the earliest local
// midnight to the latest, whatever order the locations come in.
func TestWindowIsTheWidestOfTheZones(t *testing.T) {
	c := testClinic(t)
	north, _ := c.Location("north") // Chicago
	west, _ := c.Location("west")   // Denver, an hour behind
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, locs := range [][]Location{{north, west}, {west, north}} {
		start, end := window(day, day, locs)
		if want := time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC); !start.Equal(want) {
			t.Errorf("%s first: start %v, want Chicago's midnight %v", locs[0].ID, start, want)
		}
		if want := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC); !end.Equal(want) {
			t.Errorf("%s first: end %v, want Denver's next midnight %v", locs[0].ID, end, want)
		}
	}
}
