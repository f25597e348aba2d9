package redox

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"doorway/booking"
)

// ParseInbound reads one delivery to Doorway's webhook: it decodes and validates the
// message, and turns a Scheduling notification (New, Modification, Reschedule, Cancel,
// NoShow) or a PushSlots batch into the domain value the service applies, with the key that
// deduplicates a redelivery. Every error is a *booking.Error with CodeMalformed, its Field
// the JSON path and its Detail the reason, for the integrator.
func ParseInbound(body []byte) (booking.Inbound, error) {
	m, err := Decode(body)
	if err == nil {
		err = m.Validate()
	}
	if err != nil {
		return booking.Inbound{}, malformedDelivery(err)
	}
	key := dedupeKey(m, body)
	switch m.Meta.EventType {
	case EventNew, EventModification, EventReschedule, EventCancel, EventNoShow:
		a, err := AppointmentOf(m)
		if err != nil {
			return booking.Inbound{}, malformedDelivery(err)
		}
		n := booking.Notification{Key: key, Event: m.Meta.EventType, Appointment: a}
		if m.Visit != nil {
			n.OldVisit = m.Visit.OldVisitNumber
		}
		return booking.Inbound{Notification: &n}, nil
	case EventPushSlots:
		slots, err := SlotsOf(m)
		if err != nil {
			return booking.Inbound{}, malformedDelivery(err)
		}
		return booking.Inbound{Push: &booking.SlotPush{Key: key, BatchID: m.Meta.BatchID,
			Batch: string(m.Meta.CurrentBatch), Batches: string(m.Meta.TotalBatches), Slots: slots}}, nil
	}
	return booking.Inbound{}, &booking.Error{Code: booking.CodeMalformed, Msg: booking.MsgEventUnwanted,
		Field: "Meta.EventType", Detail: "the webhook accepts Scheduling notifications, not " + m.Meta.EventType}
}

// malformedDelivery re-codes a decoding or validation error as CodeMalformed, keeping its
// field path and detail.
func malformedDelivery(err error) error {
	be := &booking.Error{Code: booking.CodeMalformed, Msg: booking.MsgMalformed, Detail: err.Error(), Err: err}
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
