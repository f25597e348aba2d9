package booking

import (
	"errors"
	"fmt"
)

// Code classifies a domain error. The web layer maps each code to one HTTP status in its
// single error handler; users see only Error.Message.
type Code string

// Error codes used across Doorway.
const (
	CodeInvalid       Code = "invalid"        // bad input; Field names what is wrong
	CodeNotFound      Code = "not_found"      // no such appointment, slot, hold...
	CodeSlotTaken     Code = "slot_taken"     // someone else holds or booked the time
	CodeOutsideWindow Code = "outside_window" // the time is outside what may be booked
	CodeConflict      Code = "conflict"       // state changed underneath (e.g. already canceled)
	CodeUnavailable   Code = "unavailable"    // the EHR is down, slow or refused service
	CodeRejected      Code = "rejected"       // the EHR answered with an error about the request
	CodeUnauthorized  Code = "unauthorized"   // credentials missing or wrong
	CodeInternal      Code = "internal"       // a bug or an unexpected failure
)

// Error is Doorway's domain error. Message is safe to show to a patient; Field, when set, is
// the form field or JSON path the message is about; Err keeps the cause for logs and errors.Is.
type Error struct {
	Code    Code
	Message string
	Field   string
	Err     error
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, ErrSlotTaken) match any *Error with the same code.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) && t.Message == "" && t.Field == "" && t.Err == nil {
		return t.Code == e.Code
	}
	return false
}

// Sentinels for errors.Is; they match any *Error carrying the same code.
var (
	ErrInvalid       = &Error{Code: CodeInvalid}
	ErrNotFound      = &Error{Code: CodeNotFound}
	ErrSlotTaken     = &Error{Code: CodeSlotTaken}
	ErrOutsideWindow = &Error{Code: CodeOutsideWindow}
	ErrConflict      = &Error{Code: CodeConflict}
	ErrUnavailable   = &Error{Code: CodeUnavailable}
	ErrRejected      = &Error{Code: CodeRejected}
	ErrUnauthorized  = &Error{Code: CodeUnauthorized}
)

// Errorf builds an *Error with a formatted, user-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds a CodeInvalid error about one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, CodeInternal otherwise.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return CodeInternal
}

// ErrorMessage returns the user-safe message of err, or a generic one for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}
