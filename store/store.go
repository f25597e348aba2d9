// Package store is Doorway's persistence: sessions, holds, appointments, the outbox, the inbox
// of EHR notifications, the mirror of the EHR's schedule and the dead letters of deliveries
// that could not be applied, as handwritten SQL over
// database/sql. The SQL text is one for both backends ($N placeholders, ON CONFLICT,
// RETURNING); a Backend (store/sqlite, the embedded default, or store/postgres, for several
// instances sharing one database) supplies only what its dialect does differently: locking,
// duplicate detection, and what instances tell each other. Open picks the backend from the
// connection string.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"doorway/store/postgres"
	"doorway/store/sqlite"
)

// Backend is one database engine under the store's shared SQL.
type Backend interface {
	// Name is "sqlite" or "postgres", for logs.
	Name() string
	// SQL is the connection pool, with the schema migrated.
	SQL() *sql.DB
	// WriteTurn waits for this process's turn to write and returns its release (SQLite's
	// single writer; a no-op where the database serves many writers).
	WriteTurn(ctx context.Context) (release func(), err error)
	// LockKey holds key until tx ends, so transactions that check and then write the same
	// thing (a provider's calendar) run one after another in every process sharing the
	// database. Call it first in the transaction.
	LockKey(ctx context.Context, tx *sql.Tx, key string) error
	// LockRows ends a SELECT whose rows the transaction then changes (" FOR UPDATE", or "").
	LockRows() string
	// ClaimRows ends the outbox claim's SELECT: rows another deliverer is claiming are
	// skipped, not waited for (" FOR UPDATE SKIP LOCKED", or "").
	ClaimRows() string
	// Claimer is this instance's id for outbox claims; ok is false while the instance cannot
	// vouch that it is alive to others, and then it must claim nothing.
	Claimer() (id int64, ok bool)
	// ClaimerGone is a SQL condition that holds when the instance whose id is in column col
	// has gone, or "" when the backend cannot tell.
	ClaimerGone(col string) string
	// Unique reports whether err is a unique-constraint violation, on column when it is not "".
	Unique(err error, column string) bool
	// Announce tells the other instances, when tx commits, that what the EHR offers in
	// [start, end) changed, so they drop cached searches of that time.
	Announce(ctx context.Context, tx *sql.Tx, start, end time.Time) error
	// Subscribe calls fn with every time span another instance announces.
	Subscribe(fn func(start, end time.Time))
	// ResetIdentity makes table's identity column continue after the ids present (after a
	// copy that wrote explicit ids).
	ResetIdentity(ctx context.Context, tx *sql.Tx, table, column string) error
	// Close closes the pool and whatever the backend keeps open.
	Close() error
}

// DB is Doorway's application database. It implements booking's store ports
// (HoldStore, AppointmentStore, MirrorStore, SlotCache) over either backend. The embedded
// *sql.DB is there for readiness pings and for tests reading tables back.
type DB struct {
	*sql.DB
	b     Backend
	stmts sync.Map // query text -> *sql.Stmt: see query
}

// New wraps an opened backend.
func New(b Backend) *DB { return &DB{DB: b.SQL(), b: b} }

// IsPostgres reports whether dsn names a PostgreSQL database (a postgres:// or postgresql://
// URL) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens Doorway's database: PostgreSQL for a postgres:// URL, otherwise the SQLite file at
// dsn (created with its directory). The schema is migrated before Open returns.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		b, err := postgres.OpenBackend(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return New(b), nil
	}
	b, err := sqlite.OpenBackend(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return New(b), nil
}

// OpenSQLite opens another SQLite database with its own migrations (the sandbox EHR's), with
// Doorway's pragmas: see sqlite.Open.
func OpenSQLite(ctx context.Context, path string, migrations fs.FS) (*sql.DB, error) {
	return sqlite.Open(ctx, path, migrations)
}

// Backend is the engine under db.
func (db *DB) Backend() Backend { return db.b }

// Subscribe calls fn with every time span whose open times another instance sharing the
// database changed (an EHR notification or pushed slots it received), so fn can drop cached
// searches of that span. With SQLite, one process, fn is never called.
func (db *DB) Subscribe(fn func(start, end time.Time)) { db.b.Subscribe(fn) }

// PingContext checks that the database answers and, with PostgreSQL, that this instance's
// own connection is up: without it the instance claims no deliveries and misses the others'
// cache invalidations, so a load balancer should send its patients elsewhere meanwhile.
func (db *DB) PingContext(ctx context.Context) error {
	if err := db.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if _, ok := db.b.Claimer(); !ok {
		return fmt.Errorf("store: the %s instance connection is down", db.b.Name())
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.stmts.Range(func(_, s any) bool { s.(*sql.Stmt).Close(); return true })
	return db.b.Close()
}

// prepared returns query prepared once for the pool (database/sql prepares it again on each
// connection as needed). The reads every page makes (the session, the taken and busy times)
// go through it: parsing the SQL is a large part of a small query, with the pure-Go SQLite
// above all.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// queryRow runs a prepared read of one row (see prepared).
func (db *DB) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	s, err := db.prepared(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

// rowScanner is a *sql.Row, or the error preparing its query.
type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// query runs a prepared read (see prepared).
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// writeTx runs fn in one write transaction, committing when fn returns nil. Writers of this
// process first take their turn (Backend.WriteTurn). With SQLite, BEGIN takes the single write
// lock at once (_txlock=immediate), so the reads fn makes before writing cannot be invalidated
// by another writer before commit; with PostgreSQL, fn takes the locks it needs (LockKey,
// LockRows) before reading what it will act on. fn must not call DB's own write methods (the
// turn is not reentrant): it writes through tx.
func (db *DB) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	release, err := db.b.WriteTurn(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback() // no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// exec runs one write statement (its own transaction) in this process's write turn.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	release, err := db.b.WriteTurn(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return db.ExecContext(ctx, query, args...)
}

// unixOf stores t as UTC unix seconds (the store never uses a driver's time format).
func unixOf(t time.Time) int64 { return t.Unix() }

// timeOf reads UTC unix seconds back as a UTC time.
func timeOf(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
