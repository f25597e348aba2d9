package redox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"doorway/booking"
)

// ParseInbound reads one delivery to Doorway's webhook: it decodes and validates the
// message, and turns a Scheduling notification (New, Modification, Reschedule, Cancel,
// NoShow) or a PushSlots batch into the domain value the service applies, with the key that
// deduplicates a redelivery. It is a booking.Parser, and its errors say what the webhook
// answers (booking.Service.Deliver):
//   - a body that is not JSON at all, or is cut off: CodeMalformed (a fault in transport,
//     which the sender's retry mends);
//   - JSON that is not a message Doorway can use (a field missing or of the wrong type, an
//     event type or data model the webhook does not take): CodeInvalid, its Field the JSON
//     path and its Detail the reason, for the integrator.
//
// With an error, the Inbound still carries the delivery's Key and Event when the message
// could be decoded, so that a dead letter is known by them.
func ParseInbound(body []byte) (booking.Inbound, error) {
	if !json.Valid(body) {
		_, err := Decode(body) // says where the JSON breaks
		return booking.Inbound{}, &booking.Error{Code: booking.CodeMalformed, Msg: booking.MsgBodyNotJSON,
			Detail: booking.DetailOf(err), Err: err}
	}
	m, err := Decode(body)
	if err != nil {
		return booking.Inbound{}, unusable(err)
	}
	head := booking.Inbound{Key: dedupeKey(m, body), Event: m.Meta.EventType}
	if err := m.Validate(); err != nil {
		return head, unusable(err)
	}
	switch m.Meta.EventType {
	case EventNew, EventModification, EventReschedule, EventCancel, EventNoShow:
		a, err := AppointmentOf(m)
		if err != nil {
			return head, unusable(err)
		}
		n := booking.Notification{Key: head.Key, Event: m.Meta.EventType, Appointment: a}
		if m.Visit != nil {
			n.OldVisit = m.Visit.OldVisitNumber
		}
		head.Notification = &n
		return head, nil
	case EventPushSlots:
		slots, err := SlotsOf(m)
		if err != nil {
			return head, unusable(err)
		}
		head.Push = &booking.SlotPush{Key: head.Key, BatchID: m.Meta.BatchID,
			Batch: string(m.Meta.CurrentBatch), Batches: string(m.Meta.TotalBatches), Slots: slots}
		return head, nil
	}
	return head, &booking.Error{Code: booking.CodeInvalid, Msg: booking.MsgEventUnwanted,
		Field: "Meta.EventType", Detail: "the webhook accepts Scheduling notifications, not " + m.Meta.EventType}
}

// unusable re-codes a decoding, validation or conversion error as CodeInvalid with
// MsgMalformed, keeping its field path and detail.
func unusable(err error) error {
	be := &booking.Error{Code: booking.CodeInvalid, Msg: booking.MsgMalformed, Detail: err.Error(), Err: err}
	var e *booking.Error
	if errors.As(err, &e) {
		be.Field, be.Detail = e.Field, booking.DetailOf(e)
	}
	return be
}

// dedupeKey identifies one delivery: Redox's log ID (or the deprecated Message ID) with the
// visit number and event type (REDOX-SCHEDULING §4.7). Without either ID, the body's hash
// makes an exact replay a duplicate.
func dedupeKey(m *Message, body []byte) string {
	id := ""
	if len(m.Meta.Logs) > 0 {
		id = string(m.Meta.Logs[0].ID)
	}
	if id == "" && m.Meta.Message != nil {
		id = string(m.Meta.Message.ID)
	}
	if id == "" {
		sum := sha256.Sum256(body)
		id = "sha256:" + hex.EncodeToString(sum[:])
	}
	visit := ""
	if m.Visit != nil {
		visit = m.Visit.VisitNumber
	}
	return id + "|" + visit + "|" + m.Meta.EventType
}
