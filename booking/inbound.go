package booking

import (
	"context"
	"time"
)

// Interval is time a provider is taken, as the EHR told us (booked visits, holds, blocks).
type Interval struct {
	ProviderID string
	Start, End time.Time
}

// Notification is an inbound Scheduling notification from the EHR, converted to the domain.
type Notification struct {
	Key         string // deduplication key: Logs ID or Message ID with visit number and event
	Event       string // New, Modification, Reschedule, Cancel, NoShow
	Appointment Appointment
	OldVisit    string // Reschedule: the visit it replaces
	// Mail is what the change queues for the patient of the Doorway appointment it cancels
	// or moves (set by the service, not read from the EHR): the cancellation, or the change
	// notice and the reminder at the visit's new time.
	Mail Mail
}

// Inbound is one delivery from the EHR, decoded (booking/redox.ParseInbound): a change to
// the schedule or a batch of pushed slots. Exactly one is set.
type Inbound struct {
	Notification *Notification
	Push         *SlotPush
	// Key and Event identify the delivery: its deduplication key and Meta.EventType as sent.
	// The decoder fills them in as far as it could read the body also when it returns an
	// error, so that a delivery kept as a dead letter is known by them.
	Key   string
	Event string
}

// Receipt says what a delivery changed: whether a notification was applied (false for a
// replay) or how many pushed slots were stored; or, when it could not be applied, the dead
// letter that keeps it (Deliver).
type Receipt struct {
	Applied    bool
	Slots      int
	DeadLetter *DeadLetter // without its Body
}

// Receive applies an inbound delivery.
func (s *Service) Receive(ctx context.Context, in Inbound) (Receipt, error) {
	switch {
	case in.Notification != nil:
		applied, err := s.ApplyNotification(ctx, *in.Notification)
		return Receipt{Applied: applied}, err
	case in.Push != nil:
		n, err := s.ApplyPushSlots(ctx, *in.Push)
		return Receipt{Applied: true, Slots: n}, err
	}
	return Receipt{}, &Error{Code: CodeInvalid, Msg: MsgMalformed, Detail: "empty delivery"}
}

// MirrorStore keeps Doorway's mirror of the EHR's schedule. Implemented by store.
type MirrorStore interface {
	// ApplyNotification records n unless its key was seen before (then applied is false and
	// nothing changes): the mirror row for the visit is upserted (Cancel and NoShow free the
	// time; Reschedule frees OldVisit), and a Doorway appointment with the same visit number
	// follows the EHR's status.
	ApplyNotification(ctx context.Context, n Notification, now time.Time) (applied bool, err error)
	// BusyIntervals returns the mirrored visits, holds and blocks overlapping [start, end).
	BusyIntervals(ctx context.Context, start, end time.Time) ([]Interval, error)
}

// ApplyNotification updates the mirror and drops cached searches the change touches. A replay
// of the same delivery changes nothing.
func (s *Service) ApplyNotification(ctx context.Context, n Notification) (applied bool, err error) {
	if s.mirror == nil {
		return false, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "notifications are not enabled"}
	}
	if err := s.inRange(n); err != nil {
		return false, err
	}
	live, wasLive := s.liveBeforeCancel(ctx, n)
	n.Mail = s.mailForClinicChange(ctx, n)
	applied, err = s.mirror.ApplyNotification(ctx, n, s.now())
	if err != nil || !applied {
		return applied, err
	}
	if wasLive {
		s.countClinicCancel(ctx, live)
	}
	a := n.Appointment
	// Invalidate a day either side: a moved visit's old time is not in the message.
	s.Invalidate(a.Start.Add(-24*time.Hour), a.End().Add(24*time.Hour))
	s.log.InfoContext(ctx, "notification applied", "event", n.Event, "visit_number", a.VisitNumber, "block", a.IsBlock())
	return true, nil
}

// inRange refuses a visit booked beyond the clinic's horizon (and a grace day for zones and
// clocks): no patient could have booked it, and the schedule Doorway keeps does not reach
// it. A Cancel or NoShow is applied whatever its date: it only frees time.
func (s *Service) inRange(n Notification) error {
	if n.Event == "Cancel" || n.Event == "NoShow" || n.Appointment.Start.IsZero() {
		return nil
	}
	if limit := s.now().Add(s.clinic.Horizon() + 24*time.Hour); n.Appointment.Start.After(limit) {
		return &Error{Code: CodeOutsideWindow, Msg: MsgMalformed, Field: "Visit.VisitDateTime",
			Detail: "the visit is beyond the clinic's booking horizon"}
	}
	return nil
}

// overlapsAny reports whether sl overlaps one of busy (same provider).
func overlapsAny(sl Slot, busy []Interval) bool {
	end := sl.End()
	for _, b := range busy {
		if b.ProviderID == sl.Provider.ID && sl.Start.Before(b.End) && b.Start.Before(end) {
			return true
		}
	}
	return false
}
