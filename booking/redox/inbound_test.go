package redox

import (
	"strings"
	"testing"

	"doorway/booking"
)

// TestParseInboundSaysWhatTheWebhookAnswers: a body that is not JSON or is cut off is
// CodeMalformed (the webhook's 400: the sender's retry mends it); JSON that is not a usable
// message is CodeInvalid naming the field (a dead letter), still keyed by its log ID and event.
func TestParseInboundSaysWhatTheWebhookAnswers(t *testing.T) {
	const valid = `{"Meta":{"DataModel":"Scheduling","EventType":"New","Logs":[{"ID":"log-7"}]},
	 "Visit":{"VisitNumber":"V-7","VisitDateTime":"2026-03-03T15:00:00Z","Duration":30,"Location":{"Department":"North"}}}`
	tests := []struct {
		name, body string
		code       booking.Code
		field      string
		key, event string
	}{
		{"valid", valid, "", "", "log-7|V-7|New", "New"},
		{"empty", "", booking.CodeMalformed, "", "", ""},
		{"not JSON", "New V-7 tomorrow", booking.CodeMalformed, "", "", ""},
		{"cut off", valid[:60], booking.CodeMalformed, "", "", ""},
		{"not an object", `[1, 2]`, booking.CodeInvalid, "", "", ""},
		{"a wrong type", strings.Replace(valid, `"Duration":30`, `"Duration":"thirty"`, 1), booking.CodeInvalid, "Visit.Duration", "", ""},
		{"no visit number", strings.Replace(valid, `"VisitNumber":"V-7",`, ``, 1), booking.CodeInvalid, "Visit.VisitNumber", "log-7||New", "New"},
		{"a query", strings.NewReplacer(`"New"`, `"Booked"`, `{"Meta"`, `{"StartDateTime":"2026-03-01T00:00:00Z","Meta"`).Replace(valid), booking.CodeInvalid, "Meta.EventType", "log-7|V-7|Booked", "Booked"},
		{"another data model", strings.Replace(valid, `"Scheduling"`, `"PatientAdmin"`, 1), booking.CodeInvalid, "Meta.DataModel", "log-7|V-7|New", "New"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ParseInbound([]byte(tt.body))
			if code := booking.ErrorCode(err); code != tt.code {
				t.Fatalf("code %q (%v), want %q", code, err, tt.code)
			}
			if be, ok := err.(*booking.Error); ok && (be.Field != tt.field || be.Detail == "") {
				t.Errorf("field %q detail %q, want field %q and a detail", be.Field, be.Detail, tt.field)
			}
			if in.Key != tt.key || in.Event != tt.event {
				t.Errorf("key %q event %q, want %q %q", in.Key, in.Event, tt.key, tt.event)
			}
			if (err == nil) != (in.Notification != nil) {
				t.Errorf("notification %v with error %v", in.Notification, err)
			}
		})
	}
}
