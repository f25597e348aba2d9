package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"doorway/booking"
)

var _ booking.HoldStore = (*DB)(nil)

// liveStatuses are the appointment states that occupy a slot. They must match the WHERE
// clause of the appointments_live_slot unique index (migration 002).
const liveStatuses = "('requested', 'booked')"

// PutHold stores h as its session's only hold. One write transaction (BEGIN IMMEDIATE, see
// DSN) makes the checks and the insert atomic: SQLite has one writer at a time, so no other
// hold or appointment can slip in between. The holds.slot_key UNIQUE constraint stays the
// final guard and is mapped to booking.ErrSlotTaken.
func (db *DB) PutHold(ctx context.Context, h booking.Hold, now time.Time) error {
	slot, err := json.Marshal(h.Slot)
	if err != nil {
		return fmt.Errorf("store: encode hold slot: %w", err)
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		key := h.Slot.Key()
		// An expired hold on this slot no longer counts: take it over.
		if _, err := tx.ExecContext(ctx, `DELETE FROM holds WHERE slot_key = ? AND expires_at <= ?`, key, unixOf(now)); err != nil {
			return fmt.Errorf("store: drop expired hold: %w", err)
		}
		// One hold per session: picking another time lets go of the previous one.
		if _, err := tx.ExecContext(ctx, `DELETE FROM holds WHERE session_id = ?`, h.SessionID); err != nil {
			return fmt.Errorf("store: drop previous hold: %w", err)
		}
		if err := slotFree(ctx, tx, h.Slot, h.SessionID, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO holds (id, session_id, slot_key, provider_id, department,
			start_unix, end_unix, minutes, slot, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
			h.ID, h.SessionID, key, h.Slot.Provider.ID, h.Slot.Location.Department, unixOf(h.Slot.Start),
			unixOf(h.Slot.End()), h.Slot.Minutes, string(slot), unixOf(h.CreatedAt), unixOf(h.ExpiresAt))
		if uniqueViolation(err) {
			return slotTaken(err)
		}
		if err != nil {
			return fmt.Errorf("store: insert hold: %w", err)
		}
		return nil
	})
}

// slotFree refuses sl when a live appointment has its key, or when its provider is already
// busy then: a live appointment or another session's live hold overlapping it (a provider
// cannot see two patients at once even when the EHR offers overlapping slots of different
// lengths). Call inside a write transaction so the answer still holds at commit.
func slotFree(ctx context.Context, tx *sql.Tx, sl booking.Slot, sessionID string, now time.Time) error {
	start, end := unixOf(sl.Start), unixOf(sl.End())
	var n int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM appointments WHERE status IN `+liveStatuses+` AND (slot_key = ?1
			OR (provider_id = ?2 AND ?2 <> '' AND start_unix < ?4 AND end_unix > ?3)))
		+ (SELECT count(*) FROM holds WHERE session_id <> ?5 AND expires_at > ?6 AND provider_id = ?2
			AND ?2 <> '' AND start_unix < ?4 AND end_unix > ?3)
		+ (SELECT count(*) FROM ehr_visits WHERE provider_id = ?2 AND ?2 <> ''
			AND status NOT IN ('canceled', 'noshow', 'failed') AND start_unix < ?4 AND end_unix > ?3)
		+ (SELECT count(*) FROM slot_cache WHERE open = 0 AND provider_id = ?2 AND start_unix < ?4 AND end_unix > ?3)`,
		sl.Key(), sl.Provider.ID, start, end, sessionID, unixOf(now)).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: check slot: %w", err)
	}
	if n > 0 {
		return slotTaken(nil)
	}
	return nil
}

// SessionHold returns the session's live hold, or an ErrNotFound-coded error. A single
// SELECT needs no transaction: in WAL mode it reads a consistent snapshot without taking the
// write lock (which BEGIN would, given _txlock=immediate).
func (db *DB) SessionHold(ctx context.Context, sessionID string, now time.Time) (booking.Hold, error) {
	row := db.QueryRowContext(ctx, `SELECT `+holdColumns+` FROM holds WHERE session_id = ? AND expires_at > ?`,
		sessionID, unixOf(now))
	return scanHold(row)
}

// RenewHold extends the session's live hold to until (never shortening it). One UPDATE ...
// RETURNING is atomic on its own, so no explicit transaction is needed.
func (db *DB) RenewHold(ctx context.Context, sessionID string, until, now time.Time) (booking.Hold, error) {
	release, err := db.lockWrite(ctx)
	if err != nil {
		return booking.Hold{}, err
	}
	defer release()
	row := db.QueryRowContext(ctx, `UPDATE holds SET expires_at = max(expires_at, ?)
		WHERE session_id = ? AND expires_at > ? RETURNING `+holdColumns,
		unixOf(until), sessionID, unixOf(now))
	return scanHold(row)
}

// ReleaseHold drops the session's hold, if any.
func (db *DB) ReleaseHold(ctx context.Context, sessionID string) error {
	if _, err := db.exec(ctx, `DELETE FROM holds WHERE session_id = ?`, sessionID); err != nil {
		return fmt.Errorf("store: release hold: %w", err)
	}
	return nil
}

// TakenKeys returns the slot keys in [start, end) unavailable to sessionID: other sessions'
// live holds and appointments that are neither canceled nor failed. One UNION query reads
// both tables from the same snapshot.
func (db *DB) TakenKeys(ctx context.Context, start, end time.Time, sessionID string, now time.Time) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT slot_key FROM holds WHERE start_unix >= ?1 AND start_unix < ?2 AND session_id <> ?3 AND expires_at > ?4
		UNION
		SELECT slot_key FROM appointments WHERE start_unix >= ?1 AND start_unix < ?2 AND status NOT IN ('canceled', 'failed')`,
		unixOf(start), unixOf(end), sessionID, unixOf(now))
	if err != nil {
		return nil, fmt.Errorf("store: taken keys: %w", err)
	}
	defer rows.Close()
	taken := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: taken keys: %w", err)
		}
		taken[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: taken keys: %w", err)
	}
	return taken, nil
}

// SweepHolds deletes holds expired at now and returns how many.
func (db *DB) SweepHolds(ctx context.Context, now time.Time) (int, error) {
	res, err := db.exec(ctx, `DELETE FROM holds WHERE expires_at <= ?`, unixOf(now))
	if err != nil {
		return 0, fmt.Errorf("store: sweep holds: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

const holdColumns = `id, session_id, slot, created_at, expires_at`

func scanHold(row *sql.Row) (booking.Hold, error) {
	var h booking.Hold
	var slot string
	var created, expires int64
	err := row.Scan(&h.ID, &h.SessionID, &slot, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return booking.Hold{}, booking.Fail(booking.CodeNotFound, booking.MsgHoldExpired)
	}
	if err != nil {
		return booking.Hold{}, fmt.Errorf("store: read hold: %w", err)
	}
	if err := json.Unmarshal([]byte(slot), &h.Slot); err != nil {
		return booking.Hold{}, fmt.Errorf("store: decode hold slot: %w", err)
	}
	h.Slot.Start = h.Slot.Start.UTC()
	h.CreatedAt, h.ExpiresAt = timeOf(created), timeOf(expires)
	return h, nil
}

// writeTx runs fn in one write transaction, committing when fn returns nil. With
// _txlock=immediate (see DSN) BEGIN takes SQLite's single write lock at once, so the reads
// fn makes before writing cannot be invalidated by another writer before commit; writers of
// this process queue for their turn first (lockWrite), so none fails halfway. fn must not
// call DB's own write methods (the turn is not reentrant): it writes through tx.
func (db *DB) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	release, err := db.lockWrite(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback() // no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// uniqueViolation reports whether err is SQLite refusing a UNIQUE or PRIMARY KEY duplicate.
// modernc's *sqlite.Error exposes the extended result code through Code().
func uniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	const constraintUnique, constraintPrimaryKey = 2067, 1555
	var coded interface{ Code() int }
	if errors.As(err, &coded) && (coded.Code() == constraintUnique || coded.Code() == constraintPrimaryKey) {
		return true
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// slotTaken is the error every double-booking refusal maps to.
func slotTaken(cause error) error {
	e := booking.Fail(booking.CodeSlotTaken, booking.MsgSlotHeld)
	e.Err = cause
	return e
}

// unixOf stores t as UTC unix seconds (the store never uses the driver's time format).
func unixOf(t time.Time) int64 { return t.Unix() }

// timeOf reads UTC unix seconds back as a UTC time.
func timeOf(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
