package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"doorway/booking"
)

var _ booking.MailStore = (*DB)(nil)

// queueMail writes the emails m asks for with the change to visit, in the change's
// transaction: the change's own email (kind), then the reminder. Both wait for message after
// (the visit's New: a confirmation says what the EHR has taken; 0 for none) and are dropped
// with it when the EHR refuses it.
func queueMail(ctx context.Context, tx *sql.Tx, m booking.Mail, kind booking.OutboxKind, visit string, after int64, now time.Time) error {
	if m.Send {
		if _, err := enqueueAfter(ctx, tx, kind, visit, "", after, now); err != nil {
			return err
		}
	}
	if !m.RemindAt.IsZero() {
		if _, err := enqueueAt(ctx, tx, booking.OutboxEmailReminder, visit, "", after, m.RemindAt, now); err != nil {
			return err
		}
	}
	return nil
}

// dropReminders takes the visit's pending reminder out of the queue (a cancel, reminders
// turned off), in tx.
func dropReminders(ctx context.Context, tx *sql.Tx, visit, why string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET failed_at = $1, last_error = $2, claimed_at = NULL, claimed_by = NULL
		WHERE visit_number = $3 AND kind = $4 AND delivered_at IS NULL AND failed_at IS NULL`,
		unixOf(now), "dropped: "+why, visit, string(booking.OutboxEmailReminder)); err != nil {
		return fmt.Errorf("store: drop reminders: %w", err)
	}
	return nil
}

// DueEmails implements booking.MailStore: DueMessages for the email and reminder lanes.
func (db *DB) DueEmails(ctx context.Context, now time.Time, limit int) ([]booking.OutboxMessage, error) {
	return db.claim(ctx, now, limit, booking.LaneEmail, booking.LaneReminder)
}

// DropMessage implements booking.MailStore. A message that already left the queue keeps its
// first outcome.
func (db *DB) DropMessage(ctx context.Context, id int64, why string, now time.Time) error {
	_, err := db.exec(ctx, `UPDATE outbox SET failed_at = $1, last_error = $2, claimed_at = NULL, claimed_by = NULL
		WHERE id = $3 AND delivered_at IS NULL AND failed_at IS NULL`, unixOf(now), "dropped: "+why, id)
	if err != nil {
		return fmt.Errorf("store: drop outbox message: %w", err)
	}
	return nil
}

// SetReminders implements booking.MailStore.
func (db *DB) SetReminders(ctx context.Context, visit string, on bool, remindAt time.Time, e booking.AuditEntry, now time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.currentStatus(ctx, tx, visit); err != nil { // locks the row in PostgreSQL
			return err
		}
		off := 1
		if on {
			off = 0
		}
		if _, err := tx.ExecContext(ctx, `UPDATE appointments SET reminders_off = $1, updated_at = $2 WHERE visit_number = $3`,
			off, unixOf(now), visit); err != nil {
			return fmt.Errorf("store: set reminders: %w", err)
		}
		if !on {
			if err := dropReminders(ctx, tx, visit, "reminders turned off", now); err != nil {
				return err
			}
		} else if !remindAt.IsZero() {
			var pending int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE visit_number = $1 AND kind = $2
				AND delivered_at IS NULL AND failed_at IS NULL`, visit, string(booking.OutboxEmailReminder)).Scan(&pending); err != nil {
				return fmt.Errorf("store: check reminders: %w", err)
			}
			var after sql.NullInt64 // the visit's New: the reminder waits for the EHR to have it
			err := tx.QueryRowContext(ctx, `SELECT max(id) FROM outbox WHERE visit_number = $1 AND kind = $2`,
				visit, string(booking.OutboxNew)).Scan(&after)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: find the visit's New: %w", err)
			}
			if pending == 0 {
				if _, err := enqueueAt(ctx, tx, booking.OutboxEmailReminder, visit, "", after.Int64, remindAt, now); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, e)
	})
}

// QueueEmail implements booking.MailStore.
func (db *DB) QueueEmail(ctx context.Context, visit string, kind booking.OutboxKind, e booking.AuditEntry, now time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.currentStatus(ctx, tx, visit); err != nil { // locks the row in PostgreSQL
			return err
		}
		var after sql.NullInt64 // the visit's New: the email waits for the EHR to have it
		if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM outbox WHERE visit_number = $1 AND kind = $2`,
			visit, string(booking.OutboxNew)).Scan(&after); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: find the visit's New: %w", err)
		}
		if _, err := enqueueAfter(ctx, tx, kind, visit, "", after.Int64, now); err != nil {
			return err
		}
		return audit(ctx, tx, e)
	})
}

// EmailFailure is an email the server refused for good (SMTP 5xx) or that ran out of
// attempts: what the front desk's "needs attention" lists, so someone calls the patient.
type EmailFailure struct {
	OutboxID    int64
	VisitNumber string
	Kind        booking.OutboxKind
	Attempts    int
	FailedAt    time.Time
	Error       string // the last attempt's error: the SMTP code and stage, never an address
}

// failedForGood is the condition on outbox o of an email that failed for good: it left the
// queue undelivered after attempts of its latest round (attempts_base is where a retry from
// the desk began one). Emails dropped on purpose (their visit canceled or moved, reminders
// off) are not failures: they were not tried in that round (attempts = attempts_base, 0
// unless retried).
const failedForGood = `o.lane <> $1 AND o.failed_at IS NOT NULL AND o.delivered_at IS NULL AND o.attempts > o.attempts_base`

// EmailFailures returns the emails that failed since since, newest first.
func (db *DB) EmailFailures(ctx context.Context, since time.Time) ([]EmailFailure, error) {
	rows, err := db.QueryContext(ctx, `SELECT o.id, o.visit_number, o.kind, o.attempts, o.failed_at, o.last_error FROM outbox o
		WHERE `+failedForGood+` AND o.failed_at >= $2 ORDER BY o.failed_at DESC, o.id DESC`,
		string(booking.LaneEHR), unixOf(since))
	if err != nil {
		return nil, fmt.Errorf("store: email failures: %w", err)
	}
	defer rows.Close()
	var out []EmailFailure
	for rows.Next() {
		var f EmailFailure
		var kind string
		var at int64
		if err := rows.Scan(&f.OutboxID, &f.VisitNumber, &kind, &f.Attempts, &at, &f.Error); err != nil {
			return nil, fmt.Errorf("store: email failures: %w", err)
		}
		f.Kind, f.FailedAt = booking.OutboxKind(kind), timeOf(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

// emailTroubleQuery is the emails that failed for good, with their appointments, as
// troubleQuery's columns; an email resolved at its failure is left out. The outbox_failed
// partial index serves it: failures are few among the many sent.
var emailTroubleQuery = `SELECT o.id, o.kind, o.reason, o.attempts, COALESCE(o.after_id, 0), 1, o.failed_at, o.last_error, ` +
	prefixed("a.", appointmentColumns) + `
	FROM outbox o JOIN appointments a ON a.visit_number = o.visit_number
	WHERE ` + failedForGood + `
		AND NOT EXISTS (SELECT 1 FROM attention_resolved r WHERE r.source = $2 AND r.source_id = o.id AND r.since = o.failed_at)
	ORDER BY o.failed_at DESC, o.id DESC`

// EmailTroubles implements booking.AttentionStore.
func (db *DB) EmailTroubles(ctx context.Context) ([]booking.OutboxTrouble, error) {
	return db.troubles(ctx, "email troubles", emailTroubleQuery, string(booking.LaneEHR), booking.ResolveEmail)
}
