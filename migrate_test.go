package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
	"doorway/store/storetest"
)

// TestMigrateDB: `doorway migrate-db` copies a SQLite database in use into an empty one and
// brings the generated session keys along: into PostgreSQL (the move the README describes)
// and, so the command is exercised without PostgreSQL too, into another SQLite file.
func TestMigrateDB(t *testing.T) {
	targets := []struct {
		name string
		dsn  func(testing.TB) string
	}{
		{"postgres", storetest.PostgresDSN},
		{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "copy.db") }},
	}
	for _, tt := range targets {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			from := filepath.Join(t.TempDir(), "doorway.db")
			visit := seedDatabase(t, from)
			keys := newKeyPair()
			if err := os.WriteFile(filepath.Join(filepath.Dir(from), "session.keys"), []byte(keys+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			to := tt.dsn(t)
			var out bytes.Buffer
			if err := run(ctx, []string{"migrate-db", "-from", from, "-to", to}, func(string) string { return "" }, &out); err != nil {
				t.Fatalf("migrate-db: %v\n%s", err, out.String())
			}
			t.Logf("migrate-db said:\n%s", out.String())
			if !strings.Contains(out.String(), "appointments       1 rows") || !strings.Contains(out.String(), "session keys") {
				t.Errorf("output does not report the copy:\n%s", out.String())
			}
			db, err := store.Open(ctx, to)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if a, err := db.Appointment(ctx, visit); err != nil || a.Status != booking.StatusRequested {
				t.Errorf("appointment in the target = %v, %v; want the requested one", a.Status, err)
			}
			got, err := db.SharedSetting(ctx, "session_keys", func() (string, error) { return "other", nil })
			if err != nil || got != keys {
				t.Errorf("shared session keys = %q, %v; want the file's", got, err)
			}
			if err := run(ctx, []string{"migrate-db", "-from", from, "-to", to}, func(string) string { return "" }, &out); err == nil {
				t.Error("a second migrate-db into the same database succeeded; want refused")
			}
		})
	}
}

// seedDatabase writes a SQLite database with one booking, as doorway serve would leave it,
// and returns the visit number.
func seedDatabase(t *testing.T, path string) string {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	sl := booking.Slot{ID: "S1", Start: now.Add(24 * time.Hour), Minutes: 30,
		Provider: booking.ProviderRef{ID: "P1", IDType: "NPI"}, Location: booking.LocationRef{Department: "ORTHO"}}
	h := booking.Hold{ID: "H1", SessionID: "s1", Slot: sl, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
	if err := db.PutHold(ctx, h, now); err != nil {
		t.Fatal(err)
	}
	a := booking.Appointment{VisitNumber: "DW-1", Start: sl.Start, Minutes: 30, Provider: sl.Provider, Location: sl.Location,
		Patient: booking.Patient{FirstName: "Ada", LastName: "Lovelace"}}
	if _, _, err := db.CreateAppointment(ctx, booking.Booking{Key: "k1", SessionID: "s1", Appointment: a}, now); err != nil {
		t.Fatal(err)
	}
	return a.VisitNumber
}

func TestMigrateConfig(t *testing.T) {
	none := func(string) string { return "" }
	if _, err := parseMigrateConfig(nil, none); err == nil || !strings.Contains(err.Error(), "-to") {
		t.Errorf("no -to: err = %v; want one naming -to", err)
	}
	if _, err := parseMigrateConfig([]string{"-from", "a.db", "-to", "a.db"}, none); err == nil {
		t.Error("same -from and -to accepted")
	}
	err := runMigrateDB(context.Background(), migrateConfig{From: filepath.Join(t.TempDir(), "missing.db"), To: "x.db"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "missing.db") {
		t.Errorf("missing -from file: err = %v; want refused", err)
	}
	if got := redact("postgres://doorway:s3cret@db:5432/doorway"); strings.Contains(got, "s3cret") {
		t.Errorf("redact = %q; the password shows", got)
	}
}

func TestDataDir(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  serveConfig
		want string
	}{
		{"beside a SQLite database", serveConfig{DB: "/var/lib/doorway/doorway.db"}, "/var/lib/doorway"},
		{"./data with PostgreSQL", serveConfig{DB: "postgres://db/doorway"}, "./data"},
		{"-data-dir wins", serveConfig{DB: "postgres://db/doorway", DataDir: "/srv/d"}, "/srv/d"},
	} {
		if got := tt.cfg.dataDir(); got != tt.want {
			t.Errorf("%s: dataDir = %q; want %q", tt.name, got, tt.want)
		}
	}
}
