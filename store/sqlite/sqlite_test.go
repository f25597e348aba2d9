package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"doorway/store"
	"doorway/store/sqlite"
	"doorway/store/storetest"
)

// TestStore runs the store's behaviour suite on SQLite files.
func TestStore(t *testing.T) {
	storetest.Run(t, storetest.Backend{DSN: storetest.SQLiteDSN})
}

func TestOpenAppliesMigrationsInWAL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "doorway.db")
	ctx := context.Background()
	for i := range 2 { // the second open must find every migration applied and do nothing
		db, err := store.Open(ctx, path)
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
		if name := db.Backend().Name(); name != "sqlite" {
			t.Errorf("backend = %q; want sqlite", name)
		}
		db.Close()
	}
}

// TestWritersWaitTheirTurn: a writer that finds another write in progress for longer than
// SQLite's busy_timeout (5 s: as when hundreds of patients write at once on a busy machine)
// waits its turn instead of failing with SQLITE_BUSY; one whose context ends while waiting
// gets the context's error.
func TestWritersWaitTheirTurn(t *testing.T) {
	if testing.Short() {
		t.Skip("holds a write for over 5 seconds")
	}
	ctx := context.Background()
	b, err := sqlite.OpenBackend(ctx, filepath.Join(t.TempDir(), "doorway.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := store.New(b)
	defer db.Close()
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- holdWrite(ctx, b, started, 5500*time.Millisecond) }() // longer than busy_timeout(5000)
	<-started
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := db.ReleaseHold(short, "s1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("writer with a 100 ms deadline: err = %v, want context.DeadlineExceeded", err)
	}
	if err := db.ReleaseHold(ctx, "s2"); err != nil {
		t.Errorf("writer waiting 5.5 s: %v, want its turn", err)
	}
	if err := <-done; err != nil {
		t.Errorf("long writer: %v", err)
	}
}

// holdWrite takes the write turn and SQLite's write lock (BEGIN IMMEDIATE) for d, as the
// store's own transactions do, then writes and commits.
func holdWrite(ctx context.Context, b *sqlite.Backend, started chan<- struct{}, d time.Duration) error {
	release, err := b.WriteTurn(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := b.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	close(started)
	time.Sleep(d)
	if _, err := tx.ExecContext(ctx, `DELETE FROM holds`); err != nil {
		return err
	}
	return tx.Commit()
}

// BenchmarkBooking is the store's part of one booking on SQLite (storetest.BenchBooking).
func BenchmarkBooking(b *testing.B) {
	storetest.BenchBooking(b, storetest.Backend{DSN: storetest.SQLiteDSN})
}

// BenchmarkFunnel compares counting an event with a write each and with booking.Tally, on
// SQLite (storetest.BenchFunnel).
func BenchmarkFunnel(b *testing.B) {
	storetest.BenchFunnel(b, storetest.Backend{DSN: storetest.SQLiteDSN})
}

// TestUpgrades runs the store's upgrade tests on SQLite files.
func TestUpgrades(t *testing.T) {
	storetest.RunUpgrades(t, storetest.Upgrade{DSN: storetest.SQLiteDSN, Open: sqlite.Open, Migrations: sqlite.Migrations()})
}
