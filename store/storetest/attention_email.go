package storetest

import (
	"context"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// The emails on the desk's "Needs attention" list: those that failed for good, listed apart
// from the EHR's messages, resolved under their own source, sent again with a fresh round of
// attempts.

// failEmail claims the due emails at at and records the one of visit as failed with errText
// (final: refused or out of attempts; or not: to be retried); it returns its id.
func failEmail(t *testing.T, db *store.DB, visit string, at time.Time, errText string, final bool) int64 {
	t.Helper()
	_, msgs := emails(t, db, at)
	for _, m := range msgs {
		if m.VisitNumber == visit {
			must(t, db.RecordAttempt(context.Background(), m.ID, errText, final, at.Add(time.Minute), at))
			return m.ID
		}
	}
	t.Fatalf("no email of %s due at %v among %+v", visit, at, msgs)
	return 0
}

// emailTroubles is EmailTroubles by visit number.
func emailTroubles(t *testing.T, db *store.DB) map[string]booking.OutboxTrouble {
	t.Helper()
	list, err := db.EmailTroubles(context.Background())
	must(t, err)
	out := map[string]booking.OutboxTrouble{}
	for i, tr := range list {
		if i > 0 && tr.Since.After(list[i-1].Since) {
			t.Errorf("email troubles not newest first: %v after %v", tr.Since, list[i-1].Since)
		}
		out[tr.Message.VisitNumber] = tr
	}
	return out
}

// testAttentionListsFailedEmails: an email refused for good is listed as an email, with its
// appointment, tries, failure and the server's answer, and never as a message to the EHR;
// not an email still retrying, nor one dropped on purpose; a reminder waiting for its day is
// not stuck; the EHR's refused booking is the EHR's trouble only, and a stuck Cancel is not
// hidden behind an email of its visit still retrying (a visit's lanes do not wait for each
// other).
func testAttentionListsFailedEmails(t *testing.T, s suite) {
	db := s.db(t)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	refused := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "ka", booking.Mail{Send: true, RemindAt: t0.Add(6 * time.Hour)})
	delivered(t, db, booking.OutboxNew, refused.VisitNumber, "")
	failEmail(t, db, refused.VisitNumber, at(1), "smtp sending SMTP RCPT TO command: 550 5.1.1 no such user", true)
	retrying := bookMail(t, db, "B", testSlot("P1", t0.Add(27*time.Hour), 30), "kb", booking.Mail{Send: true})
	delivered(t, db, booking.OutboxNew, retrying.VisitNumber, "")
	failEmail(t, db, retrying.VisitNumber, at(1), "smtp: 451 try again later", false)
	dropped := bookMail(t, db, "C", testSlot("P1", t0.Add(28*time.Hour), 30), "kc", booking.Mail{Send: true})
	delivered(t, db, booking.OutboxNew, dropped.VisitNumber, "")
	_, msgs := emails(t, db, at(2))
	for _, m := range msgs {
		if m.VisitNumber == dropped.VisitNumber {
			must(t, db.DropMessage(context.Background(), m.ID, "the appointment is canceled", at(2)))
		}
	}
	ehr := bookMail(t, db, "D", testSlot("P2", t0.Add(26*time.Hour), 30), "kd", booking.Mail{Send: true})
	delivered(t, db, booking.OutboxNew, ehr.VisitNumber, "rejected: the time is taken")
	// Canceled while its confirmation is still retrying: the Cancel, which the EHR has not
	// taken, is stuck; the email ahead of it in another lane does not hide it.
	canceled := bookMail(t, db, "E", testSlot("P3", t0.Add(26*time.Hour), 30), "ke", booking.Mail{Send: true})
	delivered(t, db, booking.OutboxNew, canceled.VisitNumber, "")
	failEmail(t, db, canceled.VisitNumber, at(1), "smtp: 451 try again later", false)
	must(t, db.CancelAppointment(context.Background(), canceled.VisitNumber, "conflict", booking.Mail{},
		patientAudit(booking.AuditCancel, canceled.VisitNumber), at(1)))

	got := emailTroubles(t, db)
	if len(got) != 1 {
		t.Fatalf("email troubles %+v; want the refused confirmation alone", got)
	}
	if r := got[refused.VisitNumber]; !r.Failed || r.Message.Kind != booking.OutboxEmailConfirm || r.Message.Attempts != 1 ||
		!r.Since.Equal(at(1)) || r.LastError != "smtp sending SMTP RCPT TO command: 550 5.1.1 no such user" ||
		r.Appointment.Patient.Email != "ada@example.org" || r.Appointment.Patient.Phone == "" || r.Appointment.Status != booking.StatusBooked {
		t.Errorf("the refused confirmation: %+v", r)
	}
	ehrTroubles := troubles(t, db, at(120)) // long after the reminder's New was delivered
	if len(ehrTroubles) != 2 || ehrTroubles[ehr.VisitNumber].Message.Kind != booking.OutboxNew ||
		ehrTroubles[canceled.VisitNumber].Message.Kind != booking.OutboxCancel {
		t.Errorf("the EHR's troubles two hours on: %+v; want its refused booking and the stuck Cancel (no email, no reminder waiting)", ehrTroubles)
	}
	if f, err := db.EmailFailures(context.Background(), time.Time{}); err != nil || len(f) != 1 || f[0].VisitNumber != refused.VisitNumber {
		t.Errorf("EmailFailures = %+v, %v; want the same one email as the list", f, err)
	}
}

// testAttentionEmailRetryAndResolve: an email sent again from the list goes back in its lane
// with a fresh round of attempts (the earlier ones stay counted) and leaves the list; refused
// again, it is back with its new failure; a resolution under ResolveEmail hides that failure,
// one under ResolveOutbox does not (another list's item); a retried email that the mail
// worker then drops (its visit canceled meanwhile) is not a failure.
func testAttentionEmailRetryAndResolve(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	staff := deskStaff(t, db)
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "ka", booking.Mail{Send: true})
	delivered(t, db, booking.OutboxNew, a.VisitNumber, "")
	msg := failEmail(t, db, a.VisitNumber, t0, "smtp: 550 5.1.1", true)

	retryAt := t0.Add(time.Hour)
	must(t, db.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, a.VisitNumber, retryAt), retryAt))
	if got := emailTroubles(t, db); len(got) != 0 {
		t.Errorf("listed once sent again: %+v", got)
	}
	_, due := emails(t, db, retryAt)
	if len(due) != 1 || due[0].ID != msg || due[0].Attempts != 0 {
		t.Fatalf("due after the retry = %+v; want the email, a fresh round", due)
	}
	must(t, db.RecordAttempt(ctx, msg, "smtp: 550 5.1.1 still", true, time.Time{}, retryAt))
	got := emailTroubles(t, db)[a.VisitNumber]
	if got.Message.ID != msg || got.Message.Attempts != 2 || !got.Since.Equal(retryAt) || got.LastError != "smtp: 550 5.1.1 still" {
		t.Errorf("refused again: %+v; want it back, 2 tries, failed at the retry", got)
	}

	r := booking.Resolution{Source: booking.ResolveOutbox, SourceID: msg, Since: retryAt, Note: "wrong list", StaffID: staff.ID, At: retryAt}
	must(t, db.Resolve(ctx, r, staffAudit(booking.AuditResolve, a.VisitNumber, retryAt)))
	if len(emailTroubles(t, db)) != 1 {
		t.Error("a resolution of a message to the EHR hid the email")
	}
	r.Source, r.Note = booking.ResolveEmail, "Called Ada: new address on file"
	must(t, db.Resolve(ctx, r, staffAudit(booking.AuditResolve, a.VisitNumber, retryAt)))
	if got := emailTroubles(t, db); len(got) != 0 {
		t.Errorf("listed once resolved: %+v", got)
	}
	if err := db.Resolve(ctx, r, staffAudit(booking.AuditResolve, a.VisitNumber, retryAt)); booking.ErrorCode(err) != booking.CodeConflict {
		t.Errorf("resolved twice: %v, want a conflict", err)
	}
	if entries, _ := db.AuditEntries(ctx, a.VisitNumber); len(entries) != 3 || entries[0].Action != booking.AuditRetry {
		t.Errorf("audit %+v; want the retry and the two resolutions", entries)
	}

	// Sent again, then dropped unsent by the mail worker: nothing failed in that round.
	later := retryAt.Add(time.Hour)
	must(t, db.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, a.VisitNumber, later), later))
	_, due = emails(t, db, later)
	must(t, db.DropMessage(ctx, due[0].ID, "the appointment is canceled", later))
	if got := emailTroubles(t, db); len(got) != 0 {
		t.Errorf("a retried email dropped on purpose is listed: %+v", got)
	}
	if f, _ := db.EmailFailures(ctx, time.Time{}); len(f) != 0 {
		t.Errorf("a retried email dropped on purpose is a failure: %+v", f)
	}
}
