package redox

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

func TestEveryCallSendsMetaAndValidates(t *testing.T) {
	tests := []struct{ event, path string }{
		{EventAvailableSlots, "/query"}, {EventBooked, "/query"},
		{EventNew, "/endpoint"}, {EventModification, "/endpoint"}, {EventReschedule, "/endpoint"},
		{EventCancel, "/endpoint"}, {EventNoShow, "/endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.event, func(t *testing.T) {
			clock := newClock()
			d := newDouble(t)
			d.now = clock.Now
			cfg := testConfig(t, d)
			if err := calls[tt.event](t.Context(), newTestClient(t, cfg)); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := d.requests()
			if len(reqs) != 1 {
				t.Fatalf("requests = %d, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Path != tt.path {
				t.Errorf("path = %s, want %s", r.Path, tt.path)
			}
			if got := r.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			if r.Msg == nil {
				t.Fatalf("body did not decode: %s", r.Body)
			}
			if err := r.Msg.Validate(); err != nil {
				t.Errorf("sent message does not validate: %v", err)
			}
			m := r.Msg.Meta
			if m.DataModel != DataModel || m.EventType != tt.event {
				t.Errorf("Meta = %s/%s, want %s/%s", m.DataModel, m.EventType, DataModel, tt.event)
			}
			if m.Test == nil || !*m.Test {
				t.Errorf("Meta.Test = %v, want true", m.Test)
			}
			if m.EventDateTime != FormatTime(clock.Now()) {
				t.Errorf("Meta.EventDateTime = %q, want %q", m.EventDateTime, FormatTime(clock.Now()))
			}
			if m.Source == nil || *m.Source != (Endpoint{ID: cfg.SourceID, Name: cfg.SourceName}) {
				t.Errorf("Meta.Source = %+v, want %s/%s", m.Source, cfg.SourceID, cfg.SourceName)
			}
			want := []Endpoint{{ID: cfg.DestinationID, Name: cfg.DestinationName}}
			if !slices.Equal(m.Destinations, want) {
				t.Errorf("Meta.Destinations = %+v, want %+v", m.Destinations, want)
			}
		})
	}
}

func TestAnswersAreConverted(t *testing.T) {
	d := newDouble(t)
	c := newTestClient(t, testConfig(t, d))
	slots, err := c.AvailableSlots(t.Context(), slotQuery())
	if err != nil {
		t.Fatalf("AvailableSlots: %v", err)
	}
	if len(slots.Slots) != 2 || !slots.Incomplete {
		t.Fatalf("slots = %d incomplete=%v, want 2 incomplete=true", len(slots.Slots), slots.Incomplete)
	}
	if got, want := slots.Slots[0].Start, time.Date(2025, 3, 10, 14, 0, 0, 0, time.UTC); !got.Equal(want) || slots.Slots[0].Minutes != 30 {
		t.Errorf("first slot = %v %d min, want %v 30 min", got, slots.Slots[0].Minutes, want)
	}
	visits, err := c.Booked(t.Context(), bookedQuery())
	if err != nil {
		t.Fatalf("Booked: %v", err)
	}
	if len(visits.Visits) != 1 || visits.Visits[0].VisitNumber != "SB-100045" || visits.Incomplete {
		t.Errorf("visits = %+v, want SB-100045 only, complete", visits)
	}
}

func TestUnauthorizedRenewsTokenOnce(t *testing.T) {
	refused := reply{Status: 401, Body: `{"Meta":{"DataModel":"Scheduling","EventType":"New","Errors":[{"ID":1,"Text":"Invalid token","Type":"auth","Module":"Auth"}]}}`}
	tests := []struct {
		name      string
		event     string
		refuseAll bool
		wantCode  booking.Code
	}{
		{"query with stale token renews and succeeds", EventAvailableSlots, false, ""},
		{"New with stale token renews and succeeds", EventNew, false, ""},
		{"query refused twice is unauthorized", EventBooked, true, booking.CodeUnauthorized},
		{"New refused twice is unauthorized", EventNew, true, booking.CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			c := newTestClient(t, testConfig(t, d))
			if _, err := c.tokens.get(t.Context()); err != nil { // a token Redox then forgets
				t.Fatal(err)
			}
			d.revokeAll()
			if tt.refuseAll {
				d.then(refused, refused, refused)
			}
			err := calls[tt.event](t.Context(), c)
			if got := booking.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if got := len(d.requests()); got != 2 {
				t.Errorf("requests = %d, want 2 (one retry after one renewal)", got)
			}
			if got := d.hits(); got != 2 {
				t.Errorf("token requests = %d, want 2", got)
			}
			if tt.refuseAll {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Status != 401 {
					t.Errorf("err = %v, want an *APIError with status 401", err)
				}
			}
		})
	}
}

func TestMetaErrorsBecomeAPIError(t *testing.T) {
	tests := []struct {
		name     string
		event    string
		status   int
		wantCode booking.Code
	}{
		{"200 with errors is still a failure", EventBooked, 200, booking.CodeRejected},
		{"400 from a query", EventAvailableSlots, 400, booking.CodeRejected},
		{"422 on New", EventNew, 422, booking.CodeRejected},
		{"409 on New", EventNew, 409, booking.CodeSlotTaken},
		{"502 on New", EventNew, 502, booking.CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			d.then(reply{Status: tt.status, Body: errorBody})
			err := calls[tt.event](t.Context(), newTestClient(t, testConfig(t, d)))
			if got := booking.ErrorCode(err); got != tt.wantCode {
				t.Errorf("code = %q, want %q", got, tt.wantCode)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want one wrapping *APIError", err)
			}
			if apiErr.Status != tt.status {
				t.Errorf("APIError.Status = %d, want %d", apiErr.Status, tt.status)
			}
			if got, want := apiErr.Texts(), []string{"Ada Lovell already has a visit then"}; !slices.Equal(got, want) {
				t.Errorf("APIError texts = %q, want %q", got, want)
			}
			// The person is told a sentence chosen by code; Redox's own text stays in the cause.
			if msg := booking.MsgOf(err); msg == "" || strings.Contains(string(msg), "Lovell") {
				t.Errorf("user message %q: want a message key, never Redox's text", msg)
			}
		})
	}
}

func TestInvalidRequestsNeverLeave(t *testing.T) {
	tests := []struct {
		name string
		call func(context.Context, *Client) error
	}{
		{"slot query without a start", func(ctx context.Context, c *Client) error {
			_, err := c.AvailableSlots(ctx, booking.SlotQuery{})
			return err
		}},
		{"slot query ending before it starts", func(ctx context.Context, c *Client) error {
			q := slotQuery()
			q.End = q.Start.Add(-time.Hour)
			_, err := c.AvailableSlots(ctx, q)
			return err
		}},
		{"booked query without a start", func(ctx context.Context, c *Client) error {
			_, err := c.Booked(ctx, booking.BookedQuery{})
			return err
		}},
		{"New without a department", func(ctx context.Context, c *Client) error {
			a := appointment()
			a.Location.Department = ""
			return c.Book(ctx, a)
		}},
		{"Cancel without a visit number", func(ctx context.Context, c *Client) error {
			a := appointment()
			a.VisitNumber = ""
			return c.Cancel(ctx, a, "")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			err := tt.call(t.Context(), newTestClient(t, testConfig(t, d)))
			if got := booking.ErrorCode(err); got != booking.CodeInvalid {
				t.Errorf("code = %q (%v), want invalid", got, err)
			}
			if got := len(d.requests()) + d.hits(); got != 0 {
				t.Errorf("requests to the double = %d, want 0", got)
			}
		})
	}
}

func TestLogsCarryNoPatientData(t *testing.T) {
	d := newDouble(t)
	var buf bytes.Buffer
	cfg := testConfig(t, d)
	cfg.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
	c := newTestClient(t, cfg)
	d.then(reply{Status: 400, Body: errorBody})
	_ = c.Book(t.Context(), appointment()) // refused, with the patient's name in Redox's text
	if err := c.Book(t.Context(), appointment()); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	for _, want := range []string{`"event_type":"New"`, `"status":400`, `"status":200`, `"attempt":1`, `"latency"`, `"error_code":"rejected"`, `"redox_log_id":"log-1"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	for _, phi := range []string{"Ada", "Lovell", "1990-04-12", "5555550100", "ada@example.org", "0000000001"} {
		if strings.Contains(logs, phi) {
			t.Errorf("logs contain patient data %q:\n%s", phi, logs)
		}
	}
}

// TestNotConfiguredIsNotSignIn: Redox's 403 and 404 (and a Subscriptions error) mean the
// source has no route to the destination for this event, not that the credentials failed.
// A 401 stays the sign-in problem.
func TestNotConfiguredIsNotSignIn(t *testing.T) {
	noSub := `{"Meta":{"DataModel":"Scheduling","EventType":"New","Errors":[{"ID":19511136,"Text":"No subscriptions.","Type":"message","Module":"Subscriptions"}]}}`
	sendFailed := `{"Meta":{"DataModel":"Scheduling","EventType":"New","Errors":[{"ID":84607512,"Text":"EHR returned status code 400","Type":"transmission","Module":"Send"}]}}`
	tests := []struct {
		name   string
		event  string
		reply  reply
		code   booking.Code
		msg    booking.Msg
		detail bool // Detail says destination or event type not configured
	}{
		{"403 on a query", EventAvailableSlots, reply{Status: 403}, booking.CodeRejected, booking.MsgEHRRefused, true},
		{"403 on New", EventNew, reply{Status: 403, Body: errorBody}, booking.CodeRejected, booking.MsgEHRRefused, true},
		{"404 on a query", EventBooked, reply{Status: 404}, booking.CodeRejected, booking.MsgEHRRefused, true},
		{"404 on Cancel", EventCancel, reply{Status: 404}, booking.CodeRejected, booking.MsgEHRRefused, true},
		{"400 from Subscriptions", EventNew, reply{Status: 400, Body: noSub}, booking.CodeRejected, booking.MsgEHRRefused, true},
		{"400 for another reason", EventNew, reply{Status: 400, Body: sendFailed}, booking.CodeRejected, booking.MsgEHRRefused, false},
		{"401 twice is still sign-in", EventNew, reply{Status: 401}, booking.CodeUnauthorized, booking.MsgEHRSignIn, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			d.then(tt.reply, tt.reply)
			err := calls[tt.event](t.Context(), newTestClient(t, testConfig(t, d)))
			var be *booking.Error
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a *booking.Error", err)
			}
			if be.Code != tt.code || be.Msg != tt.msg {
				t.Errorf("got %s/%s, want %s/%s", be.Code, be.Msg, tt.code, tt.msg)
			}
			if got := strings.Contains(be.Detail, "destination or event type not configured"); got != tt.detail {
				t.Errorf("Detail = %q, want it to say 'not configured': %v", be.Detail, tt.detail)
			}
			wantReqs := 1
			if tt.code == booking.CodeUnauthorized {
				wantReqs = 2 // one renewal, as TestUnauthorizedRenewsTokenOnce checks
			}
			if got := len(d.requests()); got != wantReqs {
				t.Errorf("requests = %d, want %d (a configuration fault is not retried)", got, wantReqs)
			}
		})
	}
}
