package booking

import (
	"context"
	"errors"
	"testing"
	"time"
)

// testClinic has two locations in different zones and two providers.
func testClinic(t *testing.T) *Clinic {
	t.Helper()
	c := &Clinic{
		Name: "Test Clinic",
		Locations: []Location{
			{ID: "north", Name: "North", Facility: "Test Clinic", Department: "North FM", TimeZone: "America/Chicago"},
			{ID: "west", Name: "West", Facility: "Test Clinic", Department: "West FM", TimeZone: "America/Denver"},
		},
		Providers: []Provider{
			{ID: "1111111111", IDType: "NPI", FirstName: "Ana", LastName: "Ruiz", Locations: []string{"north"}},
			{ID: "2222222222", IDType: "NPI", FirstName: "Ben", LastName: "Cole", Locations: []string{"west"}},
		},
		VisitTypes: []VisitType{{Code: "FU", Codeset: "T", Name: En("Follow-up"), Minutes: 20, SelfBook: true}},
		Reasons:    []Reason{{ID: "knee", Label: En("Knee pain"), VisitTypes: []string{"FU"}}},
	}
	if err := c.Prepare(); err != nil {
		t.Fatal(err)
	}
	return c
}

// days are preferences for the follow-up visit from testNow's date for n days.
func days(n int) Preferences {
	return Preferences{VisitType: "FU", From: testNow.Format(time.DateOnly), To: testNow.AddDate(0, 0, n-1).Format(time.DateOnly)}
}

func slotAt(prov, dept string, at time.Time) Slot {
	return Slot{Start: at, Minutes: 20, Provider: ProviderRef{ID: prov, IDType: "NPI"}, Location: LocationRef{Department: dept}}
}

var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) // a Tuesday

func newTestService(t *testing.T, ehr *fakeEHR) (*Service, *memStore) {
	st := newMemStore()
	now := testNow
	return NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st, Appointments: st, Now: func() time.Time { return now }, CacheFor: -1}), st
}

func TestSearchEnforcesPreferencesAndSorts(t *testing.T) {
	wed := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	ehr := &fakeEHR{slots: []Slot{
		slotAt("1111111111", "North FM", wed.Add(20*time.Hour)),   // 14:00 Chicago: afternoon
		slotAt("1111111111", "North FM", wed.Add(15*time.Hour)),   // 09:00 Chicago: morning
		slotAt("2222222222", "West FM", wed.Add(16*time.Hour)),    // 09:00 Denver: morning, other provider
		slotAt("1111111111", "North FM", wed.Add(15*time.Hour)),   // duplicate
		slotAt("9999999999", "North FM", wed.Add(16*time.Hour)),   // unknown provider
		slotAt("1111111111", "Elsewhere", wed.Add(16*time.Hour)),  // unknown location
		slotAt("1111111111", "North FM", testNow.Add(-time.Hour)), // in the past
	}}
	svc, _ := newTestService(t, ehr)
	q := days(14)
	q.Bands, q.Providers = []Band{Morning}, []string{"1111111111"}
	res, err := svc.Search(context.Background(), q, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Slots) != 1 || !res.Slots[0].Start.Equal(wed.Add(15*time.Hour)) || res.Slots[0].Location.ID != "north" {
		t.Fatalf("got %+v, want only the 09:00 Chicago slot at north", res.Slots)
	}
	if len(ehr.queries) != 1 {
		t.Errorf("EHR asked %d times, want 1", len(ehr.queries))
	}
}

func TestSearchRejectsBadWindow(t *testing.T) {
	svc, _ := newTestService(t, &fakeEHR{})
	_, err := svc.Search(context.Background(), Preferences{VisitType: "FU", From: "2026-12-05", To: "2026-12-01"}, "s")
	if ErrorCode(err) != CodeInvalid {
		t.Fatalf("err = %v, want invalid", err)
	}
}

func TestHoldTakenOffersNearest(t *testing.T) {
	base := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	var slots []Slot
	for i := range 6 {
		slots = append(slots, slotAt("1111111111", "North FM", base.Add(time.Duration(i)*20*time.Minute)))
	}
	svc, _ := newTestService(t, &fakeEHR{slots: slots})
	q := days(7)
	ctx := context.Background()
	key := slots[2].Key()
	if _, _, err := svc.Hold(ctx, "alice", q, key); err != nil {
		t.Fatalf("alice hold: %v", err)
	}
	_, alts, err := svc.Hold(ctx, "bob", q, key)
	if !errors.Is(err, ErrSlotTaken) {
		t.Fatalf("bob hold err = %v, want slot taken", err)
	}
	if len(alts) != 3 {
		t.Fatalf("alternatives = %d, want 3", len(alts))
	}
	for _, a := range alts {
		if a.Key() == key {
			t.Error("alternatives offer the taken time")
		}
		if d := a.Start.Sub(slots[2].Start); d > 40*time.Minute || d < -40*time.Minute {
			t.Errorf("alternative %v is not among the nearest", a.Start)
		}
	}
}

func TestConfirmIsIdempotentAndDelivers(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}}
	svc, _ := newTestService(t, ehr)
	ctx := context.Background()
	q := days(7)
	if _, _, err := svc.Hold(ctx, "s", q, ehr.slots[0].Key()); err != nil {
		t.Fatal(err)
	}
	vt, _ := svc.Clinic().VisitType("FU")
	req := ConfirmRequest{Key: "k1", SessionID: "s", Patient: Patient{FirstName: "A", LastName: "B", DOB: "1990-01-01"}, VisitType: vt}
	a1, err := svc.Confirm(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := svc.Confirm(ctx, req)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if a1.VisitNumber != a2.VisitNumber || a1.VisitNumber == "" {
		t.Errorf("replay gave %q, first %q", a2.VisitNumber, a1.VisitNumber)
	}
	if len(ehr.booked) != 1 {
		t.Errorf("EHR got %d bookings, want 1", len(ehr.booked))
	}
	if a1.Status != StatusBooked || len(a1.Patient.Identifiers) == 0 {
		t.Errorf("appointment %+v: want booked with a patient identifier", a1)
	}
	if _, err := svc.Confirm(ctx, ConfirmRequest{Key: "k2", SessionID: "s", VisitType: vt}); ErrorCode(err) != CodeNotFound {
		t.Errorf("confirm without a hold: err = %v, want not found", err)
	}
}

func TestDeliveryFailureModes(t *testing.T) {
	tests := []struct {
		name       string
		bookErr    error
		wantStatus Status
	}{
		{"EHR down leaves it requested for a retry", &Error{Code: CodeUnavailable, Detail: "down"}, StatusRequested},
		{"EHR refusal marks it failed", &Error{Code: CodeSlotTaken, Detail: "taken by phone"}, StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
			ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}, bookErr: tt.bookErr}
			svc, st := newTestService(t, ehr)
			ctx := context.Background()
			if _, _, err := svc.Hold(ctx, "s", days(3), ehr.slots[0].Key()); err != nil {
				t.Fatal(err)
			}
			vt, _ := svc.Clinic().VisitType("FU")
			a, err := svc.Confirm(ctx, ConfirmRequest{Key: "k", SessionID: "s", VisitType: vt, Patient: Patient{FirstName: "A"}})
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s", a.Status, tt.wantStatus)
			}
			if tt.wantStatus == StatusRequested && len(st.outbox) != 1 {
				t.Errorf("outbox has %d messages, want the New still queued", len(st.outbox))
			}
		})
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	for n := 0; n < 20; n++ {
		// Exponential from 2 s, capped at 5 minutes, with jitter in the upper half.
		full := min(2*time.Second<<min(n, 8), 5*time.Minute)
		for range 5 {
			if d := Backoff(n); d < full/2 || d > full {
				t.Fatalf("Backoff(%d) = %v, want in [%v, %v]", n, d, full/2, full)
			}
		}
	}
	if Backoff(1) > Backoff(6) {
		t.Error("backoff does not grow")
	}
}

// TestInterruptedDeliveryCheckedBeforeResend: a New whose earlier send was cut off before its
// outcome was recorded (the process died) may already be in the EHR; Redox has no
// idempotency key, so it is looked up with Booked and not sent again when found.
func TestInterruptedDeliveryCheckedBeforeResend(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}, bookErr: &Error{Code: CodeUnavailable, Detail: "down"}}
	svc, st := newTestService(t, ehr)
	ctx := context.Background()
	if _, _, err := svc.Hold(ctx, "s", days(3), ehr.slots[0].Key()); err != nil {
		t.Fatal(err)
	}
	vt, _ := svc.Clinic().VisitType("FU")
	a, err := svc.Confirm(ctx, ConfirmRequest{Key: "k", SessionID: "s", VisitType: vt, Patient: Patient{FirstName: "A"}})
	if err != nil {
		t.Fatal(err)
	}
	// The EHR got it after all; the store hands the message out as interrupted, never attempted.
	ehr.mu.Lock()
	ehr.bookErr, ehr.visits = nil, []Appointment{a}
	ehr.mu.Unlock()
	st.mu.Lock()
	st.outbox[0].Attempts, st.outbox[0].Interrupted, st.outbox[0].NextAttempt = 0, true, testNow
	st.mu.Unlock()
	if n := svc.DeliverDue(ctx); n != 1 {
		t.Fatalf("DeliverDue = %d, want 1", n)
	}
	if len(ehr.booked) != 0 {
		t.Errorf("the EHR got the New again (%d sends); want it found with Booked and not resent", len(ehr.booked))
	}
	if got, _ := svc.Appointment(ctx, a.VisitNumber); got.Status != StatusBooked {
		t.Errorf("status = %s, want booked", got.Status)
	}
}

// cancelingEHR ends the caller's context while Book is in flight, as a shutdown or a
// finished patient request would.
type cancelingEHR struct {
	*fakeEHR
	cancel context.CancelFunc
}

func (e cancelingEHR) Book(ctx context.Context, _ Appointment) error {
	e.cancel()
	<-ctx.Done()
	return &Error{Code: CodeUnavailable, Detail: "cut off"}
}

// ctxStore is memStore refusing writes with an ended context, as SQLite does.
type ctxStore struct{ *memStore }

func (c ctxStore) RecordAttempt(ctx context.Context, id int64, errText string, done bool, next, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return c.memStore.RecordAttempt(ctx, id, errText, done, next, now)
}

// TestDeliveryRecordedWhenContextEnds: a delivery cut off by its context still records the
// attempt (retry scheduled), so the message is neither lost nor left claimed, and the next
// attempt checks the EHR (Booked) before sending again.
func TestDeliveryRecordedWhenContextEnds(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	base := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}, bookErr: &Error{Code: CodeUnavailable, Detail: "down"}}
	st := newMemStore()
	svc := NewService(Config{Clinic: testClinic(t), EHR: base, Holds: st, Appointments: ctxStore{st},
		Now: func() time.Time { return testNow }, CacheFor: -1})
	ctx := context.Background()
	if _, _, err := svc.Hold(ctx, "s", days(3), base.slots[0].Key()); err != nil {
		t.Fatal(err)
	}
	vt, _ := svc.Clinic().VisitType("FU")
	if _, err := svc.Confirm(ctx, ConfirmRequest{Key: "k", SessionID: "s", VisitType: vt, Patient: Patient{FirstName: "A"}}); err != nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	st.outbox[0].NextAttempt = testNow // due again
	st.mu.Unlock()
	dctx, cancel := context.WithCancel(ctx)
	svc.ehr = cancelingEHR{fakeEHR: base, cancel: cancel}
	svc.DeliverDue(dctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.outbox) != 1 || st.outbox[0].Attempts != 2 || !st.outbox[0].NextAttempt.After(testNow) {
		t.Errorf("outbox = %+v; want the message kept with its 2nd attempt recorded and a retry scheduled", st.outbox)
	}
}

// claimedStore hands every new outbox message straight to a simulated worker, which books it
// a moment later: the confirming request never gets to claim its own message.
type claimedStore struct{ *memStore }

func (c claimedStore) CreateAppointment(ctx context.Context, b Booking, now time.Time) (Appointment, bool, error) {
	a, replayed, err := c.memStore.CreateAppointment(ctx, b, now)
	if err != nil || replayed {
		return a, replayed, err
	}
	c.mu.Lock()
	c.outbox[len(c.outbox)-1].NextAttempt = now.Add(time.Minute) // the worker's claim
	c.mu.Unlock()
	go func() {
		time.Sleep(30 * time.Millisecond)
		c.SetStatus(context.Background(), a.VisitNumber, StatusBooked, now)
	}()
	return a, false, nil
}

// TestConfirmWaitsForAnotherDeliverer: when the worker is already delivering the patient's
// booking, the confirmation waits for its outcome instead of saying "we're confirming".
func TestConfirmWaitsForAnotherDeliverer(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}}
	st := newMemStore()
	svc := NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st, Appointments: claimedStore{st},
		Now: func() time.Time { return testNow }, CacheFor: -1})
	ctx := context.Background()
	if _, _, err := svc.Hold(ctx, "s", days(3), ehr.slots[0].Key()); err != nil {
		t.Fatal(err)
	}
	vt, _ := svc.Clinic().VisitType("FU")
	a, err := svc.Confirm(ctx, ConfirmRequest{Key: "k", SessionID: "s", VisitType: vt, Patient: Patient{FirstName: "A"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusBooked {
		t.Errorf("status = %s, want booked (the worker delivered it during the confirm)", a.Status)
	}
}

// TestSearchKeepsTheChosenLocalDates: a window stretched over two zones reaches past the
// chosen date in the eastern one; the service drops what falls on another local date there.
func TestSearchKeepsTheChosenLocalDates(t *testing.T) {
	late := time.Date(2026, 12, 3, 6, 20, 0, 0, time.UTC) // 00:20 on 3 Dec in Chicago, 23:20 on 2 Dec in Denver
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", late), slotAt("2222222222", "West FM", late)}}
	svc, _ := newTestService(t, ehr)
	res, err := svc.Search(context.Background(), Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-02"}, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Slots) != 1 || res.Slots[0].Location.ID != "west" {
		t.Errorf("got %+v, want only Denver's 2 December slot", res.Slots)
	}
}
