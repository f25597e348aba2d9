package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// Emails through the outbox: written with the change that causes them, in lanes of their
// own, waiting for the New they announce, moved and dropped with the visit.

// bookMail books sl with mail m (a patient with an address).
func bookMail(t *testing.T, db *store.DB, session string, sl booking.Slot, key string, m booking.Mail) booking.Appointment {
	t.Helper()
	ctx := context.Background()
	must(t, db.PutHold(ctx, testHold(session, sl, t0), t0))
	a := testAppointment(sl)
	a.Patient.Email = "ada@example.org"
	got, _, err := db.CreateAppointment(ctx, booking.Booking{Key: key, SessionID: session, Appointment: a, Mail: m}, t0)
	must(t, err)
	return got
}

// emails claims every due email message at now and returns them as "kind visit".
func emails(t *testing.T, db *store.DB, now time.Time) ([]string, []booking.OutboxMessage) {
	t.Helper()
	msgs, err := db.DueEmails(context.Background(), now, 10)
	must(t, err)
	var out []string
	for _, m := range msgs {
		out = append(out, string(m.Kind)+" "+m.VisitNumber)
	}
	return out, msgs
}

// confirmed delivers a's New and sends its confirmation email.
func confirmed(t *testing.T, db *store.DB, a booking.Appointment) {
	t.Helper()
	delivered(t, db, booking.OutboxNew, a.VisitNumber, "")
	_, msgs := emails(t, db, t0)
	if len(msgs) == 0 {
		t.Fatalf("no confirmation of %s due after its New", a.VisitNumber)
	}
	must(t, db.RecordAttempt(context.Background(), msgs[0].ID, "", true, time.Time{}, t0))
}

// testEmailsWaitForTheirNew: the confirmation and the reminder are written with the booking;
// neither is due before the New is delivered; then the confirmation is, the reminder at its
// time; the EHR's claims never hand out an email and the emails' never an EHR message.
func testEmailsWaitForTheirNew(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	remind := t0.Add(2 * time.Hour)
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{Send: true, RemindAt: remind})
	if got, _ := emails(t, db, remind); len(got) != 0 {
		t.Fatalf("due before the New is delivered: %v", got)
	}
	delivered(t, db, booking.OutboxNew, a.VisitNumber, "")
	got, msgs := emails(t, db, t0)
	if want := []string{"EmailConfirm " + a.VisitNumber}; !slices.Equal(got, want) {
		t.Fatalf("due after the New: %v, want %v", got, want)
	}
	must(t, db.RecordAttempt(ctx, msgs[0].ID, "", true, time.Time{}, t0))
	if got, _ := emails(t, db, remind.Add(-time.Second)); len(got) != 0 {
		t.Errorf("due before the reminder's time: %v", got)
	}
	if ehr, _ := db.DueMessages(ctx, remind.Add(time.Hour), 10); len(ehr) != 0 {
		t.Errorf("the EHR's claim handed out %+v", ehr)
	}
	if got, _ := emails(t, db, remind); !slices.Equal(got, []string{"EmailReminder " + a.VisitNumber}) {
		t.Errorf("due at the reminder's time: %v", got)
	}
}

// testEmailsDroppedWithAFailedNew: the EHR refuses the booking: its emails are dropped, not
// failures.
func testEmailsDroppedWithAFailedNew(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{Send: true, RemindAt: t0.Add(time.Hour)})
	delivered(t, db, booking.OutboxNew, a.VisitNumber, "slot taken")
	if got, _ := emails(t, db, t0.Add(2*time.Hour)); len(got) != 0 {
		t.Errorf("due after the New failed: %v", got)
	}
	if f, err := db.EmailFailures(ctx, time.Time{}); err != nil || len(f) != 0 {
		t.Errorf("failures %+v %v, want none: they were never tried", f, err)
	}
}

// testCancelQueuesItsEmailAndDropsTheReminder: in the cancel's transaction.
func testCancelQueuesItsEmailAndDropsTheReminder(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{Send: true, RemindAt: t0.Add(time.Hour)})
	confirmed(t, db, a)
	must(t, db.CancelAppointment(ctx, a.VisitNumber, "conflict", booking.Mail{Send: true}, patientAudit(booking.AuditCancel, a.VisitNumber), t0))
	if got, _ := emails(t, db, t0.Add(2*time.Hour)); !slices.Equal(got, []string{"EmailCancel " + a.VisitNumber}) {
		t.Errorf("due after the cancel: %v, want the cancellation only", got)
	}
}

// testMoveMovesTheReminder: a move's change notice and reminder wait for its New; once the
// New is delivered the old visit's reminder is dropped.
func testMoveMovesTheReminder(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	old := bookMail(t, db, "A", testSlot("P1", t0.Add(30*time.Hour), 30), "k", booking.Mail{Send: true, RemindAt: t0.Add(6 * time.Hour)})
	confirmed(t, db, old)

	must(t, db.PutHold(ctx, testHold("A", testSlot("P2", t0.Add(50*time.Hour), 30), t0), t0))
	a := testAppointment(testSlot("P2", t0.Add(50*time.Hour), 30))
	a.Replaces, a.Code, a.Patient.Email = old.VisitNumber, "RRR-1AA", "ada@example.org"
	moved, _, err := db.CreateReplacement(ctx, booking.Booking{Key: "r", SessionID: "A", Appointment: a,
		Mail: booking.Mail{Send: true, RemindAt: t0.Add(26 * time.Hour)}}, patientAudit(booking.AuditReschedule, old.VisitNumber), t0)
	must(t, err)
	delivered(t, db, booking.OutboxNew, moved.VisitNumber, "")
	if got, _ := emails(t, db, t0.Add(48*time.Hour)); !slices.Equal(got, []string{"EmailChange " + moved.VisitNumber, "EmailReminder " + moved.VisitNumber}) {
		t.Errorf("due after the move: %v, want the change and the new visit's reminder, not the old one's", got)
	}
}

// testRemindersSwitch: off drops the pending reminder and is kept with the appointment; on
// queues one, once.
func testRemindersSwitch(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	at := t0.Add(time.Hour)
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{RemindAt: at})
	delivered(t, db, booking.OutboxNew, a.VisitNumber, "")
	must(t, db.SetReminders(ctx, a.VisitNumber, false, time.Time{}, patientAudit(booking.AuditRemindersOff, a.VisitNumber), t0))
	if got, _ := db.Appointment(ctx, a.VisitNumber); !got.RemindersOff {
		t.Error("RemindersOff not kept")
	}
	if got, _ := emails(t, db, at); len(got) != 0 {
		t.Errorf("due with reminders off: %v", got)
	}
	for range 2 {
		must(t, db.SetReminders(ctx, a.VisitNumber, true, at, patientAudit(booking.AuditRemindersOn, a.VisitNumber), t0))
	}
	if got, _ := db.Appointment(ctx, a.VisitNumber); got.RemindersOff {
		t.Error("RemindersOff still set")
	}
	if got, _ := emails(t, db, at); !slices.Equal(got, []string{"EmailReminder " + a.VisitNumber}) {
		t.Errorf("due with reminders on again: %v, want one reminder", got)
	}
}

// testEmailFailuresListed: a refused email is listed; a dropped one is not; a retry is not.
func testEmailFailuresListed(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{Send: true, RemindAt: t0.Add(time.Hour)})
	delivered(t, db, booking.OutboxNew, a.VisitNumber, "")
	_, msgs := emails(t, db, t0)
	must(t, db.RecordAttempt(ctx, msgs[0].ID, "smtp: 451", false, t0.Add(time.Minute), t0))
	if f, _ := db.EmailFailures(ctx, time.Time{}); len(f) != 0 {
		t.Errorf("a retry listed as a failure: %+v", f)
	}
	_, msgs = emails(t, db, t0.Add(time.Minute))
	must(t, db.RecordAttempt(ctx, msgs[0].ID, "smtp sending SMTP RCPT TO command: 550 5.1.1", true, time.Time{}, t0.Add(time.Minute)))
	_, msgs = emails(t, db, t0.Add(time.Hour))
	must(t, db.DropMessage(ctx, msgs[0].ID, "the visit has started", t0.Add(time.Hour)))
	f, err := db.EmailFailures(ctx, time.Time{})
	if err != nil || len(f) != 1 || f[0].Kind != booking.OutboxEmailConfirm || f[0].Attempts != 2 || f[0].VisitNumber != a.VisitNumber ||
		f[0].Error != "smtp sending SMTP RCPT TO command: 550 5.1.1" || !f[0].FailedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("failures %+v %v, want the refused confirmation", f, err)
	}
	if f, _ := db.EmailFailures(ctx, t0.Add(2*time.Minute)); len(f) != 0 {
		t.Errorf("failures since later: %+v", f)
	}
}

// testQueueEmailWaitsForTheNewAndIsAudited: the desk's resend is one more confirmation, due
// once the visit's New is delivered, written with its audit row; an unknown visit queues
// nothing.
func testQueueEmailWaitsForTheNewAndIsAudited(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{})
	by := booking.AuditEntry{At: t0, Action: booking.AuditResend, Actor: booking.Actor{Kind: "staff", Session: "staff:1"}, VisitNumber: a.VisitNumber}
	must(t, db.QueueEmail(ctx, a.VisitNumber, booking.OutboxEmailConfirm, by, t0))
	if got, _ := emails(t, db, t0); len(got) != 0 {
		t.Fatalf("due before the New is delivered: %v", got)
	}
	delivered(t, db, booking.OutboxNew, a.VisitNumber, "")
	if got, _ := emails(t, db, t0); !slices.Equal(got, []string{"EmailConfirm " + a.VisitNumber}) {
		t.Errorf("due after the New: %v", got)
	}
	if rows, err := db.AuditEntries(ctx, a.VisitNumber); err != nil || len(rows) != 1 || rows[0].Action != booking.AuditResend {
		t.Errorf("audit %+v, %v", rows, err)
	}
	if err := db.QueueEmail(ctx, "DW-NONE", booking.OutboxEmailConfirm, by, t0); err == nil {
		t.Error("an email queued for an unknown visit")
	}
}
