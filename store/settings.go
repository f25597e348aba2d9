package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SharedSetting returns the value stored under name, storing fresh() first when there is none.
// The first instance to ask decides and every later one reads what it stored, so instances
// sharing a database agree on the value without being told (Doorway's generated session keys
// with PostgreSQL). fresh runs only when the value is missing.
func (db *DB) SharedSetting(ctx context.Context, name string, fresh func() (string, error)) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: read setting %s: %w", name, err)
	}
	nv, err := fresh()
	if err != nil {
		return "", err
	}
	// Two instances may both have found nothing: the first insert wins, the other one does
	// nothing, and both read the winner.
	if _, err := db.exec(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, nv); err != nil {
		return "", fmt.Errorf("store: save setting %s: %w", name, err)
	}
	if err := db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v); err != nil {
		return "", fmt.Errorf("store: read setting %s: %w", name, err)
	}
	return v, nil
}
