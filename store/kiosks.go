package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"doorway/booking"
)

var _ booking.KioskStore = (*DB)(nil)

const kioskColumns = `id, name, location, version, code_expires, enrolled_at, revoked, created_at`

func scanKiosk(row rowScanner) (booking.Kiosk, error) {
	var k booking.Kiosk
	var expires, enrolled, created int64
	var revoked int
	err := row.Scan(&k.ID, &k.Name, &k.Location, &k.Version, &expires, &enrolled, &revoked, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return booking.Kiosk{}, &booking.Error{Code: booking.CodeNotFound, Detail: "no such kiosk"}
	}
	if err != nil {
		return booking.Kiosk{}, fmt.Errorf("store: read kiosk: %w", err)
	}
	k.Revoked, k.CreatedAt = revoked != 0, timeOf(created)
	if expires != 0 {
		k.CodeExpires = timeOf(expires)
	}
	if enrolled != 0 {
		k.EnrolledAt = timeOf(enrolled)
	}
	return k, nil
}

// AddKiosk implements booking.KioskStore.
func (db *DB) AddKiosk(ctx context.Context, k booking.Kiosk, codeHash string, e booking.AuditEntry) (booking.Kiosk, error) {
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		k, err = scanKiosk(tx.QueryRowContext(ctx, `INSERT INTO kiosks (name, location, code_hash, code_expires, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING `+kioskColumns, k.Name, k.Location, codeHash, unixOf(k.CodeExpires), unixOf(k.CreatedAt)))
		if err != nil {
			return err
		}
		return audit(ctx, tx, e)
	})
	if err != nil {
		return booking.Kiosk{}, fmt.Errorf("store: add kiosk: %w", err)
	}
	return k, nil
}

// Kiosks implements booking.KioskStore.
func (db *DB) Kiosks(ctx context.Context) ([]booking.Kiosk, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+kioskColumns+` FROM kiosks ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: list kiosks: %w", err)
	}
	defer rows.Close()
	var out []booking.Kiosk
	for rows.Next() {
		k, err := scanKiosk(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// KioskByID implements booking.KioskStore.
func (db *DB) KioskByID(ctx context.Context, id int64) (booking.Kiosk, error) {
	return scanKiosk(db.queryRow(ctx, `SELECT `+kioskColumns+` FROM kiosks WHERE id = $1`, id))
}

// SetKioskCode implements booking.KioskStore.
func (db *DB) SetKioskCode(ctx context.Context, id int64, codeHash string, expires time.Time, e booking.AuditEntry) (booking.Kiosk, error) {
	var k booking.Kiosk
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		k, err = scanKiosk(tx.QueryRowContext(ctx, `UPDATE kiosks SET code_hash = $1, code_expires = $2
			WHERE id = $3 AND revoked = 0 RETURNING `+kioskColumns, codeHash, unixOf(expires), id))
		if err != nil {
			return err
		}
		e.Detail = k.Name
		return audit(ctx, tx, e)
	})
	return k, err
}

// RevokeKiosk implements booking.KioskStore.
func (db *DB) RevokeKiosk(ctx context.Context, id int64, e booking.AuditEntry) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		k, err := scanKiosk(tx.QueryRowContext(ctx, `UPDATE kiosks SET revoked = 1, code_hash = NULL, code_expires = 0,
			version = version + 1 WHERE id = $1 RETURNING `+kioskColumns, id))
		if err != nil {
			return err
		}
		e.Detail = k.Name
		return audit(ctx, tx, e)
	})
}

// EnrollKiosk implements booking.KioskStore. The UPDATE both checks and consumes the code, so
// two tablets typing one code at once cannot both enroll: the second finds no live code.
func (db *DB) EnrollKiosk(ctx context.Context, codeHash string, now time.Time, e booking.AuditEntry) (booking.Kiosk, error) {
	var k booking.Kiosk
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		k, err = scanKiosk(tx.QueryRowContext(ctx, `UPDATE kiosks SET code_hash = NULL, code_expires = 0, version = version + 1,
			enrolled_at = $1 WHERE code_hash = $2 AND code_expires > $1 AND revoked = 0 RETURNING `+kioskColumns, unixOf(now), codeHash))
		if err != nil {
			return err
		}
		e.Detail = k.Name
		return audit(ctx, tx, e)
	})
	return k, err
}
