package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"doorway/store"
)

// migrateConfig is `doorway migrate-db`'s configuration.
type migrateConfig struct {
	From string // the database to copy: a SQLite file (or a postgres:// URL)
	To   string // the empty database to fill: a postgres:// URL (or a SQLite file)
}

func parseMigrateConfig(args []string, getenv func(string) string) (migrateConfig, error) {
	var c migrateConfig
	f := newFlags("doorway migrate-db", getenv)
	f.fs.StringVar(&c.From, "from", "./data/doorway.db", "the database to copy: the SQLite file doorway serve used (stop it first)")
	f.fs.StringVar(&c.To, "to", "", "the empty database to copy into, e.g. postgres://doorway@db.example.org/doorway")
	if err := f.parse(args); err != nil {
		return c, err
	}
	switch {
	case c.To == "":
		return c, errors.New("migrate-db needs -to, the database to copy into (a postgres:// URL)")
	case c.To == c.From:
		return c, errors.New("migrate-db: -from and -to are the same database")
	}
	return c, nil
}

// runMigrateDB copies every table of one Doorway database into another, empty one (the move
// from SQLite to PostgreSQL), in one transaction of the target. The SQLite database's
// generated session keys (session.keys beside it) become the target's shared keys, so
// patients in the middle of booking keep their sessions.
func runMigrateDB(ctx context.Context, cfg migrateConfig, stdout io.Writer) error {
	if !store.IsPostgres(cfg.From) {
		// store.Open would create an empty database at a mistyped path and copy nothing.
		if _, err := os.Stat(cfg.From); err != nil {
			return fmt.Errorf("migrate-db: -from: %w", err)
		}
	}
	src, err := store.Open(ctx, cfg.From)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, cfg.To)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := store.Copy(ctx, dst, src)
	if err != nil {
		return err
	}
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-18s %d rows\n", c.Table, c.Rows)
	}
	if !store.IsPostgres(cfg.From) {
		keys, err := os.ReadFile(filepath.Join(filepath.Dir(cfg.From), "session.keys"))
		if err == nil {
			if _, err := parseSessionKeys(strings.TrimSpace(string(keys))); err != nil {
				return fmt.Errorf("migrate-db: session.keys: %w", err)
			}
			if _, err := dst.SharedSetting(ctx, "session_keys", func() (string, error) { return strings.TrimSpace(string(keys)), nil }); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "session keys       copied from session.keys")
		}
	}
	fmt.Fprintf(stdout, "copied %s (%s) into %s (%s)\n", cfg.From, src.Backend().Name(), redact(cfg.To), dst.Backend().Name())
	return nil
}

// redact hides a password in a connection URL, for printing.
func redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return dsn
	}
	if colon := strings.Index(dsn[scheme+3:at], ":"); colon >= 0 {
		return dsn[:scheme+3+colon] + ":***" + dsn[at:]
	}
	return dsn
}
