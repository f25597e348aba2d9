package sandbox

import (
	"time"

	"doorway/booking"
)

// DefaultLimit caps the slots one Open call returns when the caller gives no limit.
const DefaultLimit = 500

// DefaultWindow is the search window used when a query has no end.
const DefaultWindow = 14 * 24 * time.Hour

// Busy is time a provider is taken: booked visits, patient-less holds and blocks.
type Busy struct {
	ProviderID string
	Start, End time.Time
}

// Engine computes open slots from a Definition. It is immutable after NewEngine and safe for
// concurrent use.
type Engine struct {
	def *Definition
}

// NewEngine precomputes the weekly schedule of def, which must have been validated.
func NewEngine(def *Definition) *Engine { return &Engine{def: def} }

// Open lists open slots satisfying q, earliest first.
func (e *Engine) Open(q booking.SlotQuery, busy []Busy, now time.Time, limit int) (slots []booking.Slot, incomplete bool) {
	return nil, false
}

// Check reports whether the time may be booked with the provider at the department.
func (e *Engine) Check(providerID, department string, start time.Time, minutes int) error {
	return nil
}
