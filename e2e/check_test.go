package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
	"doorway/store/sqlite"
)

// What a run left behind, read back: the EHR asked over its Redox API, and both databases
// (SQLite files, or the app's PostgreSQL schema) opened after shutdown (or, for a count, while
// the app runs: WAL lets a second process read).

// ehrClient is a Redox client of an EHR (the sandbox) with the demo credentials.
func ehrClient(t testing.TB, baseURL string) *redox.Client {
	t.Helper()
	c, err := redox.NewClient(redox.Config{BaseURL: baseURL, ClientID: "demo", Secret: "demo-secret",
		DestinationID: "integrity-test", Test: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitBooked asks the EHR (Scheduling.Booked) until it answers want live visits for q, or
// the time is up, and returns them.
func waitBooked(t testing.TB, ehrURL string, q booking.BookedQuery, want int, within time.Duration) []booking.Appointment {
	t.Helper()
	c := ehrClient(t, ehrURL)
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		page, err := c.Booked(ctx, q)
		cancel()
		var live []booking.Appointment
		for _, v := range page.Visits {
			if v.Status == booking.StatusBooked || v.Status == booking.StatusArrived {
				live = append(live, v)
			}
		}
		if err == nil && len(live) == want || time.Now().After(deadline) {
			if err != nil || len(live) != want {
				t.Fatalf("the EHR has %d live visits, want %d (err %v)", len(live), want, err)
			}
			return live
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// visitRow is a live visit read from one of the databases.
type visitRow struct {
	VisitNumber, Provider, Status string
	Start, End                    int64
}

// checkDatabases reads both databases after shutdown and fails the test on any double
// booking (two live visits of one provider overlapping, in Doorway or in the EHR), on a live
// Doorway appointment not booked, or not in the EHR exactly once, or in the EHR but not in
// Doorway, on a confirmed visit number missing, and on anything left in Doorway's outbox.
func checkDatabases(t testing.TB, appDB, ehrDB string, confirmed map[string]bool) {
	t.Helper()
	app := readVisits(t, appDB, `SELECT visit_number, provider_id, status, start_unix, end_unix
		FROM appointments WHERE status IN ('requested', 'booked')`)
	ehr := readVisits(t, ehrDB, `SELECT visit_number, provider_id, status, start_unix, end_unix
		FROM sandbox_visits WHERE is_block = 0 AND status NOT IN ('canceled', 'noshow')`)
	for _, o := range overlapping(app) {
		t.Errorf("double booking in Doorway: %s", o)
	}
	for _, o := range overlapping(ehr) {
		t.Errorf("double booking in the EHR: %s", o)
	}
	inEHR := map[string]int{}
	for _, v := range ehr {
		inEHR[v.VisitNumber]++
	}
	inApp := map[string]bool{}
	for _, v := range app {
		inApp[v.VisitNumber] = true
		if v.Status != string(booking.StatusBooked) {
			t.Errorf("Doorway: visit %s is %s, want booked", v.VisitNumber, v.Status)
		}
		if inEHR[v.VisitNumber] != 1 {
			t.Errorf("the EHR has Doorway's visit %s %d times, want once", v.VisitNumber, inEHR[v.VisitNumber])
		}
	}
	for vn := range inEHR {
		if !inApp[vn] {
			t.Errorf("the EHR has visit %s, which Doorway has not booked", vn)
		}
	}
	for vn := range confirmed {
		if !inApp[vn] {
			t.Errorf("confirmed visit %s is not a live appointment in Doorway", vn)
		}
	}
	if n := countRows(t, appDB, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL`); n != 0 {
		t.Errorf("Doorway's outbox still has %d undelivered messages", n)
	}
}

// overlapping describes every pair of rows of one provider whose times overlap.
func overlapping(rows []visitRow) []string {
	byProvider := map[string][]visitRow{}
	for _, r := range rows {
		byProvider[r.Provider] = append(byProvider[r.Provider], r)
	}
	var out []string
	for p, rs := range byProvider {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
		for i := 1; i < len(rs); i++ {
			for j := i - 1; j >= 0; j-- {
				if rs[j].End > rs[i].Start {
					out = append(out, fmt.Sprintf("provider %s: %s (%s) and %s (%s) at %v", p, rs[j].VisitNumber,
						rs[j].Status, rs[i].VisitNumber, rs[i].Status, time.Unix(rs[i].Start, 0).UTC()))
				}
			}
		}
	}
	return out
}

// openDB opens a SQLite file, or the PostgreSQL database (and schema) a postgres:// URL names.
func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", sqlite.DSN(path)
	if store.IsPostgres(path) {
		driver, dsn = "pgx", path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func readVisits(t testing.TB, path, query string) []visitRow {
	t.Helper()
	rows, err := openDB(t, path).Query(query)
	if err != nil {
		t.Fatalf("%s: %v", dbName(path), err)
	}
	defer rows.Close()
	var out []visitRow
	for rows.Next() {
		var r visitRow
		if err := rows.Scan(&r.VisitNumber, &r.Provider, &r.Status, &r.Start, &r.End); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func countRows(t testing.TB, path, query string, args ...any) int {
	t.Helper()
	var n int
	if err := openDB(t, path).QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", dbName(path), err)
	}
	return n
}

// dbName names a database for messages without its connection string's details.
func dbName(path string) string {
	if store.IsPostgres(path) {
		return "the app's PostgreSQL database"
	}
	return filepath.Base(path)
}
