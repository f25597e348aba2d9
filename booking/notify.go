package booking

import (
	"context"
	"strconv"
	"time"
)

// Emails to the patient (DESIGN §3): a confirmation when the EHR has taken a booking, a change
// notice when a move has gone through, a cancellation, and a reminder before the visit. Each
// is an outbox message written in the same transaction as the change that causes it, so a
// crash can neither lose one nor announce a change that did not happen; the mail worker
// (RunMail) sends them through a Notifier with retries and backoff, recording every attempt.

// Email outbox kinds.
const (
	OutboxEmailConfirm  OutboxKind = "EmailConfirm"
	OutboxEmailChange   OutboxKind = "EmailChange"
	OutboxEmailCancel   OutboxKind = "EmailCancel"
	OutboxEmailReminder OutboxKind = "EmailReminder"
)

// Lane is a queue of the outbox. Within a lane a visit's messages go out in order (a Cancel
// never overtakes the New it cancels); lanes do not wait for each other, so an SMTP server
// that is down holds up no EHR message, and a reminder due tomorrow holds up no email today.
type Lane string

// The outbox's lanes.
const (
	LaneEHR      Lane = "ehr"
	LaneEmail    Lane = "email"
	LaneReminder Lane = "reminder"
)

// Lane is the lane messages of kind k go in.
func (k OutboxKind) Lane() Lane {
	switch k {
	case OutboxEmailConfirm, OutboxEmailChange, OutboxEmailCancel:
		return LaneEmail
	case OutboxEmailReminder:
		return LaneReminder
	}
	return LaneEHR
}

// EmailKind names an email for people and metrics: a fixed set.
type EmailKind string

// Email kinds.
const (
	EmailConfirmation EmailKind = "confirmation"
	EmailChange       EmailKind = "change"
	EmailCancellation EmailKind = "cancellation"
	EmailReminder     EmailKind = "reminder"
)

// EmailKinds are the email kinds, in the order of a visit's life.
var EmailKinds = []EmailKind{EmailConfirmation, EmailChange, EmailCancellation, EmailReminder}

var emailKinds = map[OutboxKind]EmailKind{OutboxEmailConfirm: EmailConfirmation, OutboxEmailChange: EmailChange,
	OutboxEmailCancel: EmailCancellation, OutboxEmailReminder: EmailReminder}

// Lineage is an appointment's place in its chain of moves: the chain's first visit and how
// many moves led to this one. Every visit of a chain is one calendar event.
type Lineage struct {
	First string
	Moves int
}

// Notice is one email to send: what happened to which appointment.
type Notice struct {
	Kind EmailKind
	// Key is the event's idempotency key, the same on every attempt to send it: the
	// Message-ID is made from it, so a copy sent again after a crash is the same message.
	Key         string
	Appointment Appointment  // as it stands now
	Previous    *Appointment // a change: the appointment it replaced
	Lineage     Lineage
	Now         time.Time
}

// Notifier sends emails to patients. Implemented by mail.
type Notifier interface {
	// Notify sends n to n.Appointment.Patient.Email. An error with CodeRejected is final (the
	// server refused the message for good: an SMTP 5xx); any other error is retried.
	Notify(ctx context.Context, n Notice) error
}

// Mail is which emails a booking, move or cancel queues with it; the service decides (a
// Notifier is configured and the patient gave an address), the store writes them in the
// change's transaction.
type Mail struct {
	Send     bool      // the change's own email: confirmation, change notice or cancellation
	RemindAt time.Time // a reminder due then; zero for none
}

// MailStore is what emailing needs of the store beyond the outbox. Implemented by store.
type MailStore interface {
	// DueEmails claims due messages of the email and reminder lanes, as DueMessages does
	// those of the EHR's.
	DueEmails(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error)
	// DropMessage takes a claimed message out of the queue unsent (why says why: the visit
	// was canceled, reminders were turned off), recording no attempt.
	DropMessage(ctx context.Context, id int64, why string, now time.Time) error
	// SetReminders turns the visit's reminders on or off with its audit row, in one
	// transaction: off drops the pending reminder; on queues one due at remindAt (none when
	// zero, or when one is pending already).
	SetReminders(ctx context.Context, visitNumber string, on bool, remindAt time.Time, audit AuditEntry, now time.Time) error
	// QueueEmail queues one more email of kind for the visit (after its New) with its audit
	// row, in one transaction.
	QueueEmail(ctx context.Context, visitNumber string, kind OutboxKind, audit AuditEntry, now time.Time) error
}

// MaxEmailAttempts bounds an email's delivery attempts: with Backoff, about an hour and a
// quarter of an SMTP server being down before the email counts as failed.
const MaxEmailAttempts = 20

// Audit actions of the reminders switch, and of the desk sending a confirmation again.
const (
	AuditRemindersOn  = "reminders_on"
	AuditRemindersOff = "reminders_off"
	AuditResend       = "resend"
)

// Emailing reports whether the service sends emails.
func (s *Service) Emailing() bool { return s.notifier != nil && s.mail != nil }

// ReminderLead is how long before a visit its reminder goes (0: no reminders).
func (s *Service) ReminderLead() time.Duration {
	return time.Duration(s.clinic.ReminderHours) * time.Hour
}

// mailFor is what a booking (or move) of a queues: its email and its reminder when the
// patient gave an address, the reminder only when reminders are on for a and its time is
// still ahead.
func (s *Service) mailFor(a Appointment) Mail {
	if !s.Emailing() || a.Patient.Email == "" {
		return Mail{}
	}
	return Mail{Send: true, RemindAt: s.remindAt(a)}
}

// remindAt is when a's reminder is due, zero for none.
func (s *Service) remindAt(a Appointment) time.Time {
	lead := s.ReminderLead()
	if lead <= 0 || a.RemindersOff || a.Patient.Email == "" || !s.Emailing() {
		return time.Time{}
	}
	at := a.Start.Add(-lead)
	if !at.After(s.now()) {
		return time.Time{} // booked within the lead: the confirmation is the reminder
	}
	return at
}

// Lineage follows a's chain of moves back to its first visit.
func (s *Service) Lineage(ctx context.Context, a Appointment) Lineage {
	l := Lineage{First: a.VisitNumber}
	for prev := a.Replaces; prev != "" && l.Moves < 10; { // bounded against a cycle
		l.First, l.Moves = prev, l.Moves+1
		p, err := s.appts.Appointment(ctx, prev)
		if err != nil {
			break
		}
		prev = p.Replaces
	}
	return l
}

// RemindersRequest turns an appointment's reminder email on or off.
type RemindersRequest struct {
	VisitNumber string
	On          bool
	Actor       Actor
}

// SetReminders turns the reminder email of an appointment on or off (the manage page's
// switch); turned on, a reminder is queued when the visit is still far enough ahead.
func (s *Service) SetReminders(ctx context.Context, r RemindersRequest) error {
	if err := s.managing(); err != nil {
		return err
	}
	if !s.Emailing() {
		return &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "emails are not enabled"}
	}
	a, err := s.appts.Appointment(ctx, r.VisitNumber)
	if err != nil {
		return err
	}
	if a.Status != StatusBooked && a.Status != StatusRequested {
		return Fail(CodeConflict, MsgCannotCancel)
	}
	now := s.now()
	action := AuditRemindersOff
	var at time.Time
	if r.On {
		action = AuditRemindersOn
		a.RemindersOff = false
		at = s.remindAt(a)
	}
	return s.mail.SetReminders(ctx, a.VisitNumber, r.On, at, AuditEntry{At: now, Action: action, Actor: r.Actor, VisitNumber: a.VisitNumber}, now)
}

// ResendConfirmation queues the appointment's confirmation email again (the front desk, for a
// patient who did not get it, or lost it), audited; the mail worker sends it with a Message-ID
// of its own. It returns the address it goes to. Only an appointment still ahead, booked or
// being booked, with an address, and only when the service sends emails.
func (s *Service) ResendConfirmation(ctx context.Context, visitNumber string, by Actor) (string, error) {
	if !s.Emailing() {
		return "", &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "emails are not enabled"}
	}
	a, err := s.appts.Appointment(ctx, visitNumber)
	if err != nil {
		return "", err
	}
	switch {
	case a.Status != StatusBooked && a.Status != StatusRequested, !a.Start.After(s.now()):
		return "", Fail(CodeConflict, MsgCannotCancel)
	case a.Patient.Email == "":
		return "", Invalid("email", MsgContactMissing)
	}
	now := s.now()
	if err := s.mail.QueueEmail(ctx, a.VisitNumber, OutboxEmailConfirm, AuditEntry{At: now, Action: AuditResend, Actor: by,
		VisitNumber: a.VisitNumber}, now); err != nil {
		return "", err
	}
	s.log.InfoContext(ctx, "confirmation email queued again", "visit_number", a.VisitNumber)
	return a.Patient.Email, nil
}

// DeliverMail sends due emails until none is due, ctx ends or maxPerPass were tried, and
// returns how many were sent.
func (s *Service) DeliverMail(ctx context.Context) int {
	n, _ := s.deliverMail(ctx, 0)
	return n
}

// deliverMail is DeliverMail that stops as soon as it has tried outbox message id (when not
// 0): the desk sending one email again waits for that one, not for every queued one.
func (s *Service) deliverMail(ctx context.Context, id int64) (n int, tried bool) {
	if !s.Emailing() {
		return 0, false
	}
	for range maxPerPass {
		if ctx.Err() != nil {
			break
		}
		msgs, err := s.mail.DueEmails(ctx, s.now(), 1)
		if err != nil {
			if ctx.Err() == nil {
				s.log.ErrorContext(ctx, "email outbox read failed", "err", err)
			}
			break
		}
		if len(msgs) == 0 {
			break
		}
		if s.deliverEmail(ctx, msgs[0]) {
			n++
		}
		if id != 0 && msgs[0].ID == id {
			return n, true
		}
	}
	return n, false
}

// RunMail sends due emails every interval until ctx ends. It does nothing without a Notifier.
func (s *Service) RunMail(ctx context.Context, interval time.Duration) {
	if !s.Emailing() {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.DeliverMail(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// deliverEmail sends one claimed email and records the attempt, or drops it when it no
// longer applies (skipEmail). A refusal (SMTP 5xx) is final at once; other failures are
// retried with Backoff up to MaxEmailAttempts. As deliver, it records what happened even
// when ctx ends. A message whose earlier claim ended without an outcome (the process died
// mid-send) is sent again with the same Message-ID: a receiver that got the first copy
// takes the second for the same message.
func (s *Service) deliverEmail(ctx context.Context, m OutboxMessage) bool {
	sctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	ctx = context.WithoutCancel(ctx)
	kind := emailKinds[m.Kind]
	a, err := s.appts.Appointment(ctx, m.VisitNumber)
	if err != nil {
		s.log.ErrorContext(ctx, "email appointment missing", "visit_number", m.VisitNumber, "err", err)
		return false
	}
	if why := s.skipEmail(ctx, m.Kind, a); why != "" {
		if err := s.mail.DropMessage(ctx, m.ID, why, s.now()); err != nil {
			s.log.ErrorContext(ctx, "email drop failed", "visit_number", m.VisitNumber, "err", err)
			return false
		}
		s.countEmail(kind, EmailSkipped)
		s.log.InfoContext(ctx, "email not sent", "visit_number", m.VisitNumber, "kind", string(kind), "why", why)
		return false
	}
	n := Notice{Kind: kind, Key: m.VisitNumber + "/" + string(m.Kind) + "/" + strconv.FormatInt(m.ID, 10),
		Appointment: a, Lineage: s.Lineage(ctx, a), Now: s.now()}
	if m.Kind == OutboxEmailChange && a.Replaces != "" {
		if prev, err := s.appts.Appointment(ctx, a.Replaces); err == nil {
			n.Previous = &prev
		}
	}
	err = s.notifier.Notify(sctx, n)
	now := s.now()
	attempts := m.Attempts + 1
	final := err == nil || ErrorCode(err) == CodeRejected || attempts >= MaxEmailAttempts
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	if rerr := s.appts.RecordAttempt(ctx, m.ID, errText, final, now.Add(Backoff(attempts)), now); rerr != nil {
		s.log.ErrorContext(ctx, "email record failed", "visit_number", m.VisitNumber, "err", rerr)
		return false
	}
	switch {
	case err == nil:
		s.countEmail(kind, EmailSent)
		s.log.InfoContext(ctx, "email sent", "visit_number", m.VisitNumber, "kind", string(kind), "attempt", attempts,
			"resent_after_interruption", m.Interrupted)
		return true
	case final:
		s.countEmail(kind, EmailFailed)
		s.log.WarnContext(ctx, "email failed", "visit_number", m.VisitNumber, "kind", string(kind), "attempt", attempts, "err", err)
	default:
		s.countEmail(kind, EmailRetried)
		s.log.WarnContext(ctx, "email delivery failed, will retry", "visit_number", m.VisitNumber, "kind", string(kind),
			"attempt", attempts, "err", err)
	}
	return false
}

// skipEmail says why an email no longer applies to a, or "" when it is to be sent. A
// confirmation or change notice is not sent for an appointment canceled before it went out;
// a reminder only for a booked visit still ahead, with reminders on, and not moved.
func (s *Service) skipEmail(ctx context.Context, k OutboxKind, a Appointment) string {
	switch {
	case a.Patient.Email == "":
		return "no address"
	case k == OutboxEmailCancel:
		return ""
	case k != OutboxEmailReminder:
		if a.Status != StatusBooked && a.Status != StatusRequested {
			return "the appointment is " + string(a.Status)
		}
		return ""
	case a.Status != StatusBooked:
		return "the appointment is " + string(a.Status)
	case !a.Start.After(s.now()):
		return "the visit has started"
	case a.RemindersOff:
		return "reminders are off"
	}
	if s.manage != nil {
		if _, err := s.manage.Replacement(ctx, a.VisitNumber); err == nil {
			return "the appointment was moved"
		}
	}
	return ""
}
