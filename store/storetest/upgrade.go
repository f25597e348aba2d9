package storetest

import (
	"context"
	"database/sql"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"doorway/booking"
	"doorway/store"
)

// Upgrades: a database left at an older version, with rows as that schema allowed, then
// opened by this store (which applies the rest). For the migrations that move data, not only
// add to the schema.

// Upgrade is what the upgrade tests need of a backend: fresh databases, and its migrations
// with the function that applies them, so that a test can stop at an older version.
type Upgrade struct {
	DSN        func(t testing.TB) string
	Open       func(ctx context.Context, dsn string, migrations fs.FS) (*sql.DB, error) // sqlite.Open, postgres.Open
	Migrations fs.FS
}

// RunUpgrades runs the upgrade tests against u.
func RunUpgrades(t *testing.T, u Upgrade) {
	t.Run("AttentionEmailSource", func(t *testing.T) { testUpgradeAttentionEmailSource(t, u) })
}

// upTo is the migrations of fsys numbered up to version.
func upTo(t *testing.T, fsys fs.FS, version int) fs.FS {
	t.Helper()
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v, %v", names, err)
	}
	out := fstest.MapFS{}
	for _, name := range names {
		num, _, _ := strings.Cut(path.Base(name), "_")
		if v, err := strconv.Atoi(num); err != nil || v > version {
			continue
		}
		b, err := fs.ReadFile(fsys, name)
		must(t, err)
		out[name] = &fstest.MapFile{Data: b}
	}
	return out
}

// testUpgradeAttentionEmailSource (096): resolutions written before failed emails had a source
// of their own (under 'outbox') move to 'email' when the outbox message is an email, so the
// item stays resolved; the others keep theirs, with their ids, notes and staff; the unique
// index is there again; and 'email' is accepted.
func testUpgradeAttentionEmailSource(t *testing.T, u Upgrade) {
	ctx, dsn := context.Background(), u.DSN(t)
	old, err := u.Open(ctx, dsn, upTo(t, u.Migrations, 95))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO staff (id, email, name, role, password_hash, created_at) VALUES (1, 'dana@clinic.example', 'Dana', 'desk', 'h', 0)`,
		`INSERT INTO appointments (visit_number, slot_key, provider_id, department, start_unix, end_unix, minutes, status, patient,
			appointment, created_at, updated_at) VALUES ('DW-1', 'P1|D|100', 'P1', 'D', 100, 200, 20, 'booked', '{}', '{}', 0, 0)`,
		`INSERT INTO outbox (id, kind, visit_number, created_at, next_attempt_at, attempts, failed_at, lane)
			VALUES (1, 'New', 'DW-1', 0, 0, 1, 5, 'ehr'), (2, 'EmailConfirm', 'DW-1', 0, 0, 1, 6, 'email'),
			(3, 'EmailReminder', 'DW-1', 0, 0, 1, 7, 'reminder')`,
		`INSERT INTO attention_resolved (id, source, source_id, since, note, staff_id, resolved_at)
			VALUES (10, 'outbox', 1, 5, 'Called about the booking', 1, 50), (11, 'outbox', 2, 6, 'Called about the email', 1, 60),
			(12, 'dead_letter', 3, 7, 'Fixed in the EHR', 1, 70)`,
	} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := old.ExecContext(ctx, `INSERT INTO attention_resolved (source, source_id, since, note, staff_id, resolved_at)
		VALUES ('email', 3, 7, 'n', 1, 70)`); err == nil {
		t.Fatal("the schema before 096 took source 'email': the test starts from the wrong version")
	}
	old.Close()

	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT id, source, source_id, since, note, staff_id, resolved_at FROM attention_resolved ORDER BY id`)
	must(t, err)
	var got []string
	for rows.Next() {
		var id, srcID, since, staff, at int64
		var src, note string
		must(t, rows.Scan(&id, &src, &srcID, &since, &note, &staff, &at))
		got = append(got, strings.Join([]string{strconv.FormatInt(id, 10), src, strconv.FormatInt(srcID, 10),
			strconv.FormatInt(since, 10), note, strconv.FormatInt(staff, 10), strconv.FormatInt(at, 10)}, " "))
	}
	must(t, rows.Err())
	rows.Close()
	want := []string{"10 outbox 1 5 Called about the booking 1 50", "11 email 2 6 Called about the email 1 60", "12 dead_letter 3 7 Fixed in the EHR 1 70"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resolutions after 096:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if troubles, err := db.EmailTroubles(ctx); err != nil || len(troubles) != 1 || troubles[0].Message.ID != 3 {
		t.Errorf("email troubles after 096 = %+v, %v; want the reminder alone (the confirmation stays resolved)", troubles, err)
	}
	r := booking.Resolution{Source: booking.ResolveEmail, SourceID: 3, Since: time.Unix(7, 0).UTC(), Note: "Called", StaffID: 1, At: time.Unix(80, 0).UTC()}
	must(t, db.Resolve(ctx, r, staffAudit(booking.AuditResolve, "DW-1", r.At)))
	if err := db.Resolve(ctx, r, staffAudit(booking.AuditResolve, "DW-1", r.At)); booking.ErrorCode(err) != booking.CodeConflict {
		t.Errorf("the same occurrence resolved twice after 096: %v; want a conflict (the unique index)", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO attention_resolved (source, source_id, since, note, staff_id, resolved_at)
		VALUES ('mail', 3, 8, 'n', 1, 80)`); err == nil {
		t.Error("a source other than outbox, email and dead_letter was taken: the CHECK is gone")
	}
}
