package sandbox

import (
	"context"
	"testing"

	"doorway/booking"
	"doorway/booking/redox"
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
