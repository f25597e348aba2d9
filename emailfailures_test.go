package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// TestEmailFailuresCommand: `doorway email-failures` lists an email the server refused, by
// visit and SMTP code, without the patient's address; an email still being retried is not a
// failure.
func TestEmailFailuresCommand(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "doorway.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	sl := booking.Slot{Start: now.Add(48 * time.Hour), Minutes: 20, Provider: booking.ProviderRef{ID: "1111111111", IDType: "NPI"},
		Location: booking.LocationRef{Department: "North FM"}}
	if err := db.PutHold(ctx, booking.Hold{ID: "h", SessionID: "s", Slot: sl, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now); err != nil {
		t.Fatal(err)
	}
	a := booking.Appointment{VisitNumber: "DW-REFUSED1", Start: sl.Start, Minutes: 20, Provider: sl.Provider, Location: sl.Location,
		Patient: booking.Patient{FirstName: "Zebulon", LastName: "Quixotewright", Email: "zq.patient@example.org",
			Identifiers: []booking.Identifier{{ID: "P-1", IDType: "DoorwayPatientID"}}}}
	if _, _, err := db.CreateAppointment(ctx, booking.Booking{Key: "k", SessionID: "s", Appointment: a, Mail: booking.Mail{Send: true}}, now); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []booking.OutboxKind{booking.OutboxNew, booking.OutboxEmailConfirm} {
		claim := db.DueMessages
		if kind != booking.OutboxNew {
			claim = db.DueEmails
		}
		msgs, err := claim(ctx, now, 1)
		if err != nil || len(msgs) != 1 || msgs[0].Kind != kind {
			t.Fatalf("due: %+v %v, want the %s", msgs, err, kind)
		}
		errText := ""
		if kind == booking.OutboxEmailConfirm {
			errText = "rejected: smtp sending SMTP RCPT TO command: 550 5.1.1"
		}
		if err := db.RecordAttempt(ctx, msgs[0].ID, errText, true, now, now); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	var out bytes.Buffer
	err = run(ctx, []string{"email-failures", "-db", dbPath}, func(string) string { return "" }, &out)
	t.Logf("doorway email-failures:\n%s", out.String())
	if err != nil || !strings.Contains(out.String(), "DW-REFUSED1") || !strings.Contains(out.String(), "EmailConfirm") ||
		!strings.Contains(out.String(), "550 5.1.1") {
		t.Fatalf("%q %v, want the refused confirmation", out.String(), err)
	}
	for _, private := range []string{"zq.patient", "Zebulon", "Quixotewright"} {
		if strings.Contains(out.String(), private) {
			t.Errorf("the list shows %q", private)
		}
	}
}
