package store

import (
	"context"
	"database/sql"
	"fmt"

	"doorway/booking"
)

var _ booking.FunnelStore = (*DB)(nil)

// addFunnel adds one count to its row, creating it: the same statement in both dialects.
const addFunnel = `INSERT INTO funnel_counts (day, event, reason, visit_type, channel, n) VALUES ($1, $2, $3, $4, $5, $6)
	ON CONFLICT (day, event, reason, visit_type, channel) DO UPDATE SET n = funnel_counts.n + excluded.n`

// AddFunnel implements booking.FunnelStore. The counts are added in one transaction, in the
// order given (booking.Tally sorts them, so two instances adding to the same rows lock them in
// the same order).
func (db *DB) AddFunnel(ctx context.Context, counts []booking.FunnelCount) error {
	if len(counts) == 0 {
		return nil
	}
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, addFunnel)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, c := range counts {
			if _, err := stmt.ExecContext(ctx, c.Day, string(c.Event), c.Reason, c.VisitType, string(c.Channel), c.N); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: add funnel counts: %w", err)
	}
	return nil
}

// FunnelCounts implements booking.FunnelStore: the rows of the days q covers (the primary
// key's first column, so a range of it), by key.
func (db *DB) FunnelCounts(ctx context.Context, q booking.FunnelQuery) ([]booking.FunnelCount, error) {
	rows, err := db.QueryContext(ctx, `SELECT day, event, reason, visit_type, channel, n FROM funnel_counts
		WHERE day >= $1 AND day <= $2 AND ($3 = '' OR reason = $3) AND ($4 = '' OR visit_type = $4) AND ($5 = '' OR channel = $5)
		ORDER BY day, event, reason, visit_type, channel`, q.From, q.To, q.Reason, q.VisitType, string(q.Channel))
	if err != nil {
		return nil, fmt.Errorf("store: read funnel counts: %w", err)
	}
	defer rows.Close()
	var out []booking.FunnelCount
	for rows.Next() {
		var c booking.FunnelCount
		var event, channel string
		if err := rows.Scan(&c.Day, &event, &c.Reason, &c.VisitType, &channel, &c.N); err != nil {
			return nil, fmt.Errorf("store: read funnel counts: %w", err)
		}
		c.Event, c.Channel = booking.FunnelEvent(event), booking.Channel(channel)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read funnel counts: %w", err)
	}
	return out, nil
}
