// Package schema applies numbered SQL migrations (NNN_name.sql, embedded by each backend) to a
// database, each once and in order, recording them in schema_migrations. The SQL it runs itself
// is the same in SQLite and PostgreSQL; the migrations are written per dialect (one folder per
// backend, same numbers for the same change).
package schema

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Conn is what Apply needs of a database: *sql.DB, or one *sql.Conn when the caller holds a
// session-level lock on it (PostgreSQL's advisory lock around the whole run).
type Conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Apply applies every migration of fsys not yet recorded in schema_migrations, each in its own
// transaction so a failing migration leaves the database at the previous version. The
// migrations are the *.sql files at the root of fsys (or, when there are none, one folder
// down). now stamps applied_at: the time comes from Go because SQLite's unixepoch() does not
// exist in PostgreSQL.
func Apply(ctx context.Context, db Conn, fsys fs.FS, now time.Time) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("schema: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("schema: list migrations: %w", err)
	}
	if len(names) == 0 {
		names, _ = fs.Glob(fsys, "*/*.sql")
	}
	slices.Sort(names)
	seen := map[int]string{}
	for _, name := range names {
		base := filepath.Base(name)
		num, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("schema: migration %s: name must start with a number and _", base)
		}
		if prev, dup := seen[version]; dup {
			return fmt.Errorf("schema: migrations %s and %s share version %d", prev, base, version)
		}
		seen[version] = base
		if err := apply(ctx, db, fsys, name, version, now); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, db Conn, fsys fs.FS, name string, version int, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("schema: begin migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", version).Scan(&n); err != nil {
		return fmt.Errorf("schema: check migration %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("schema: read migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("schema: apply migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		version, filepath.Base(name), now.Unix()); err != nil {
		return fmt.Errorf("schema: record migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("schema: commit migration %s: %w", name, err)
	}
	return nil
}
