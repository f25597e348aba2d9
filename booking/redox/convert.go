package redox

import "doorway/booking"

// stubs: the real conversions land shortly.

func NewAvailableSlots(meta Meta, q booking.SlotQuery) *Message { return &Message{Meta: meta} }
func SlotQueryOf(m *Message) (booking.SlotQuery, error)         { return booking.SlotQuery{}, nil }
func NewAvailableSlotsResponse(meta Meta, slots []booking.Slot, incomplete bool) *Message {
	return &Message{Meta: meta}
}
func SlotsOf(m *Message) ([]booking.Slot, error)            { return nil, nil }
func NewPushSlots(meta Meta, slots []booking.Slot) *Message { return &Message{Meta: meta} }
func NewVisitMessage(eventType string, meta Meta, a booking.Appointment) *Message {
	return &Message{Meta: meta}
}
func NewReschedule(meta Meta, a, old booking.Appointment) *Message       { return &Message{Meta: meta} }
func NewCancel(meta Meta, a booking.Appointment, reason string) *Message { return &Message{Meta: meta} }
func NewNoShow(meta Meta, a booking.Appointment, reason string) *Message { return &Message{Meta: meta} }
func AppointmentOf(m *Message) (booking.Appointment, error)              { return booking.Appointment{}, nil }
func NewBooked(meta Meta, q booking.BookedQuery) *Message                { return &Message{Meta: meta} }
func BookedQueryOf(m *Message) (booking.BookedQuery, error)              { return booking.BookedQuery{}, nil }
func NewBookedResponse(meta Meta, visits []booking.Appointment, incomplete bool) *Message {
	return &Message{Meta: meta}
}
func VisitsOf(m *Message) ([]booking.Appointment, error) { return nil, nil }
