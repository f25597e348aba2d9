package booking

import (
	"context"
	"slices"
	"testing"
	"time"
)

// confirmed books the one slot of ehr for session s through svc and returns the appointment.
func confirmed(t *testing.T, svc *Service, ehr *fakeEHR, s, key, reason string) Appointment {
	t.Helper()
	ctx := context.Background()
	if _, _, err := svc.Hold(ctx, s, days(3), ehr.slots[0].Key()); err != nil {
		t.Fatal(err)
	}
	vt, _ := svc.Clinic().VisitType("FU")
	a, err := svc.Confirm(ctx, ConfirmRequest{Key: key, SessionID: s, VisitType: vt, Reason: reason,
		Patient: Patient{FirstName: "A", LastName: "B", DOB: "1990-01-01"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestRetriedDeliveryAsksTheEHRFirst: a message sent before whose outcome is unknown (a retry
// after a timeout, or an interrupted claim) is looked up in the EHR, over a window around the
// visit, and not sent again when the EHR already has it; a first send asks nothing.
func TestRetriedDeliveryAsksTheEHRFirst(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		kind      OutboxKind
		attempts  int
		listed    func(a Appointment) []Appointment // what the EHR's Booked lists
		wantSent  bool
		wantAsked bool
	}{
		{"a retried New the EHR has", OutboxNew, 1, func(a Appointment) []Appointment { return []Appointment{a} }, false, true},
		{"a retried New the EHR lacks", OutboxNew, 1, func(Appointment) []Appointment { return nil }, true, true},
		{"a first New", OutboxNew, 0, func(a Appointment) []Appointment { return []Appointment{a} }, true, false},
		{"a retried Cancel the EHR has done", OutboxCancel, 1, func(a Appointment) []Appointment {
			a.Status = StatusCanceled
			return []Appointment{a}
		}, false, true},
		{"a retried Cancel of a visit still booked there", OutboxCancel, 1, func(a Appointment) []Appointment {
			a.Status = StatusBooked
			return []Appointment{a}
		}, true, true},
		{"a retried Cancel when the EHR lists only another, canceled visit", OutboxCancel, 1, func(a Appointment) []Appointment {
			a.VisitNumber, a.Status = "OTHER", StatusCanceled
			return []Appointment{a}
		}, true, true},
		{"a first Cancel", OutboxCancel, 0, func(a Appointment) []Appointment {
			a.Status = StatusCanceled
			return []Appointment{a}
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}, bookErr: &Error{Code: CodeUnavailable, Detail: "down"}}
			svc, st := newTestService(t, ehr)
			ctx := context.Background()
			a := confirmed(t, svc, ehr, "s", "k", "")
			st.mu.Lock()
			st.outbox = nil // the New's fate is set below
			st.mu.Unlock()
			if tt.kind == OutboxCancel {
				must(t, st.SetStatus(ctx, a.VisitNumber, StatusBooked, testNow))
				must(t, st.RequestCancel(ctx, a.VisitNumber, "", testNow))
			} else {
				st.mu.Lock()
				st.nextID++
				st.outbox = append(st.outbox, OutboxMessage{ID: st.nextID, Kind: OutboxNew, VisitNumber: a.VisitNumber, NextAttempt: testNow})
				st.mu.Unlock()
			}
			st.mu.Lock()
			st.outbox[0].Attempts = tt.attempts
			st.mu.Unlock()
			ehr.mu.Lock()
			ehr.bookErr, ehr.booked, ehr.bookedAsked, ehr.visits = nil, nil, 0, tt.listed(a)
			ehr.mu.Unlock()
			svc.DeliverDue(ctx)
			sent := len(ehr.booked) > 0 || slices.Contains(ehr.canceled, a.VisitNumber)
			if sent != tt.wantSent || (ehr.bookedAsked > 0) != tt.wantAsked {
				t.Errorf("sent %v after asking the EHR %d times; want sent %v, asked %v", sent, ehr.bookedAsked, tt.wantSent, tt.wantAsked)
			}
			if len(st.outbox) != 0 {
				t.Errorf("outbox = %+v; want the message settled", st.outbox)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestConfirmSendsTheReasonTyped: the EHR reads the visit type, then the patient's words.
func TestConfirmSendsTheReasonTyped(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	for reason, want := range map[string]string{"": "Follow-up", "swollen since Monday": "Follow-up: swollen since Monday"} {
		ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}}
		svc, _ := newTestService(t, ehr)
		confirmed(t, svc, ehr, "s", "k", reason)
		if len(ehr.booked) != 1 || ehr.booked[0].Reason != want {
			t.Errorf("reason %q: the EHR got %+v, want reason %q", reason, ehr.booked, want)
		}
	}
}

// queueBehindStore queues another visit's New right behind every new appointment's.
type queueBehindStore struct{ *memStore }

func (q queueBehindStore) CreateAppointment(ctx context.Context, b Booking, now time.Time) (Appointment, bool, error) {
	a, replayed, err := q.memStore.CreateAppointment(ctx, b, now)
	if err == nil && !replayed {
		q.queue("BEHIND", now)
	}
	return a, replayed, err
}

// queue adds a requested appointment vn and its due New.
func (m *memStore) queue(vn string, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.appts[vn] = Appointment{VisitNumber: vn, Status: StatusRequested, Start: now.Add(48 * time.Hour), Minutes: 20}
	m.nextID++
	m.outbox = append(m.outbox, OutboxMessage{ID: m.nextID, Kind: OutboxNew, VisitNumber: vn, NextAttempt: now})
}

// TestConfirmDeliversUpToItsOwnBooking: a confirm delivers what is due before its own New
// (in order), its own, and nothing after: the patient waits for one booking, not the queue.
func TestConfirmDeliversUpToItsOwnBooking(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	ehr := &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", at)}}
	st := queueBehindStore{newMemStore()}
	st.queue("BEFORE", testNow)
	svc := NewService(Config{Clinic: testClinic(t), EHR: ehr, Holds: st.memStore, Appointments: st,
		Now: func() time.Time { return testNow }, CacheFor: -1})
	a := confirmed(t, svc, ehr, "s", "k", "")
	var sent []string
	for _, b := range ehr.booked {
		sent = append(sent, b.VisitNumber)
	}
	if a.Status != StatusBooked || !slices.Equal(sent, []string{"BEFORE", a.VisitNumber}) {
		t.Errorf("status %s, the EHR got %v; want booked after BEFORE and ours, not BEHIND", a.Status, sent)
	}
}
