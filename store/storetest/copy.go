package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// testCopyFromSQLite: a SQLite database in use (a session, a hold, a delivered and a pending
// booking with attempts, a claim in flight, the EHR's mirror, pushed slots, a dead letter) copied into an
// empty database of the backend under test (store.Copy, behind `doorway migrate-db`) reads
// back the same through the store, and the target goes on working: new outbox messages get
// fresh ids, the interrupted claim is handed out again. A second copy into it is refused.
func testCopyFromSQLite(t *testing.T, s suite) {
	ctx := context.Background()
	src := open(t, SQLiteDSN(t))
	c := newClock()
	_, cookie := visit(t, sessionStore(src, c, testKeys(0)...), nil, setAnswers)
	must(t, src.PutHold(ctx, testHold("holder", testSlot("P1", t0.Add(5*time.Hour), 30), t0), t0))
	vns := queue(t, src, 2)
	msgs, err := src.DueMessages(ctx, t0, 2)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("DueMessages = %d, %v", len(msgs), err)
	}
	must(t, src.RecordAttempt(ctx, msgs[0].ID, "", true, time.Time{}, t0)) // the second stays claimed
	block := booking.Appointment{VisitNumber: "EHR-9", Start: t0.Add(7 * time.Hour), Minutes: 60,
		Provider: booking.ProviderRef{ID: "P2"}, Location: booking.LocationRef{Department: "ORTHO"}, Reason: "Block"}
	if _, err := src.ApplyNotification(ctx, booking.Notification{Key: "n1", Event: "New", Appointment: block}, t0); err != nil {
		t.Fatal(err)
	}
	pushed := testSlot("P3", t0.Add(9*time.Hour), 30)
	if _, err := src.SavePush(ctx, booking.SlotPush{Key: "d1", Slots: []booking.Slot{pushed}}, t0); err != nil {
		t.Fatal(err)
	}
	deadID, _, err := deadLetters(t, src, deadSecret(0)).AddDeadLetter(ctx, testDeadLetter("dead-1"))
	must(t, err)
	lobby := mustKiosk(t)(src.AddKiosk(ctx, booking.Kiosk{Name: "Lobby", Location: "north", CodeExpires: t0.Add(time.Hour), CreatedAt: t0}, "h-lobby",
		booking.AuditEntry{At: t0, Action: booking.AuditKioskCreate}))

	dst := s.db(t)
	counts, err := store.Copy(ctx, dst, src)
	if err != nil {
		t.Fatalf("Copy = %v", err)
	}
	t.Logf("copied %v", counts)
	if len(counts) == 0 {
		t.Error("Copy reported no table")
	}
	for _, tc := range counts { // what `doorway migrate-db` reports: each table's rows, all of them
		if want := count(t, src, tc.Table); tc.Rows != want || count(t, dst, tc.Table) != want {
			t.Errorf("%s: Copy reported %d rows, the target has %d; want the source's %d", tc.Table, tc.Rows, count(t, dst, tc.Table), want)
		}
	}
	if got, _ := visit(t, sessionStore(dst, c, testKeys(0)...), cookie, nil); got.IsNew || got.Values["answers"] == nil {
		t.Error("the session did not survive the copy")
	}
	if _, err := dst.SessionHold(ctx, "holder", t0); err != nil {
		t.Errorf("hold after copy: %v", err)
	}
	if a, err := dst.Appointment(ctx, vns[0]); err != nil || a.Status != booking.StatusBooked || a.Patient.LastName != "Lovelace" {
		t.Errorf("delivered appointment after copy = %+v, %v; want booked with its patient", a.Status, err)
	}
	if at, err := dst.Attempts(ctx, vns[0]); err != nil || len(at) != 1 {
		t.Errorf("attempts after copy = %d, %v; want 1", len(at), err)
	}
	if busy, err := dst.BusyIntervals(ctx, t0, t0.Add(24*time.Hour)); err != nil || len(busy) != 1 {
		t.Errorf("busy after copy = %+v, %v; want the EHR's block", busy, err)
	}
	if slots, err := dst.CachedSlots(ctx, t0, t0.Add(24*time.Hour)); err != nil || len(slots) != 1 {
		t.Errorf("cached slots after copy = %d, %v; want 1", len(slots), err)
	}
	if n, err := dst.ReleaseClaims(ctx, t0.Add(time.Second)); err != nil || n != 1 {
		t.Errorf("ReleaseClaims after copy = %d, %v; want the claim the stopped process left", n, err)
	}
	due, err := dst.DueMessages(ctx, t0.Add(time.Second), 10)
	if err != nil || len(due) != 1 || due[0].VisitNumber != vns[1] || !due[0].Interrupted {
		t.Errorf("due after copy = %+v, %v; want the pending message, interrupted", due, err)
	}
	dl := deadLetters(t, dst, deadSecret(0))
	if d, err := dl.DeadLetter(ctx, deadID); err != nil || string(d.Body) != deadBody {
		t.Errorf("dead letter after copy: %v; want its body readable with the same secret", err)
	}
	if id, added, err := dl.AddDeadLetter(ctx, testDeadLetter("dead-2")); err != nil || !added || id <= deadID {
		t.Errorf("a dead letter after copy = %d, %v, %v; want a fresh id after %d", id, added, err, deadID)
	}
	if k, err := dst.EnrollKiosk(ctx, "h-lobby", t0, booking.AuditEntry{At: t0, Action: booking.AuditKioskEnroll}); err != nil || k.ID != lobby.ID {
		t.Errorf("enrolling the copied kiosk = %+v, %v; want the lobby, its code still good", k, err)
	}
	if k, err := dst.AddKiosk(ctx, booking.Kiosk{Name: "New", Location: "north", CreatedAt: t0}, "h-new", booking.AuditEntry{At: t0}); err != nil || k.ID <= lobby.ID {
		t.Errorf("a kiosk after copy = %+v, %v; want a fresh id after %d", k, err, lobby.ID)
	}
	later := book(t, dst, "later", testSlot("P1", t0.Add(20*time.Hour), 30), "k-later")
	if a, err := dst.Appointment(ctx, later.VisitNumber); err != nil || a.VisitNumber == "" {
		t.Errorf("booking after copy: %v", err)
	}
	if _, err := store.Copy(ctx, dst, src); err == nil || errors.Is(err, context.Canceled) {
		t.Errorf("second Copy into a used database = %v; want refused", err)
	}
}
