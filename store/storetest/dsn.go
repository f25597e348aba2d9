package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop test schemas
)

// EnvPostgres names the variable holding the PostgreSQL database the tests may use, as a
// postgres:// URL (`make test` starts a throwaway cluster and sets it: .ci/pg.sh).
const EnvPostgres = "DOORWAY_TEST_PG"

// SQLiteDSN is a new database file in the test's temp dir (never :memory:, whose pooled
// connections would each see their own empty database).
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "doorway.db")
}

// RequirePostgres returns the database DOORWAY_TEST_PG names. Without it the test is skipped,
// except under CI=true, where it fails: CI must never pass by running none of the PostgreSQL
// tests. Call it first in a test whose subtests all need PostgreSQL, to skip once.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set (CI=true): run the tests through `make test`, which starts PostgreSQL (.ci/pg.sh)", EnvPostgres)
		}
		t.Skipf("%s is not set: no PostgreSQL to test against (make test starts one)", EnvPostgres)
	}
	return base
}

// PostgresDSN is a new, empty schema in the database DOORWAY_TEST_PG names, as a DSN whose
// search_path selects it; the schema is dropped when the test ends. Without the variable the
// test is skipped or failed (RequirePostgres).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := RequirePostgres(t)
	b := make([]byte, 6)
	rand.Read(b)
	name := "test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		admin.Close()
		t.Fatalf("create schema in %s: %v", EnvPostgres, err)
	}
	// Registered first, so it runs last: after the test has closed its databases.
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
