package booking

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Managing an appointment after booking: find it without an account, see it as the EHR has
// it, cancel it, move it. Every find, cancel and reschedule leaves an audit row, written in
// the same transaction as the change it records.

// codeAlphabet is the confirmation code's letters: Crockford's base 32 without what is misread
// on paper or misheard on the phone (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
const codeAlphabet = "34679ACDEFGHJKMNPQRTWXY"

// codeLen is a code's length without its dash: 23^6, about 150 million codes.
const codeLen = 6

// NewCode returns a random confirmation code, grouped for reading aloud: "K7M-4QX".
func NewCode() string { return groupedCode(codeLen) }

// NormalizeCode reads what a person typed as a confirmation code: any case, spaces and dashes
// anywhere. ok is false when it cannot be one.
func NormalizeCode(s string) (code string, ok bool) {
	c, ok := readCode(s, codeLen)
	if !ok {
		return "", false
	}
	return c[:codeLen/2] + "-" + c[codeLen/2:], true
}

// groupedCode returns n random characters of codeAlphabet with a dash in the middle.
func groupedCode(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	out := make([]byte, 0, n+1)
	for i, c := range b {
		if i == n/2 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return string(out)
}

// readCode reads a code of n characters of codeAlphabet as a person typed it: any case,
// spaces and dashes anywhere; it returns the characters alone. ok is false when s cannot be
// one.
func readCode(s string, n int) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || unicode.IsSpace(r):
		case strings.ContainsRune(codeAlphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == n
}

// Actor is who asks for a change, for the audit log: never their name or details.
type Actor struct {
	Kind      string // "patient", "staff", ActorKiosk
	Session   string // an opaque id of their session (a hash, never the session id itself)
	IP        string
	UserAgent string
}

// Audit actions.
const (
	AuditFind       = "find"
	AuditFindFailed = "find_failed"
	AuditCancel     = "cancel"
	AuditReschedule = "reschedule"
	AuditBook       = "book"     // by staff, for a caller
	AuditOverride   = "override" // a booking by staff that bends a patient rule (Detail: Override.String)
)

// AuditActions are every action the audit log records, in the order its filter lists them.
var AuditActions = []string{AuditBook, AuditOverride, AuditCancel, AuditReschedule, AuditResend,
	AuditRemindersOn, AuditRemindersOff, AuditFind, AuditFindFailed, AuditSignIn, AuditSignInFailed, AuditSignOut,
	AuditRetry, AuditResolve, AuditKioskCreate, AuditKioskCode, AuditKioskRevoke, AuditKioskEnroll, AuditKioskEnrollFailed}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	At          time.Time
	Action      string
	Actor       Actor
	VisitNumber string // the appointment acted on ("" when a find matched none)
	OtherVisit  string // a reschedule's new visit number
	Detail      string // what the action was about (an override's rules and reason)
}

// ManageStore is what managing needs of the store. Implemented by store.
type ManageStore interface {
	// AppointmentByCode returns the appointment with the confirmation code, or ErrNotFound.
	AppointmentByCode(ctx context.Context, code string) (Appointment, error)
	// Replacement returns the appointment that replaced visitNumber (a reschedule), or
	// ErrNotFound.
	Replacement(ctx context.Context, visitNumber string) (Appointment, error)
	// Audit writes one audit row on its own (a find changes nothing else).
	Audit(ctx context.Context, e AuditEntry) error
	// FailedFinds counts failed finds of visitNumber since since.
	FailedFinds(ctx context.Context, visitNumber string, since time.Time) (int, error)
	// CancelAppointment is RequestCancel with its audit row, in one transaction, and the
	// cancellation email when mail.Send.
	CancelAppointment(ctx context.Context, visitNumber, reason string, mail Mail, audit AuditEntry, now time.Time) error
	// ChangedByClinic reports whether the EHR changed or canceled visitNumber (an inbound
	// Modification, Reschedule or Cancel) without the patient asking for it here.
	ChangedByClinic(ctx context.Context, visitNumber string) (bool, error)
	// CreateReplacement books b.Appointment in place of the appointment it Replaces, in one
	// transaction: the new appointment (consuming the session's hold), its Scheduling.New, the
	// old one's Scheduling.Cancel queued to go only once the New is delivered, and the audit
	// rows (audit, then b.Audit); b.Mail's change notice and reminder wait for the New as
	// well. When the New is delivered the old appointment is canceled with it (and its pending
	// reminder dropped); when the EHR refuses the New, what waited for it is dropped and the
	// old appointment stays. Replay by b.Key as CreateAppointment.
	CreateReplacement(ctx context.Context, b Booking, audit AuditEntry, now time.Time) (a Appointment, replayed bool, err error)
}

// Find limits: a code that failed this many times in findWindow is locked for the window,
// whoever asks, so a code cannot be matched to a name and birth date by trying.
const (
	maxFailedFinds = 5
	findWindow     = 15 * time.Minute
)

// FindRequest is a person looking up their appointment.
type FindRequest struct {
	Code     string // the confirmation code, or the visit number
	LastName string
	DOB      string // YYYY-MM-DD
	Actor    Actor
}

// BirthDateOf reads a date of birth typed as the details step takes it (one field, or three)
// as YYYY-MM-DD; "" when it is not a date.
func BirthDateOf(f PatientForm) string {
	d, err := time.Parse(time.DateOnly, normalDate(f.birthDate()))
	if err != nil {
		return ""
	}
	return d.Format(time.DateOnly)
}

// errNoSuchAppointment is the one answer to every failed find: the same whether the code,
// the name or the birth date was wrong, or the code is locked.
func errNoSuchAppointment() error { return Fail(CodeNotFound, MsgManageNotFound) }

// Find looks an appointment up by its code (or visit number), the patient's last name and
// date of birth. Each step runs whatever the one before found, so a wrong code takes the same
// work as a wrong name; the names are compared folded (case, accents, spaces, hyphens and
// apostrophes do not matter) and in constant time. Every attempt is audited.
func (s *Service) Find(ctx context.Context, r FindRequest) (Appointment, error) {
	if err := s.managing(); err != nil {
		return Appointment{}, err
	}
	now := s.now()
	var a Appointment
	var err error
	if code, ok := NormalizeCode(r.Code); ok {
		a, err = s.manage.AppointmentByCode(ctx, code)
	} else {
		a, err = s.appts.Appointment(ctx, strings.ToUpper(strings.TrimSpace(r.Code)))
	}
	if err != nil && ErrorCode(err) != CodeNotFound {
		return Appointment{}, err
	}
	found := err == nil
	failed := 0
	if found {
		if failed, err = s.manage.FailedFinds(ctx, a.VisitNumber, now.Add(-findWindow)); err != nil {
			return Appointment{}, err
		}
	}
	nameOK := subtle.ConstantTimeCompare([]byte(foldName(a.Patient.LastName)), []byte(foldName(r.LastName))) == 1
	dobOK := subtle.ConstantTimeCompare([]byte(a.Patient.DOB), []byte(strings.TrimSpace(r.DOB))) == 1
	ok := found && nameOK && dobOK && failed < maxFailedFinds && foldName(r.LastName) != ""
	entry := AuditEntry{At: now, Action: AuditFind, Actor: r.Actor, VisitNumber: a.VisitNumber}
	if !ok {
		entry.Action = AuditFindFailed
	}
	if err := s.manage.Audit(ctx, entry); err != nil {
		return Appointment{}, err
	}
	if !ok {
		s.log.InfoContext(ctx, "find failed", "visit_number", a.VisitNumber, "locked", failed >= maxFailedFinds)
		return Appointment{}, errNoSuchAppointment()
	}
	return a, nil
}

// foldName is a name as compared: letters and digits only, lower case, without accents.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Current is the appointment as it stands now: when it was moved (by the patient, or by the
// clinic with a new visit number), the one that replaced it, with moved set.
func (s *Service) Current(ctx context.Context, visitNumber string) (a Appointment, moved bool, err error) {
	if err := s.managing(); err != nil {
		return Appointment{}, false, err
	}
	a, err = s.appts.Appointment(ctx, visitNumber)
	if err != nil {
		return Appointment{}, false, err
	}
	for range 10 { // a chain of moves; bounded against a cycle
		next, err := s.manage.Replacement(ctx, a.VisitNumber)
		if ErrorCode(err) == CodeNotFound {
			return a, moved, nil
		}
		if err != nil {
			return Appointment{}, false, err
		}
		a, moved = next, true
	}
	return a, moved, nil
}

// refreshTimeout bounds the EHR check of an appointment's page: when the EHR is slower, the
// mirror the notifications keep answers.
const refreshTimeout = 1500 * time.Millisecond

// Refresh checks a against the EHR (Scheduling.Booked for its patient) and applies what the
// EHR says differently (canceled, or moved) as a notification would, then returns the
// appointment as it now stands. When the EHR is slow, down or does not list it, a is returned
// as the mirror has it.
func (s *Service) Refresh(ctx context.Context, a Appointment) Appointment {
	if s.mirror == nil || len(a.Patient.Identifiers) == 0 {
		return a
	}
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	now := s.now()
	page, err := s.ehr.Booked(ctx, BookedQuery{Start: minTime(a.Start, now).Add(-24 * time.Hour),
		End: maxTime(a.Start, now).Add(s.clinic.Horizon()), Patient: a.Patient.Identifiers})
	if err != nil {
		return a
	}
	for _, v := range page.Visits {
		if v.VisitNumber != a.VisitNumber {
			continue
		}
		event := ""
		switch {
		case v.Status == StatusCanceled && (a.Status == StatusBooked || a.Status == StatusRequested):
			event = "Cancel"
		case v.Status != StatusCanceled && !v.Start.IsZero() && !v.Start.Equal(a.Start):
			event = "Modification"
		}
		if event == "" {
			return a
		}
		key := "booked:" + a.VisitNumber + ":" + event + ":" + v.Start.UTC().Format(time.RFC3339)
		if _, err := s.ApplyNotification(context.WithoutCancel(ctx), Notification{Key: key, Event: event, Appointment: v}); err != nil {
			s.log.WarnContext(ctx, "applying the EHR's view of a visit failed", "visit_number", a.VisitNumber, "err", err)
			return a
		}
		if got, err := s.appts.Appointment(ctx, a.VisitNumber); err == nil {
			return got
		}
	}
	return a
}

// ChangedByClinic reports whether the clinic (the EHR) changed or canceled the visit.
func (s *Service) ChangedByClinic(ctx context.Context, visitNumber string) bool {
	if s.manage == nil {
		return false
	}
	changed, err := s.manage.ChangedByClinic(ctx, visitNumber)
	return err == nil && changed
}

// CanChange reports whether the patient may still cancel or move a online: it is booked (or
// being booked), has not started, and is outside the clinic's cancellation cutoff.
func (s *Service) CanChange(a Appointment) error {
	switch a.Status {
	case StatusRequested, StatusBooked:
	case StatusCanceled:
		return Fail(CodeConflict, MsgAlreadyCanceled)
	default:
		return Fail(CodeConflict, MsgCannotCancel)
	}
	now := s.now()
	if !a.Start.After(now) {
		return Fail(CodeConflict, MsgCannotCancel)
	}
	if cutoff := time.Duration(s.clinic.CancelCutoffHours) * time.Hour; a.Start.Sub(now) < cutoff {
		return Fail(CodeConflict, MsgTooLateToChange)
	}
	return nil
}

// CancelReasons are the reasons a patient picks from when canceling; "other" takes words
// (kept with the appointment as PHI, never logged).
var CancelReasons = []string{"better", "conflict", "elsewhere", "transport", "cost", "other"}

// CancelRequest is a patient canceling.
type CancelRequest struct {
	VisitNumber string
	Reason      string // one of CancelReasons
	Other       string // the words, when Reason is "other"
	Actor       Actor
	ByStaff     bool // the desk: the clinic's own cutoff does not bind it
}

// CancelByPatient cancels an appointment the patient found (or the desk opened: ByStaff): within
// the clinic's policy (the desk may cancel inside the cutoff), with a reason; the time is offered again at once, and Scheduling.Cancel goes out through the
// outbox with the same visit number.
func (s *Service) CancelByPatient(ctx context.Context, r CancelRequest) error {
	if err := s.managing(); err != nil {
		return err
	}
	if !slices.Contains(CancelReasons, r.Reason) {
		return Invalid("reason", MsgCancelReasonMissing)
	}
	other := CleanText(r.Other)
	if r.Reason == "other" && other == "" {
		return Invalid("other", MsgCancelOtherMissing)
	}
	if len([]rune(other)) > 200 {
		return Invalid("other", MsgReasonTypedLong)
	}
	a, err := s.appts.Appointment(ctx, r.VisitNumber)
	if err != nil {
		return err
	}
	if err := s.CanChange(a); err != nil && !(r.ByStaff && MsgOf(err) == MsgTooLateToChange) {
		return err
	}
	reason := r.Reason
	if r.Reason == "other" {
		reason = "other: " + other
	}
	now := s.now()
	mail := Mail{Send: s.Emailing() && a.Patient.Email != ""}
	if err := s.manage.CancelAppointment(ctx, a.VisitNumber, reason, mail, AuditEntry{At: now, Action: AuditCancel, Actor: r.Actor,
		VisitNumber: a.VisitNumber}, now); err != nil {
		return err
	}
	s.Invalidate(a.Start, a.End())
	ch := channelOf(ctx)
	if r.ByStaff {
		ch = ChannelDesk
	}
	s.count(EventCancel, ReasonUnknown, s.visitTypeCode(a.VisitType.Code), ch)
	s.log.InfoContext(ctx, "appointment canceled by the patient", "visit_number", a.VisitNumber, "reason", r.Reason)
	dctx, cancel := context.WithTimeout(ctx, confirmDeliveryBudget)
	defer cancel()
	s.deliverDue(dctx, a.VisitNumber)
	return nil
}

// RescheduleRequest moves an appointment to the time the session holds.
type RescheduleRequest struct {
	Key       string // idempotency key from the review form
	SessionID string
	Old       string // the visit number moved
	Actor     Actor
	ByStaff   bool      // the desk: the clinic's own cutoff does not bind it
	Override  *Override // the rules the held time bends and why (staff only; see Rule)
}

// Reschedule books the session's held time in place of the old appointment: a new
// appointment with a new visit number and code, the same patient, visit type and reason; its
// Scheduling.New first and the old one's Scheduling.Cancel once the New is delivered (see
// ManageStore.CreateReplacement). It delivers the New at once, as Confirm does, and the
// Cancel after it when there is time.
func (s *Service) Reschedule(ctx context.Context, r RescheduleRequest) (Appointment, error) {
	if err := s.managing(); err != nil {
		return Appointment{}, err
	}
	if r.Key == "" {
		return Appointment{}, Invalid("key", MsgPageExpired)
	}
	old, err := s.appts.Appointment(ctx, r.Old)
	if err != nil {
		return Appointment{}, err
	}
	now := s.now()
	var a Appointment
	h, err := s.holds.SessionHold(ctx, r.SessionID, now)
	switch {
	case err == nil:
		if err := s.CanChange(old); err != nil && !(r.ByStaff && MsgOf(err) == MsgTooLateToChange) {
			return Appointment{}, err
		}
		a = old
		a.VisitNumber, a.Code, a.Replaces, a.Status = NewID(s.prefix), NewCode(), old.VisitNumber, StatusRequested
		a.Start, a.Minutes, a.Provider, a.Location, a.SlotID = h.Slot.Start, h.Slot.Minutes, h.Slot.Provider, h.Slot.Location, h.Slot.ID
		// The visit type stays: only the time's rules count (judged when it was held), a time
		// already booked among them.
		vt, _ := s.clinic.VisitType(old.VisitType.Code)
		vt.SelfBook = true
		var by *Actor
		if r.ByStaff {
			by = &r.Actor
		}
		if a.Override, err = s.heldOverride(h, vt, r.Override, by); err != nil {
			return Appointment{}, err
		}
	case ErrorCode(err) != CodeNotFound:
		return Appointment{}, err
	} // no hold: only a replay can succeed
	audit := AuditEntry{At: now, Action: AuditReschedule, Actor: r.Actor, VisitNumber: old.VisitNumber, OtherVisit: a.VisitNumber}
	b := Booking{Key: r.Key, SessionID: r.SessionID}
	if !a.Override.IsZero() {
		b.Audit = []AuditEntry{{At: now, Action: AuditOverride, Actor: r.Actor, VisitNumber: a.VisitNumber, Detail: a.Override.String()}}
	}
	// As in Confirm: each try sends the appointment built here, never a refused try's answer.
	want, replayed := a, false
	for range 3 { // a new code taken by another appointment (rare): draw again
		b.Appointment, b.Mail = want, Mail{}
		if want.VisitNumber != "" {
			b.Mail = s.mailFor(want)
		}
		a, replayed, err = s.manage.CreateReplacement(ctx, b, audit, now)
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
	s.count(EventReschedule, ReasonUnknown, s.visitTypeCode(a.VisitType.Code), channelOf(ctx))
	if s.counter != nil {
		s.searches.booked(r.SessionID)
	}
	s.log.InfoContext(ctx, "reschedule requested", "visit_number", a.VisitNumber, "replaces", old.VisitNumber)
	dctx, cancel := context.WithTimeout(ctx, confirmDeliveryBudget)
	defer cancel()
	if _, tried := s.deliverDue(dctx, a.VisitNumber); !tried {
		s.awaitDelivery(dctx, a.VisitNumber)
	}
	s.deliverDue(dctx, old.VisitNumber) // the old one's Cancel, now due if the New went through
	s.Invalidate(old.Start, old.End())
	if got, err := s.appts.Appointment(ctx, a.VisitNumber); err == nil {
		a = got
	}
	return a, nil
}

// managing fails when the service was built without a ManageStore.
func (s *Service) managing() error {
	if s.manage == nil {
		return &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "managing appointments is not enabled"}
	}
	return nil
}
