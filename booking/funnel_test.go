package booking

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// countingService is a service on fakes that counts its funnel into a recorder; *now is its
// clock.
func countingService(t *testing.T, ehr *fakeEHR, now *time.Time) (*Service, *countRecorder) {
	t.Helper()
	rec := &countRecorder{}
	st := newMemStore()
	return NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st, Appointments: st, Counter: rec,
		Now: func() time.Time { return *now }, CacheFor: -1}), rec
}

// wednesday9 is 9:00 in Chicago on Wednesday 2 December 2026: a morning time at north.
var wednesday9 = slotAt("1111111111", "North FM", time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC))

func TestSearchWithNoFittingTimeCountsAsNoFit(t *testing.T) {
	now := testNow
	svc, rec := countingService(t, &fakeEHR{slots: []Slot{wednesday9}}, &now)
	ctx := context.Background()
	p := days(14)
	p.ReasonID = "knee"
	if res, err := svc.Search(ctx, p, "s1"); err != nil || len(res.Slots) != 1 {
		t.Fatalf("the fitting search: %d times, %v", len(res.Slots), err)
	}
	evenings := p
	evenings.Bands = []Band{Evening}
	if res, err := svc.Search(ctx, evenings, "s1"); err != nil || len(res.Slots) != 0 {
		t.Fatalf("the evening search: %d times, %v; want none", len(res.Slots), err)
	}
	want := FunnelKey{Day: "2026-12-01", Event: EventSearch, Reason: "knee", VisitType: "FU", Channel: ChannelWeb}
	if got := rec.of(EventSearch); len(got) != 2 || got[0] != want || got[1] != want {
		t.Errorf("searches counted %+v, want two of %+v", got, want)
	}
	want.Event = EventNoFit
	if got := rec.of(EventNoFit); len(got) != 1 || got[0] != want {
		t.Errorf("no-fit counted %+v, want only the evening search: %+v", got, want)
	}
}

// TestSearchCountsOncePerSession: the same search looked at again in a session (another
// view, a hold checking its time, the nearest times) is one search; another session, other
// preferences, or the same search half an hour later are more.
func TestSearchCountsOncePerSession(t *testing.T) {
	now := testNow
	svc, rec := countingService(t, &fakeEHR{slots: []Slot{wednesday9}}, &now)
	ctx := context.Background()
	p := days(7)
	searches := func() int { return len(rec.of(EventSearch)) }
	mustSearch := func(p Preferences, session string) {
		t.Helper()
		if _, err := svc.Search(ctx, p, session); err != nil {
			t.Fatal(err)
		}
	}
	mustSearch(p, "s1")
	mustSearch(p, "s1")
	if _, err := svc.Week(ctx, p, "s1", WeekView{PerPage: 4}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Hold(ctx, "s1", p, wednesday9.Key()); err != nil {
		t.Fatal(err)
	}
	if n := searches(); n != 1 {
		t.Fatalf("%d searches counted for one search looked at four ways, want 1", n)
	}
	mustSearch(p, "s2")
	later := p
	later.From, later.To = "2026-12-08", "2026-12-14"
	mustSearch(later, "s1")
	now = now.Add(31 * time.Minute)
	mustSearch(p, "s1")
	if n := searches(); n != 4 {
		t.Errorf("%d searches, want 4: one more for another session, other dates, and half an hour on", n)
	}
	if n := len(rec.of(EventHold)); n != 1 {
		t.Errorf("%d holds counted, want 1", n)
	}
}

// TestWeekCountsTheSearchNotItsFocus: every time of one provider (a focus of the search) is the
// search the person made, counted under it.
func TestWeekCountsTheSearchNotItsFocus(t *testing.T) {
	now := testNow
	svc, rec := countingService(t, &fakeEHR{slots: []Slot{wednesday9}}, &now)
	ctx := context.Background()
	whole := days(7)
	whole.ReasonID = "knee"
	focus, ok := whole.Focus(svc.Clinic(), "1111111111", "", "")
	if !ok {
		t.Fatal("the focus does not apply")
	}
	for _, session := range []string{"s1", "s1", "s2"} { // s1 saw the week first; s2 opens on the focus
		if _, err := svc.Week(ctx, whole, session, WeekView{PerPage: 4}); err != nil && session == "s1" {
			t.Fatal(err)
		}
		if _, err := svc.Week(ctx, focus, session, WeekView{PerPage: 1, Of: &whole}); err != nil {
			t.Fatal(err)
		}
	}
	got := rec.of(EventSearch)
	if len(got) != 2 || got[0].Reason != "knee" || got[1].Reason != "knee" {
		t.Errorf("searches %+v, want one for each session, under the whole search's reason", got)
	}
}

func TestHoldCounts(t *testing.T) {
	now := testNow
	svc, rec := countingService(t, &fakeEHR{slots: []Slot{wednesday9}}, &now)
	ctx := context.Background()
	p := days(7)
	p.ReasonText = "my left knee gave way on the stairs"
	if _, _, err := svc.Hold(ctx, "s1", p, wednesday9.Key()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Hold(WithChannel(ctx, ChannelDesk), "desk", days(7), wednesday9.Key()); ErrorCode(err) != CodeSlotTaken {
		t.Fatalf("holding a held time: %v, want taken", err)
	}
	want := FunnelKey{Day: "2026-12-01", Event: EventHold, Reason: ReasonTyped, VisitType: "FU", Channel: ChannelWeb}
	if got := rec.of(EventHold); len(got) != 1 || got[0] != want {
		t.Errorf("holds %+v, want the one that held: %+v", got, want)
	}
	if all := fmt.Sprint(rec.keys); strings.Contains(all, "knee") || strings.Contains(all, "stairs") {
		t.Errorf("what the patient typed is in the counts: %s", all)
	}
}

// TestBookingCountsOnceWhenReplayed: a confirm replayed with its key (a double click, a
// retry) books nothing new and counts nothing new. A booking by the desk counts as the desk's.
func TestBookingCountsOnceWhenReplayed(t *testing.T) {
	now := testNow
	svc, rec := countingService(t, &fakeEHR{slots: []Slot{wednesday9}}, &now)
	ctx := context.Background()
	if _, _, err := svc.Hold(ctx, "s1", days(7), wednesday9.Key()); err != nil {
		t.Fatal(err)
	}
	vt, _ := svc.Clinic().VisitType("FU")
	req := ConfirmRequest{Key: "K-1", SessionID: "s1", VisitType: vt, ReasonID: "knee", Reason: "Knee pain",
		Patient: Patient{FirstName: "Ada", LastName: "Lovelace", DOB: "1990-01-01"}}
	first, err := svc.Confirm(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, session := range []string{"s1", ""} {
		req.SessionID = session
		if again, err := svc.Confirm(ctx, req); err != nil || again.VisitNumber != first.VisitNumber {
			t.Fatalf("replay: %+v %v", again, err)
		}
	}
	want := FunnelKey{Day: "2026-12-01", Event: EventBooking, Reason: "knee", VisitType: "FU", Channel: ChannelWeb}
	if got := rec.of(EventBooking); len(got) != 1 || got[0] != want {
		t.Errorf("bookings %+v, want one: %+v", got, want)
	}

	other := wednesday9
	other.Start = other.Start.Add(time.Hour)
	svc2, rec2 := countingService(t, &fakeEHR{slots: []Slot{other}}, &now)
	desk := WithChannel(ctx, ChannelDesk)
	if _, _, err := svc2.Hold(desk, "d1", days(7), other.Key()); err != nil {
		t.Fatal(err)
	}
	by := Actor{Kind: "staff", Session: "staff:1"}
	if _, err := svc2.Confirm(ctx, ConfirmRequest{By: &by, Key: "K-2", SessionID: "d1", VisitType: vt,
		Patient: Patient{FirstName: "Ada", LastName: "Lovelace", DOB: "1990-01-01"}}); err != nil {
		t.Fatal(err)
	}
	for _, e := range []FunnelEvent{EventHold, EventBooking} {
		if got := rec2.of(e); len(got) != 1 || got[0].Channel != ChannelDesk || got[0].Reason != ReasonNone {
			t.Errorf("%s by the desk counted %+v, want one, the desk's, with no reason", e, got)
		}
	}
}

// TestCountsFallOnTheClinicDay: 21:00 in Chicago is still the clinic's day, though UTC has
// moved on.
func TestCountsFallOnTheClinicDay(t *testing.T) {
	now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC) // Tuesday 1 December, 21:00 in Chicago
	svc, rec := countingService(t, &fakeEHR{}, &now)
	if _, err := svc.Search(context.Background(), days(7), "s1"); err != nil {
		t.Fatal(err)
	}
	if got := rec.of(EventNoFit); len(got) != 1 || got[0].Day != "2026-12-01" {
		t.Errorf("counted %+v, want on 2026-12-01", got)
	}
}

// TestABookingEndsTheSessionsSearch: the desk books for caller after caller in one session:
// the next caller's search counts, though it is the same as the last one's.
func TestABookingEndsTheSessionsSearch(t *testing.T) {
	now := testNow
	later := wednesday9
	later.Start = later.Start.Add(time.Hour)
	svc, rec := countingService(t, &fakeEHR{slots: []Slot{wednesday9, later}}, &now)
	desk := WithChannel(context.Background(), ChannelDesk)
	vt, _ := svc.Clinic().VisitType("FU")
	by := Actor{Kind: "staff", Session: "staff:1"}
	for i, sl := range []Slot{wednesday9, later} {
		for range 2 { // the search, and the page again after a typing mistake
			if _, err := svc.Search(desk, days(7), "desk-session"); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := svc.Hold(desk, "desk-session", days(7), sl.Key()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Confirm(desk, ConfirmRequest{By: &by, Key: fmt.Sprint("K-", i), SessionID: "desk-session", VisitType: vt,
			Patient: Patient{FirstName: "Caller", LastName: fmt.Sprint("No", i), DOB: "1990-01-01"}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := rec.of(EventSearch); len(got) != 2 || got[0].Channel != ChannelDesk {
		t.Errorf("searches %+v, want one for each caller, the desk's", got)
	}
}
