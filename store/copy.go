package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// tableCopy is one of Doorway's tables as Copy moves it.
type tableCopy struct {
	name     string
	identity string // the column whose generated ids must continue after the copied ones
}

// copyOrder is every table of Doorway's schema (except schema_migrations, which Open fills),
// parents before the tables whose foreign keys point at them.
func copyOrder() []tableCopy {
	return []tableCopy{
		{"sessions", ""}, {"settings", ""}, {"holds", ""}, {"appointments", ""},
		{"outbox", "id"}, {"outbox_attempts", "id"}, {"ehr_visits", ""}, {"inbox", ""},
		{"slot_push_batches", ""}, {"slot_cache", ""}, {"audit", "id"}, {"dead_letters", "id"}, {"staff", "id"},
		{"attention_resolved", "id"}, {"funnel_counts", ""}, {"kiosks", "id"},
	}
}

// TableCount is how many rows Copy moved for one table.
type TableCount struct {
	Table string
	Rows  int
}

// Copy copies every row of Doorway's tables from src into dst, in one transaction of dst, so
// a failure leaves dst as it was. dst must be empty (opened, so migrated, and never served);
// both must be at the same schema version, which they are when this binary opened both.
// Column values move as the drivers read them (unix seconds, text, JSON, bytes): the two
// schemas have the same tables and columns. Claims in flight in src (claimed_by) are left
// as they are: their deliverer is gone, so the new database's instances treat them as
// interrupted. Stop every process serving src first, or rows written meanwhile are lost.
func Copy(ctx context.Context, dst, src *DB) ([]TableCount, error) {
	if err := sameVersion(ctx, dst, src); err != nil {
		return nil, err
	}
	for _, tc := range copyOrder() {
		var n int
		if err := dst.QueryRowContext(ctx, `SELECT count(*) FROM `+tc.name).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: copy: count %s in the target: %w", tc.name, err)
		}
		if n > 0 {
			return nil, fmt.Errorf("store: copy: the target already has %d rows in %s: copy only into an empty database", n, tc.name)
		}
	}
	var counts []TableCount
	err := dst.writeTx(ctx, func(tx *sql.Tx) error {
		counts = nil
		for _, tc := range copyOrder() {
			n, err := copyTable(ctx, tx, src, tc.name)
			if err != nil {
				return err
			}
			if tc.identity != "" {
				if err := dst.b.ResetIdentity(ctx, tx, tc.name, tc.identity); err != nil {
					return fmt.Errorf("store: copy: %w", err)
				}
			}
			counts = append(counts, TableCount{Table: tc.name, Rows: n})
		}
		return nil
	})
	return counts, err
}

func sameVersion(ctx context.Context, dst, src *DB) error {
	var a, b int
	if err := src.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&a); err != nil {
		return fmt.Errorf("store: copy: source schema version: %w", err)
	}
	if err := dst.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&b); err != nil {
		return fmt.Errorf("store: copy: target schema version: %w", err)
	}
	if a != b {
		return fmt.Errorf("store: copy: source schema version %d, target %d: open both with the same doorway", a, b)
	}
	return nil
}

// copyTable inserts every row of table in src into tx, column by column as src names them.
func copyTable(ctx context.Context, tx *sql.Tx, src *DB, table string) (int, error) {
	rows, err := src.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, fmt.Errorf("store: copy: read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, fmt.Errorf("store: copy: columns of %s: %w", table, err)
	}
	marks := make([]string, len(cols))
	for i := range cols {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES (`+strings.Join(marks, ", ")+`)`)
	if err != nil {
		return 0, fmt.Errorf("store: copy: prepare %s: %w", table, err)
	}
	defer ins.Close()
	vals, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("store: copy: read %s: %w", table, err)
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, fmt.Errorf("store: copy: write %s row %d: %w", table, n+1, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("store: copy: read %s: %w", table, err)
	}
	return n, nil
}
