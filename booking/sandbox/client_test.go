package sandbox

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
)

// TestRedoxClientAgainstSandbox runs Doorway's real Redox client against the sandbox, with
// each login the client supports: the two halves must agree on the whole wire contract.
func TestRedoxClientAgainstSandbox(t *testing.T) {
	tests := []struct {
		name string
		cfg  redox.Config
	}{
		{"OAuth HS384", redox.Config{ClientID: DemoClientID, Secret: DemoSecret}},
		{"legacy", redox.Config{APIKey: DemoAPIKey, APISecret: DemoSecret}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			cfg := tt.cfg
			cfg.BaseURL, cfg.DestinationID, cfg.Test, cfg.Now = f.ts.URL, "sandbox-ehr", true, f.clock.Now
			client, err := redox.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			q := week()
			q.Providers = []booking.ProviderRef{{ID: "1365042179", IDType: "NPI"}}
			q.VisitType = booking.Coded{Code: "INJURY", Codeset: "DoorwayVisitType"}
			page, err := client.AvailableSlots(ctx, q)
			if err != nil || len(page.Slots) == 0 {
				t.Fatalf("AvailableSlots: got %d slots, %v; want some", len(page.Slots), err)
			}
			checkAnswer(t, f.srv.def, q, page.Slots)
			a := appointmentFor(page.Slots[i], "CL-1")
			if err := client.Book(ctx, a); err != nil {
				t.Fatalf("Book: %v", err)
			}
			if err := client.Book(ctx, appointmentFor(page.Slots[i], "CL-2")); booking.ErrorCode(err) != booking.CodeSlotTaken {
				t.Errorf("Book of a taken time: got %v, want slot_taken", err)
			}
			visits, err := client.Booked(ctx, booking.BookedQuery{Start: q.Start, End: q.End, Patient: a.Patient.Identifiers})
			if err != nil || len(visits.Visits) != 1 || visits.Visits[0].VisitNumber != "CL-1" || visits.Visits[0].Status != booking.StatusBooked {
				t.Fatalf("Booked: got %+v, %v; want CL-1 booked", visits.Visits, err)
			}
			if err := client.Cancel(ctx, a, "test"); err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			if err := client.Cancel(ctx, appointmentFor(page.Slots[i], "NOPE"), "test"); booking.ErrorCode(err) == "" {
				t.Errorf("Cancel of an unknown visit: got no error")
			}
			var events []string
			for _, m := range f.srv.Received() {
				events = append(events, m.Meta.EventType)
			}
			want := []string{"AvailableSlots", "New", "New", "Booked", "Cancel", "Cancel"}
			if len(events) != len(want) {
				t.Fatalf("Received: got %v, want %v", events, want)
			}
			for j := range want {
				if events[j] != want[j] {
					t.Errorf("Received[%d]: got %s, want %s", j, events[j], want[j])
				}
			}
		})
	}
}

// BenchmarkMonthOfEightProviders is a month of open times for the 8 providers who offer the
// demo clinic's sick visit, end to end but for the page: Doorway's booking service asks the
// sandbox EHR through the real Redox client over HTTP, one query per day as the times page
// does, with no cache (every day asked anew), for 30 days (two 14-day pages and one of 2),
// and keeps what is offered (held, booked and busy times read from a SQLite store).
//
//	go test ./booking/sandbox/ -run '^$' -bench MonthOfEightProviders -benchmem -count 3
func BenchmarkMonthOfEightProviders(b *testing.B) {
	f := newFixture(b)
	client, err := redox.NewClient(redox.Config{BaseURL: f.ts.URL, ClientID: DemoClientID, Secret: DemoSecret,
		DestinationID: "sandbox-ehr", Test: true, Now: f.clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "doorway.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	def := f.srv.def
	svc := booking.NewService(booking.Config{Clinic: &def.Clinic, EHR: client, Holds: db, Appointments: db, Mirror: db,
		Now: f.clock.Now, CacheFor: -1})
	vt, _ := def.Clinic.VisitType("SICK")
	if len(vt.Providers) != 8 {
		b.Fatalf("the sick visit has %d providers, want 8", len(vt.Providers))
	}
	first := def.Clinic.Today(testNow).AddDate(0, 0, 1)
	pages := [][2]int{{0, 13}, {14, 27}, {28, 29}}
	found := 0
	b.ReportAllocs()
	for b.Loop() {
		found = 0
		for _, pg := range pages {
			p := booking.Preferences{VisitType: "SICK", From: first.AddDate(0, 0, pg[0]).Format(time.DateOnly),
				To: first.AddDate(0, 0, pg[1]).Format(time.DateOnly)}
			w, err := svc.Week(context.Background(), p, "bench", booking.WeekView{PerPage: 4, CellTimes: 3})
			if err != nil {
				b.Fatal(err)
			}
			found += w.Total()
		}
	}
	b.ReportMetric(float64(found), "open-times")
}
