package booking

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The front desk's "Needs attention": what the machinery could not finish alone and a person
// must look at. Bookings the EHR refused (or that Doorway gave up on), messages still not
// delivered after a while, a move whose old visit is still booked at the EHR, emails that
// never reached the patient, and deliveries from the EHR that could not be applied. Each item
// says what fits: retry the message now, call the patient, or mark it resolved with a note. A
// resolution covers one occurrence of an item (a failure, a stuck spell, an arrival): when the
// same message fails again, the item is back on the list.

// AttentionKind says why an item needs a person.
type AttentionKind string

// Kinds of items, as the desk groups them.
const (
	// AttentionFailed: the EHR refused a message (a New: the patient thinks they are booked),
	// or Doorway gave up on a New after MaxAttempts.
	AttentionFailed AttentionKind = "failed"
	// AttentionMoveCancel: a reschedule's new visit is booked, but the Cancel of the old one
	// has not reached the EHR after StuckAfter: the patient holds both times there.
	AttentionMoveCancel AttentionKind = "move_cancel"
	// AttentionStuck: a message to the EHR still not delivered StuckAfter after it was due.
	AttentionStuck AttentionKind = "stuck"
	// AttentionEmail: an email to the patient that failed for good: the mail server refused
	// it (SMTP 5xx) or Doorway gave up after MaxEmailAttempts. The patient does not have the
	// confirmation, change, cancellation or reminder it carried. An email still retrying is
	// not listed (no stuck spell for emails): it fails for good within about an hour and a
	// quarter, and an SMTP outage shows on /readyz meanwhile.
	AttentionEmail AttentionKind = "email"
	// AttentionInbound: a delivery from the EHR Doorway read but could not apply (a dead
	// letter): Doorway's view of the schedule may be out of date.
	AttentionInbound AttentionKind = "inbound"
)

// AttentionKinds are the kinds in the order the desk lists them: what hurts a patient most
// first (a booking that is not there, two bookings, one not there yet, then a missing email).
var AttentionKinds = []AttentionKind{AttentionFailed, AttentionMoveCancel, AttentionStuck, AttentionEmail, AttentionInbound}

// StuckAfter is how long a message may go undelivered (retrying with backoff) before it
// needs a person: long enough for a brief EHR outage to mend itself, short enough that the
// desk can still call a patient booked for today.
const StuckAfter = 15 * time.Minute

// MaxNote bounds a resolution's note, in characters.
const MaxNote = 500

// Audit actions at the "Needs attention" list.
const (
	AuditRetry   = "retry"   // a staff member sent a failed or stuck message again
	AuditResolve = "resolve" // a staff member marked an item resolved, with a note
)

// Messages of the "Needs attention" list.
const (
	MsgNoteMissing    Msg = "attention.note_missing"
	MsgNoteLong       Msg = "attention.note_long"
	MsgAttentionGone  Msg = "attention.gone"     // resolved or delivered meanwhile: no longer on the list
	MsgCannotRetry    Msg = "attention.no_retry" // not a message, or one that cannot go again
	MsgRetryBusy      Msg = "attention.busy"     // being sent right now
	MsgRetryTimeTaken Msg = "attention.taken"    // a refused booking's time was taken meanwhile
)

// Attention is one item that needs a person.
type Attention struct {
	ID    string // the item's address at the desk: "outbox-12", "email-14", "inbound-3"
	Kind  AttentionKind
	Since time.Time // when it began to need attention: the failure, when it was due, the arrival

	// Of an outbox message (every kind but AttentionInbound).
	Message     OutboxKind  // a Scheduling event, or an email (AttentionEmail)
	Appointment Appointment // its visit, with the patient to call (PHI: the desk's screen only)
	Attempts    int         // every attempt made
	LastError   string      // the last attempt's error, as the EHR, the mail server or the connection said it
	CanRetry    bool        // it may be sent again now

	// Of a delivery from the EHR (AttentionInbound), without its body.
	DeadLetter DeadLetter
}

// OutboxTrouble is an outbox message that needs a person, as the store finds it.
type OutboxTrouble struct {
	Message OutboxMessage // Attempts counts every attempt made
	After   int64         // the message it waited for (a reschedule's Cancel waits for the New); 0: none
	Failed  bool          // it left the queue undelivered
	// Since is when it failed, or, pending, when it became due: queued, when the message it
	// waited for was delivered, or when the desk last retried it.
	Since       time.Time
	LastError   string
	Appointment Appointment
}

// Resolution is a staff member's word that one occurrence of an item is dealt with.
type Resolution struct {
	Source   string    // ResolveOutbox, ResolveEmail or ResolveDeadLetter
	SourceID int64     // the outbox message's or the dead letter's id
	Since    time.Time // the occurrence resolved: the item's Since
	Note     string    // what they did; may name the patient (PHI, never logged)
	StaffID  int64
	At       time.Time
}

// Sources of items, as a Resolution names them. An email is an outbox message too; it has a
// source of its own so that the desk's address of an item ("email-14") and a resolution say
// which list it was on.
const (
	ResolveOutbox     = "outbox" // a message to the EHR
	ResolveEmail      = "email"  // an email to the patient
	ResolveDeadLetter = "dead_letter"
)

// AttentionStore is what the "Needs attention" list needs of the store. Implemented by store.
type AttentionStore interface {
	// OutboxTroubles returns, newest first, the messages of the EHR's lane that left the
	// queue undelivered (not those dropped unsent because the message they waited for failed:
	// that one is listed) and those still pending that became due at or before dueBefore (not
	// those waiting behind an older pending message of their visit in the lane, nor for a
	// message not yet delivered), each with its appointment; a message resolved
	// (ResolveOutbox) at its present Since is left out.
	OutboxTroubles(ctx context.Context, dueBefore time.Time) ([]OutboxTrouble, error)
	// EmailTroubles returns, newest first, the emails (the email and reminder lanes) that
	// failed for good in their latest round of attempts: refused, or out of attempts; not
	// those dropped unsent on purpose. Each has its appointment, Failed set and Since its
	// failure; one resolved (ResolveEmail) at that failure is left out.
	EmailTroubles(ctx context.Context) ([]OutboxTrouble, error)
	// UnresolvedDeadLetters returns the dead letters waiting for a replay that nobody
	// resolved, newest first, without their bodies.
	UnresolvedDeadLetters(ctx context.Context) ([]DeadLetter, error)
	// Resolve records r and its audit row in one transaction. CodeConflict when that
	// occurrence was resolved already.
	Resolve(ctx context.Context, r Resolution, audit AuditEntry) error
	// RetryMessage puts message id (of any lane) back in the queue, due at now, for a new
	// round of attempts (MaxAttempts counts from it; the attempts made stay recorded; it counts as
	// stuck again StuckAfter from now), and writes the audit row, in one transaction. A refused New takes its appointment back from failed
	// to requested (ErrSlotTaken when the time was booked meanwhile), and the Cancel of the
	// visit it replaces waits for it again. CodeConflict with MsgAttentionGone when the
	// message was delivered meanwhile, with MsgRetryBusy while a deliverer is sending it.
	RetryMessage(ctx context.Context, id int64, audit AuditEntry, now time.Time) error
	// Delivered reports whether outbox message id has been delivered.
	Delivered(ctx context.Context, id int64) (bool, error)
}

// attentionStore is the store's AttentionStore, or an error when it has none.
func (s *Service) attentionStore() (AttentionStore, error) {
	st, ok := s.appts.(AttentionStore)
	if !ok {
		return nil, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "the attention list's store is not wired"}
	}
	return st, nil
}

// Attention returns what needs a person, newest first.
func (s *Service) Attention(ctx context.Context) ([]Attention, error) {
	st, err := s.attentionStore()
	if err != nil {
		return nil, err
	}
	now := s.now()
	troubles, err := st.OutboxTroubles(ctx, now.Add(-StuckAfter))
	if err != nil {
		return nil, err
	}
	var out []Attention
	for _, t := range troubles {
		out = append(out, s.outboxItem(t, now))
	}
	emails, err := st.EmailTroubles(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range emails {
		out = append(out, s.emailItem(t, now))
	}
	dead, err := st.UnresolvedDeadLetters(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range dead {
		out = append(out, Attention{ID: attentionID(ResolveDeadLetter, d.ID), Kind: AttentionInbound, Since: d.Received, DeadLetter: d})
	}
	slices.SortStableFunc(out, func(a, b Attention) int { return b.Since.Compare(a.Since) })
	return out, nil
}

// outboxItem is the item of message trouble t at now.
func (s *Service) outboxItem(t OutboxTrouble, now time.Time) Attention {
	it := Attention{ID: attentionID(ResolveOutbox, t.Message.ID), Since: t.Since, Message: t.Message.Kind,
		Appointment: t.Appointment, Attempts: t.Message.Attempts, LastError: t.LastError}
	switch {
	case t.Failed:
		it.Kind = AttentionFailed
	case t.After != 0 && t.Message.Kind == OutboxCancel:
		it.Kind = AttentionMoveCancel
	default:
		it.Kind = AttentionStuck
	}
	it.CanRetry = true
	if t.Message.Kind == OutboxNew {
		// A booking goes again only while it can still be kept: the time is ahead, and the
		// appointment was not canceled meanwhile.
		live := t.Appointment.Status == StatusFailed || t.Appointment.Status == StatusRequested
		it.CanRetry = live && t.Appointment.Start.After(now)
	}
	return it
}

// emailItem is the item of the failed email t at now. It may go again only while it still
// applies (emailApplies) and the service sends emails.
func (s *Service) emailItem(t OutboxTrouble, now time.Time) Attention {
	return Attention{ID: attentionID(ResolveEmail, t.Message.ID), Kind: AttentionEmail, Since: t.Since, Message: t.Message.Kind,
		Appointment: t.Appointment, Attempts: t.Message.Attempts, LastError: t.LastError,
		CanRetry: s.Emailing() && emailApplies(t.Message.Kind, t.Appointment, now)}
}

// emailApplies reports whether an email of kind k about a still says something true at now:
// a cancellation always; a confirmation or change notice while the visit is booked (or being
// booked) and ahead; a reminder while the visit is booked, ahead, with reminders on. Sent
// again otherwise, the mail worker would drop it (skipEmail) or tell the patient of a time
// gone by.
func emailApplies(k OutboxKind, a Appointment, now time.Time) bool {
	switch {
	case a.Patient.Email == "":
		return false
	case k == OutboxEmailCancel:
		return true
	case !a.Start.After(now):
		return false
	case k == OutboxEmailReminder:
		return a.Status == StatusBooked && !a.RemindersOff
	}
	return a.Status == StatusBooked || a.Status == StatusRequested
}

// attentionPrefixes are the items' addresses by source: the desk's URLs carry them.
var attentionPrefixes = map[string]string{ResolveOutbox: "outbox", ResolveEmail: "email", ResolveDeadLetter: "inbound"}

// attentionID is an item's address: its source (ResolveOutbox, ResolveEmail,
// ResolveDeadLetter) and id.
func attentionID(source string, id int64) string {
	return attentionPrefixes[source] + "-" + strconv.FormatInt(id, 10)
}

// findAttention returns the item with id as the list has it now; MsgAttentionGone when the
// list no longer has it (resolved, delivered or replayed meanwhile, or never there).
func (s *Service) findAttention(ctx context.Context, id string) (Attention, error) {
	items, err := s.Attention(ctx)
	if err != nil {
		return Attention{}, err
	}
	for _, it := range items {
		if it.ID == id {
			return it, nil
		}
	}
	return Attention{}, Fail(CodeNotFound, MsgAttentionGone)
}

// sourceOf is the store's name of an item's source and id.
func sourceOf(it Attention) (string, int64) {
	prefix, num, _ := strings.Cut(it.ID, "-")
	n, _ := strconv.ParseInt(num, 10, 64)
	for src, p := range attentionPrefixes {
		if p == prefix {
			return src, n
		}
	}
	return ResolveOutbox, n
}

// AttentionCount is how many items need a person (0 when the list cannot be read: the count
// in the desk's navigation is a hint, the list itself says what went wrong).
func (s *Service) AttentionCount(ctx context.Context) int {
	items, err := s.Attention(ctx)
	if err != nil {
		return 0
	}
	return len(items)
}
