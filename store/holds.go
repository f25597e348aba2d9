package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"doorway/booking"
)

var _ booking.HoldStore = (*DB)(nil)

// liveStatuses are the appointment states that occupy a slot. They must match the WHERE
// clause of the appointments_live_slot unique index (migration 002).
const liveStatuses = "('requested', 'booked')"

// PutHold stores h as its session's only hold. One write transaction makes the checks and the
// insert atomic: with SQLite it excludes every other writer (BEGIN IMMEDIATE); with PostgreSQL
// it first locks the provider's calendar (lockCalendar), so no other instance can hold or book
// an overlapping time of that provider in between. The holds.slot_key UNIQUE constraint stays
// the final guard and is mapped to booking.ErrSlotTaken. slot_key is the slot's seat
// (booking.Slot.SeatKey): a double-book has a seat of its own beside the time's.
func (db *DB) PutHold(ctx context.Context, h booking.Hold, now time.Time) error {
	slot, err := json.Marshal(h.Slot)
	if err != nil {
		return fmt.Errorf("store: encode hold slot: %w", err)
	}
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.lockCalendar(ctx, tx, h.Slot); err != nil {
			return err
		}
		key := h.Slot.SeatKey()
		// An expired hold on this slot no longer counts: take it over.
		if _, err := tx.ExecContext(ctx, `DELETE FROM holds WHERE slot_key = $1 AND expires_at <= $2`, key, unixOf(now)); err != nil {
			return fmt.Errorf("store: drop expired hold: %w", err)
		}
		// One hold per session: picking another time lets go of the previous one.
		if _, err := tx.ExecContext(ctx, `DELETE FROM holds WHERE session_id = $1`, h.SessionID); err != nil {
			return fmt.Errorf("store: drop previous hold: %w", err)
		}
		if err := slotFree(ctx, tx, h.Slot, h.SessionID, now); err != nil {
			return err
		}
		if err := db.underCap(ctx, tx, h, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO holds (id, session_id, slot_key, provider_id, department,
			start_unix, end_unix, minutes, slot, created_at, expires_at, client) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			h.ID, h.SessionID, key, h.Slot.Provider.ID, h.Slot.Location.Department, unixOf(h.Slot.Start),
			unixOf(h.Slot.End()), h.Slot.Minutes, string(slot), unixOf(h.CreatedAt), unixOf(h.ExpiresAt), h.Client)
		if db.b.Unique(err, "") {
			return slotTaken(err)
		}
		if err != nil {
			return fmt.Errorf("store: insert hold: %w", err)
		}
		return nil
	})
}

// underCap refuses h when its client already keeps h.ClientCap live holds in other sessions.
// The client's key is locked first, so concurrent holds of one client (in any instance) are
// counted one after another.
func (db *DB) underCap(ctx context.Context, tx *sql.Tx, h booking.Hold, now time.Time) error {
	if h.Client == "" || h.ClientCap <= 0 {
		return nil
	}
	if err := db.b.LockKey(ctx, tx, "client:"+h.Client); err != nil {
		return fmt.Errorf("store: lock client: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM holds WHERE client = $1 AND session_id <> $2 AND expires_at > $3`,
		h.Client, h.SessionID, unixOf(now)).Scan(&n); err != nil {
		return fmt.Errorf("store: count the client's holds: %w", err)
	}
	if n >= h.ClientCap {
		return booking.Fail(booking.CodeLimited, booking.MsgTooManyHolds)
	}
	return nil
}

// lockCalendar serializes, across instances, the transactions that check a provider's time
// and then hold or book it: the unique slot_key constraints refuse two holds of one slot, but
// only this lock refuses two overlapping slots of different lengths. Slots without a provider
// are only ever checked by their key, so the key is locked instead.
func (db *DB) lockCalendar(ctx context.Context, tx *sql.Tx, sl booking.Slot) error {
	key := "provider:" + sl.Provider.ID
	if sl.Provider.ID == "" {
		key = "slot:" + sl.Key()
	}
	if err := db.b.LockKey(ctx, tx, key); err != nil {
		return fmt.Errorf("store: lock calendar: %w", err)
	}
	return nil
}

// slotFree refuses sl when a live appointment has its key, or when its provider is already
// busy then: a live appointment or another session's live hold overlapping it (a provider
// cannot see two patients at once even when the EHR offers overlapping slots of different
// lengths). A double-book (sl.Booked) is busy by design: only its seat is checked
// (seatFree). Call inside a write transaction holding the calendar lock, so the answer still
// holds at commit.
func slotFree(ctx context.Context, tx *sql.Tx, sl booking.Slot, sessionID string, now time.Time) error {
	if sl.Booked {
		return seatFree(ctx, tx, sl, sessionID, now)
	}
	start, end := unixOf(sl.Start), unixOf(sl.End())
	var n int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM appointments WHERE status IN `+liveStatuses+` AND (slot_key = $1
			OR (provider_id = $2 AND $2 <> '' AND start_unix < $4 AND end_unix > $3)))
		+ (SELECT count(*) FROM holds WHERE session_id <> $5 AND expires_at > $6 AND provider_id = $2
			AND $2 <> '' AND start_unix < $4 AND end_unix > $3)
		+ (SELECT count(*) FROM ehr_visits WHERE provider_id = $2 AND $2 <> ''
			AND status NOT IN ('canceled', 'noshow', 'failed') AND start_unix < $4 AND end_unix > $3)
		+ (SELECT count(*) FROM slot_cache WHERE open = 0 AND provider_id = $2 AND start_unix < $4 AND end_unix > $3)`,
		sl.Key(), sl.Provider.ID, start, end, sessionID, unixOf(now)).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: check slot: %w", err)
	}
	if n > 0 {
		return slotTaken(nil)
	}
	return nil
}

// seatFree refuses a double-book of sl when the time's second seat is taken: a live
// appointment or another session's live hold in it. The unique keys would refuse the second
// one anyway; asking first refuses a clerk's hold, not only their booking.
func seatFree(ctx context.Context, tx *sql.Tx, sl booking.Slot, sessionID string, now time.Time) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM appointments WHERE status IN `+liveStatuses+` AND slot_key = $1)
		+ (SELECT count(*) FROM holds WHERE slot_key = $1 AND session_id <> $2 AND expires_at > $3)`,
		sl.SeatKey(), sessionID, unixOf(now)).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: check seat: %w", err)
	}
	if n > 0 {
		return slotTaken(nil)
	}
	return nil
}

// SessionHold returns the session's live hold, or an ErrNotFound-coded error. A single
// SELECT needs no transaction: it reads a consistent snapshot without taking the write lock
// (which BEGIN would in SQLite, given _txlock=immediate).
func (db *DB) SessionHold(ctx context.Context, sessionID string, now time.Time) (booking.Hold, error) {
	row := db.queryRow(ctx, `SELECT `+holdColumns+` FROM holds WHERE session_id = $1 AND expires_at > $2`,
		sessionID, unixOf(now))
	return scanHold(row)
}

// RenewHold extends the session's live hold to until (never shortening it). One UPDATE ...
// RETURNING is atomic on its own, so no explicit transaction is needed. (CASE, not max() or
// greatest(): the one spelling both dialects share.)
func (db *DB) RenewHold(ctx context.Context, sessionID string, until, now time.Time) (booking.Hold, error) {
	release, err := db.b.WriteTurn(ctx)
	if err != nil {
		return booking.Hold{}, err
	}
	defer release()
	row := db.QueryRowContext(ctx, `UPDATE holds SET expires_at = CASE WHEN expires_at > $1 THEN expires_at ELSE $1 END
		WHERE session_id = $2 AND expires_at > $3 RETURNING `+holdColumns,
		unixOf(until), sessionID, unixOf(now))
	return scanHold(row)
}

// ReleaseHold drops the session's hold, if any.
func (db *DB) ReleaseHold(ctx context.Context, sessionID string) error {
	if _, err := db.exec(ctx, `DELETE FROM holds WHERE session_id = $1`, sessionID); err != nil {
		return fmt.Errorf("store: release hold: %w", err)
	}
	return nil
}

// TakenKeys returns the slot keys in [start, end) unavailable to sessionID: other sessions'
// live holds and appointments that are neither canceled nor failed, as seats (a double-book's
// key ends in booking.DoubleSeat). One UNION query reads
// both tables from the same snapshot.
func (db *DB) TakenKeys(ctx context.Context, start, end time.Time, sessionID string, now time.Time) (map[string]bool, error) {
	rows, err := db.query(ctx, `
		SELECT slot_key FROM holds WHERE start_unix >= $1 AND start_unix < $2 AND session_id <> $3 AND expires_at > $4
		UNION
		SELECT slot_key FROM appointments WHERE start_unix >= $1 AND start_unix < $2 AND status NOT IN ('canceled', 'failed')`,
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
	res, err := db.exec(ctx, `DELETE FROM holds WHERE expires_at <= $1`, unixOf(now))
	if err != nil {
		return 0, fmt.Errorf("store: sweep holds: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

const holdColumns = `id, session_id, slot, created_at, expires_at`

func scanHold(row rowScanner) (booking.Hold, error) {
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

// slotTaken is the error every double-booking refusal maps to.
func slotTaken(cause error) error {
	e := booking.Fail(booking.CodeSlotTaken, booking.MsgSlotHeld)
	e.Err = cause
	return e
}
