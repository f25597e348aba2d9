package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
)

// TestDeadLettersCommand: `doorway dead-letters` lists the dead letters without a word of
// their bodies, and -replay applies one once, after a fix: here a New beyond the demo
// clinic's 90-day horizon, replayed with a clinic file reaching two years ahead.
func TestDeadLettersCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "doorway.db")
	start := time.Now().UTC().Add(200 * 24 * time.Hour).Truncate(time.Hour).Format(time.RFC3339)
	body := `{"Meta":{"DataModel":"Scheduling","EventType":"New","Logs":[{"ID":"log-far"}]},
	 "Patient":{"Demographics":{"FirstName":"Zebulon","LastName":"Quixotewright","DOB":"1977-08-19"}},
	 "Visit":{"VisitNumber":"EHR-FAR","VisitDateTime":"` + start + `","Duration":30,"Reason":"xylophone elbow twinges",
	  "AttendingProvider":{"ID":"1111111111","IDType":"NPI"},"Location":{"Department":"North FM"}}}`
	id := keepDeadLetter(t, dbPath, body)

	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"dead-letters", "-db", dbPath}, args...), func(string) string { return "" }, &out)
		return out.String(), err
	}
	list, err := run()
	t.Logf("doorway dead-letters:\n%s", list)
	if err != nil || !strings.Contains(list, "out_of_range") || !strings.Contains(list, "Visit.VisitDateTime") ||
		!strings.Contains(list, "New") || strings.Count(strings.TrimSpace(list), "\n") != 1 {
		t.Fatalf("list = %q, %v; want a header and the dead letter", list, err)
	}
	for _, private := range []string{"Zebulon", "Quixotewright", "1977-08-19", "xylophone"} {
		if strings.Contains(list, private) {
			t.Errorf("the list shows %q", private)
		}
	}
	if _, err := run("-replay", id); err == nil || !strings.Contains(err.Error(), "Visit.VisitDateTime") {
		t.Errorf("replay before the fix: %v; want it refused again, naming the field", err)
	}
	clinic := filepath.Join(dir, "clinic.yaml")
	yaml, err := os.ReadFile("testdata/clinic-200.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(clinic, bytes.Replace(yaml, []byte("horizon_days: 90"), []byte("horizon_days: 731"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := run("-replay", id, "-clinic", clinic); err != nil || !strings.Contains(out, "replayed: applied") {
		t.Fatalf("replay after the fix: %q, %v", out, err)
	}
	if _, err := run("-replay", id, "-clinic", clinic); err == nil || !strings.Contains(err.Error(), "replayed at") {
		t.Errorf("a second replay: %v; want refused", err)
	}
	if out, err := run(); err != nil || !strings.Contains(out, "no dead letters waiting") {
		t.Errorf("list after the replay = %q, %v", out, err)
	}
	if out, err := run("-all"); err != nil || !strings.Contains(out, "out_of_range") {
		t.Errorf("list -all = %q, %v; want the replayed letter", out, err)
	}
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var inbox, visits int
	if err := db.QueryRow(`SELECT count(*) FROM inbox`).Scan(&inbox); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM ehr_visits WHERE visit_number = 'EHR-FAR'`).Scan(&visits); err != nil {
		t.Fatal(err)
	}
	if inbox != 1 || visits != 1 {
		t.Errorf("inbox %d, mirrored visits %d; want the replayed delivery applied once", inbox, visits)
	}
}

// keepDeadLetter has a service like serve's (the demo clinic, the session keys generated
// beside the database) receive body, which it must keep as a dead letter; it returns its id.
func keepDeadLetter(t *testing.T, dbPath, body string) string {
	t.Helper()
	ctx := context.Background()
	cfg, err := parseServeConfig([]string{"-db", dbPath}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, err := storeKeys(ctx, db, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	dl, err := store.NewDeadLetterStore(db, deadLetterSecrets(keys)...)
	if err != nil {
		t.Fatal(err)
	}
	def, err := loadClinic("")
	if err != nil {
		t.Fatal(err)
	}
	svc := booking.NewService(booking.Config{Clinic: &def.Clinic, Mirror: db, SlotCache: db, DeadLetters: dl})
	r, err := svc.Deliver(ctx, []byte(body), redox.ParseInbound)
	if err != nil || r.DeadLetter == nil {
		t.Fatalf("Deliver = %+v, %v; want a dead letter", r, err)
	}
	return strconv.FormatInt(r.DeadLetter.ID, 10)
}

func TestDeadLettersConfig(t *testing.T) {
	none := func(string) string { return "" }
	if c, err := parseDeadLettersConfig(nil, none); err != nil || c.DB != "./data/doorway.db" || c.Replay != 0 || c.dataDir() != "data" {
		t.Errorf("defaults = %+v, %v; want serve's database, listing", c, err)
	}
	env := func(k string) string {
		return map[string]string{"DOORWAY_DB": "/srv/d.db", "DOORWAY_CLINIC": "/etc/c.yaml"}[k]
	}
	if c, err := parseDeadLettersConfig([]string{"-replay", "7"}, env); err != nil || c.DB != "/srv/d.db" || c.Clinic != "/etc/c.yaml" || c.Replay != 7 {
		t.Errorf("serve's environment = %+v, %v; want its database and clinic", c, err)
	}
	for _, args := range [][]string{{"-replay", "-1"}, {"-replay", "2", "-all"}, {"-replay", "two"}} {
		if _, err := parseDeadLettersConfig(args, none); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
