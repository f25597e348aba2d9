package redox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"doorway/booking"
)

const (
	// maxBackoff caps one exponential backoff step.
	maxBackoff = 10 * time.Second
	// maxRetryAfter is the longest Retry-After we wait out; a longer one ends the call so the
	// caller (a person, or the outbox with its own schedule) decides.
	maxRetryAfter = 30 * time.Second
)

// answer is what a successful call brought back.
type answer struct {
	msg     *Message  // the decoded answer
	skipped []Problem // query answer entries left out as unreadable (see decodeAnswer)
}

// outcome is what one HTTP attempt came to.
type outcome struct {
	answer       // on success
	status int   // HTTP status, 0 when no response arrived
	err    error // a *booking.Error, nil on success
	retry  bool  // repeating the request cannot double-book (REDOX-SCHEDULING §4.7)
	wait   time.Duration
	token  string // the bearer token sent
	stale  bool   // Redox refused the token (401)
	note   string // the cause for the log line, free of patient data
}

// send validates m, posts it to path and returns Redox's answer, retrying within the policy
// for the kind of message: queries are reads and may be repeated on any transient failure;
// notifications only when Redox certainly did not take the request (it never left, or Redox
// answered 429), because Redox has no idempotency key and a repeated New could book twice.
// visit is the visit number for logs.
func (c *Client) send(ctx context.Context, path string, m *Message, visit string) (answer, error) {
	event := m.Meta.EventType
	if err := m.Validate(); err != nil {
		return answer{}, invalidMessage(event, err)
	}
	body, err := json.Marshal(m)
	if err != nil {
		return answer{}, &booking.Error{Code: booking.CodeInternal, Err: fmt.Errorf("redox: encode %s: %w", event, err)}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
	}
	query := path == pathQuery
	renewed := false
	for attempt, try := 1, 1; ; try++ {
		start := time.Now()
		out := c.attempt(ctx, path, event, body, query)
		c.logAttempt(ctx, event, path, visit, try, time.Since(start), out)
		if out.err == nil {
			return out.answer, nil
		}
		if out.stale {
			c.tokens.invalidate(out.token)
			if !renewed {
				// One renewal and one retry: the token may have expired early. A second 401
				// means the credentials themselves are refused.
				renewed = true
				continue
			}
		}
		if !out.retry || attempt >= c.cfg.MaxAttempts {
			return answer{}, out.err
		}
		if err := c.pause(ctx, attempt, out.wait); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return answer{}, unavailable("redox: "+event, ctxErr)
			}
			return answer{}, out.err
		}
		attempt++
	}
}

// attempt makes one request with the current token.
func (c *Client) attempt(ctx context.Context, path, event string, body []byte, query bool) outcome {
	tok, err := c.tokens.get(ctx)
	if err != nil {
		// Nothing was sent, so retrying is safe for every event, unless the credentials are
		// wrong or the caller has given up.
		retry := booking.ErrorCode(err) == booking.CodeUnavailable && ctx.Err() == nil
		return outcome{err: err, retry: retry, note: "token: " + err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return outcome{err: &booking.Error{Code: booking.CodeInternal, Err: fmt.Errorf("redox: %s: %w", event, err)}}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)

	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		// After a timeout or a reset the request may have been processed; only a failed dial
		// proves it was not.
		retry := ctx.Err() == nil && (query || notSent(err))
		return outcome{err: transportError(ctx, event, err), retry: retry, token: tok, note: err.Error()}
	}
	defer resp.Body.Close()
	data, err := readBody(resp, c.cfg.MaxResponseBytes)
	if err != nil {
		out := outcome{status: resp.StatusCode, token: tok, note: err.Error()}
		out.err = transportError(ctx, event, err)
		out.retry = query && ctx.Err() == nil && !errors.Is(err, errTooLarge)
		return out
	}
	out := classify(event, resp, data, query)
	out.token = tok
	return out
}

var errTooLarge = errors.New("response body too large")

// readBody reads at most limit bytes; a larger body is an error rather than a silent cut.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, resp.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	return data, nil
}

// notSent reports whether err proves the request never left: the connection was never made
// (refused, unreachable host, DNS failure).
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date; 0 when absent.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

var errGiveUp = errors.New("redox: retry would outlast the deadline")

// pause waits before retry number attempt+1: exponential backoff with jitter, or longer if
// the server asked. It gives up at once when the wait would outlast the caller's deadline.
func (c *Client) pause(ctx context.Context, attempt int, wait time.Duration) error {
	if wait > maxRetryAfter {
		return errGiveUp
	}
	step := c.cfg.BackoffBase << (attempt - 1)
	if limit := max(maxBackoff, c.cfg.BackoffBase); step <= 0 || step > limit {
		step = limit
	}
	// Equal jitter: half fixed, half random, so clients that failed together spread out.
	d := max(step/2+rand.N(step/2+1), wait)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return errGiveUp
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// logAttempt writes one line per HTTP attempt: what, where, how long, how it ended. Never
// patient data: no bodies, no Redox error texts.
func (c *Client) logAttempt(ctx context.Context, event, path, visit string, try int, latency time.Duration, out outcome) {
	attrs := []slog.Attr{
		slog.String("event_type", event),
		slog.String("path", path),
		slog.Int("attempt", try),
		slog.Int("status", out.status),
		slog.Duration("latency", latency),
	}
	if visit != "" {
		attrs = append(attrs, slog.String("visit_number", visit))
	}
	if out.msg != nil && len(out.msg.Meta.Logs) > 0 {
		// Redox's log ID finds the message in its dashboard.
		attrs = append(attrs, slog.String("redox_log_id", string(out.msg.Meta.Logs[0].ID)))
	}
	if out.err == nil {
		c.log.LogAttrs(ctx, slog.LevelInfo, "redox request", attrs...)
		return
	}
	attrs = append(attrs,
		slog.String("error_code", string(booking.ErrorCode(out.err))),
		slog.String("cause", out.note),
		slog.Bool("retryable", out.retry || out.stale))
	c.log.LogAttrs(ctx, slog.LevelWarn, "redox request failed", attrs...)
}
