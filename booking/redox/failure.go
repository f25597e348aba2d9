package redox

import (
	"context"
	"errors"
	"fmt"

	"doorway/booking"
)

// User-safe messages for the client's failures. The cause (Redox's texts, the network error)
// stays in booking.Error.Err, for logs and errors.As, never for the patient.
const (
	msgUnavailable  = "The clinic's scheduling system is not answering right now. Please try again in a few minutes."
	msgMalformed    = "The clinic's scheduling system sent an answer Doorway could not read. Please try again later."
	msgRejected     = "The clinic's scheduling system could not accept this request."
	msgSlotTaken    = "That time has just been taken. Please choose another time."
	msgConflict     = "This appointment was changed in the clinic's scheduling system meanwhile."
	msgUnauthorized = "Doorway could not sign in to the clinic's scheduling system."
	msgInvalid      = "This request is missing something the clinic's scheduling system needs."
)

// unavailable reports that the EHR could not be reached or did not answer in time.
func unavailable(prefix string, err error) *booking.Error {
	return &booking.Error{Code: booking.CodeUnavailable, Message: msgUnavailable, Err: fmt.Errorf("%s: %w", prefix, err)}
}

// unauthorized reports credentials Redox refuses.
func unauthorized(err error) *booking.Error {
	return &booking.Error{Code: booking.CodeUnauthorized, Message: msgUnauthorized, Err: err}
}

// malformed reports an answer that is not a readable Redox message. It is CodeUnavailable:
// the EHR side is broken, not the patient's request.
func malformed(event string, err error) *booking.Error {
	return &booking.Error{Code: booking.CodeUnavailable, Message: msgMalformed,
		Err: fmt.Errorf("redox: %s: malformed response: %w", event, err)}
}

// transportError reports a failed exchange, naming the caller's deadline or cancellation
// when that is what ended it, so errors.Is(err, context.DeadlineExceeded) holds.
func transportError(ctx context.Context, event string, err error) *booking.Error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w: %w", ctxErr, err)
	}
	return unavailable("redox: "+event, err)
}

// invalidMessage reports a message that failed validation before it was sent.
func invalidMessage(event string, err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		be := ve.BookingError()
		be.Err = fmt.Errorf("redox: %s not sent: %w", event, err)
		return be
	}
	var be *booking.Error
	if errors.As(err, &be) {
		return fmt.Errorf("redox: %s not sent: %w", event, err)
	}
	return &booking.Error{Code: booking.CodeInvalid, Message: msgInvalid, Err: fmt.Errorf("redox: %s not sent: %w", event, err)}
}
