package e2e

import (
	"context"
	"net/url"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// TestFunnelCountsSurviveARestart: a patient searches and books through the built binary and
// the demo admin sees it on the numbers page; the counts are in the database after a stop
// (SIGTERM). A second run on the same database, stopped right after one more search (most
// likely before its flush loop's first tick), adds that search: the last flush runs after
// the web server has stopped, before the database closes.
func TestFunnelCountsSurviveARestart(t *testing.T) {
	a := startDemo(t, launch{})
	p := newPatient(1, a.URL, patientTransport(), newCodeCounter())
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	v, err := p.times()
	if err != nil || len(v.Refs) == 0 {
		t.Fatalf("the open times: %d, %v", len(v.Refs), err)
	}
	if _, held, err := p.book(v.Refs[0]); err != nil || !held {
		t.Fatalf("booking: held %v, %v", held, err)
	}
	admin := signInDemoDesk(t, a.URL)
	numbers, err := admin.get("/desk/funnel")
	if err != nil {
		t.Fatal(err)
	}
	total := numbers.doc.Find("[data-testid=funnel-days] tfoot")
	if s, b := total.Find("[data-col=searches]").Text(), total.Find("[data-col=bookings]").Text(); s != "1" || b != "1" {
		t.Errorf("the admin's numbers: %s searches and %s bookings in total, want 1 and 1", s, b)
	}
	if !a.Stop(t) {
		return
	}
	want := map[booking.FunnelEvent]int64{booking.EventSearch: 1, booking.EventHold: 1, booking.EventBooking: 1}
	if got := funnelTotals(t, a.DB); got[booking.EventSearch] != 1 || got[booking.EventHold] != 1 || got[booking.EventBooking] != 1 {
		t.Fatalf("counts after a stop: %v, want %v", got, want)
	}

	again := startDemo(t, launch{DB: a.DB})
	q := newPatient(2, again.URL, patientTransport(), newCodeCounter())
	if err := q.begin(); err != nil {
		t.Fatal(err)
	}
	if _, err := q.times(); err != nil {
		t.Fatal(err)
	}
	again.Stop(t)
	if got := funnelTotals(t, a.DB); got[booking.EventSearch] != 2 {
		t.Errorf("searches after a second run: %d, want 2", got[booking.EventSearch])
	}
}

// signInDemoDesk signs in as the demo's front desk account (an admin) and returns its
// browser. The account is made just after the app prints its address: a sign-in before
// that is tried again, a few times (five failures lock the account).
func signInDemoDesk(t *testing.T, base string) *patient {
	t.Helper()
	b := newPatient(0, base, patientTransport(), newCodeCounter())
	for try := 0; ; try++ {
		if _, err := b.get("/desk/login"); err != nil {
			t.Fatal(err)
		}
		to, err := b.submit("/desk/login", url.Values{"email": {"desk@demo.doorway"}, "password": {"demo-desk-password"}})
		if err == nil && to == "/desk" {
			return b
		}
		if try == 3 {
			t.Fatalf("the demo desk account cannot sign in: %q %v", to, err)
		}
		time.Sleep(time.Second)
	}
}

// funnelTotals reads the funnel counts of the app's database at path, by event.
func funnelTotals(t *testing.T, path string) map[booking.FunnelEvent]int64 {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts, err := db.FunnelCounts(ctx, booking.FunnelQuery{From: "2000-01-01", To: "2999-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[booking.FunnelEvent]int64{}
	for _, c := range counts {
		out[c.Event] += c.N
	}
	return out
}
