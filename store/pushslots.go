package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"doorway/booking"
)

var _ booking.SlotCache = (*DB)(nil)

// SavePush implements booking.SlotCache. Each batch is stored as it arrives; the batch that
// completes a push promotes all of its batches into slot_cache in the same transaction, so a
// reader never sees half a push.
func (db *DB) SavePush(ctx context.Context, p booking.SlotPush, now time.Time) (int, error) {
	total, err := strconv.Atoi(p.Batches)
	if err != nil || total < 1 {
		total = 1
	}
	batch, batchID := p.Batch, p.BatchID
	if batch == "" {
		batch = "1"
	}
	if batchID == "" {
		batchID = p.Key // an unbatched push is a push of one
	}
	raw, err := json.Marshal(p.Slots)
	if err != nil {
		return 0, fmt.Errorf("store: encode pushed slots: %w", err)
	}
	stored := 0
	err = db.writeTx(ctx, func(tx *sql.Tx) error {
		// The batches of one push may reach different instances at once: without the lock,
		// each would count only its own batch and none would promote the push.
		if err := db.b.LockKey(ctx, tx, "slot-push"); err != nil {
			return fmt.Errorf("store: lock pushes: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO slot_push_batches (batch_id, batch, total, delivery, slots, received_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, batchID, batch, total, p.Key, raw, now.Unix())
		if err != nil {
			return fmt.Errorf("store: save push batch: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // replayed delivery
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM slot_push_batches WHERE batch_id = $1`, batchID).Scan(&have); err != nil {
			return fmt.Errorf("store: count push batches: %w", err)
		}
		if have >= total {
			if err := db.promotePush(ctx, tx, batchID, now); err != nil {
				return err
			}
		}
		stored = len(p.Slots)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return stored, nil
}

// promotePush replaces the cached slots in the span the complete push covers with its slots,
// and announces the span to the other instances.
func (db *DB) promotePush(ctx context.Context, tx *sql.Tx, batchID string, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT slots FROM slot_push_batches WHERE batch_id = $1`, batchID)
	if err != nil {
		return fmt.Errorf("store: read push batches: %w", err)
	}
	var all []booking.Slot
	for rows.Next() {
		var raw []byte
		var part []booking.Slot
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return fmt.Errorf("store: scan push batch: %w", err)
		}
		if err := json.Unmarshal(raw, &part); err != nil {
			rows.Close()
			return fmt.Errorf("store: decode push batch: %w", err)
		}
		all = append(all, part...)
	}
	rows.Close()
	lo, hi, ok := booking.SlotSpan(all)
	if !ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM slot_cache WHERE start_unix >= $1 AND start_unix < $2`, lo.Unix(), hi.Unix()); err != nil {
		return fmt.Errorf("store: clear slot cache: %w", err)
	}
	for _, s := range all {
		raw, _ := json.Marshal(s)
		open := 0
		if booking.SlotOpen(s.Reason) {
			open = 1
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO slot_cache (slot_key, provider_id, start_unix, end_unix, open, slot, batch_id, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slot_key) DO UPDATE SET open = excluded.open, slot = excluded.slot,
			end_unix = excluded.end_unix, batch_id = excluded.batch_id, updated_at = excluded.updated_at`,
			s.Key(), s.Provider.ID, s.Start.Unix(), s.End().Unix(), open, raw, batchID, now.Unix()); err != nil {
			return fmt.Errorf("store: cache slot: %w", err)
		}
	}
	if _, err = tx.ExecContext(ctx, `DELETE FROM slot_push_batches WHERE batch_id = $1`, batchID); err != nil {
		return fmt.Errorf("store: drop promoted push batches: %w", err)
	}
	if err := db.b.Announce(ctx, tx, lo, hi); err != nil {
		return fmt.Errorf("store: announce push: %w", err)
	}
	return nil
}

// CachedSlots implements booking.SlotCache.
func (db *DB) CachedSlots(ctx context.Context, start, end time.Time) ([]booking.Slot, error) {
	rows, err := db.QueryContext(ctx, `SELECT slot FROM slot_cache WHERE open = 1 AND start_unix >= $1 AND start_unix < $2 ORDER BY start_unix`, start.Unix(), end.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: cached slots: %w", err)
	}
	defer rows.Close()
	var out []booking.Slot
	for rows.Next() {
		var raw []byte
		var s booking.Slot
		if err := rows.Scan(&raw); err != nil {
			return nil, fmt.Errorf("store: scan cached slot: %w", err)
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("store: decode cached slot: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
