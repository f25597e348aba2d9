// Package store is Doorway's SQLite persistence: sessions, holds, appointments, the outbox,
// the inbox of EHR notifications and the audit log. It uses the pure-Go modernc.org/sqlite
// driver, handwritten SQL and embedded numbered migrations applied at open.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// DSN builds the one connection string Doorway uses for SQLite. Pragmas live in the DSN, not
// in one-off statements, because they are per connection and database/sql pools connections:
//   - busy_timeout(5000): writers wait for the lock instead of failing with SQLITE_BUSY;
//   - journal_mode(WAL): readers never block the writer;
//   - foreign_keys(1): off by default in SQLite;
//   - synchronous(NORMAL): durable at every checkpoint, safe with WAL, much faster than FULL;
//   - _txlock=immediate: BEGIN takes the write lock at once, so two transactions that read then
//     write cannot deadlock into SQLITE_BUSY halfway through.
func DSN(path string) string {
	v := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		v.Add("_pragma", p)
	}
	v.Set("_txlock", "immediate")
	return "file:" + filepath.ToSlash(path) + "?" + v.Encode()
}

// OpenSQLite opens (creating it and its directory if needed) the database at path, verifies
// WAL mode and applies the numbered *.sql files of migrations in order, each once. The
// sandbox EHR uses it with its own migrations.
func OpenSQLite(ctx context.Context, path string, migrations fs.FS) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create %s: %w", dir, err)
		}
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		db.Close()
		return nil, fmt.Errorf("store: journal mode is %q, want wal", mode)
	}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies every NNN_name.sql not yet recorded in schema_migrations, each in its own
// transaction so a failing migration leaves the database at the previous version.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
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
			return fmt.Errorf("store: migration %s: name must start with a number and _", base)
		}
		if prev, dup := seen[version]; dup {
			return fmt.Errorf("store: migrations %s and %s share version %d", prev, base, version)
		}
		seen[version] = base
		if err := applyMigration(ctx, db, fsys, name, version); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, fsys fs.FS, name string, version int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil {
		return fmt.Errorf("store: check migration %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("store: read migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("store: apply migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, unixepoch())", version, filepath.Base(name)); err != nil {
		return fmt.Errorf("store: record migration %s: %w", name, err)
	}
	return tx.Commit()
}

// DB is Doorway's application database.
type DB struct {
	*sql.DB
	path   string
	writer chan struct{} // this process's write turn (lockWrite)
}

// lockWrite waits for this process's turn to write and returns its release. SQLite has one
// writer at a time, and a writer that finds its lock taken polls for it (busy_timeout), which
// is unfair: in a burst of hundreds of writers (200 patients picking times at once) one can
// lose every poll for 5 seconds and fail with SQLITE_BUSY. Waiting here first (a channel
// serves its waiting senders in order) leaves SQLite's lock uncontended within the process;
// busy_timeout still covers other processes. The wait ends with ctx. Every write of DB takes
// it: writeTx, exec, and the transactions that begin their own.
func (db *DB) lockWrite(ctx context.Context) (release func(), err error) {
	select {
	case db.writer <- struct{}{}:
		return func() { <-db.writer }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("store: wait to write: %w", ctx.Err())
	}
}

// exec runs one write statement (its own transaction) in this process's write turn.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	release, err := db.lockWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return db.ExecContext(ctx, query, args...)
}

// Open opens the application database at path with Doorway's migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	db, err := OpenSQLite(ctx, path, sub)
	if err != nil {
		return nil, err
	}
	return &DB{DB: db, path: path, writer: make(chan struct{}, 1)}, nil
}

// Path is the database file.
func (db *DB) Path() string { return db.path }
