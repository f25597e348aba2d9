package booking

import (
	"errors"
	"fmt"
)

// Code classifies a domain error. The web layer maps each code to one HTTP status in its
// single error handler.
type Code string

// Error codes used across Doorway.
const (
	CodeInvalid       Code = "invalid"        // bad input; Field names what is wrong
	CodeMalformed     Code = "malformed"      // a machine's delivery that cannot be read: not JSON, cut off
	CodeNotFound      Code = "not_found"      // no such appointment, slot, hold...
	CodeSlotTaken     Code = "slot_taken"     // someone else holds or booked the time
	CodeOutsideWindow Code = "outside_window" // the time is outside what may be booked
	CodeConflict      Code = "conflict"       // state changed underneath (e.g. already canceled)
	CodeUnavailable   Code = "unavailable"    // the EHR is down, slow or refused service
	CodeRejected      Code = "rejected"       // the EHR answered with an error about the request
	CodeUnauthorized  Code = "unauthorized"   // credentials missing
	CodeForbidden     Code = "forbidden"      // credentials present but wrong
	CodeTooLarge      Code = "too_large"      // a request body over its limit
	CodeLimited       Code = "limited"        // a client over a limit (too many holds at once)
	CodeInternal      Code = "internal"       // a bug or an unexpected failure
)

// Error is Doorway's domain error. Msg names the sentence a person is shown (the words are in
// views/i18n, in each language); Field, when set, is the form field or JSON path it is about;
// Detail is for developers and integrators (logs, the Redox wire's diagnostics, a JSON API's
// explanation) and never appears on a page; Err keeps the cause for logs and errors.Is.
type Error struct {
	Code   Code
	Msg    Msg
	Field  string
	Detail string
	Err    error
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Msg != "" {
		s += " (" + string(e.Msg) + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
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
	if errors.As(target, &t) && t.Msg == "" && t.Detail == "" && t.Field == "" && t.Err == nil {
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

// Fail builds an *Error of code telling the person msg.
func Fail(code Code, msg Msg) *Error { return &Error{Code: code, Msg: msg} }

// Invalid builds a CodeInvalid error about one field.
func Invalid(field string, msg Msg) *Error {
	return &Error{Code: CodeInvalid, Field: field, Msg: msg}
}

// Malformed builds a CodeInvalid error about machine input (a wire message, a file) at path,
// explained in detail for the integrator who sent it.
func Malformed(path, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Msg: MsgMalformed, Field: path, Detail: fmt.Sprintf(format, args...)}
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

// MsgOf returns the sentence err tells a person, or "" when it names none (the error
// handler then says what fits its code).
func MsgOf(err error) Msg {
	var e *Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return ""
}

// FieldOf returns the form field err names, "" when it names none.
func FieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// FieldErrors maps a form field name to the sentence shown beside it.
type FieldErrors map[string]Msg

// Err returns an *Error naming the first field in order, or nil when there are none.
func (fe FieldErrors) Err(order ...string) error {
	for _, f := range order {
		if m, ok := fe[f]; ok {
			return Invalid(f, m)
		}
	}
	for f, m := range fe {
		return Invalid(f, m)
	}
	return nil
}

// DetailOf is err explained for a developer or integrator: the Detail of a *Error when it
// has one, else the error's text.
func DetailOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Detail != "" {
		return e.Detail
	}
	return err.Error()
}
