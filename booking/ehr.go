package booking

import "context"

// SlotPage is an EHR's answer to a search. Incomplete means the EHR hit a result cap
// (Meta.IsIncomplete) and the patient should narrow the search. Skipped counts slots the EHR
// sent that could not be read and were left out, rather than failing the whole answer.
type SlotPage struct {
	Slots      []Slot
	Incomplete bool
	Skipped    int
}

// VisitPage is an EHR's answer to a Booked query. Skipped counts visits left out as
// unreadable, as in SlotPage.
type VisitPage struct {
	Visits     []Appointment
	Incomplete bool
	Skipped    int
}

// EHR is the port to the clinic's EHR through Redox Scheduling. booking/redox implements it
// against real Redox and against the embedded sandbox alike.
//
// Errors are *Error values: CodeUnavailable when the EHR cannot be reached or timed out,
// CodeRejected (or CodeSlotTaken) when it answered with Meta.Errors, CodeInvalid for a bad
// request we caught before sending.
type EHR interface {
	// AvailableSlots runs Scheduling.AvailableSlots.
	AvailableSlots(ctx context.Context, q SlotQuery) (SlotPage, error)
	// Booked runs Scheduling.Booked.
	Booked(ctx context.Context, q BookedQuery) (VisitPage, error)
	// Book sends Scheduling.New for a; it returns the appointment as the EHR accepted it.
	Book(ctx context.Context, a Appointment) error
	// Modify sends Scheduling.Modification (same visit number, changed fields).
	Modify(ctx context.Context, a Appointment) error
	// Reschedule sends Scheduling.Reschedule: a moved to a new time, carrying old's visit
	// number and time as OldVisitNumber and OldDateTime.
	Reschedule(ctx context.Context, a, old Appointment) error
	// Cancel sends Scheduling.Cancel with the same visit number.
	Cancel(ctx context.Context, a Appointment, reason string) error
	// NoShow sends Scheduling.NoShow.
	NoShow(ctx context.Context, a Appointment, reason string) error
}
