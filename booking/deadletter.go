package booking

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// The EHR's feed must never stall (REDOX-SCHEDULING §4.6): Redox delivers notifications in
// order and, on any answer of 400 or above, pauses the whole feed and retries that one message.
// So a delivery that was read but cannot be applied is not refused: it is kept as a dead letter,
// for a person to read and replay after a fix, and the feed goes on.

// DeadLetter is an authenticated delivery from the EHR that Doorway could read but not apply,
// kept with the reason.
type DeadLetter struct {
	ID       int64
	Key      string    // the delivery's deduplication key: a redelivery keeps no second letter
	Received time.Time // when it first arrived
	Event    string    // Meta.EventType as sent, "" when the body did not say
	Code     Code      // why, as the domain error said it
	Msg      Msg
	Field    string // the JSON path at fault, when one is known
	Detail   string // why, for the integrator
	// Body is the delivery as it arrived. It holds PHI: the store keeps it encrypted, and
	// listings leave it out.
	Body     []byte
	Replayed time.Time // when it was replayed (Replay); zero while it waits
}

// Dead-letter reason classes (DeadLetter.Reason): a small fixed set, fit for a metric label.
const (
	DeadInvalid    = "invalid"      // a field is missing, of the wrong type or wrong
	DeadUnwanted   = "unwanted"     // an event type or data model the webhook does not take
	DeadOutOfRange = "out_of_range" // a time Doorway does not keep (beyond the clinic's horizon)
	DeadNotFound   = "not_found"    // something it refers to is unknown
	DeadConflict   = "conflict"     // it contradicts what Doorway has
	DeadOther      = "other"
)

// Reason is the class of d's refusal, one of the Dead constants.
func (d DeadLetter) Reason() string {
	switch {
	case d.Msg == MsgEventUnwanted || d.Field == "Meta.EventType" || d.Field == "Meta.DataModel":
		return DeadUnwanted
	case d.Code == CodeOutsideWindow:
		return DeadOutOfRange
	case d.Code == CodeNotFound:
		return DeadNotFound
	case d.Code == CodeConflict || d.Code == CodeSlotTaken:
		return DeadConflict
	case d.Code == CodeInvalid:
		return DeadInvalid
	}
	return DeadOther
}

// DeadLetterStore keeps dead letters. Implemented by store.DeadLetterStore.
type DeadLetterStore interface {
	// AddDeadLetter keeps d and returns its id. A second letter with the same Key is not
	// kept: the first one's id is returned, with added false.
	AddDeadLetter(ctx context.Context, d DeadLetter) (id int64, added bool, err error)
	// DeadLetters lists the dead letters, oldest first, without their bodies: those waiting
	// for a replay, or every one when all is true.
	DeadLetters(ctx context.Context, all bool) ([]DeadLetter, error)
	// DeadLetter returns one dead letter with its body, or ErrNotFound.
	DeadLetter(ctx context.Context, id int64) (DeadLetter, error)
	// MarkReplayed records that the dead letter was replayed at; false when it was already.
	MarkReplayed(ctx context.Context, id int64, at time.Time) (bool, error)
}

// Parser decodes one delivery's body into the domain (booking/redox.ParseInbound). Its error
// is CodeMalformed when the body cannot be read at all (not JSON, cut off), and another
// *Error (CodeInvalid, with the JSON path in Field) when it was read but cannot be used.
type Parser func(body []byte) (Inbound, error)

// Deliver reads and applies one authenticated delivery from the EHR. A body parse cannot read
// at all is returned as its CodeMalformed error: a fault in transport, which the sender's
// retry mends. A delivery that was read but cannot be applied (a field missing or wrong, an
// event the webhook does not take, a time beyond the horizon...) is kept as a dead letter
// and reported in the receipt with a nil error, so the sender goes on with the next one.
// Any other failure (the database, a cancelled request) is returned: nothing was kept, and
// the sender's retry delivers it again.
func (s *Service) Deliver(ctx context.Context, body []byte, parse Parser) (Receipt, error) {
	in, err := parse(body)
	if err == nil {
		var r Receipt
		if r, err = s.Receive(ctx, in); err == nil {
			return r, nil
		}
	}
	if !inapplicable(err) {
		return Receipt{}, err
	}
	if s.deadLetters == nil {
		return Receipt{}, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "dead letters are not enabled", Err: err}
	}
	d := deadLetterOf(err)
	d.Key, d.Event, d.Received, d.Body = cmp.Or(in.Key, bodyKey(body)), cut(in.Event, 40), s.now(), body
	id, added, err := s.deadLetters.AddDeadLetter(ctx, d)
	if err != nil {
		return Receipt{}, err
	}
	d.ID, d.Body = id, nil
	if added {
		// The detail may quote a value from the message: the log names the field only.
		s.log.WarnContext(ctx, "dead letter kept", "dead_letter_id", id, "event_type", d.Event,
			"reason", d.Reason(), "field", d.Field)
	}
	return Receipt{DeadLetter: &d}, nil
}

// inapplicable reports whether err, from reading or applying a delivery, is about the
// delivery itself, so it would fail the same way every time (keep it as a dead letter),
// rather than about the transport or Doorway's own state (the sender should retry).
func inapplicable(err error) bool {
	switch ErrorCode(err) {
	case CodeInvalid, CodeOutsideWindow, CodeNotFound, CodeConflict, CodeSlotTaken:
		return true
	}
	return false
}

// deadLetterOf is the reason err gives, as a dead letter keeps it.
func deadLetterOf(err error) DeadLetter {
	d := DeadLetter{Code: ErrorCode(err), Msg: MsgOf(err), Detail: DetailOf(err)}
	if e, ok := errors.AsType[*Error](err); ok {
		d.Field = e.Field
	}
	return d
}

// bodyKey identifies a delivery the decoder could not key: by its bytes.
func bodyKey(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// cut shortens what a sender wrote to at most n bytes, on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// Replay applies dead letter id again through Receive, after whatever kept it from applying
// was fixed (Doorway, its clinic file, the EHR's data). It is applied at most once: a dead
// letter already replayed is refused (CodeConflict), and Receive's own deduplication by the
// delivery's key makes a second application a no-op even if two replays race or a replay
// stopped before it was marked. A delivery that still cannot be applied returns the error
// and stays waiting.
func (s *Service) Replay(ctx context.Context, id int64, parse Parser) (Receipt, error) {
	if s.deadLetters == nil {
		return Receipt{}, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "dead letters are not enabled"}
	}
	d, err := s.deadLetters.DeadLetter(ctx, id)
	if err != nil {
		return Receipt{}, err
	}
	if !d.Replayed.IsZero() {
		return Receipt{}, &Error{Code: CodeConflict, Msg: MsgAlreadyReplayed,
			Detail: "dead letter was replayed at " + d.Replayed.UTC().Format(time.RFC3339)}
	}
	in, err := parse(d.Body)
	if err != nil {
		return Receipt{}, err
	}
	r, err := s.Receive(ctx, in)
	if err != nil {
		return Receipt{}, err
	}
	marked, err := s.deadLetters.MarkReplayed(ctx, id, s.now())
	if err != nil {
		return Receipt{}, err
	}
	if !marked {
		return Receipt{}, &Error{Code: CodeConflict, Msg: MsgAlreadyReplayed, Detail: "dead letter was replayed meanwhile"}
	}
	s.log.InfoContext(ctx, "dead letter replayed", "dead_letter_id", id, "event_type", d.Event, "applied", r.Applied)
	return r, nil
}
