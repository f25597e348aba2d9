package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// The store's part of managing an appointment: codes, moves, cancels and their audit rows.

func patientAudit(action, visit string) booking.AuditEntry {
	return booking.AuditEntry{At: t0, Action: action, Actor: booking.Actor{Kind: "patient", Session: "s-hash", IP: "192.0.2.7", UserAgent: "test"},
		VisitNumber: visit}
}

// delivered claims the next due message, wants it to be of kind for visit, and records its
// outcome (errText empty: delivered).
func delivered(t *testing.T, db *store.DB, kind booking.OutboxKind, visit, errText string) {
	t.Helper()
	ctx := context.Background()
	msgs, err := db.DueMessages(ctx, t0, 1)
	if err != nil || len(msgs) != 1 || msgs[0].Kind != kind || msgs[0].VisitNumber != visit {
		t.Fatalf("due = %+v, %v; want the %s of %s", msgs, err, kind, visit)
	}
	must(t, db.RecordAttempt(ctx, msgs[0].ID, errText, true, time.Time{}, t0))
}

func testAppointmentByCode(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	must(t, db.PutHold(ctx, testHold("A", sl, t0), t0))
	a := testAppointment(sl)
	a.Code = "K7M-4QX"
	if _, _, err := db.CreateAppointment(ctx, booking.Booking{Key: "k", SessionID: "A", Appointment: a}, t0); err != nil {
		t.Fatal(err)
	}
	got, err := db.AppointmentByCode(ctx, "K7M-4QX")
	if err != nil || got.VisitNumber != a.VisitNumber || got.Code != "K7M-4QX" || got.Patient.LastName != "Lovelace" {
		t.Fatalf("by code: %+v, %v", got, err)
	}
	if _, err := db.AppointmentByCode(ctx, "K7M-4QY"); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("an unknown code: %v, want not found", err)
	}
	sl2 := testSlot("P1", t0.Add(3*time.Hour), 30)
	must(t, db.PutHold(ctx, testHold("B", sl2, t0), t0))
	b := testAppointment(sl2)
	b.Code = a.Code
	if _, _, err := db.CreateAppointment(ctx, booking.Booking{Key: "k2", SessionID: "B", Appointment: b}, t0); booking.MsgOf(err) != booking.MsgCodeInUse {
		t.Errorf("a second appointment with the code: %v, want code in use (to draw another)", err)
	}
	if n := count(t, db, "appointments"); n != 1 {
		t.Errorf("%d appointments after the refused one, want 1", n)
	}
}

// testCancelIsAuditedOrNotDone: the cancel and its audit row commit together. With the audit
// table gone, the cancel fails and leaves nothing: the appointment booked, no Cancel queued.
func testCancelIsAuditedOrNotDone(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k")
	must(t, db.SetStatus(ctx, a.VisitNumber, booking.StatusBooked, t0))
	must(t, db.CancelAppointment(ctx, a.VisitNumber, "conflict", booking.Mail{}, patientAudit(booking.AuditCancel, a.VisitNumber), t0))
	entries, err := db.AuditEntries(ctx, a.VisitNumber)
	if err != nil || len(entries) != 1 || entries[0].Action != booking.AuditCancel || entries[0].Actor.IP != "192.0.2.7" {
		t.Fatalf("audit = %+v, %v", entries, err)
	}

	b := book(t, db, "B", testSlot("P1", t0.Add(3*time.Hour), 30), "k2")
	must(t, db.SetStatus(ctx, b.VisitNumber, booking.StatusBooked, t0))
	outbox := count(t, db, "outbox")
	if _, err := db.Exec(`DROP TABLE audit`); err != nil {
		t.Fatal(err)
	}
	if err := db.CancelAppointment(ctx, b.VisitNumber, "conflict", booking.Mail{}, patientAudit(booking.AuditCancel, b.VisitNumber), t0); err == nil {
		t.Fatal("a cancel whose audit row could not be written succeeded")
	}
	if got := appointment(t, db, b.VisitNumber); got.Status != booking.StatusBooked {
		t.Errorf("after the failed cancel the appointment is %s, want booked", got.Status)
	}
	if n := count(t, db, "outbox"); n != outbox {
		t.Errorf("the failed cancel queued %d messages", n-outbox)
	}
}

// reschedule books a move of old to sl for session, with key.
func reschedule(t *testing.T, db *store.DB, old booking.Appointment, session string, sl booking.Slot, key string) booking.Appointment {
	t.Helper()
	ctx := context.Background()
	must(t, db.PutHold(ctx, testHold(session, sl, t0), t0))
	a := testAppointment(sl)
	a.Replaces, a.Code = old.VisitNumber, "RRR-"+key[len(key)-1:]+"AA"
	got, replayed, err := db.CreateReplacement(ctx, booking.Booking{Key: key, SessionID: session, Appointment: a},
		patientAudit(booking.AuditReschedule, old.VisitNumber), t0)
	if err != nil || replayed {
		t.Fatalf("CreateReplacement = %v, replayed %v", err, replayed)
	}
	return got
}

// testRescheduleCancelsTheOldOnlyOnceTheNewIsBooked: the move's New goes first; the old
// visit's Cancel waits for it. Delivered, the old appointment is canceled and its Cancel is
// due; refused, the Cancel is dropped and the old appointment stays.
func testRescheduleCancelsTheOldOnlyOnceTheNewIsBooked(t *testing.T, s suite) {
	for _, refused := range []bool{false, true} {
		name := map[bool]string{false: "the EHR takes the new", true: "the EHR refuses the new"}[refused]
		t.Run(name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			old := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k")
			delivered(t, db, booking.OutboxNew, old.VisitNumber, "")
			moved := reschedule(t, db, old, "A", testSlot("P2", t0.Add(26*time.Hour), 30), "r1")
			if got, err := db.Replacement(ctx, old.VisitNumber); err != nil || got.VisitNumber != moved.VisitNumber {
				t.Errorf("Replacement = %+v, %v", got, err)
			}
			if got := appointment(t, db, old.VisitNumber); got.Status != booking.StatusBooked {
				t.Errorf("while the move is on its way the old one is %s, want booked", got.Status)
			}
			// The EHR is down for the New's first try: it is retried in a minute, and the
			// Cancel of the old visit must not go out meanwhile.
			msgs, err := db.DueMessages(ctx, t0, 5)
			if err != nil || len(msgs) != 1 || msgs[0].Kind != booking.OutboxNew {
				t.Fatalf("due after the move = %+v, %v; want only the New", msgs, err)
			}
			must(t, db.RecordAttempt(ctx, msgs[0].ID, "EHR down", false, t0.Add(time.Minute), t0))
			if msgs := dueAt(t, db, t0, 5); len(msgs) != 0 {
				t.Fatalf("due while the New waits for its retry = %+v, want nothing", msgs)
			}
			errText := ""
			if refused {
				errText = "slot taken"
			}
			late := t0.Add(2 * time.Minute)
			msgs, err = db.DueMessages(ctx, late, 1)
			if err != nil || len(msgs) != 1 || msgs[0].VisitNumber != moved.VisitNumber {
				t.Fatalf("due at the retry = %+v, %v; want the New", msgs, err)
			}
			must(t, db.RecordAttempt(ctx, msgs[0].ID, errText, true, time.Time{}, late))
			msgs, err = db.DueMessages(ctx, late, 5)
			must(t, err)
			oldNow := appointment(t, db, old.VisitNumber)
			newNow := appointment(t, db, moved.VisitNumber)
			switch {
			case !refused && (len(msgs) != 1 || msgs[0].Kind != booking.OutboxCancel || msgs[0].VisitNumber != old.VisitNumber):
				t.Errorf("after the New: due %+v, want the old one's Cancel", msgs)
			case !refused && (oldNow.Status != booking.StatusCanceled || newNow.Status != booking.StatusBooked):
				t.Errorf("after the New: old %s, new %s; want canceled and booked", oldNow.Status, newNow.Status)
			case refused && len(msgs) != 0:
				t.Errorf("after the refused New: due %+v, want nothing (the Cancel dropped)", msgs)
			case refused && (oldNow.Status != booking.StatusBooked || newNow.Status != booking.StatusFailed):
				t.Errorf("after the refused New: old %s, new %s; want booked and failed", oldNow.Status, newNow.Status)
			}
			if refused {
				if _, err := db.Replacement(ctx, old.VisitNumber); !errors.Is(err, booking.ErrNotFound) {
					t.Errorf("a refused move still replaces the old one: %v", err)
				}
			}
			if entries, err := db.AuditEntries(ctx, old.VisitNumber); err != nil || len(entries) != 1 || entries[0].Action != booking.AuditReschedule {
				t.Errorf("audit = %+v, %v", entries, err)
			}
		})
	}
}

// testRescheduleRefusals: one move at a time, never of a canceled appointment, and a replay
// of the same form books nothing new.
func testRescheduleRefusals(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	old := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k")
	moved := reschedule(t, db, old, "A", testSlot("P2", t0.Add(26*time.Hour), 30), "r1")
	got, replayed, err := db.CreateReplacement(ctx, booking.Booking{Key: "r1", SessionID: "A", Appointment: booking.Appointment{}},
		patientAudit(booking.AuditReschedule, old.VisitNumber), t0)
	if err != nil || !replayed || got.VisitNumber != moved.VisitNumber {
		t.Errorf("replay = %+v %v %v; want the same move", got.VisitNumber, replayed, err)
	}
	sl := testSlot("P3", t0.Add(50*time.Hour), 30)
	must(t, db.PutHold(ctx, testHold("B", sl, t0), t0))
	b := testAppointment(sl)
	b.Replaces = old.VisitNumber
	if _, _, err := db.CreateReplacement(ctx, booking.Booking{Key: "r2", SessionID: "B", Appointment: b},
		patientAudit(booking.AuditReschedule, old.VisitNumber), t0); !errors.Is(err, booking.ErrConflict) {
		t.Errorf("a second move while the first is on its way: %v, want a conflict", err)
	}
	must(t, db.RequestCancel(ctx, moved.VisitNumber, "", t0))
	other := book(t, db, "C", testSlot("P4", t0.Add(5*time.Hour), 30), "k3")
	must(t, db.RequestCancel(ctx, other.VisitNumber, "", t0))
	c := testAppointment(testSlot("P4", t0.Add(60*time.Hour), 30))
	c.Replaces = other.VisitNumber
	must(t, db.PutHold(ctx, testHold("C", c.Slot(), t0), t0))
	if _, _, err := db.CreateReplacement(ctx, booking.Booking{Key: "r3", SessionID: "C", Appointment: c},
		patientAudit(booking.AuditReschedule, other.VisitNumber), t0); !errors.Is(err, booking.ErrConflict) {
		t.Errorf("moving a canceled appointment: %v, want a conflict", err)
	}
}

func testFailedFindsCount(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	for i, at := range []time.Time{t0.Add(-20 * time.Minute), t0.Add(-5 * time.Minute), t0} {
		e := patientAudit(booking.AuditFindFailed, "DW-1")
		e.At = at
		must(t, db.Audit(ctx, e))
		if i == 2 {
			must(t, db.Audit(ctx, patientAudit(booking.AuditFind, "DW-1")))
		}
	}
	if n, err := db.FailedFinds(ctx, "DW-1", t0.Add(-15*time.Minute)); err != nil || n != 2 {
		t.Errorf("failed finds in the last 15 minutes = %d, %v; want 2", n, err)
	}
}

// testEHRMovesFollow: the EHR moving a Doorway appointment (same visit number) moves it here;
// rescheduling it to a new visit number makes the new one its replacement, the old one
// canceled, so the patient's code and link lead to the new time.
func testEHRMovesFollow(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k")
	must(t, db.SetStatus(ctx, a.VisitNumber, booking.StatusBooked, t0))
	moved := a
	moved.Start, moved.Provider = t0.Add(5*time.Hour), booking.ProviderRef{ID: "P2", IDType: "NPI"}
	if got := appointment(t, db, a.VisitNumber); got.Location != a.Location || got.Provider.ID != a.Provider.ID || got.Provider.IDType != a.Provider.IDType {
		t.Errorf("before any change: at %+v with %+v; want %+v with %+v", got.Location, got.Provider, a.Location, a.Provider)
	}
	moved.Location.Department = "SPORTS"
	if _, err := db.ApplyNotification(ctx, booking.Notification{Key: "m1", Event: "Modification", Appointment: moved}, t0); err != nil {
		t.Fatal(err)
	}
	got := appointment(t, db, a.VisitNumber)
	if !got.Start.Equal(moved.Start) || got.Provider.ID != "P2" || got.Location.Department != "SPORTS" ||
		got.Status != booking.StatusBooked || got.Patient.LastName != "Lovelace" {
		t.Errorf("after the EHR's modification: %+v", got)
	}
	if keys, err := db.TakenKeys(ctx, t0, t0.Add(24*time.Hour), "other", t0); err != nil || !keys[got.Slot().Key()] || keys[a.Slot().Key()] {
		t.Errorf("taken keys %v, %v: want the new time taken and the old one free", keys, err)
	}

	re := got
	re.VisitNumber, re.Start = "EHR-2", t0.Add(30*time.Hour)
	if _, err := db.ApplyNotification(ctx, booking.Notification{Key: "r1", Event: "Reschedule", Appointment: re, OldVisit: a.VisitNumber}, t0); err != nil {
		t.Fatal(err)
	}
	old := appointment(t, db, a.VisitNumber)
	next, err := db.Replacement(ctx, a.VisitNumber)
	if old.Status != booking.StatusCanceled || err != nil || next.VisitNumber != "EHR-2" || !next.Start.Equal(re.Start) ||
		next.Status != booking.StatusBooked || next.Patient.LastName != "Lovelace" || next.Replaces != a.VisitNumber {
		t.Errorf("after the EHR's reschedule: old %s; replacement %+v, %v", old.Status, next, err)
	}
}
