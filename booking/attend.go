package booking

import "context"

// Attending to an item of the "Needs attention" list (attention.go): sending its message
// again, or marking it resolved with a note. Both are audited under the staff member, in the
// transaction of the change.

// RetryOutcome is what came of a retry, as the desk is told.
type RetryOutcome string

// Retry outcomes: of a message to the EHR, then of an email (the mail server's answer).
const (
	RetryDelivered RetryOutcome = "delivered" // the EHR took it: the item left the list
	RetryRefused   RetryOutcome = "refused"   // the EHR refused it again: the item is listed with its answer
	RetryPending   RetryOutcome = "pending"   // not through yet: Doorway keeps trying (stuck again after StuckAfter)

	RetryEmailSent    RetryOutcome = "email_sent"    // the mail server took it: the item left the list
	RetryEmailRefused RetryOutcome = "email_refused" // refused for good again: the item is listed with the answer
	RetryEmailPending RetryOutcome = "email_pending" // not through yet: the mail worker keeps trying
)

// RetryAttention sends the message of item id again, now: it goes back in the queue with a
// new round of attempts and is delivered at once, as a booking is, within a few seconds.
// Audited under by. An email goes again as the same outbox message, so with the same
// Message-ID (Notice.Key): the patient never got it (refused), or got it once from an attempt
// whose answer was lost (out of attempts), and a mailbox takes a second copy for the same
// message.
func (s *Service) RetryAttention(ctx context.Context, id string, by Actor) (RetryOutcome, error) {
	st, err := s.attentionStore()
	if err != nil {
		return "", err
	}
	it, err := s.findAttention(ctx, id)
	if err != nil {
		return "", err
	}
	if !it.CanRetry || it.Kind == AttentionInbound {
		return "", Fail(CodeConflict, MsgCannotRetry)
	}
	_, msgID := sourceOf(it)
	a := it.Appointment
	now := s.now()
	err = st.RetryMessage(ctx, msgID, AuditEntry{At: now, Action: AuditRetry, Actor: by, VisitNumber: a.VisitNumber}, now)
	if ErrorCode(err) == CodeSlotTaken {
		return "", Fail(CodeConflict, MsgRetryTimeTaken)
	}
	if err != nil {
		return "", err
	}
	s.log.InfoContext(ctx, "attention retried", "visit_number", a.VisitNumber, "kind", string(it.Kind),
		"message", string(it.Message), "actor", by.Session)
	if it.Kind == AttentionEmail {
		return s.resendEmail(ctx, st, id, msgID)
	}
	dctx, cancel := context.WithTimeout(ctx, confirmDeliveryBudget)
	defer cancel()
	s.Invalidate(a.Start, a.End()) // a refused booking taken back holds its time again
	if _, tried := s.deliverDue(dctx, a.VisitNumber); !tried {
		s.awaitDelivery(dctx, a.VisitNumber)
	}
	if it.Message == OutboxNew && a.Replaces != "" {
		s.deliverDue(dctx, a.Replaces) // a move's Cancel of the old visit, due once the New is in
	}
	return s.retried(ctx, st, id, msgID, [3]RetryOutcome{RetryDelivered, RetryRefused, RetryPending})
}

// resendEmail sends the requeued email msgID of item id now, within confirmDeliveryBudget
// (the worker sends it otherwise), and says what came of it.
func (s *Service) resendEmail(ctx context.Context, st AttentionStore, id string, msgID int64) (RetryOutcome, error) {
	dctx, cancel := context.WithTimeout(ctx, confirmDeliveryBudget)
	s.deliverMail(dctx, msgID)
	cancel()
	return s.retried(ctx, st, id, msgID, [3]RetryOutcome{RetryEmailSent, RetryEmailRefused, RetryEmailPending})
}

// retried says what came of sending message msgID of item id again: outcomes[0] when it
// went, [1] when it failed and the item is back on the list, [2] while it is still being
// retried.
func (s *Service) retried(ctx context.Context, st AttentionStore, id string, msgID int64, outcomes [3]RetryOutcome) (RetryOutcome, error) {
	switch done, err := st.Delivered(ctx, msgID); {
	case err != nil:
		return "", err
	case done:
		return outcomes[0], nil
	}
	if _, err := s.findAttention(ctx, id); err == nil {
		return outcomes[1], nil
	} else if MsgOf(err) != MsgAttentionGone {
		return "", err
	}
	return outcomes[2], nil
}

// ResolveRequest is a staff member marking an item resolved.
type ResolveRequest struct {
	ID      string
	Note    string // what they did, as typed: required, at most MaxNote characters
	StaffID int64
	Actor   Actor
}

// CleanNote is a typed note as kept: cleaned as other typed text, and checked.
func CleanNote(note string) (string, error) {
	note = CleanText(note)
	switch {
	case note == "":
		return "", Invalid("note", MsgNoteMissing)
	case len([]rune(note)) > MaxNote:
		return "", Invalid("note", MsgNoteLong)
	}
	return note, nil
}

// ResolveAttention marks the item resolved with the staff member's note: it leaves the list
// until it needs attention again (the same message fails anew). Audited under r.Actor.
func (s *Service) ResolveAttention(ctx context.Context, r ResolveRequest) error {
	st, err := s.attentionStore()
	if err != nil {
		return err
	}
	note, err := CleanNote(r.Note)
	if err != nil {
		return err
	}
	it, err := s.findAttention(ctx, r.ID)
	if err != nil {
		return err
	}
	src, id := sourceOf(it)
	now := s.now()
	err = st.Resolve(ctx, Resolution{Source: src, SourceID: id, Since: it.Since, Note: note, StaffID: r.StaffID, At: now},
		AuditEntry{At: now, Action: AuditResolve, Actor: r.Actor, VisitNumber: it.Appointment.VisitNumber})
	if ErrorCode(err) == CodeConflict {
		return Fail(CodeNotFound, MsgAttentionGone) // another staff member was quicker
	}
	if err != nil {
		return err
	}
	// The note may name the patient: the log names the item only.
	s.log.InfoContext(ctx, "attention resolved", "item", it.ID, "kind", string(it.Kind),
		"visit_number", it.Appointment.VisitNumber, "actor", r.Actor.Session)
	return nil
}
