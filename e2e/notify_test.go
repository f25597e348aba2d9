package e2e

import (
	"context"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/booking/sandbox"
	"doorway/store"
)

// TestDemoNotificationsReachTheApp: in demo mode a change made at the sandbox EHR (a block
// booked "by phone") reaches the app's webhook and makes that time unavailable there.
func TestDemoNotificationsReachTheApp(t *testing.T) {
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
	sl := page.Slots[0]
	block := booking.Appointment{VisitNumber: "PHONE-BLOCK-1", Start: sl.Start, Minutes: sl.Minutes,
		Provider: sl.Provider, Location: sl.Location, Reason: "Staff meeting"}
	if err := ehr.Book(ctx, block); err != nil {
		t.Fatalf("block at the sandbox: %v", err)
	}
	// The app's database, opened while the app runs: SQLite in WAL mode lets a second
	// process read it.
	db, err := store.Open(ctx, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		busy, err := db.BusyIntervals(ctx, sl.Start, sl.End())
		if err != nil {
			t.Fatal(err)
		}
		if len(busy) == 1 && busy[0].ProviderID == sl.Provider.ID {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sandbox's notification did not reach the app's mirror in 15 s (busy = %+v)", busy)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
