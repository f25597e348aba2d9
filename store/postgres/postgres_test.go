package postgres_test

import (
	"context"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
	"doorway/store/postgres"
	"doorway/store/storetest"
)

// TestStore runs the store's behaviour suite on PostgreSQL, each test in a fresh schema of the
// database DOORWAY_TEST_PG names (skipped without it, failed without it under CI=true),
// including what two instances sharing the database must guarantee.
func TestStore(t *testing.T) {
	storetest.RequirePostgres(t)
	storetest.Run(t, storetest.Backend{DSN: storetest.PostgresDSN, Instances: true})
}

// TestUpgrades runs the store's upgrade tests on PostgreSQL, each in a fresh schema.
func TestUpgrades(t *testing.T) {
	storetest.RequirePostgres(t)
	storetest.RunUpgrades(t, storetest.Upgrade{DSN: storetest.PostgresDSN, Open: postgres.Open, Migrations: postgres.Migrations()})
}

// TestInstanceConnectionComesBack: when an instance's own connection is cut (a server
// restart, a network blip; here pg_terminate_backend), the instance is not ready and claims
// nothing until it has reconnected; then it drops every cached search (announcements were
// missed meanwhile) and hears the other instances again.
func TestInstanceConnectionComesBack(t *testing.T) {
	dsn, ctx := storetest.PostgresDSN(t), context.Background()
	a, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	heard := make(chan [2]time.Time, 16)
	b.Subscribe(func(start, end time.Time) { heard <- [2]time.Time{start, end} })
	// b's own connection is the session holding the advisory lock on b's instance id.
	id, ok := b.Backend().Claimer()
	if !ok {
		t.Fatal("b has no instance id")
	}
	var cut int
	if err := a.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND objsubid = 2 AND objid::bigint = $1`, id).Scan(&cut); err != nil || cut != 1 {
		t.Fatalf("terminated %d instance connections, %v; want b's one", cut, err)
	}
	select {
	case sp := <-heard:
		if sp[0].Year() > 1970 || sp[1].Year() < 9999 {
			t.Errorf("after reconnecting, b dropped %v-%v; want all time", sp[0], sp[1])
		}
	case <-time.After(10 * time.Second):
		t.Fatal("b did not reconnect (and drop its caches) within 10 s")
	}
	if err := b.PingContext(ctx); err != nil {
		t.Errorf("b not ready after reconnecting: %v", err)
	}
	visit := booking.Appointment{VisitNumber: "EHR-1", Start: time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC), Minutes: 30,
		Provider: booking.ProviderRef{ID: "P1"}, Location: booking.LocationRef{Department: "ORTHO"}}
	if _, err := a.ApplyNotification(ctx, booking.Notification{Key: "k", Event: "New", Appointment: visit}, visit.Start); err != nil {
		t.Fatal(err)
	}
	select {
	case sp := <-heard:
		if !sp[0].Equal(visit.Start) || !sp[1].Equal(visit.End()) {
			t.Errorf("b heard %v-%v; want the visit's time", sp[0], sp[1])
		}
	case <-time.After(5 * time.Second):
		t.Fatal("b, reconnected, did not hear a's change within 5 s")
	}
}

func TestParseDSN(t *testing.T) {
	tests := []struct {
		name, dsn, wantDSN string
		wantPool           int
		wantErr            bool
	}{
		{"default pool", "postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable", postgres.DefaultPoolSize, false},
		{"pool_max_conns is Doorway's, not pgx's", "postgres://u@h/db?pool_max_conns=7&sslmode=disable", "postgres://u@h/db?sslmode=disable", 7, false},
		{"pool too small", "postgres://u@h/db?pool_max_conns=1", "", 0, true},
		{"pool not a number", "postgres://u@h/db?pool_max_conns=many", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := postgres.ParseDSN(tt.dsn)
			if (err != nil) != tt.wantErr || (!tt.wantErr && (got.DSN != tt.wantDSN || got.PoolSize != tt.wantPool)) {
				t.Errorf("ParseDSN = %+v, %v; want %q, pool %d, error %v", got, err, tt.wantDSN, tt.wantPool, tt.wantErr)
			}
		})
	}
}

// BenchmarkBooking is the store's part of one booking on PostgreSQL (storetest.BenchBooking).
func BenchmarkBooking(b *testing.B) {
	storetest.RequirePostgres(b)
	storetest.BenchBooking(b, storetest.Backend{DSN: storetest.PostgresDSN})
}

// BenchmarkFunnel compares counting an event with a write each and with booking.Tally, on
// PostgreSQL (storetest.BenchFunnel).
func BenchmarkFunnel(b *testing.B) {
	storetest.RequirePostgres(b)
	storetest.BenchFunnel(b, storetest.Backend{DSN: storetest.PostgresDSN})
}
