// Package postgres is the PostgreSQL backend of Doorway's store, for several Doorway instances
// sharing one database behind a load balancer. It opens the database through pgx
// (database/sql, driver "pgx"), applies the embedded migrations under an advisory lock so
// instances can start at the same moment, and supplies what PostgreSQL does differently under
// the store's shared SQL: writers do not queue in the process, transactions lock what they
// check (advisory locks per provider calendar, FOR UPDATE rows), outbox claims skip rows
// another instance is claiming, and each instance keeps one connection of its own (instance.go)
// that proves it is alive to the others and hears their cache invalidations.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"doorway/store/schema"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is Doorway's schema for PostgreSQL, numbered like the SQLite one.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the folder is embedded: it cannot be missing
	}
	return sub
}

// Doorway's session-level advisory locks use the two-key form (lockSpace, id), which cannot
// collide with the one-key transaction locks of LockKey. Id 0 is the migration lock; instances
// lock ids from 1 to 2^31-1 (instance.go).
const (
	lockSpace     = 0x446f6f72 // "Door"
	migrationLock = 0
)

// DefaultPoolSize is the most connections one instance opens when the DSN does not say
// (pool_max_conns): enough for a busy instance on a few cores, and several instances stay
// well under PostgreSQL's default max_connections of 100.
const DefaultPoolSize = 20

// Config is a DSN taken apart: what pgx connects with, and the pool size, which is Doorway's
// parameter (pgx would send an unknown one to the server as a setting, and fail).
type Config struct {
	DSN      string // the URL without pool_max_conns
	PoolSize int
}

// ParseDSN reads a postgres:// URL. Its query may set pool_max_conns (default
// DefaultPoolSize) besides pgx's own parameters (sslmode, search_path, ...).
func ParseDSN(dsn string) (Config, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return Config{}, fmt.Errorf("postgres: connection string: %w", err)
	}
	q := u.Query()
	c := Config{PoolSize: DefaultPoolSize}
	if v := q.Get("pool_max_conns"); v != "" {
		if c.PoolSize, err = strconv.Atoi(v); err != nil || c.PoolSize < 2 {
			return Config{}, fmt.Errorf("postgres: pool_max_conns=%q: want a number of at least 2", v)
		}
		q.Del("pool_max_conns")
		u.RawQuery = q.Encode()
	}
	c.DSN = u.String()
	return c, nil
}

// Open opens a pool on the database the DSN names and applies migrations under an advisory
// lock: instances starting together take turns, and the later ones find every migration
// applied. The pool keeps as many idle connections as it may open (database/sql keeps 2 by
// default, so a burst of requests would open and close connections all the time).
func Open(ctx context.Context, dsn string, migrations fs.FS) (*sql.DB, error) {
	cfg, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(cfg.PoolSize)
	db.SetMaxIdleConns(cfg.PoolSize)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate runs the migrations on one connection holding the migration lock. The lock is
// session-level, so it is released when the connection closes even if unlocking fails.
func migrate(ctx context.Context, db *sql.DB, migrations fs.FS) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, $2)`, lockSpace, migrationLock); err != nil {
		return fmt.Errorf("postgres: take the migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, lockSpace, migrationLock)
	return schema.Apply(ctx, conn, migrations, time.Now())
}

// Backend is Doorway's database in PostgreSQL, as the store uses it.
type Backend struct {
	db   *sql.DB
	inst *instance
}

// OpenBackend opens Doorway's database (Open with its migrations) and this instance's own
// connection. The schema is the connection's current schema (search_path in the DSN may
// choose it); instances sharing it share everything.
func OpenBackend(ctx context.Context, dsn string) (*Backend, error) {
	db, err := Open(ctx, dsn, Migrations())
	if err != nil {
		return nil, err
	}
	var schemaName string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schemaName); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: current schema: %w", err)
	}
	cfg, _ := ParseDSN(dsn) // parsed by Open already
	inst, err := startInstance(ctx, cfg.DSN, channelFor(schemaName))
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Backend{db: db, inst: inst}, nil
}

// channelFor is the LISTEN/NOTIFY channel of the instances sharing a schema (a channel is
// database-wide; PostgreSQL truncates names to 63 bytes).
func channelFor(schemaName string) string {
	c := "doorway:" + schemaName
	return c[:min(len(c), 63)]
}

// Name is "postgres".
func (b *Backend) Name() string { return "postgres" }

// SQL is the connection pool.
func (b *Backend) SQL() *sql.DB { return b.db }

// Close stops the instance connection (other instances may then take over its outbox claims)
// and closes the pool.
func (b *Backend) Close() error {
	b.inst.close()
	return b.db.Close()
}

// WriteTurn does nothing: PostgreSQL serves many writers at once; transactions lock what
// they need themselves.
func (b *Backend) WriteTurn(context.Context) (func(), error) { return func() {}, nil }

// LockKey takes a transaction-level advisory lock on the key's 64-bit hash: every instance's
// transaction on the same key waits for this one to end.
func (b *Backend) LockKey(ctx context.Context, tx *sql.Tx, key string) error {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, key); err != nil {
		return fmt.Errorf("postgres: lock %q: %w", key, err)
	}
	return nil
}

// LockRows is FOR UPDATE: the rows read stay as read until the transaction ends.
func (b *Backend) LockRows() string { return " FOR UPDATE" }

// ClaimRows is FOR UPDATE SKIP LOCKED: concurrent claimers take disjoint rows without waiting
// for each other.
func (b *Backend) ClaimRows() string { return " FOR UPDATE SKIP LOCKED" }

// Claimer is this instance's id, held as an advisory lock by its own connection; not ok while
// that connection is being re-established (a claim then could look abandoned to others).
func (b *Backend) Claimer() (int64, bool) {
	id := b.inst.id.Load()
	return id, id != 0
}

// ClaimerGone holds when no session in this database holds the advisory lock of the instance
// id in col: that instance's connection has closed (the process stopped, or was killed and
// the server noticed the socket close). The sub-select does not depend on the row, so
// PostgreSQL reads pg_locks once per statement.
func (b *Backend) ClaimerGone(col string) string {
	return fmt.Sprintf(`coalesce(%s, 0) NOT IN (SELECT l.objid::bigint FROM pg_locks l
		WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %d AND l.objsubid = 2
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`, col, lockSpace)
}

// Unique reports whether err is PostgreSQL's unique_violation (23505), on column when it is
// not "": the detail names the key's columns ("Key (slot_key)=(...) already exists.").
func (b *Backend) Unique(err error, column string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return false
	}
	return column == "" || strings.Contains(pgErr.Detail, "("+column+")") || strings.Contains(pgErr.ConstraintName, column)
}

// Announce queues a notification to every instance listening on the schema's channel;
// PostgreSQL delivers it when tx commits, and drops it when tx rolls back.
func (b *Backend) Announce(ctx context.Context, tx *sql.Tx, start, end time.Time) error {
	payload := strconv.FormatInt(start.Unix(), 10) + "," + strconv.FormatInt(end.Unix(), 10)
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, b.inst.channel, payload); err != nil {
		return fmt.Errorf("postgres: notify: %w", err)
	}
	return nil
}

// Subscribe calls fn with every span announced on the schema's channel (by any instance,
// this one included), and with all time whenever notifications may have been missed (the
// instance connection was re-established).
func (b *Backend) Subscribe(fn func(start, end time.Time)) { b.inst.subscribe(fn) }

// ResetIdentity moves table's identity sequence past the largest id in column.
func (b *Backend) ResetIdentity(ctx context.Context, tx *sql.Tx, table, column string) error {
	t, c := pgx.Identifier{table}.Sanitize(), pgx.Identifier{column}.Sanitize()
	_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT coalesce(max(`+c+`), 0) + 1 FROM `+t+`), false)`,
		table, column)
	if err != nil {
		return fmt.Errorf("postgres: reset identity of %s: %w", table, err)
	}
	return nil
}
