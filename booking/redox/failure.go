package redox

import (
	"context"
	"errors"
	"fmt"

	"doorway/booking"
)

// unavailable reports that the EHR could not be reached or did not answer in time.
func unavailable(prefix string, err error) *booking.Error {
	return &booking.Error{Code: booking.CodeUnavailable, Msg: booking.MsgEHRDown, Err: fmt.Errorf("%s: %w", prefix, err)}
}

// unauthorized reports credentials Redox refuses.
func unauthorized(err error) *booking.Error {
	return &booking.Error{Code: booking.CodeUnauthorized, Msg: booking.MsgEHRSignIn, Err: err}
}

// malformed reports an answer that is not a readable Redox message. It is CodeUnavailable:
// the EHR side is broken, not the patient's request.
func malformed(event string, err error) *booking.Error {
	return &booking.Error{Code: booking.CodeUnavailable, Msg: booking.MsgEHRGarbled,
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
	return &booking.Error{Code: booking.CodeInvalid, Msg: booking.MsgEHRLacking, Err: fmt.Errorf("redox: %s not sent: %w", event, err)}
}
