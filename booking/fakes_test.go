package booking

import (
	"context"
	"slices"
	"sync"
	"time"
)

// fakeEHR answers searches from a fixed list and records what it was asked.
type fakeEHR struct {
	mu       sync.Mutex
	slots    []Slot
	err      error
	bookErr  error
	queries  []SlotQuery
	booked   []Appointment
	canceled []string
	visits   []Appointment // answers to Booked
	// bookedAsked counts the Booked queries.
	bookedAsked int
}

func (f *fakeEHR) AvailableSlots(_ context.Context, q SlotQuery) (SlotPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	return SlotPage{Slots: f.slots}, f.err
}

// Booked lists the visits overlapping the query's window, as an EHR would.
func (f *fakeEHR) Booked(_ context.Context, q BookedQuery) (VisitPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bookedAsked++
	var page VisitPage
	for _, v := range f.visits {
		if v.Start.Before(q.End) && v.End().After(q.Start) {
			page.Visits = append(page.Visits, v)
		}
	}
	return page, nil
}
func (f *fakeEHR) Book(_ context.Context, a Appointment) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.bookErr != nil {
		return f.bookErr
	}
	f.booked = append(f.booked, a)
	return nil
}
func (f *fakeEHR) Modify(context.Context, Appointment) error                  { return nil }
func (f *fakeEHR) Reschedule(context.Context, Appointment, Appointment) error { return nil }
func (f *fakeEHR) Cancel(_ context.Context, a Appointment, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.canceled = append(f.canceled, a.VisitNumber)
	return nil
}
func (f *fakeEHR) NoShow(context.Context, Appointment, string) error { return nil }

// memStore is an in-memory HoldStore + AppointmentStore with the contract's semantics.
type memStore struct {
	mu     sync.Mutex
	holds  map[string]Hold // by session
	appts  map[string]Appointment
	byKey  map[string]string
	outbox []OutboxMessage
	audit  []AuditEntry
	nextID int64
}

func newMemStore() *memStore {
	return &memStore{holds: map[string]Hold{}, appts: map[string]Appointment{}, byKey: map[string]string{}}
}

func (m *memStore) PutHold(_ context.Context, h Hold, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for s, o := range m.holds {
		if s != h.SessionID && o.Live(now) && o.Slot.SeatKey() == h.Slot.SeatKey() {
			return ErrSlotTaken
		}
	}
	m.holds[h.SessionID] = h
	return nil
}
func (m *memStore) SessionHold(_ context.Context, sid string, now time.Time) (Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h, ok := m.holds[sid]; ok && h.Live(now) {
		return h, nil
	}
	return Hold{}, ErrNotFound
}
func (m *memStore) RenewHold(ctx context.Context, sid string, until, now time.Time) (Hold, error) {
	h, err := m.SessionHold(ctx, sid, now)
	if err != nil {
		return h, err
	}
	m.mu.Lock()
	h.ExpiresAt = until
	m.holds[sid] = h
	m.mu.Unlock()
	return h, nil
}
func (m *memStore) ReleaseHold(_ context.Context, sid string) error {
	m.mu.Lock()
	delete(m.holds, sid)
	m.mu.Unlock()
	return nil
}
func (m *memStore) TakenKeys(_ context.Context, _, _ time.Time, sid string, now time.Time) (map[string]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := map[string]bool{}
	for s, h := range m.holds {
		if s != sid && h.Live(now) {
			t[h.Slot.SeatKey()] = true
		}
	}
	for _, a := range m.appts {
		if a.Status == StatusRequested || a.Status == StatusBooked {
			t[a.Slot().SeatKey()] = true
		}
	}
	return t, nil
}
func (m *memStore) SweepHolds(context.Context, time.Time) (int, error) { return 0, nil }

func (m *memStore) CreateAppointment(_ context.Context, b Booking, now time.Time) (Appointment, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if vn, ok := m.byKey[b.Key]; ok {
		return m.appts[vn], true, nil
	}
	if b.Appointment.VisitNumber == "" {
		return Appointment{}, false, ErrNotFound
	}
	delete(m.holds, b.SessionID)
	m.appts[b.Appointment.VisitNumber] = b.Appointment
	m.byKey[b.Key] = b.Appointment.VisitNumber
	m.audit = append(m.audit, b.Audit...)
	m.nextID++
	m.outbox = append(m.outbox, OutboxMessage{ID: m.nextID, Kind: OutboxNew, VisitNumber: b.Appointment.VisitNumber, NextAttempt: now})
	return b.Appointment, false, nil
}
func (m *memStore) AppointmentsByDOB(_ context.Context, dob string, limit int) ([]Appointment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Appointment
	for _, a := range m.appts {
		if a.Patient.DOB == dob {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b Appointment) int { return b.Start.Compare(a.Start) })
	return out[:min(limit, len(out))], nil
}

func (m *memStore) Appointment(_ context.Context, vn string) (Appointment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.appts[vn]
	if !ok {
		return a, ErrNotFound
	}
	return a, nil
}
func (m *memStore) SetStatus(_ context.Context, vn string, st Status, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.appts[vn]
	a.Status = st
	m.appts[vn] = a
	return nil
}
func (m *memStore) RequestCancel(_ context.Context, vn, reason string, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.appts[vn]
	if !ok {
		return ErrNotFound
	}
	a.Status = StatusCanceled
	m.appts[vn] = a
	m.nextID++
	m.outbox = append(m.outbox, OutboxMessage{ID: m.nextID, Kind: OutboxCancel, VisitNumber: vn, Reason: reason, NextAttempt: now})
	return nil
}
func (m *memStore) DueMessages(_ context.Context, now time.Time, limit int) ([]OutboxMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []OutboxMessage
	for i, o := range m.outbox {
		if !o.NextAttempt.After(now) && len(out) < limit {
			out = append(out, o)
			m.outbox[i].NextAttempt = now.Add(time.Minute)
		}
	}
	return out, nil
}
func (m *memStore) RecordAttempt(_ context.Context, id int64, errText string, done bool, next, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, o := range m.outbox {
		if o.ID == id {
			if done {
				if a, ok := m.appts[o.VisitNumber]; ok && o.Kind == OutboxNew && a.Status == StatusRequested {
					a.Status = StatusBooked
					if errText != "" {
						a.Status = StatusFailed
					}
					m.appts[o.VisitNumber] = a
				}
				m.outbox = append(m.outbox[:i], m.outbox[i+1:]...)
			} else {
				m.outbox[i].Attempts++
				m.outbox[i].NextAttempt = next
			}
			return nil
		}
	}
	return ErrNotFound
}

// countRecorder is a Counter that keeps every key counted, in order.
type countRecorder struct {
	mu   sync.Mutex
	keys []FunnelKey
}

func (c *countRecorder) Count(k FunnelKey) {
	c.mu.Lock()
	c.keys = append(c.keys, k)
	c.mu.Unlock()
}

// of returns the keys counted for event e.
func (c *countRecorder) of(e FunnelEvent) []FunnelKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []FunnelKey
	for _, k := range c.keys {
		if k.Event == e {
			out = append(out, k)
		}
	}
	return out
}

// funnelMem is a memStore that also keeps funnel counts (FunnelStore, FunnelReader), and can
// be told to fail writing them.
type funnelMem struct {
	*memStore
	fmu     sync.Mutex
	counts  map[FunnelKey]int64
	batches [][]FunnelCount
	fail    error
}

func newFunnelMem() *funnelMem {
	return &funnelMem{memStore: newMemStore(), counts: map[FunnelKey]int64{}}
}

func (f *funnelMem) AddFunnel(_ context.Context, counts []FunnelCount) error {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.batches = append(f.batches, counts)
	for _, c := range counts {
		f.counts[c.FunnelKey] += c.N
	}
	return nil
}

func (f *funnelMem) FunnelCounts(_ context.Context, q FunnelQuery) ([]FunnelCount, error) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	var out []FunnelCount
	for k, n := range f.counts {
		if k.Day >= q.From && k.Day <= q.To && (q.Reason == "" || k.Reason == q.Reason) &&
			(q.VisitType == "" || k.VisitType == q.VisitType) && (q.Channel == "" || k.Channel == q.Channel) {
			out = append(out, FunnelCount{FunnelKey: k, N: n})
		}
	}
	return out, nil
}

// total is what the store keeps under k.
func (f *funnelMem) total(k FunnelKey) int64 {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	return f.counts[k]
}
