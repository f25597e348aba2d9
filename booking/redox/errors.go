package redox

import (
	"fmt"
	"strings"
)

// APIError is a Redox failure: a response whose Meta.Errors is not empty. Redox reports
// failures this way whatever the HTTP status (a 200 with Errors is still a failure), so the
// status is kept alongside the texts for callers that map it to a booking.Code.
type APIError struct {
	Status    int         // HTTP status of the response, 0 when unknown
	EventType string      // Meta.EventType of the response
	Errors    []MetaError // Meta.Errors as Redox sent them
}

// Error includes every Text so a log line carries Redox's whole explanation.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("redox: ")
	if e.EventType != "" {
		b.WriteString(e.EventType + " ")
	}
	b.WriteString("failed")
	if e.Status != 0 {
		fmt.Fprintf(&b, " (status %d)", e.Status)
	}
	if texts := e.Texts(); len(texts) > 0 {
		b.WriteString(": " + strings.Join(texts, "; "))
	}
	return b.String()
}

// Texts returns the non-empty Text of every error, in order.
func (e *APIError) Texts() []string {
	var out []string
	for _, me := range e.Errors {
		if me.Text != "" {
			out = append(out, me.Text)
		}
	}
	return out
}

// errorIDBase seeds the numeric IDs ErrorMessage gives its errors; Redox's are large
// integers (19511136 in a real body) and clients only ever echo them.
const errorIDBase = 19511136

// ErrorMessage builds the envelope Redox answers a failed request with: Meta echoing the
// event type, one Meta.Errors entry per text with Type "message" and Module "Scheduling".
// The sandbox EHR uses it so its failures look exactly like real ones; status only picks
// the IDs so two different failures do not share them.
func ErrorMessage(eventType string, status int, texts ...string) *Message {
	m := &Message{Meta: Meta{DataModel: DataModel, EventType: eventType}}
	for i, text := range texts {
		m.Meta.Errors = append(m.Meta.Errors, MetaError{
			ID:     FlexString(fmt.Sprint(errorIDBase + status*100 + i)),
			Text:   text,
			Type:   "message",
			Module: DataModel,
		})
	}
	return m
}

// ErrorsOf returns nil when m carries no Meta.Errors, else an *APIError with them. The
// status is unknown here; the HTTP client fills APIError.Status when it has one.
func ErrorsOf(m *Message) error {
	if m == nil || len(m.Meta.Errors) == 0 {
		return nil
	}
	return &APIError{EventType: m.Meta.EventType, Errors: m.Meta.Errors}
}
