package booking

import (
	"context"
	"math/rand/v2"
	"time"
)

// ConfirmRequest is the review step's submission.
type ConfirmRequest struct {
	By        *Actor    // staff booking for a caller: audited with the booking
	Override  *Override // the rules the held time bends and why (staff only; see Rule)
	Key       string    // idempotency key from the form
	SessionID string
	Patient   Patient
	VisitType VisitType
	Reason    string // patient-friendly reason (PHI when typed freely)
	ReasonID  string // the catalogue reason searched for, if any: what the funnel counts it under
	Kiosk     string // the kiosk's name when a walk-in books on one (By is then the kiosk)
}

// Confirm books the session's held slot: it writes the appointment (status requested) and its
// Scheduling.New to the outbox in one transaction, then tries to deliver it at once so most
// patients see "booked" immediately. A replay with the same key returns the same appointment
// and books nothing new. If the EHR is unreachable the appointment stays requested and the
// outbox worker delivers it later.
func (s *Service) Confirm(ctx context.Context, r ConfirmRequest) (Appointment, error) {
	if r.Key == "" {
		return Appointment{}, Invalid("key", MsgPageExpired)
	}
	now := s.now()
	h, err := s.holds.SessionHold(ctx, r.SessionID, now)
	var a Appointment
	switch {
	case err == nil:
		a = s.newAppointment(h.Slot, r)
		if a.Override, err = s.heldOverride(h, r.VisitType, r.Override, r.By); err != nil {
			return Appointment{}, err
		}
	case ErrorCode(err) == CodeNotFound:
		// No hold: fine only when this is a replay of a confirm that consumed it.
		a = Appointment{}
	default:
		return Appointment{}, err
	}
	// The store answers a refusal with an empty appointment: each try sends the one built
	// here (want), with a new code after a clash, never the previous try's answer.
	want, replayed := a, false
	for range 3 { // a new code taken by another appointment (rare): draw again
		b := Booking{Key: r.Key, SessionID: r.SessionID, Appointment: want}
		if r.By != nil {
			b.Audit = []AuditEntry{{At: now, Action: AuditBook, Actor: *r.By, VisitNumber: want.VisitNumber, Detail: want.Kiosk}}
			if !want.Override.IsZero() {
				b.Audit = append(b.Audit, AuditEntry{At: now, Action: AuditOverride, Actor: *r.By, VisitNumber: want.VisitNumber,
					Detail: want.Override.String()})
			}
		}
		if want.VisitNumber != "" {
			b.Mail = s.mailFor(want)
		}
		a, replayed, err = s.appts.CreateAppointment(ctx, b, now)
		if MsgOf(err) != MsgCodeInUse {
			break
		}
		want.Code = NewCode()
	}
	if err != nil {
		if ErrorCode(err) == CodeNotFound {
			return Appointment{}, Fail(CodeNotFound, MsgHoldExpired)
		}
		return Appointment{}, err
	}
	if replayed {
		return a, nil
	}
	s.changed()
	ch := channelOf(ctx)
	if r.By != nil && r.By.Kind != ActorKiosk {
		ch = ChannelDesk
	}
	s.count(EventBooking, s.reasonCode(r.ReasonID, r.Reason), s.visitTypeCode(a.VisitType.Code), ch)
	if s.counter != nil {
		s.searches.booked(r.SessionID) // the session's next search, even the same, is another
	}
	s.log.InfoContext(ctx, "appointment requested", "visit_number", a.VisitNumber, "provider_id", a.Provider.ID)
	dctx, cancel := context.WithTimeout(ctx, confirmDeliveryBudget)
	defer cancel()
	if _, tried := s.deliverDue(dctx, a.VisitNumber); !tried {
		// Another deliverer (the worker, or a confirm just before ours) claimed our New: wait
		// for its outcome within the budget rather than say "we're confirming" to a patient
		// whose booking is being made right now.
		s.awaitDelivery(dctx, a.VisitNumber)
	}
	if got, err := s.appts.Appointment(ctx, a.VisitNumber); err == nil {
		a = got
	}
	return a, nil
}

// awaitDelivery polls until the appointment leaves requested or ctx ends.
func (s *Service) awaitDelivery(ctx context.Context, visitNumber string) {
	t := time.NewTicker(25 * time.Millisecond)
	defer t.Stop()
	for {
		if got, err := s.appts.Appointment(ctx, visitNumber); err != nil || got.Status != StatusRequested {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Service) newAppointment(sl Slot, r ConfirmRequest) Appointment {
	p := r.Patient
	if len(p.Identifiers) == 0 {
		// Every appointment carries a patient ID; a new patient gets Doorway's own until the
		// EHR's registration matches them to an MRN.
		p.Identifiers = []Identifier{{ID: NewID("P"), IDType: "DoorwayPatientID"}}
	}
	reason := r.VisitType.Name.String()
	if r.Reason != "" {
		reason = reason + ": " + r.Reason
	}
	return Appointment{
		VisitNumber: NewID(s.prefix), Code: NewCode(), Patient: p, Start: sl.Start, Minutes: sl.Minutes,
		VisitType: r.VisitType.Coded(), Reason: reason, Provider: sl.Provider, Location: sl.Location,
		Status: StatusRequested, Instructions: r.VisitType.Instructions.In(DefaultLang), SlotID: sl.ID, Kiosk: r.Kiosk,
	}
}

// Appointment returns the appointment with visitNumber.
func (s *Service) Appointment(ctx context.Context, visitNumber string) (Appointment, error) {
	return s.appts.Appointment(ctx, visitNumber)
}

// Cancel marks the appointment canceled and queues Scheduling.Cancel (same visit number).
func (s *Service) Cancel(ctx context.Context, visitNumber, reason string) error {
	if err := s.appts.RequestCancel(ctx, visitNumber, reason, s.now()); err != nil {
		return err
	}
	s.changed()
	s.DeliverDue(ctx)
	return nil
}

// MaxAttempts bounds outbox deliveries before an appointment is marked failed.
const MaxAttempts = 8

const (
	// confirmDeliveryBudget bounds the delivery Confirm makes before answering: with a slow
	// or silent EHR the appointment stays requested for the outbox worker, and the patient
	// sees "we're confirming" well within the request's deadline rather than an error page
	// for a booking that was in fact made.
	confirmDeliveryBudget = 5 * time.Second
	// deliveryTimeout bounds one delivery (the Booked check and the send). It stays well
	// below the store's claim lease (one minute), so a message is never claimed again while
	// an earlier claim may still be sending it.
	deliveryTimeout = 20 * time.Second
	// maxPerPass bounds the messages one DeliverDue call sends.
	maxPerPass = 50
)

// DeliverDue sends due outbox messages until none is due, ctx ends or maxPerPass were tried,
// and returns how many were delivered. It claims one message at a time, so each claim's lease
// covers a single delivery (bounded by deliveryTimeout), never a batch queued behind a slow EHR.
func (s *Service) DeliverDue(ctx context.Context) int {
	n, _ := s.deliverDue(ctx, "")
	return n
}

// deliverDue is DeliverDue that stops as soon as it has tried the message of visit (when
// given): a confirm delivers its own booking, not every queued one, before answering.
func (s *Service) deliverDue(ctx context.Context, visit string) (n int, tried bool) {
	for range maxPerPass {
		if ctx.Err() != nil {
			break
		}
		msgs, err := s.appts.DueMessages(ctx, s.now(), 1)
		if err != nil {
			if ctx.Err() == nil {
				s.log.ErrorContext(ctx, "outbox read failed", "err", err)
			}
			break
		}
		if len(msgs) == 0 {
			break
		}
		if s.deliver(ctx, msgs[0]) {
			n++
		}
		if visit != "" && msgs[0].VisitNumber == visit {
			return n, true
		}
	}
	return n, false
}

// deliver sends one message and records the attempt. A rejection by the EHR (the time was
// taken by a phone booking meanwhile) is final: the appointment is marked failed. The EHR
// calls end with ctx or after deliveryTimeout; what happened is recorded even then (ctx may
// be a patient's finished request, or the process shutting down), so no claim is left open.
func (s *Service) deliver(ctx context.Context, m OutboxMessage) bool {
	ectx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	ctx = context.WithoutCancel(ctx)
	a, err := s.appts.Appointment(ctx, m.VisitNumber)
	if err != nil {
		s.log.ErrorContext(ctx, "outbox appointment missing", "visit_number", m.VisitNumber, "err", err)
		return false
	}
	switch m.Kind {
	case OutboxNew:
		if (m.Attempts > 0 || m.Interrupted || m.Retried) && s.alreadyBooked(ectx, a) {
			break // an earlier attempt reached the EHR before we could record it
		}
		err = s.ehr.Book(ectx, a)
	case OutboxCancel:
		if (m.Attempts > 0 || m.Interrupted || m.Retried) && s.canceledThere(ectx, a) {
			break // an earlier attempt reached the EHR before we could record it
		}
		err = s.ehr.Cancel(ectx, a, m.Reason)
	}
	now := s.now()
	attempts := m.Attempts + 1
	refused := ErrorCode(err) == CodeRejected || ErrorCode(err) == CodeSlotTaken || ErrorCode(err) == CodeInvalid
	// A Cancel is retried until the EHR takes it or refuses it: giving up would leave the
	// patient booked at the EHR for a time they gave up (or twice, after a move).
	final := err == nil || refused || (m.Kind != OutboxCancel && attempts >= MaxAttempts)
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	if rerr := s.appts.RecordAttempt(ctx, m.ID, errText, final, now.Add(Backoff(attempts)), now); rerr != nil {
		s.log.ErrorContext(ctx, "outbox record failed", "visit_number", m.VisitNumber, "err", rerr)
		return false
	}
	if final {
		s.changed() // a failed booking frees its time; a delivered move frees the old one
	}
	switch {
	case err == nil:
		return true
	case m.Kind == OutboxCancel:
		s.log.WarnContext(ctx, "cancel delivery failed", "visit_number", m.VisitNumber, "attempt", attempts, "err", err)
	case !final:
		s.log.WarnContext(ctx, "booking delivery failed, will retry", "visit_number", m.VisitNumber, "attempt", attempts, "err", err)
	default:
		s.log.WarnContext(ctx, "booking failed", "visit_number", m.VisitNumber, "attempt", attempts, "err", err)
	}
	return false
}

// alreadyBooked asks the EHR (Scheduling.Booked) whether a, sent before, already exists there.
// Redox has no idempotency key, so this check before a re-send is what prevents a double
// booking after a timeout whose request did arrive (REDOX-SCHEDULING §4.7).
func (s *Service) alreadyBooked(ctx context.Context, a Appointment) bool {
	page, err := s.ehr.Booked(ctx, BookedQuery{Start: a.Start.Add(-time.Minute), End: a.End().Add(time.Minute), Patient: a.Patient.Identifiers})
	if err != nil {
		return false
	}
	for _, v := range page.Visits {
		if v.VisitNumber == a.VisitNumber {
			return true
		}
	}
	return false
}

// canceledThere asks the EHR (Scheduling.Booked, which lists a patient's visits whatever
// their status) whether a, whose Cancel was sent before with no recorded outcome, is already
// canceled there. When the EHR cannot say, or does not list it, the Cancel is sent again.
func (s *Service) canceledThere(ctx context.Context, a Appointment) bool {
	page, err := s.ehr.Booked(ctx, BookedQuery{Start: a.Start.Add(-time.Minute), End: a.End().Add(time.Minute), Patient: a.Patient.Identifiers})
	if err != nil {
		return false
	}
	for _, v := range page.Visits {
		if v.VisitNumber == a.VisitNumber {
			return v.Status == StatusCanceled
		}
	}
	return false
}

// Backoff is the wait before delivery attempt n+1: exponential from 2 s, capped at 5 minutes,
// with full jitter in its upper half so queued messages do not retry in lockstep.
func Backoff(n int) time.Duration {
	d := 2 * time.Second << min(n, 8)
	d = min(d, 5*time.Minute)
	return d/2 + rand.N(d/2+1)
}

// RunOutbox delivers due messages every interval until ctx ends; it also sweeps expired holds.
func (s *Service) RunOutbox(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.DeliverDue(ctx)
		if n, err := s.holds.SweepHolds(ctx, s.now()); err != nil {
			s.log.ErrorContext(ctx, "hold sweep failed", "err", err)
		} else if n > 0 {
			s.changed()
			s.log.DebugContext(ctx, "holds swept", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
