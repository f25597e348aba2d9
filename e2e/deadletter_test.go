package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/booking/sandbox"
)

// TestInapplicableDeliveryDoesNotStallTheFeed is issue 17's acceptance run: the sandbox EHR
// delivers ten notifications in order to a real Doorway, and the third cannot be applied (a
// block 200 days ahead, beyond the clinic's 90-day horizon: the EHR takes it, Doorway keeps no
// schedule that far). Redox would pause the whole feed on a 400 and retry that message
// forever; Doorway answers 200 and keeps a dead letter, so the other nine are applied, in
// order, each delivered at the first attempt, and exactly one dead letter is left. The
// `doorway dead-letters` command then lists it (reason, no body) and refuses to replay it
// while it still cannot be applied.
func TestInapplicableDeliveryDoesNotStallTheFeed(t *testing.T) {
	a := startDemo(t, launch{})
	ctx := context.Background()
	ehr, err := redox.NewClient(redox.Config{BaseURL: a.SandboxURL, ClientID: sandbox.DemoClientID,
		Secret: sandbox.DemoSecret, DestinationID: "sandbox-ehr", Test: true})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	page, err := ehr.AvailableSlots(ctx, booking.SlotQuery{Start: now, End: now.Add(7 * 24 * time.Hour)})
	if err != nil || len(page.Slots) == 0 {
		t.Fatalf("no open slot at the sandbox: %v", err)
	}
	dept := page.Slots[0].Location
	// Department-wide blocks at night, three days ahead: nothing else is there, and a block
	// needs no template.
	night := now.Truncate(24 * time.Hour).Add(3*24*time.Hour + 4*time.Hour)
	block := func(n int, start time.Time) booking.Appointment {
		return booking.Appointment{VisitNumber: fmt.Sprintf("FEED-%d", n), Start: start, Minutes: 20,
			Location: dept, Reason: "Department meeting"}
	}
	at := func(i int) time.Time { return night.Add(time.Duration(i) * 30 * time.Minute) }
	blocks := map[int]booking.Appointment{}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8} { // deliveries 1 to 8: New
		b := block(n, at(n))
		if n == 3 {
			b.Start = now.Truncate(time.Hour).Add(200 * 24 * time.Hour)
		}
		if err := ehr.Book(ctx, b); err != nil {
			t.Fatalf("block %d at the sandbox: %v", n, err)
		}
		blocks[n] = b
	}
	moved := blocks[2]
	moved.Start = at(12)
	if err := ehr.Modify(ctx, moved); err != nil { // delivery 9: block 2 moves
		t.Fatalf("modify block 2: %v", err)
	}
	if err := ehr.Cancel(ctx, blocks[1], "meeting off"); err != nil { // delivery 10: block 1 goes
		t.Fatalf("cancel block 1: %v", err)
	}

	sandboxDB := filepath.Join(filepath.Dir(a.DB), "sandbox.db")
	deadline := time.Now().Add(20 * time.Second)
	for countRows(t, sandboxDB, `SELECT count(*) FROM sandbox_notifications WHERE delivered_at IS NOT NULL`) < 10 {
		if time.Now().After(deadline) {
			t.Fatalf("the feed stalled: %d of 10 delivered in 20 s; app log:\n%s",
				countRows(t, sandboxDB, `SELECT count(*) FROM sandbox_notifications WHERE delivered_at IS NOT NULL`), tail(a.Log))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := countRows(t, sandboxDB, `SELECT count(*) FROM sandbox_notifications WHERE attempts <> 1`); n != 0 {
		t.Errorf("%d deliveries needed more than one attempt: the feed paused", n)
	}
	if n := countRows(t, a.DB, `SELECT count(*) FROM inbox`); n != 9 {
		t.Errorf("%d deliveries applied, want 9", n)
	}
	if n := countRows(t, a.DB, `SELECT count(*) FROM dead_letters WHERE event = 'New' AND field = 'Visit.VisitDateTime' AND replayed_at IS NULL`); n != 1 ||
		countRows(t, a.DB, `SELECT count(*) FROM dead_letters`) != 1 {
		t.Errorf("dead letters: %d for the far block, %d in all; want exactly that one", n, countRows(t, a.DB, `SELECT count(*) FROM dead_letters`))
	}
	// In order: the Modification after its New leaves block 2 at its new time, the Cancel
	// after its New leaves block 1 canceled; the far block is not in the schedule.
	want := map[string]string{"FEED-1": "canceled", "FEED-2": "booked", "FEED-4": "booked", "FEED-8": "booked"}
	for vn, status := range want {
		if n := countRows(t, a.DB, `SELECT count(*) FROM ehr_visits WHERE visit_number = $1 AND status = $2`, vn, status); n != 1 {
			t.Errorf("%s is not %s in the app's schedule", vn, status)
		}
	}
	if n := countRows(t, a.DB, `SELECT count(*) FROM ehr_visits WHERE visit_number = 'FEED-2' AND start_unix = $1`, moved.Start.Unix()); n != 1 {
		t.Error("block 2 is not at the time its Modification gave it: applied out of order?")
	}
	if n := countRows(t, a.DB, `SELECT count(*) FROM ehr_visits WHERE visit_number = 'FEED-3'`); n != 0 {
		t.Error("the far block is in the schedule")
	}
	wantMetric(t, a.URL, `doorway_webhook_dead_letters_total{event="New",reason="out_of_range"} 1`)

	list, err := deadLetters(t, "-db", a.DB)
	if err != nil || !strings.Contains(list, "out_of_range") || !strings.Contains(list, "Visit.VisitDateTime") ||
		strings.Contains(list, "Department meeting") || strings.Contains(list, "FEED-3") {
		t.Errorf("doorway dead-letters = %q, %v; want the reason and nothing of the body", list, err)
	}
	out, err := deadLetters(t, "-db", a.DB, "-replay", "1")
	if err == nil || !strings.Contains(out, "Visit.VisitDateTime") {
		t.Errorf("replay while still beyond the horizon = %q, %v; want refused, naming the field", out, err)
	}
}

// deadLetters runs `doorway dead-letters args...` and returns what it printed.
func deadLetters(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(needBinary(t), append([]string{"dead-letters"}, args...)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// wantMetric fails unless /metrics has the line.
func wantMetric(t *testing.T, base, line string) {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(b), line) {
		t.Errorf("/metrics lacks %s", line)
	}
}
