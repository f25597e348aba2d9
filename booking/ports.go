package booking

import (
	"context"
	"time"
)

// Hold reserves a slot for one browser session while the patient types their details.
// The store guarantees at most one live hold per slot key and one per session.
type Hold struct {
	ID        string
	SessionID string // opaque server-side session id, never shown
	Slot      Slot
	CreatedAt time.Time
	ExpiresAt time.Time
	// Client is who holds it (the client's address; never shown) and ClientCap the most live
	// holds that client may keep across its sessions (0: no cap): PutHold refuses one more.
	Client    string
	ClientCap int
}

// Live reports whether the hold is still in force at now.
func (h Hold) Live(now time.Time) bool { return now.Before(h.ExpiresAt) }

// HoldStore persists holds. Implemented by store.
type HoldStore interface {
	// PutHold stores h as the session's only hold, replacing its previous one. It fails with
	// ErrSlotTaken when another session's live hold or a live appointment has the same slot,
	// and with MsgTooManyHolds when h's client already keeps ClientCap live holds elsewhere.
	PutHold(ctx context.Context, h Hold, now time.Time) error
	// SessionHold returns the session's live hold, or ErrNotFound.
	SessionHold(ctx context.Context, sessionID string, now time.Time) (Hold, error)
	// RenewHold extends the session's live hold to until; ErrNotFound when it has expired.
	RenewHold(ctx context.Context, sessionID string, until, now time.Time) (Hold, error)
	// ReleaseHold drops the session's hold, if any.
	ReleaseHold(ctx context.Context, sessionID string) error
	// TakenKeys returns the Slot.Key of every time in [start, end) that is unavailable to
	// sessionID: live holds of other sessions and appointments not canceled or failed.
	TakenKeys(ctx context.Context, start, end time.Time, sessionID string, now time.Time) (map[string]bool, error)
	// SweepHolds deletes holds expired at now and returns how many.
	SweepHolds(ctx context.Context, now time.Time) (int, error)
}

// OutboxKind says which Scheduling event an outbox message carries.
type OutboxKind string

// Outbox kinds.
const (
	OutboxNew    OutboxKind = "New"
	OutboxCancel OutboxKind = "Cancel"
)

// OutboxMessage is a Scheduling notification waiting to be delivered to the EHR.
type OutboxMessage struct {
	ID          int64
	Kind        OutboxKind
	VisitNumber string
	Reason      string // cancel reason
	Attempts    int    // made so far (since the desk last retried it: see Retried)
	NextAttempt time.Time
	// Interrupted means an earlier claim of this message ended without a recorded outcome
	// (the process died or was stopped mid-send): the EHR may already have it.
	Interrupted bool
	// Retried means the desk sent it again after earlier attempts (Attempts counts from
	// there): as after an interruption, the EHR may already have it.
	Retried bool
}

// Booking is what Confirm writes: the appointment, the idempotency key from the form, and the
// session whose hold it consumes.
type Booking struct {
	Key         string // idempotency key: a replay with the same key returns the same appointment
	SessionID   string
	Appointment Appointment
	Audit       []AuditEntry // written in the same transaction (a booking by staff)
	Mail        Mail         // the emails queued with it
}

// AppointmentStore persists appointments and the outbox. Implemented by store.
type AppointmentStore interface {
	// CreateAppointment writes b.Appointment with StatusRequested and its OutboxNew message in
	// one transaction and consumes the session's hold; b.Mail's confirmation and reminder go
	// in the same transaction, each waiting for the New to be delivered. When b.Key was used before it returns the
	// appointment written then and replayed=true, writing nothing. ErrSlotTaken when the slot
	// is held by another session or booked.
	CreateAppointment(ctx context.Context, b Booking, now time.Time) (a Appointment, replayed bool, err error)
	// Appointment returns the appointment with visitNumber, or ErrNotFound.
	Appointment(ctx context.Context, visitNumber string) (Appointment, error)
	// RequestCancel marks the appointment canceled and queues OutboxCancel in one transaction,
	// dropping the visit's pending reminder.
	RequestCancel(ctx context.Context, visitNumber, reason string, now time.Time) error
	// DueMessages claims and returns undelivered outbox messages of the EHR's lane (LaneEHR)
	// due at now, oldest first.
	// Claiming pushes each one's next attempt a lease (a minute) ahead in the same
	// transaction, so two deliverers (the confirm handler and the worker) never send one
	// message twice at the same time.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error)
	// RecordAttempt records one delivery attempt; errText is empty on success. When done, the
	// appointment of a New moves from requested to booked (success) or failed in the same
	// transaction, so no crash can separate the outcome from the status. When done, the
	// message leaves the queue; otherwise it is retried at next.
	RecordAttempt(ctx context.Context, id int64, errText string, done bool, next, now time.Time) error
}
