package redox

import (
	"doorway/booking"
	"encoding/json"
	"strings"
)

// Problem is one validation failure: the JSON path of the field and what is wrong with it.
type Problem struct {
	Path    string // e.g. "Visit.Location.Department"
	Message string
}

// ValidationError lists every problem Validate found, so one round trip fixes them all.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems as "path: message; path: message".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Path + ": " + p.Message
	}
	return "redox: invalid message: " + strings.Join(parts, "; ")
}

// BookingError converts e to the domain error (CodeInvalid, Field = first path).
func (e *ValidationError) BookingError() *booking.Error {
	be := &booking.Error{Code: booking.CodeInvalid, Message: e.Error(), Err: e}
	if len(e.Problems) > 0 {
		be.Field = e.Problems[0].Path
		be.Message = e.Problems[0].Message
	}
	return be
}

// Decode TODO (stub while the real one lands).
func Decode(data []byte) (*Message, error) {
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, booking.Invalid("", "%v", err)
	}
	return &m, nil
}

// Validate TODO (stub).
func (m *Message) Validate() error { return nil }

// IsResponse TODO (stub).
func (m *Message) IsResponse() bool { return false }
