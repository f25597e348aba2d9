//go:build mutate

// The store's behaviour suite, run from the store package itself for mutation testing only
// (`make mutate PKG=./store/`, which builds with -tags mutate). Gremlins tests a mutant of
// store/*.go by running the tests of the store package, while the suite's usual runners are
// store/sqlite and store/postgres (make test runs it there, not here: once per backend is
// enough).
package store_test

import (
	"testing"

	"doorway/store/storetest"
)

// TestSuiteSQLite runs the behaviour suite on SQLite files.
func TestSuiteSQLite(t *testing.T) {
	storetest.Run(t, storetest.Backend{DSN: storetest.SQLiteDSN})
}

// TestSuitePostgres runs the behaviour suite on PostgreSQL when DOORWAY_TEST_PG names a
// database (make mutate PG=1 starts one), and skips it otherwise.
func TestSuitePostgres(t *testing.T) {
	storetest.RequirePostgres(t)
	storetest.Run(t, storetest.Backend{DSN: storetest.PostgresDSN, Instances: true})
}
