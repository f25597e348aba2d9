package store

import (
	"context"
	"path/filepath"
	"testing"
)

func TestOpenAppliesMigrationsInWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "doorway.db")
	ctx := context.Background()
	for i := range 2 { // the second open must find every migration applied and do nothing
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var mode string
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		var fk int
		if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
		}
		var n int
		if err := db.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
			t.Errorf("schema_migrations rows = %d, %v; want > 0", n, err)
		}
		db.Close()
	}
}
