package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"doorway/booking"
)

// OutboxLease is how far DueMessages pushes a claimed message's next attempt ahead. A deliverer
// that crashes mid-send leaves the message to be retried once the lease runs out; one that
// finishes records the outcome with RecordAttempt well before.
const OutboxLease = time.Minute

// enqueue adds an outbox message due at once. Callers run it in the transaction that makes
// the appointment change it announces, so the two are written together or not at all.
func enqueue(ctx context.Context, tx *sql.Tx, kind booking.OutboxKind, visitNumber, reason string, now time.Time) error {
	_, err := enqueueAfter(ctx, tx, kind, visitNumber, reason, 0, now)
	return err
}

// enqueueAfter is enqueue for a message that waits for message after (0: none) to be
// delivered, and is dropped if that one fails. It returns the new message's id.
func enqueueAfter(ctx context.Context, tx *sql.Tx, kind booking.OutboxKind, visitNumber, reason string, after int64, now time.Time) (int64, error) {
	return enqueueAt(ctx, tx, kind, visitNumber, reason, after, now, now)
}

// enqueueAt is enqueueAfter for a message due at due (a reminder), in its kind's lane.
func enqueueAt(ctx context.Context, tx *sql.Tx, kind booking.OutboxKind, visitNumber, reason string, after int64, due, now time.Time) (int64, error) {
	var dep any
	if after != 0 {
		dep = after
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO outbox (kind, visit_number, reason, created_at, next_attempt_at, after_id, lane)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, string(kind), visitNumber, reason, unixOf(now), unixOf(due), dep,
		string(kind.Lane())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: enqueue %s: %w", kind, err)
	}
	return id, nil
}

// DueMessages claims up to limit pending messages due at now, oldest first, and returns them.
// The select and the lease update run in one write transaction, so no message is handed out
// twice while its lease runs: with SQLite the second of two concurrent callers waits for the
// first to commit (BEGIN IMMEDIATE) and then sees the pushed next_attempt_at; with PostgreSQL
// the select locks the rows it claims and skips rows another instance is claiming (FOR UPDATE
// SKIP LOCKED), and a row claimed meanwhile no longer matches when PostgreSQL re-checks it.
// It claims the EHR's lane only (DueEmails claims the emails'). Messages of one visit go out
// in order within their lane: a message waits while an older one for the same visit in the
// same lane is pending (a Cancel must not overtake the New it cancels). Each claim is stamped
// (claimed_at, claimed_by) until RecordAttempt records its outcome; a message claimed before
// whose outcome was never recorded comes back with Interrupted set; one the desk sent again
// (RetryMessage) with Retried set, its attempts counted from the retry. With PostgreSQL a claim
// made by an instance that has gone (killed, its connection closed) is due again at once,
// without waiting out its lease.
func (db *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]booking.OutboxMessage, error) {
	return db.claim(ctx, now, limit, booking.LaneEHR)
}

// claim claims up to limit due messages of lanes, as DueMessages describes.
func (db *DB) claim(ctx context.Context, now time.Time, limit int, lanes ...booking.Lane) ([]booking.OutboxMessage, error) {
	claimer, ok := db.b.Claimer()
	if limit <= 0 || !ok {
		return nil, nil
	}
	var msgs []booking.OutboxMessage
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		if msgs, err = db.dueMessages(ctx, tx, now, limit, lanes); err != nil {
			return err
		}
		lease := unixOf(now.Add(OutboxLease))
		for _, m := range msgs {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = $1, claimed_at = $2, claimed_by = $3 WHERE id = $4`,
				lease, unixOf(now), claimer, m.ID); err != nil {
				return fmt.Errorf("store: claim outbox message: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return msgs, nil
}

func (db *DB) dueMessages(ctx context.Context, tx *sql.Tx, now time.Time, limit int, lanes []booking.Lane) ([]booking.OutboxMessage, error) {
	args := []any{unixOf(now), limit}
	marks := make([]string, len(lanes))
	for i, l := range lanes {
		args = append(args, string(l))
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	due := `o.next_attempt_at <= $1`
	if gone := db.b.ClaimerGone("o.claimed_by"); gone != "" {
		due = `(` + due + ` OR (o.claimed_at IS NOT NULL AND ` + gone + `))`
	}
	rows, err := tx.QueryContext(ctx, `SELECT o.id, o.kind, o.visit_number, o.reason, o.attempts - o.attempts_base, o.next_attempt_at,
		o.claimed_at IS NOT NULL, o.attempts_base > 0
		FROM outbox o
		WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND `+due+` AND o.lane IN (`+strings.Join(marks, ", ")+`)
		AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.visit_number = o.visit_number AND p.id < o.id AND p.lane = o.lane
			AND p.delivered_at IS NULL AND p.failed_at IS NULL)
		AND (o.after_id IS NULL OR EXISTS (SELECT 1 FROM outbox d WHERE d.id = o.after_id AND d.delivered_at IS NOT NULL))
		ORDER BY o.id LIMIT $2`+db.b.ClaimRows(), args...)
	if err != nil {
		return nil, fmt.Errorf("store: due messages: %w", err)
	}
	defer rows.Close()
	var msgs []booking.OutboxMessage
	for rows.Next() {
		var m booking.OutboxMessage
		var kind string
		var next int64
		if err := rows.Scan(&m.ID, &kind, &m.VisitNumber, &m.Reason, &m.Attempts, &next, &m.Interrupted, &m.Retried); err != nil {
			return nil, fmt.Errorf("store: due messages: %w", err)
		}
		m.Kind, m.NextAttempt = booking.OutboxKind(kind), timeOf(next)
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due messages: %w", err)
	}
	return msgs, nil
}

// RecordAttempt records one delivery attempt of message id. errText is empty on success.
// done takes the message out of the queue: delivered when errText is empty, failed
// otherwise; not done schedules the retry at next. The attempt row and the counter change in
// one write transaction so attempts always equals the number of outbox_attempts rows. A
// message that already left the queue keeps its first outcome.
func (db *DB) RecordAttempt(ctx context.Context, id int64, errText string, done bool, next, now time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		var attempts int
		err := tx.QueryRowContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1, claimed_at = NULL,
			claimed_by = NULL WHERE id = $2 RETURNING attempts`, errText, id).Scan(&attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return &booking.Error{Code: booking.CodeNotFound, Detail: "no such outbox message"}
		}
		if err != nil {
			return fmt.Errorf("store: count attempt: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_attempts (outbox_id, attempt, at, error) VALUES ($1, $2, $3, $4)`,
			id, attempts, unixOf(now), errText); err != nil {
			return fmt.Errorf("store: record attempt: %w", err)
		}
		var q string
		var arg int64
		switch {
		case !done:
			q, arg = `UPDATE outbox SET next_attempt_at = $1 WHERE id = $2`, unixOf(next)
		case errText == "":
			q, arg = `UPDATE outbox SET delivered_at = $1 WHERE id = $2 AND failed_at IS NULL AND delivered_at IS NULL`, unixOf(now)
		default:
			q, arg = `UPDATE outbox SET failed_at = $1 WHERE id = $2 AND failed_at IS NULL AND delivered_at IS NULL`, unixOf(now)
		}
		if _, err := tx.ExecContext(ctx, q, arg, id); err != nil {
			return fmt.Errorf("store: update outbox message: %w", err)
		}
		if done {
			return settleNew(ctx, tx, id, errText == "", now)
		}
		return nil
	})
}

// settleFollowers settles what waited for message id, a New that is finished: when it was
// delivered, the appointment it replaces is canceled (its Cancel, waiting on it, is now due);
// when it failed, the messages waiting on it are dropped and the old appointment stays.
func settleFollowers(ctx context.Context, tx *sql.Tx, id int64, ok bool, now time.Time) error {
	if !ok {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET failed_at = $1, last_error = 'not sent: the message it waited for failed'
			WHERE after_id = $2 AND delivered_at IS NULL AND failed_at IS NULL`, unixOf(now), id); err != nil {
			return fmt.Errorf("store: drop waiting messages: %w", err)
		}
		return nil
	}
	replaced := `SELECT a.replaces FROM appointments a JOIN outbox o ON o.visit_number = a.visit_number WHERE o.id = $2 AND o.kind = 'New'`
	if _, err := tx.ExecContext(ctx, `UPDATE appointments SET status = 'canceled', updated_at = $1, canceled_at = $1
		WHERE status IN ('requested', 'booked') AND visit_number IN (`+replaced+`)`,
		unixOf(now), id); err != nil {
		return fmt.Errorf("store: cancel the replaced appointment: %w", err)
	}
	// The replaced visit's reminder moves with it: the new visit has its own.
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET failed_at = $1, last_error = 'dropped: the visit was moved'
		WHERE kind = $3 AND delivered_at IS NULL AND failed_at IS NULL AND visit_number IN (`+replaced+`)`,
		unixOf(now), id, string(booking.OutboxEmailReminder)); err != nil {
		return fmt.Errorf("store: drop the replaced visit's reminder: %w", err)
	}
	return nil
}

// settleNew moves the appointment of a finished New from requested to booked (or failed) in
// the same transaction as the outcome: a crash between two separate writes would leave a
// delivered booking "requested" forever, with nothing left in the outbox to settle it. An
// appointment no longer requested (canceled meanwhile) keeps its status.
func settleNew(ctx context.Context, tx *sql.Tx, id int64, ok bool, now time.Time) error {
	st, col := booking.StatusBooked, "booked_at"
	if !ok {
		st, col = booking.StatusFailed, "failed_at"
	}
	_, err := tx.ExecContext(ctx, `UPDATE appointments SET status = $1, updated_at = $2, `+col+` = $2
		WHERE status = 'requested' AND visit_number = (SELECT visit_number FROM outbox WHERE id = $3 AND kind = 'New')`,
		string(st), unixOf(now), id)
	if err != nil {
		return fmt.Errorf("store: settle appointment: %w", err)
	}
	return settleFollowers(ctx, tx, id, ok, now)
}

// ReleaseClaims makes every message claimed at or before now by a deliverer that has gone,
// whose outcome was never recorded, due at now, and returns how many. Call it once at startup,
// before delivering. With SQLite, one serving process per file, every such claim was left by
// a previous process that died (or was stopped) mid-send; with PostgreSQL only claims of
// instances whose database session has ended are released (others may be sending right now),
// and DueMessages takes those over by itself later too. Their messages need not wait out
// OutboxLease: DueMessages hands them out with Interrupted set, so each is checked against the
// EHR before it is sent again.
func (db *DB) ReleaseClaims(ctx context.Context, now time.Time) (int, error) {
	q := `UPDATE outbox SET next_attempt_at = $1
		WHERE claimed_at IS NOT NULL AND claimed_at <= $1 AND next_attempt_at > $1
		AND delivered_at IS NULL AND failed_at IS NULL`
	if gone := db.b.ClaimerGone("claimed_by"); gone != "" {
		q += ` AND ` + gone
	}
	res, err := db.exec(ctx, q, unixOf(now))
	if err != nil {
		return 0, fmt.Errorf("store: release outbox claims: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Attempt is one recorded delivery attempt of an outbox message, for the front desk's view.
type Attempt struct {
	OutboxID int64
	Kind     booking.OutboxKind
	Attempt  int // 1 for the first try of its message
	At       time.Time
	Error    string // empty when the EHR accepted the message
}

// Attempts returns every delivery attempt for the visit's messages, in the order made.
func (db *DB) Attempts(ctx context.Context, visitNumber string) ([]Attempt, error) {
	rows, err := db.QueryContext(ctx, `SELECT a.outbox_id, o.kind, a.attempt, a.at, a.error
		FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id
		WHERE o.visit_number = $1 ORDER BY a.at, a.id`, visitNumber)
	if err != nil {
		return nil, fmt.Errorf("store: attempts: %w", err)
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		var a Attempt
		var kind string
		var at int64
		if err := rows.Scan(&a.OutboxID, &kind, &a.Attempt, &at, &a.Error); err != nil {
			return nil, fmt.Errorf("store: attempts: %w", err)
		}
		a.Kind, a.At = booking.OutboxKind(kind), timeOf(at)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: attempts: %w", err)
	}
	return out, nil
}
