package postgres_test

import (
	"testing"

	"doorway/store/storetest"
)

// TestStore runs the store's behaviour suite on PostgreSQL, each test in a fresh schema of the
// database DOORWAY_TEST_PG names (skipped without it, failed without it under CI=true),
// including what two instances sharing the database must guarantee.
func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Backend{DSN: storetest.PostgresDSN, Instances: true})
}
