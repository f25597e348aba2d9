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

var _ booking.AttentionStore = (*DB)(nil)

// What the front desk's "Needs attention" list reads and writes (booking/attention.go): the
// messages to the EHR that failed or are stuck, the dead letters waiting, and the resolutions
// staff members write (attention_resolved, one per occurrence of an item). The emails that
// failed are read in mail.go (EmailTroubles).

// troubleQuery finds the messages to the EHR (lane $2) that need a person, in two branches
// each served by a partial index (failed: outbox_failed; pending: outbox_pending), so the many
// delivered messages are never read. Emails are not the EHR's trouble: a reminder waits for
// its day, and one that failed is listed as an email (EmailTroubles). An occurrence is the
// message's failure (failed_at) or, pending, the moment it became due: when the desk last
// retried it, when the message it waited for was delivered, or when it was queued (that is the
// latest of the three: a retry comes after the rest, the delivery waited for after the
// queueing). A message dropped unsent because the one it waited for failed (attempts = 0) is
// left out: that one is listed. A pending message waiting behind an older pending one of its
// visit, or for a message not yet delivered, is left out too: the one ahead is the trouble
// (ahead in the lane: a visit's lanes do not wait for each other).
var troubleQuery = `SELECT t.id, t.kind, t.reason, t.attempts, t.after_id, t.failed, t.since, t.last_error, ` +
	prefixed("a.", appointmentColumns) + `
	FROM (
		SELECT o.id, o.kind, o.visit_number, o.reason, o.attempts, COALESCE(o.after_id, 0) AS after_id, 1 AS failed,
			o.failed_at AS since, o.last_error
		FROM outbox o
		WHERE o.failed_at IS NOT NULL AND o.delivered_at IS NULL AND o.attempts > 0 AND o.lane = $2
		UNION ALL
		SELECT o.id, o.kind, o.visit_number, o.reason, o.attempts, COALESCE(o.after_id, 0), 0,
			COALESCE(o.retried_at, d.delivered_at, o.created_at), o.last_error
		FROM outbox o LEFT JOIN outbox d ON d.id = o.after_id
		WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.created_at <= $1 AND o.lane = $2
			AND COALESCE(o.retried_at, d.delivered_at, o.created_at) <= $1
			AND (o.after_id IS NULL OR d.delivered_at IS NOT NULL)
			AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.visit_number = o.visit_number AND p.id < o.id AND p.lane = o.lane
				AND p.delivered_at IS NULL AND p.failed_at IS NULL)
	) t
	JOIN appointments a ON a.visit_number = t.visit_number
	WHERE NOT EXISTS (SELECT 1 FROM attention_resolved r WHERE r.source = 'outbox' AND r.source_id = t.id AND r.since = t.since)
	ORDER BY t.since DESC, t.id DESC`

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// OutboxTroubles implements booking.AttentionStore.
func (db *DB) OutboxTroubles(ctx context.Context, dueBefore time.Time) ([]booking.OutboxTrouble, error) {
	return db.troubles(ctx, "outbox troubles", troubleQuery, unixOf(dueBefore), string(booking.LaneEHR))
}

// troubles runs query (named what, for errors), whose rows are the columns of troubleQuery's
// select list.
func (db *DB) troubles(ctx context.Context, what, query string, args ...any) ([]booking.OutboxTrouble, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []booking.OutboxTrouble
	for rows.Next() {
		var t booking.OutboxTrouble
		var kind string
		var since int64
		head := []any{&t.Message.ID, &kind, &t.Message.Reason, &t.Message.Attempts, &t.After, &t.Failed, &since, &t.LastError}
		a, err := scanAppointment(rowWith{rows, head})
		if err != nil {
			return nil, err
		}
		t.Message.Kind, t.Message.VisitNumber, t.Since, t.Appointment = booking.OutboxKind(kind), a.VisitNumber, timeOf(since), a
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// rowWith scans head's columns, then the rest into what the caller's Scan gives: a row
// that starts with more than scanAppointment reads.
type rowWith struct {
	rows *sql.Rows
	head []any
}

func (r rowWith) Scan(dest ...any) error { return r.rows.Scan(append(r.head, dest...)...) }

// UnresolvedDeadLetters implements booking.AttentionStore. The bodies stay sealed in the
// table.
func (db *DB) UnresolvedDeadLetters(ctx context.Context) ([]booking.DeadLetter, error) {
	rows, err := db.query(ctx, `SELECT `+deadLetterColumns+` FROM dead_letters d WHERE replayed_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM attention_resolved r WHERE r.source = 'dead_letter' AND r.source_id = d.id
			AND r.since = d.received_at)
		ORDER BY received_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: unresolved dead letters: %w", err)
	}
	defer rows.Close()
	var out []booking.DeadLetter
	for rows.Next() {
		d, _, err := scanDeadLetter(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unresolved dead letters: %w", err)
	}
	return out, nil
}

// Resolve implements booking.AttentionStore. The unique index on the occurrence, not a check
// before the insert, is what refuses a second resolution of it.
func (db *DB) Resolve(ctx context.Context, r booking.Resolution, e booking.AuditEntry) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO attention_resolved (source, source_id, since, note, staff_id, resolved_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, source_id, since) DO NOTHING`,
			r.Source, r.SourceID, unixOf(r.Since), r.Note, r.StaffID, unixOf(r.At))
		if err != nil {
			return fmt.Errorf("store: resolve %s %d: %w", r.Source, r.SourceID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: resolve %s %d: %w", r.Source, r.SourceID, err)
		} else if n == 0 {
			return &booking.Error{Code: booking.CodeConflict, Msg: booking.MsgAttentionGone, Detail: "resolved already"}
		}
		return audit(ctx, tx, e)
	})
}

// RetryMessage implements booking.AttentionStore.
func (db *DB) RetryMessage(ctx context.Context, id int64, e booking.AuditEntry, now time.Time) error {
	// A refused New's appointment is read first: its calendar lock must be the transaction's
	// first statement (Backend.LockKey), and the revived booking is checked against the
	// calendar like a new one.
	var visit string
	if err := db.QueryRowContext(ctx, `SELECT visit_number FROM outbox WHERE id = $1`, id).Scan(&visit); errors.Is(err, sql.ErrNoRows) {
		return gone("no such outbox message")
	} else if err != nil {
		return fmt.Errorf("store: retry: %w", err)
	}
	a, err := db.Appointment(ctx, visit)
	if err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.lockCalendar(ctx, tx, a.Slot()); err != nil {
			return err
		}
		var kind string
		var delivered, failed, claimed bool
		var next int64
		err := tx.QueryRowContext(ctx, `SELECT kind, delivered_at IS NOT NULL, failed_at IS NOT NULL, claimed_at IS NOT NULL,
			next_attempt_at FROM outbox WHERE id = $1`+db.b.LockRows(), id).Scan(&kind, &delivered, &failed, &claimed, &next)
		switch {
		case err != nil:
			return fmt.Errorf("store: retry: %w", err)
		case delivered:
			return gone("delivered meanwhile")
		case !failed && claimed && next > unixOf(now):
			// A deliverer holds it (its lease runs): sending it again now would send it twice.
			return &booking.Error{Code: booking.CodeConflict, Msg: booking.MsgRetryBusy, Detail: "being sent"}
		}
		if failed && booking.OutboxKind(kind) == booking.OutboxNew {
			if err := db.reviveRefused(ctx, tx, id, a, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET failed_at = NULL, next_attempt_at = $1, retried_at = $1,
			attempts_base = attempts WHERE id = $2`, unixOf(now), id); err != nil {
			return fmt.Errorf("store: retry: %w", err)
		}
		return audit(ctx, tx, e)
	})
}

// reviveRefused takes a refused New's appointment back from failed to requested, when its
// time is still free, and makes the Cancel of the visit it replaces (a move, dropped when
// the New failed) wait for it again, as long as that visit is still live.
func (db *DB) reviveRefused(ctx context.Context, tx *sql.Tx, id int64, a booking.Appointment, now time.Time) error {
	if a.Status == booking.StatusFailed {
		if err := stillFree(ctx, tx, a, now); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE appointments SET status = 'requested', updated_at = $1
		WHERE visit_number = $2 AND status = 'failed'`, unixOf(now), a.VisitNumber)
	if db.b.Unique(err, "") {
		return slotTaken(err) // the live-slot index: what the check above missed
	}
	if err != nil {
		return fmt.Errorf("store: retry: take the booking back: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET failed_at = NULL, last_error = ''
		WHERE after_id = $1 AND attempts = 0 AND failed_at IS NOT NULL AND delivered_at IS NULL
		AND visit_number IN (SELECT visit_number FROM appointments WHERE status IN `+liveStatuses+`)`, id); err != nil {
		return fmt.Errorf("store: retry: the move's cancel: %w", err)
	}
	return nil
}

// stillFree refuses to take a refused booking back when Doorway has given its time to
// someone else since: a live appointment or a live hold on it, or overlapping it with the
// same provider (slotFree's own checks). Whether the EHR still has the time, the EHR answers
// the retry itself: its schedule as Doorway mirrors it may list this very visit (a New the
// EHR took although Doorway never heard its answer).
// A double-book's time is booked by the visit it joins: only its own seat counts.
func stillFree(ctx context.Context, tx *sql.Tx, a booking.Appointment, now time.Time) error {
	sl := a.Slot()
	var n int
	var err error
	if sl.Booked { // a double-book: the visit it joins books the time; only its own seat counts
		err = tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM appointments WHERE status IN `+liveStatuses+` AND visit_number <> $2 AND slot_key = $1)
			+ (SELECT count(*) FROM holds WHERE expires_at > $3 AND slot_key = $1)`,
			sl.SeatKey(), a.VisitNumber, unixOf(now)).Scan(&n)
	} else {
		err = tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM appointments WHERE status IN `+liveStatuses+` AND visit_number <> $5 AND (slot_key = $1
				OR (provider_id = $2 AND $2 <> '' AND start_unix < $4 AND end_unix > $3)))
			+ (SELECT count(*) FROM holds WHERE expires_at > $6 AND (slot_key = $1
				OR (provider_id = $2 AND $2 <> '' AND start_unix < $4 AND end_unix > $3)))`,
			sl.Key(), sl.Provider.ID, unixOf(sl.Start), unixOf(sl.End()), a.VisitNumber, unixOf(now)).Scan(&n)
	}
	if err != nil {
		return fmt.Errorf("store: retry: check the time: %w", err)
	}
	if n > 0 {
		return slotTaken(nil)
	}
	return nil
}

// gone is the error for an item no longer on the list.
func gone(detail string) error {
	return &booking.Error{Code: booking.CodeConflict, Msg: booking.MsgAttentionGone, Detail: detail}
}

// Delivered implements booking.AttentionStore.
func (db *DB) Delivered(ctx context.Context, id int64) (bool, error) {
	var done bool
	err := db.queryRow(ctx, `SELECT delivered_at IS NOT NULL FROM outbox WHERE id = $1`, id).Scan(&done)
	if errors.Is(err, sql.ErrNoRows) {
		return false, &booking.Error{Code: booking.CodeNotFound, Detail: "no such outbox message"}
	}
	if err != nil {
		return false, fmt.Errorf("store: delivered: %w", err)
	}
	return done, nil
}
