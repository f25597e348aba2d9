package redox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"doorway/booking"
)

// How an answer from Redox becomes an outcome: success, or a *booking.Error with the code,
// the sentence for the person and whether sending again is safe.

// classify turns a response into an outcome. Any Meta.Errors entry is a failure whatever the
// status (REDOX-SCHEDULING §4.5); the status decides the code and whether to retry. Query
// answers are read entry by entry (decodeAnswer), so one bad slot or visit is skipped.
func classify(event string, resp *http.Response, data []byte, query bool) outcome {
	var msg *Message
	var skipped []Problem
	var decodeErr error
	switch {
	case len(bytes.TrimSpace(data)) == 0:
	case query:
		msg, skipped, decodeErr = decodeAnswer(data)
	default:
		msg, decodeErr = Decode(data)
	}
	apiErr := metaErrors(msg, data, resp.StatusCode)
	if resp.StatusCode/100 != 2 || apiErr != nil {
		return refusal(event, resp, apiErr, query)
	}
	out := outcome{status: resp.StatusCode}
	switch {
	case decodeErr != nil:
		out.err, out.note = malformed(event, decodeErr), "malformed response body"
	case msg == nil && query:
		out.err, out.note = malformed(event, errors.New("empty response body")), "empty response body"
	case msg == nil:
		out.msg = &Message{} // Redox queued the notification; the echo is optional
	default:
		out.msg, out.skipped = msg, skipped
	}
	return out
}

// detailNotConfigured explains a 403 or 404 from Redox (or a Subscriptions error): the token
// was accepted (else 401), but Redox has no route for this message from this source.
const detailNotConfigured = "destination or event type not configured: check the destination ID " +
	"(Meta.Destinations) and that the source subscribes to it for this Scheduling event in the Redox dashboard"

// refusal is the outcome of a failed answer: its code, the sentence for the person, and
// whether to try again.
func refusal(event string, resp *http.Response, apiErr *APIError, query bool) outcome {
	status := resp.StatusCode
	out := outcome{status: status, note: fmt.Sprintf("HTTP %d", status)}
	var cause error = fmt.Errorf("redox: %s: HTTP %d", event, status)
	if apiErr != nil {
		cause, out.note = apiErr, out.note+" "+apiErr.summary()
	}
	be := &booking.Error{Code: booking.CodeRejected, Msg: booking.MsgEHRRefused, Err: cause}
	switch {
	case status/100 == 2:
		// Meta.Errors on a 200: the destination refused the request.
	case status == http.StatusUnauthorized:
		out.stale = true
		be.Code, be.Msg = booking.CodeUnauthorized, booking.MsgEHRSignIn
	case status == http.StatusForbidden, status == http.StatusNotFound:
		// Signed in, but not allowed or routed: a configuration fault, not a sign-in one, and
		// retrying cannot help until someone fixes the dashboard or -redox-destination-id.
		be.Detail = detailNotConfigured
	case status == http.StatusConflict && !query:
		be.Code, be.Msg = booking.CodeConflict, booking.MsgEHRChanged
		if event == EventNew || event == EventReschedule || event == EventModification {
			be.Code, be.Msg = booking.CodeSlotTaken, booking.MsgSlotGone
		}
	case status == http.StatusTooManyRequests:
		// Redox's rate limit refuses a request before queueing it, so sending it again cannot
		// deliver it twice: notifications are retried too.
		be.Code, be.Msg = booking.CodeUnavailable, booking.MsgEHRDown
		out.retry, out.wait = true, retryAfter(resp.Header.Get("Retry-After"))
	case status == http.StatusRequestTimeout, status >= 500:
		// The message may have been queued before the failure: only a query is repeated.
		be.Code, be.Msg = booking.CodeUnavailable, booking.MsgEHRDown
		out.retry, out.wait = query, retryAfter(resp.Header.Get("Retry-After"))
	case status/100 == 3:
		// Redirects are not followed (see Config.HTTPClient): BaseURL is wrong.
		be.Code, be.Msg = booking.CodeUnavailable, booking.MsgEHRDown
		be.Err = fmt.Errorf("%w: redirected to %q, check BaseURL", cause, resp.Header.Get("Location"))
	}
	if be.Code == booking.CodeRejected && apiErr.fromSubscriptions() {
		be.Detail = detailNotConfigured
	}
	out.err = be
	return out
}

// metaErrors returns Meta.Errors as an *APIError with the status filled in. A body Decode
// refused may still be a valid error envelope (an unfamiliar data model, say), so it is read
// loosely too.
func metaErrors(msg *Message, data []byte, status int) *APIError {
	if msg == nil {
		var loose struct{ Meta Meta }
		if len(data) == 0 || json.Unmarshal(data, &loose) != nil {
			return nil
		}
		msg = &Message{Meta: loose.Meta}
	}
	var apiErr *APIError
	if !errors.As(ErrorsOf(msg), &apiErr) {
		return nil
	}
	apiErr.Status = status
	return apiErr
}

// fromSubscriptions reports whether Redox refused the message for want of a subscription
// (Module "Subscriptions", as in its "No subscriptions" error). Safe on a nil e.
func (e *APIError) fromSubscriptions() bool {
	if e == nil {
		return false
	}
	for _, me := range e.Errors {
		if strings.EqualFold(me.Module, "Subscriptions") {
			return true
		}
	}
	return false
}

// summary names Redox's errors by ID, type and module for logs: the texts may quote the
// request, and so patient data.
func (e *APIError) summary() string {
	var b bytes.Buffer
	b.WriteString("meta errors:")
	for _, me := range e.Errors {
		fmt.Fprintf(&b, " [%s %s/%s]", me.ID, me.Type, me.Module)
	}
	return b.String()
}
