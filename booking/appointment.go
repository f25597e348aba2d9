package booking

import (
	"strings"
	"time"
)

// Status is an appointment's state in Doorway.
type Status string

// Appointment states: requested (written, Scheduling.New queued) -> booked | failed;
// booked -> canceled | noshow.
const (
	StatusRequested Status = "requested"
	StatusBooked    Status = "booked"
	StatusFailed    Status = "failed"
	StatusCanceled  Status = "canceled"
	StatusNoShow    Status = "noshow"
	StatusArrived   Status = "arrived"
)

// Patient is who the visit is for. Doorway never asks for or stores SSN.
type Patient struct {
	Identifiers []Identifier
	FirstName   string
	LastName    string
	DOB         string // YYYY-MM-DD
	Sex         string
	Phone       string // E.164 mobile
	Email       string
	Language    string // ISO 639-1
}

// Appointment is a booked (or requested) visit. Holds and blocks from the EHR are appointments
// without a patient identifier.
type Appointment struct {
	VisitNumber  string
	Patient      Patient
	Start        time.Time
	Minutes      int
	VisitType    Coded
	Reason       string
	Provider     ProviderRef
	Location     LocationRef
	Status       Status
	Instructions []string
	SlotID       string
	Notes        string   // free-text from the patient; PHI, never logged
	Code         string   // the confirmation code the patient reads and types: "K7M-4QX"
	Replaces     string   // the visit number this one replaced (a reschedule), if any
	Override     Override `json:",omitzero"` // the patient rules the front desk bent to book it
	Kiosk        string   `json:",omitzero"` // the name of the kiosk it was booked on ("" when not at one)
	// RemindersOff is the patient's choice of no reminder email for this visit (kept through a
	// move). The store keeps it in a column of its own.
	RemindersOff bool `json:"-"`
}

// End is when the visit finishes.
func (a Appointment) End() time.Time { return a.Start.Add(time.Duration(a.Minutes) * time.Minute) }

// IsBlock reports whether the appointment is a hold or block (no patient identifier).
func (a Appointment) IsBlock() bool {
	for _, id := range a.Patient.Identifiers {
		if strings.TrimSpace(id.ID) != "" {
			return false
		}
	}
	return true
}

// Slot is the time the appointment occupies, Booked when the desk double-booked it (so its
// SeatKey is the double-book's, as when it was held).
func (a Appointment) Slot() Slot {
	return Slot{ID: a.SlotID, Start: a.Start, Minutes: a.Minutes, Reason: a.Reason, Provider: a.Provider, Location: a.Location,
		Booked: a.Override.Bent(RuleDoubleBook)}
}

// BookedQuery asks the EHR which appointments are booked in a window.
type BookedQuery struct {
	Start, End time.Time
	Patient    []Identifier
	Providers  []ProviderRef
	Location   *LocationRef
}
