package booking_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// These tests run the booking service on the real SQLite store: what they prove about
// idempotency and delivery is the store's behaviour, not a fake's.

// stubEHR offers one slot and books or fails as told.
type stubEHR struct {
	mu        sync.Mutex
	slot      booking.Slot
	more      []booking.Slot // offered too
	bookErr   error
	books     int
	cancelErr []error // the answers to the next Cancels, in turn (then nil)
	cancels   int
	reasons   []string // the reasons sent with each Cancel
}

func (e *stubEHR) AvailableSlots(context.Context, booking.SlotQuery) (booking.SlotPage, error) {
	return booking.SlotPage{Slots: append([]booking.Slot{e.slot}, e.more...)}, nil
}
func (e *stubEHR) Booked(context.Context, booking.BookedQuery) (booking.VisitPage, error) {
	return booking.VisitPage{}, nil
}
func (e *stubEHR) Book(context.Context, booking.Appointment) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.books++
	return e.bookErr
}
func (e *stubEHR) Modify(context.Context, booking.Appointment) error { return nil }
func (e *stubEHR) Reschedule(context.Context, booking.Appointment, booking.Appointment) error {
	return nil
}
func (e *stubEHR) Cancel(_ context.Context, _ booking.Appointment, reason string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cancels++
	e.reasons = append(e.reasons, reason)
	if len(e.cancelErr) == 0 {
		return nil
	}
	err := e.cancelErr[0]
	e.cancelErr = e.cancelErr[1:]
	return err
}
func (e *stubEHR) NoShow(context.Context, booking.Appointment, string) error { return nil }

type rig struct {
	svc *booking.Service
	ehr *stubEHR
	db  *store.DB
	now time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "doorway.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &booking.Clinic{Name: "Real Store Clinic", CancelCutoffHours: 24,
		Locations:  []booking.Location{{ID: "north", Department: "North FM", TimeZone: "America/Chicago"}},
		Providers:  []booking.Provider{{ID: "1111111111", Locations: []string{"north"}}},
		VisitTypes: []booking.VisitType{{Code: "FU", Name: booking.En("Follow-up"), Minutes: 20, SelfBook: true}}}
	if err := c.Prepare(); err != nil {
		t.Fatal(err)
	}
	r := &rig{db: db, now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	r.ehr = &stubEHR{slot: booking.Slot{Start: time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC), Minutes: 20,
		Provider: booking.ProviderRef{ID: "1111111111", IDType: "NPI"}, Location: booking.LocationRef{Department: "North FM"}}}
	r.svc = booking.NewService(booking.Config{Clinic: c, EHR: r.ehr, Holds: db, Appointments: db, Manage: db,
		Now: func() time.Time { return r.now }, CacheFor: -1})
	return r
}

// hold holds the one slot for session s.
func (r *rig) hold(t *testing.T, s string) {
	t.Helper()
	p := booking.Preferences{VisitType: "FU", From: "2026-12-01", To: "2026-12-07"}
	if _, _, err := r.svc.Hold(context.Background(), s, p, r.ehr.slot.Key()); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) confirm(s, key string) (booking.Appointment, error) {
	vt, _ := r.svc.Clinic().VisitType("FU")
	return r.svc.Confirm(context.Background(), booking.ConfirmRequest{Key: key, SessionID: s, VisitType: vt,
		Patient: booking.Patient{FirstName: "A", LastName: "B", DOB: "1990-01-01"}})
}

func TestConfirmReplayOnTheRealStore(t *testing.T) {
	r := newRig(t)
	r.hold(t, "s")
	a1, err := r.confirm("s", "K-1")
	if err != nil || a1.Status != booking.StatusBooked {
		t.Fatalf("first confirm: %+v %v", a1, err)
	}
	for _, session := range []string{"s", ""} { // the same browser; a replay whose session is gone
		a2, err := r.confirm(session, "K-1")
		if err != nil || a2.VisitNumber != a1.VisitNumber {
			t.Errorf("replay from %q: %+v %v, want %s", session, a2, err, a1.VisitNumber)
		}
	}
	if _, err := r.confirm("s", "K-2"); booking.ErrorCode(err) != booking.CodeNotFound {
		t.Errorf("a new key without a hold: %v, want not found", err)
	}
	if r.ehr.books != 1 {
		t.Errorf("the EHR got %d bookings, want 1", r.ehr.books)
	}
}

// TestOutboxGivesUpAfterMaxAttempts: an EHR that never answers gets MaxAttempts tries, no
// more; then the appointment is failed and its message leaves the queue.
func TestOutboxGivesUpAfterMaxAttempts(t *testing.T) {
	r := newRig(t)
	r.ehr.bookErr = booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown)
	r.hold(t, "s")
	a, err := r.confirm("s", "K-1")
	if err != nil || a.Status != booking.StatusRequested {
		t.Fatalf("confirm with the EHR down: %+v %v", a, err)
	}
	for range 3 * booking.MaxAttempts {
		r.now = r.now.Add(10 * time.Minute) // past any backoff and claim lease
		r.svc.DeliverDue(context.Background())
	}
	if r.ehr.books != booking.MaxAttempts {
		t.Errorf("%d attempts, want %d", r.ehr.books, booking.MaxAttempts)
	}
	got, err := r.svc.Appointment(context.Background(), a.VisitNumber)
	if err != nil || got.Status != booking.StatusFailed {
		t.Errorf("after giving up: %+v %v, want failed", got, err)
	}
	if due, _ := r.db.DueMessages(context.Background(), r.now.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("%d messages still due", len(due))
	}
}

// TestRefusalSettlesAtOnce: the EHR refusing the time (taken by phone meanwhile) fails the
// appointment at the first attempt, in the same write as the attempt.
func TestRefusalSettlesAtOnce(t *testing.T) {
	r := newRig(t)
	r.ehr.bookErr = booking.Fail(booking.CodeSlotTaken, booking.MsgSlotGone)
	r.hold(t, "s")
	a, err := r.confirm("s", "K-1")
	if err != nil || a.Status != booking.StatusFailed || r.ehr.books != 1 {
		t.Errorf("confirm refused by the EHR: %+v %v after %d attempts, want failed after 1", a, err, r.ehr.books)
	}
}
