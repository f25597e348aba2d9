package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"doorway/booking"
)

var _ booking.StaffStore = (*DB)(nil)

const staffColumns = `id, email, name, role, location, disabled, created_at`

func scanStaff(row rowScanner, hash *string) (booking.Staff, error) {
	var s booking.Staff
	var disabled int
	var created int64
	dest := []any{&s.ID, &s.Email, &s.Name, &s.Role, &s.Location, &disabled, &created}
	if hash != nil {
		dest = append(dest, hash)
	}
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return booking.Staff{}, &booking.Error{Code: booking.CodeNotFound, Detail: "no such staff account"}
	}
	if err != nil {
		return booking.Staff{}, fmt.Errorf("store: read staff: %w", err)
	}
	s.Disabled, s.CreatedAt = disabled != 0, timeOf(created)
	return s, nil
}

// AddStaff implements booking.StaffStore.
func (db *DB) AddStaff(ctx context.Context, s booking.Staff, hash string) (booking.Staff, error) {
	s.Email = booking.NormalizeEmail(s.Email)
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO staff (email, name, role, location, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, s.Email, s.Name, s.Role, s.Location, hash, unixOf(s.CreatedAt)).Scan(&s.ID)
	})
	if db.b.Unique(err, "email") {
		return booking.Staff{}, booking.Fail(booking.CodeConflict, booking.MsgEmailTaken)
	}
	if err != nil {
		return booking.Staff{}, fmt.Errorf("store: add staff: %w", err)
	}
	return s, nil
}

// StaffByEmail implements booking.StaffStore.
func (db *DB) StaffByEmail(ctx context.Context, email string) (booking.Staff, string, error) {
	var hash string
	s, err := scanStaff(db.queryRow(ctx, `SELECT `+staffColumns+`, password_hash FROM staff WHERE email = $1`,
		booking.NormalizeEmail(email)), &hash)
	return s, hash, err
}

// StaffByID implements booking.StaffStore.
func (db *DB) StaffByID(ctx context.Context, id int64) (booking.Staff, error) {
	return scanStaff(db.queryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = $1`, id), nil)
}

// ListStaff implements booking.StaffStore.
func (db *DB) ListStaff(ctx context.Context) ([]booking.Staff, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+staffColumns+` FROM staff ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	defer rows.Close()
	var out []booking.Staff
	for rows.Next() {
		s, err := scanStaff(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetStaffDisabled implements booking.StaffStore.
func (db *DB) SetStaffDisabled(ctx context.Context, email string, disabled bool) error {
	flag := 0
	if disabled {
		flag = 1
	}
	res, err := db.exec(ctx, `UPDATE staff SET disabled = $1 WHERE email = $2`, flag, booking.NormalizeEmail(email))
	if err != nil {
		return fmt.Errorf("store: disable staff: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &booking.Error{Code: booking.CodeNotFound, Detail: "no such staff account"}
	}
	return nil
}

// CountAudit implements booking.StaffStore.
func (db *DB) CountAudit(ctx context.Context, action, actor string, since time.Time) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT count(*) FROM audit WHERE actor = $1 AND action = $2 AND at >= $3`,
		actor, action, unixOf(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count audit: %w", err)
	}
	return n, nil
}
