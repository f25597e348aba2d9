// Package sqlite is the SQLite backend of Doorway's store, the embedded default: one file, one
// serving process. It opens SQLite databases (Doorway's and the sandbox EHR's) through the
// pure-Go modernc.org/sqlite driver with Doorway's pragmas, applies embedded migrations, and
// supplies what SQLite does differently under the store's shared SQL: writers take turns
// within the process, and BEGIN IMMEDIATE already makes each write transaction exclusive, so
// no row or key locks are needed.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"doorway/store/schema"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is Doorway's schema for SQLite, numbered like the PostgreSQL one.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the folder is embedded: it cannot be missing
	}
	return sub
}

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

// Open opens (creating it and its directory if needed) the database at path, verifies WAL mode
// and applies the numbered *.sql files of migrations in order, each once. The sandbox EHR uses
// it with its own migrations.
func Open(ctx context.Context, path string, migrations fs.FS) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create %s: %w", dir, err)
		}
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Keep the connections a busy moment needs: database/sql's default of 2 idle ones made a
	// burst of page loads open and close SQLite connections (their pragmas, their prepared
	// statements) over and over.
	db.SetMaxIdleConns(32)
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		db.Close()
		return nil, fmt.Errorf("sqlite: journal mode is %q, want wal", mode)
	}
	if err := schema.Apply(ctx, db, migrations, time.Now()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Backend is Doorway's database in one SQLite file, as the store uses it.
type Backend struct {
	db     *sql.DB
	writer chan struct{} // this process's write turn (WriteTurn)
}

// OpenBackend opens Doorway's database at path with its migrations.
func OpenBackend(ctx context.Context, path string) (*Backend, error) {
	db, err := Open(ctx, path, Migrations())
	if err != nil {
		return nil, err
	}
	return &Backend{db: db, writer: make(chan struct{}, 1)}, nil
}

// Name is "sqlite".
func (b *Backend) Name() string { return "sqlite" }

// SQL is the connection pool.
func (b *Backend) SQL() *sql.DB { return b.db }

// Close closes the pool.
func (b *Backend) Close() error { return b.db.Close() }

// WriteTurn waits for this process's turn to write and returns its release. SQLite has one
// writer at a time, and a writer that finds its lock taken polls for it (busy_timeout), which
// is unfair: in a burst of hundreds of writers (200 patients picking times at once) one can
// lose every poll for 5 seconds and fail with SQLITE_BUSY. Waiting here first (a channel
// serves its waiting senders in order) leaves SQLite's lock uncontended within the process;
// busy_timeout still covers other processes. The wait ends with ctx. Every write of the store
// takes it, and its transactions are not reentrant.
func (b *Backend) WriteTurn(ctx context.Context) (release func(), err error) {
	select {
	case b.writer <- struct{}{}:
		return func() { <-b.writer }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("sqlite: wait to write: %w", ctx.Err())
	}
}

// LockKey does nothing: a write transaction (BEGIN IMMEDIATE) already excludes every other
// writer of the file, whatever key it touches.
func (b *Backend) LockKey(context.Context, *sql.Tx, string) error { return nil }

// LockRows is empty: SQLite has no SELECT ... FOR UPDATE, and needs none (see LockKey).
func (b *Backend) LockRows() string { return "" }

// ClaimRows is empty: two deliverers' claims cannot interleave, because each runs in its own
// exclusive write transaction; the second sees the first's lease.
func (b *Backend) ClaimRows() string { return "" }

// Claimer is 0: one serving process per file, so a claim needs no owner.
func (b *Backend) Claimer() (int64, bool) { return 0, true }

// ClaimerGone is empty: within one process a claimer cannot be told dead; a restart releases
// every earlier claim (store.DB.ReleaseClaims).
func (b *Backend) ClaimerGone(string) string { return "" }

// Announce does nothing: one process serves the file, and its own service drops its caches.
func (b *Backend) Announce(context.Context, *sql.Tx, time.Time, time.Time) error { return nil }

// Subscribe does nothing: no other process announces changes.
func (b *Backend) Subscribe(func(start, end time.Time)) {}

// ResetIdentity does nothing: an INTEGER PRIMARY KEY continues after the largest id present.
func (b *Backend) ResetIdentity(context.Context, *sql.Tx, string, string) error { return nil }

// Unique reports whether err is SQLite refusing a UNIQUE or PRIMARY KEY duplicate, on column
// when it is not empty. modernc's *sqlite.Error exposes the extended result code through
// Code(); the message names the columns ("UNIQUE constraint failed: appointments.slot_key").
func (b *Backend) Unique(err error, column string) bool {
	if err == nil {
		return false
	}
	const constraintUnique, constraintPrimaryKey = 2067, 1555
	var coded interface{ Code() int }
	unique := errors.As(err, &coded) && (coded.Code() == constraintUnique || coded.Code() == constraintPrimaryKey)
	if !unique && !strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return false
	}
	return column == "" || strings.Contains(err.Error(), "."+column)
}
