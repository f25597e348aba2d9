package sandbox

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"doorway/booking"
	"doorway/booking/redox"
)

// Outgoing notifications behave the way Redox delivers to a destination (REDOX-SCHEDULING
// §4.6): FIFO per subscription, at least once, and a failed message is retried with back-off
// while everything queued behind it waits. The queue is the sandbox_notifications table,
// written in the change's own transaction, so restarts lose nothing. Rows for a URL no longer
// configured stay queued (and undelivered) until that webhook is configured again.

// SourceID and SourceName identify the sandbox as the Meta.Source of what it sends.
const (
	SourceID   = "5a3dbe9e-7a43-4a43-9c1e-1d5a9a0e0d11"
	SourceName = "Doorway sandbox EHR"
)

// Delivery tuning. Retries double from retryBase up to maxBackoff; there is no give-up,
// because Redox does not give up either: it pauses the feed until the destination answers.
const (
	defaultRetryBase = time.Second
	maxBackoff       = time.Minute
	idlePoll         = time.Minute // re-check the queue even without a wake-up
	keepDelivered    = 7 * 24 * time.Hour
	deliveryTimeout  = 10 * time.Second
	pushBatchSize    = 50   // slots per PushSlots message
	pushLimit        = 5000 // slots per PushSlots request
)

// outMeta is the Meta of a notification the sandbox sends, echoing the Test flag of the
// request that caused it (sandbox-made changes are test data: Test true).
func (s *Server) outMeta(test *bool) redox.Meta {
	if test == nil {
		t := true
		test = &t
	}
	return redox.Meta{
		DataModel:     redox.DataModel,
		EventDateTime: redox.FormatTime(s.now()),
		Test:          test,
		Source:        &redox.Endpoint{ID: SourceID, Name: SourceName},
	}
}

// enqueue queues msg for every webhook inside tx. The log ID is fixed here, so a receiver
// can deduplicate retries; AttemptID changes with every attempt.
func (s *Server) enqueue(ctx context.Context, tx *sql.Tx, msg *redox.Message, visitNumber string) error {
	if len(s.webhooks) == 0 {
		return nil
	}
	msg.Meta.Logs = []redox.Log{{ID: redox.FlexString(uuid.NewString())}}
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("sandbox: encode notification: %w", err)
	}
	// Delivery times are wall-clock milliseconds, not the injectable s.now: timers run on
	// the real clock, and a test's frozen clock must not stall retries.
	now := time.Now()
	for _, wh := range s.webhooks {
		_, err := tx.ExecContext(ctx, `INSERT INTO sandbox_notifications
			(webhook_url, event_type, visit_number, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			wh.URL, msg.Meta.EventType, visitNumber, body, now.UnixMilli(), now.Unix())
		if err != nil {
			return fmt.Errorf("sandbox: queue notification: %w", err)
		}
	}
	return nil
}

// wakeDelivery nudges every delivery loop after a commit; a loop already awake keeps the
// pending nudge, so none is lost and none blocks the committer.
func (s *Server) wakeDelivery() {
	for _, ch := range s.wake {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// deliverLoop sends wh's queue in order until ctx is done.
func (s *Server) deliverLoop(ctx context.Context, wh Webhook) {
	wake := s.wake[wh.URL]
	for ctx.Err() == nil {
		wait, err := s.deliverNext(ctx, wh)
		if err != nil && ctx.Err() == nil {
			s.log.Error("notification queue failed", "webhook", wh.URL, "err", err)
			wait = time.Second
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// deliverNext tries the oldest undelivered notification for wh. It returns how long to wait
// before the next try: 0 after a success, the back-off after a failure, idlePoll when empty.
func (s *Server) deliverNext(ctx context.Context, wh Webhook) (time.Duration, error) {
	var (
		id, next int64
		attempts int
		body     []byte
		event    string
		number   string
	)
	err := s.db.QueryRowContext(ctx, `SELECT id, body, attempts, next_attempt_at, event_type, visit_number
		FROM sandbox_notifications WHERE webhook_url = ? AND delivered_at IS NULL ORDER BY id LIMIT 1`, wh.URL).
		Scan(&id, &body, &attempts, &next, &event, &number)
	if errors.Is(err, sql.ErrNoRows) {
		// Idle: forget what was delivered long ago, so the queue table does not grow forever.
		_, err := s.db.ExecContext(ctx, `DELETE FROM sandbox_notifications WHERE webhook_url = ? AND delivered_at < ?`,
			wh.URL, time.Now().Add(-keepDelivered).Unix())
		return idlePoll, err
	}
	if err != nil {
		return 0, fmt.Errorf("sandbox: next notification: %w", err)
	}
	if wait := time.Until(time.UnixMilli(next)); wait > 0 {
		return wait, nil
	}
	attempts++
	status, sendErr := s.post(ctx, wh, body)
	if sendErr == nil {
		_, err := s.db.ExecContext(ctx, `UPDATE sandbox_notifications SET attempts = ?, delivered_at = ?, last_error = '' WHERE id = ?`,
			attempts, time.Now().Unix(), id)
		if err != nil {
			return 0, fmt.Errorf("sandbox: mark notification %d delivered: %w", id, err)
		}
		s.log.Info("notification delivered", "notification_id", id, "event_type", event, "visit_number", number, "attempts", attempts)
		return 0, nil
	}
	if ctx.Err() != nil {
		return 0, nil // shutting down: the attempt does not count
	}
	backoff := s.backoff(attempts)
	s.log.Warn("notification delivery failed", "notification_id", id, "event_type", event, "visit_number", number,
		"status", status, "attempts", attempts, "retry_in", backoff.String(), "err", sendErr)
	_, err = s.db.ExecContext(ctx, `UPDATE sandbox_notifications SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?`,
		attempts, time.Now().Add(backoff).UnixMilli(), sendErr.Error(), id)
	if err != nil {
		return 0, fmt.Errorf("sandbox: reschedule notification %d: %w", id, err)
	}
	return backoff, nil
}

// backoff doubles from retryBase per attempt, capped at maxBackoff.
func (s *Server) backoff(attempts int) time.Duration {
	d := s.retryBase
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// post sends one attempt: a fresh AttemptID, the token in verification-token (what Redox
// sends) and as a bearer token (what its newer docs add). Any 2xx is a success.
func (s *Server) post(ctx context.Context, wh Webhook, body []byte) (int, error) {
	var m redox.Message
	if err := json.Unmarshal(body, &m); err == nil && len(m.Meta.Logs) > 0 {
		m.Meta.Logs[0].AttemptID = redox.FlexString(uuid.NewString())
		if b, err := json.Marshal(&m); err == nil {
			body = b
		}
	}
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("verification-token", wh.Token)
	req.Header.Set("Authorization", "Bearer "+wh.Token)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("webhook answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// PushSlots sends the open slots matching q to every webhook as Scheduling.PushSlots, in
// batches of pushBatchSize sharing one BatchID (CurrentBatch counts from 1 to TotalBatches).
// Nothing is sent when no slot is open: PushSlots requires at least one slot.
func (s *Server) PushSlots(ctx context.Context, q booking.SlotQuery) error {
	if err := q.Validate(); err != nil {
		return err
	}
	slots, _, err := s.openSlots(ctx, q, pushLimit)
	if err != nil || len(slots) == 0 {
		return err
	}
	total := (len(slots) + pushBatchSize - 1) / pushBatchSize
	batchID := uuid.NewString()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for i := range total {
			batch := slots[i*pushBatchSize : min((i+1)*pushBatchSize, len(slots))]
			msg := redox.NewPushSlots(s.outMeta(nil), batch)
			msg.Meta.BatchID = batchID
			msg.Meta.CurrentBatch = redox.FlexString(strconv.Itoa(i + 1))
			msg.Meta.TotalBatches = redox.FlexString(strconv.Itoa(total))
			if err := s.enqueue(ctx, tx, msg, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.log.Info("slots pushed", "slots", len(slots), "batches", total, "batch_id", batchID)
	}
	return err
}
