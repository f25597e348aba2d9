package redox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
)

func TestRetryPolicy(t *testing.T) {
	r := func(status int) reply { return reply{Status: status, Body: errorBody} }
	tests := []struct {
		name     string
		event    string
		replies  []reply
		wantReqs int
		wantCode booking.Code
	}{
		{"query retried after 503", EventAvailableSlots, []reply{{Status: 503}, {Status: 503}}, 3, ""},
		{"query retried after 429", EventBooked, []reply{{Status: 429, Header: map[string]string{"Retry-After": "0"}}}, 2, ""},
		{"query retried after a dropped connection", EventBooked, []reply{{Drop: true}}, 2, ""},
		{"query gives up after MaxAttempts", EventAvailableSlots, []reply{r(500), r(502), r(503)}, 3, booking.CodeUnavailable},
		{"query not retried after 400", EventAvailableSlots, []reply{r(400)}, 1, booking.CodeRejected},
		{"New not retried after 503", EventNew, []reply{{Status: 503}}, 1, booking.CodeUnavailable},
		{"New not retried after 500 with Meta.Errors", EventNew, []reply{r(500)}, 1, booking.CodeUnavailable},
		{"New retried after 429: Redox did not take it", EventNew, []reply{{Status: 429}}, 2, ""},
		{"Cancel retried after 429 with Retry-After", EventCancel, []reply{{Status: 429, Header: map[string]string{"Retry-After": "0"}}}, 2, ""},
		{"NoShow gives up after MaxAttempts 429s", EventNoShow, []reply{{Status: 429}, {Status: 429}, {Status: 429}}, 3, booking.CodeUnavailable},
		{"New not retried after a dropped connection", EventNew, []reply{{Drop: true}}, 1, booking.CodeUnavailable},
		{"Cancel not retried after 502", EventCancel, []reply{{Status: 502}}, 1, booking.CodeUnavailable},
		{"New refused with 409 is slot taken", EventNew, []reply{r(409)}, 1, booking.CodeSlotTaken},
		{"Reschedule refused with 409 is slot taken", EventReschedule, []reply{r(409)}, 1, booking.CodeSlotTaken},
		{"Cancel refused with 409 is a conflict", EventCancel, []reply{{Status: 409}}, 1, booking.CodeConflict},
		{"New rejected with 400", EventNew, []reply{r(400)}, 1, booking.CodeRejected},
		{"forbidden is rejected, not retried", EventBooked, []reply{{Status: 403}}, 1, booking.CodeRejected},
		{"not found is rejected, not retried", EventNew, []reply{{Status: 404}}, 1, booking.CodeRejected},
		{"redirect is not followed", EventBooked, []reply{{Status: 302, Header: map[string]string{"Location": "/elsewhere"}}}, 1, booking.CodeUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			d.then(tt.replies...)
			err := calls[tt.event](t.Context(), newTestClient(t, testConfig(t, d)))
			if got := booking.ErrorCode(err); got != tt.wantCode {
				t.Errorf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if got := len(d.requests()); got != tt.wantReqs {
				t.Errorf("requests = %d, want %d", got, tt.wantReqs)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Run("parsing", func(t *testing.T) {
		for h, want := range map[string]time.Duration{"": 0, "2": 2 * time.Second, "-1": 0, "soon": 0,
			time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat): 0} {
			if got := retryAfter(h); got != want {
				t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
			}
		}
		if got := retryAfter(time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)); got < 58*time.Second {
			t.Errorf("retryAfter(date in a minute) = %v, want about a minute", got)
		}
	})
	t.Run("waited out", func(t *testing.T) {
		t.Parallel()
		d := newDouble(t)
		d.then(reply{Status: 429, Header: map[string]string{"Retry-After": "1"}})
		start := time.Now()
		if err := calls[EventBooked](t.Context(), newTestClient(t, testConfig(t, d))); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got < 900*time.Millisecond {
			t.Errorf("retried after %v, want after Retry-After's 1s", got)
		}
	})
	t.Run("waited out by a notification", func(t *testing.T) {
		t.Parallel()
		d := newDouble(t)
		d.then(reply{Status: 429, Header: map[string]string{"Retry-After": "1"}})
		start := time.Now()
		if err := calls[EventNew](t.Context(), newTestClient(t, testConfig(t, d))); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got < 900*time.Millisecond {
			t.Errorf("retried after %v, want after Retry-After's 1s", got)
		}
		if got := len(d.requests()); got != 2 {
			t.Errorf("requests = %d, want 2", got)
		}
	})
	t.Run("an HTTP date waited out by a notification", func(t *testing.T) {
		t.Parallel()
		d := newDouble(t)
		// The date has whole seconds: two seconds ahead is at least one second's wait.
		at := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
		d.then(reply{Status: 429, Header: map[string]string{"Retry-After": at}})
		start := time.Now()
		if err := calls[EventCancel](t.Context(), newTestClient(t, testConfig(t, d))); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got < 900*time.Millisecond {
			t.Errorf("retried after %v, want after the Retry-After date", got)
		}
	})
	t.Run("a notification's wait beyond the deadline ends the call at once", func(t *testing.T) {
		t.Parallel()
		d := newDouble(t)
		d.then(reply{Status: 429, Header: map[string]string{"Retry-After": "20"}})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		err := calls[EventNew](ctx, newTestClient(t, testConfig(t, d)))
		// "At once" against the 20 s wait: a generous bound, not a timing test.
		if booking.ErrorCode(err) != booking.CodeUnavailable || time.Since(start) > 10*time.Second {
			t.Errorf("err = %v after %v, want unavailable without waiting out Retry-After", err, time.Since(start))
		}
		if got := len(d.requests()); got != 1 {
			t.Errorf("requests = %d, want 1", got)
		}
	})
	t.Run("beyond the deadline ends the call at once", func(t *testing.T) {
		t.Parallel()
		d := newDouble(t)
		d.then(reply{Status: 429, Header: map[string]string{"Retry-After": "20"}})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		err := calls[EventBooked](ctx, newTestClient(t, testConfig(t, d)))
		// "At once" against the 20 s wait: a generous bound, not a timing test.
		if booking.ErrorCode(err) != booking.CodeUnavailable || time.Since(start) > 10*time.Second {
			t.Errorf("err = %v after %v, want unavailable without waiting out Retry-After", err, time.Since(start))
		}
		if got := len(d.requests()); got != 1 {
			t.Errorf("requests = %d, want 1", got)
		}
	})
}

func TestSlowServerAndCancellation(t *testing.T) {
	slow := reply{Status: 200, Delay: 10 * time.Second}
	tests := []struct {
		name    string
		event   string
		timeout time.Duration // on ctx; 0 = Config.Timeout
		cancel  time.Duration // cancel ctx after this; 0 = never
		want    error
	}{
		{"query past the ctx deadline", EventAvailableSlots, 100 * time.Millisecond, 0, context.DeadlineExceeded},
		{"New past the ctx deadline", EventNew, 100 * time.Millisecond, 0, context.DeadlineExceeded},
		{"no ctx deadline uses Config.Timeout", EventBooked, 0, 0, context.DeadlineExceeded},
		{"cancelled in flight", EventNew, 0, 50 * time.Millisecond, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newDouble(t)
			d.then(slow, slow, slow)
			cfg := testConfig(t, d)
			cfg.Timeout = 150 * time.Millisecond
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			if tt.cancel > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				time.AfterFunc(tt.cancel, cancel)
			}
			c := newTestClient(t, cfg)
			if _, err := c.tokens.get(t.Context()); err != nil { // time the slow request only
				t.Fatal(err)
			}
			start := time.Now()
			err := calls[tt.event](ctx, c)
			// The server would take 10s; returning well before it (the bound is generous for a
			// loaded machine) shows the client gave up at its deadline.
			if elapsed := time.Since(start); elapsed > 8*time.Second {
				t.Errorf("returned after %v, want about the deadline", elapsed)
			}
			if booking.ErrorCode(err) != booking.CodeUnavailable || !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want unavailable wrapping %v", err, tt.want)
			}
		})
	}
	t.Run("already cancelled sends nothing", func(t *testing.T) {
		d := newDouble(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := calls[EventNew](ctx, newTestClient(t, testConfig(t, d)))
		if booking.ErrorCode(err) != booking.CodeUnavailable || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want unavailable wrapping context.Canceled", err)
		}
		if got := len(d.requests()); got != 0 {
			t.Errorf("requests = %d, want 0", got)
		}
	})
}

func TestUnreadableAnswers(t *testing.T) {
	big := strings.Repeat("x", 100<<10)
	tests := []struct {
		name     string
		event    string
		reply    reply
		wantErr  error  // errors.Is target, or nil
		wantText string // in the error
	}{
		{"truncated JSON", EventAvailableSlots, reply{Status: 200, Body: `{"Meta":`}, nil, "malformed response"},
		{"HTML instead of JSON", EventBooked, reply{Status: 200, Body: "<html>oops</html>"}, nil, "malformed response"},
		{"empty answer to a query", EventBooked, reply{Status: 200}, nil, "empty response body"},
		{"wrong field type", EventBooked, reply{Status: 200, Body: `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"Visits":"none"}`}, nil, "malformed response"},
		{"declared length over the cap", EventBooked, reply{Status: 200, Body: big[:3000], Header: map[string]string{"Content-Length": "3000"}}, errTooLarge, ""},
		{"chunked body over the cap", EventAvailableSlots, reply{Status: 200, Body: big}, errTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			d.then(tt.reply, tt.reply, tt.reply)
			cfg := testConfig(t, d)
			cfg.MaxResponseBytes = 2048
			err := calls[tt.event](t.Context(), newTestClient(t, cfg))
			if got := booking.ErrorCode(err); got != booking.CodeUnavailable {
				t.Errorf("code = %q (%v), want unavailable", got, err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantText)
			}
			if got := len(d.requests()); got != 1 {
				t.Errorf("requests = %d, want 1 (a bad answer is not retried)", got)
			}
		})
	}
	t.Run("empty answer to a notification is accepted", func(t *testing.T) {
		d := newDouble(t)
		d.then(reply{Status: 200})
		if err := calls[EventCancel](t.Context(), newTestClient(t, testConfig(t, d))); err != nil {
			t.Errorf("Cancel: %v", err)
		}
	})
}

// TestNewRetriedOnlyWhenNeverSent refuses connections at dial time: the one failure that
// proves a New never reached Redox, so the one a New may be retried after.
func TestNewRetriedOnlyWhenNeverSent(t *testing.T) {
	tests := []struct {
		name      string
		failDials int32
		wantCode  booking.Code
		wantNew   int // New requests the server saw
	}{
		{"sent after two refused connections", 2, "", 1},
		{"unavailable when every attempt is refused", 5, booking.CodeUnavailable, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			closed, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			dead := closed.Addr().String()
			closed.Close()

			var failDials atomic.Int32
			var dialer net.Dialer
			cfg := testConfig(t, d)
			cfg.HTTPClient = &http.Client{Transport: &http.Transport{
				DisableKeepAlives: true, // every request dials, so each attempt meets the dialer
				DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					if failDials.Add(-1) >= 0 {
						addr = dead
					}
					return dialer.DialContext(ctx, network, addr)
				},
			}}
			c := newTestClient(t, cfg)
			if _, err := c.tokens.get(t.Context()); err != nil { // so only the New meets refusals
				t.Fatal(err)
			}
			failDials.Store(tt.failDials)
			err = c.Book(t.Context(), appointment())
			if got := booking.ErrorCode(err); got != tt.wantCode {
				t.Errorf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if got := len(d.requests()); got != tt.wantNew {
				t.Errorf("New requests seen = %d, want %d", got, tt.wantNew)
			}
		})
	}
}
