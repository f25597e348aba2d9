package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// The store's part of the desk's "Needs attention" list: which outbox messages and dead
// letters it lists, resolutions that hide one occurrence (and last across a restart), and
// retries that put a message back in the queue.

// record records an attempt at at of the oldest pending message of visit (without claiming
// it: which message the queue hands out first is the outbox tests' concern).
func record(t *testing.T, db *store.DB, visit string, at time.Time, errText string, done bool) int64 {
	t.Helper()
	var id int64
	must(t, db.QueryRow(`SELECT id FROM outbox WHERE visit_number = $1 AND delivered_at IS NULL AND failed_at IS NULL
		ORDER BY id LIMIT 1`, visit).Scan(&id))
	must(t, db.RecordAttempt(context.Background(), id, errText, done, at.Add(time.Minute), at))
	return id
}

// troubles lists the troubles as the desk sees them at now, by visit number.
func troubles(t *testing.T, db *store.DB, now time.Time) map[string]booking.OutboxTrouble {
	t.Helper()
	list, err := db.OutboxTroubles(context.Background(), now.Add(-booking.StuckAfter))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]booking.OutboxTrouble{}
	for i, tr := range list {
		if i > 0 && tr.Since.After(list[i-1].Since) {
			t.Errorf("troubles not newest first: %v after %v", tr.Since, list[i-1].Since)
		}
		if _, dup := out[tr.Message.VisitNumber]; dup {
			t.Errorf("visit %s listed twice", tr.Message.VisitNumber)
		}
		out[tr.Message.VisitNumber] = tr
	}
	return out
}

func deskStaff(t *testing.T, db *store.DB) booking.Staff {
	t.Helper()
	st, err := db.AddStaff(context.Background(), booking.Staff{Email: "dana@clinic.example", Name: "Dana", Role: booking.RoleDesk, CreatedAt: t0}, "hash")
	must(t, err)
	return st
}

func staffAudit(action, visit string, at time.Time) booking.AuditEntry {
	return booking.AuditEntry{At: at, Action: action, Actor: booking.Actor{Kind: "staff", Session: "staff:1"}, VisitNumber: visit}
}

// testAttentionListsWhatNeedsAPerson: a refused booking at once; a booking still not
// delivered only once it has been due for StuckAfter; a move's Cancel of the old visit once
// the New is delivered (not while it waits for it); never a delivered message, a message
// waiting behind its visit's New, or the Cancel dropped with a refused move.
func testAttentionListsWhatNeedsAPerson(t *testing.T, s suite) {
	db := s.db(t)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	refused := book(t, db, "A", testSlot("P1", t0.Add(24*time.Hour), 30), "ka")
	record(t, db, refused.VisitNumber, at(0), "rejected: the time is taken", true)
	stuck := book(t, db, "B", testSlot("P1", t0.Add(25*time.Hour), 30), "kb")
	record(t, db, stuck.VisitNumber, at(0), "unavailable: connection refused", false)
	must(t, db.RequestCancel(context.Background(), stuck.VisitNumber, "", at(0))) // waits behind the New
	record(t, db, stuck.VisitNumber, at(1), "unavailable: connection refused", false)
	fine := book(t, db, "C", testSlot("P1", t0.Add(26*time.Hour), 30), "kc")
	record(t, db, fine.VisitNumber, at(1), "", true)
	old := book(t, db, "D", testSlot("P2", t0.Add(27*time.Hour), 30), "kd")
	record(t, db, old.VisitNumber, at(0), "", true)
	moved := reschedule(t, db, old, "D", testSlot("P2", t0.Add(28*time.Hour), 30), "r1")
	record(t, db, moved.VisitNumber, at(2), "", true)                    // D's Cancel is due from now
	record(t, db, old.VisitNumber, at(3), "unavailable: timeout", false) // and not delivered
	old2 := book(t, db, "E", testSlot("P3", t0.Add(27*time.Hour), 30), "ke")
	record(t, db, old2.VisitNumber, at(0), "", true)
	moved2 := reschedule(t, db, old2, "E", testSlot("P3", t0.Add(29*time.Hour), 30), "r2")
	record(t, db, moved2.VisitNumber, at(2), "rejected: slot taken", true) // E's Cancel is dropped

	if got := troubles(t, db, at(14)); len(got) != 2 || got[refused.VisitNumber].Message.Kind != booking.OutboxNew ||
		got[moved2.VisitNumber].Message.Kind != booking.OutboxNew {
		t.Errorf("at 14 minutes: %+v; want the two refused News only", got)
	}
	got := troubles(t, db, at(17))
	if len(got) != 4 {
		t.Errorf("at 17 minutes, %d troubles; want 4: %+v", len(got), got)
	}
	if r := got[refused.VisitNumber]; !r.Failed || r.Message.Attempts != 1 || !r.Since.Equal(at(0)) ||
		r.LastError != "rejected: the time is taken" || r.Appointment.Patient.Phone == "" || r.Appointment.Status != booking.StatusFailed {
		t.Errorf("the refused booking: %+v", r)
	}
	if r := got[stuck.VisitNumber]; r.Failed || r.Message.Kind != booking.OutboxNew || r.Message.Attempts != 2 || !r.Since.Equal(t0) ||
		r.LastError != "unavailable: connection refused" {
		t.Errorf("the stuck booking: %+v; want its New, pending since it was queued", r)
	}
	if r := got[old.VisitNumber]; r.Failed || r.Message.Kind != booking.OutboxCancel || r.After == 0 || !r.Since.Equal(at(2)) {
		t.Errorf("the move's pending Cancel: %+v; want it, since its New was delivered", r)
	}
	if r := got[moved2.VisitNumber]; !r.Failed || r.Appointment.Replaces != old2.VisitNumber {
		t.Errorf("the refused move: %+v", r)
	}
	if _, ok := got[old2.VisitNumber]; ok {
		t.Error("the Cancel dropped with a refused move is listed")
	}
	if _, ok := got[fine.VisitNumber]; ok {
		t.Error("a delivered booking is listed")
	}
}

// testAttentionResolutionHidesOneOccurrence: a resolved failure leaves the list, for good
// (across a restart), with the audit row; resolving it twice is refused; the same message
// failing again after a retry is a new occurrence, back on the list. A dead letter resolved
// leaves the list too, as does one replayed.
func testAttentionResolutionHidesOneOccurrence(t *testing.T, s suite) {
	dsn := s.DSN(t)
	db, ctx := open(t, dsn), context.Background()
	staff := deskStaff(t, db)
	a := book(t, db, "A", testSlot("P1", t0.Add(24*time.Hour), 30), "ka")
	msg := record(t, db, a.VisitNumber, t0, "rejected: no", true)
	r := booking.Resolution{Source: booking.ResolveOutbox, SourceID: msg, Since: t0, Note: "Called Ada: booked Friday by phone",
		StaffID: staff.ID, At: t0.Add(time.Minute)}
	must(t, db.Resolve(ctx, r, staffAudit(booking.AuditResolve, a.VisitNumber, r.At)))
	if err := db.Resolve(ctx, r, staffAudit(booking.AuditResolve, a.VisitNumber, r.At)); booking.ErrorCode(err) != booking.CodeConflict {
		t.Errorf("resolving it again: %v, want a conflict", err)
	}
	restarted := open(t, dsn)
	if got := troubles(t, restarted, t0.Add(time.Hour)); len(got) != 0 {
		t.Errorf("after resolving, across a restart: %+v; want nothing", got)
	}
	if entries, _ := restarted.AuditEntries(ctx, a.VisitNumber); len(entries) != 1 || entries[0].Action != booking.AuditResolve {
		t.Errorf("audit = %+v; want the one resolution", entries)
	}
	var note string
	must(t, restarted.QueryRow(`SELECT note FROM attention_resolved`).Scan(&note))
	if note != r.Note {
		t.Errorf("note kept %q", note)
	}

	later := t0.Add(2 * time.Hour)
	must(t, restarted.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, a.VisitNumber, later), later))
	record(t, restarted, a.VisitNumber, later, "rejected: still no", true)
	if got := troubles(t, restarted, later); !got[a.VisitNumber].Failed || !got[a.VisitNumber].Since.Equal(later) {
		t.Errorf("failed again after the resolution: %+v; want it back on the list", got)
	}

	dl := deadLetters(t, restarted, deadSecret(0))
	first, _, err := dl.AddDeadLetter(ctx, testDeadLetter("d1"))
	must(t, err)
	second, _, err := dl.AddDeadLetter(ctx, testDeadLetter("d2"))
	must(t, err)
	third, _, err := dl.AddDeadLetter(ctx, testDeadLetter("d3"))
	must(t, err)
	_, err = dl.MarkReplayed(ctx, third, t0)
	must(t, err)
	must(t, restarted.Resolve(ctx, booking.Resolution{Source: booking.ResolveDeadLetter, SourceID: first, Since: t0, Note: "Fixed in the EHR",
		StaffID: staff.ID, At: t0}, staffAudit(booking.AuditResolve, "", t0)))
	dead, err := restarted.UnresolvedDeadLetters(ctx)
	if err != nil || len(dead) != 1 || dead[0].ID != second || dead[0].Body != nil || dead[0].Field != "Visit.VisitDateTime" {
		t.Errorf("dead letters = %+v, %v; want the second alone, without its body", dead, err)
	}
}

// testAttentionRetry: a retried refused booking takes its time back (requested) and goes out
// as a new round of attempts, flagged so that the EHR is asked first whether it has it; its
// attempts stay recorded; the Cancel a refused move dropped waits for it again. A retry is
// refused while the message is being sent, once it is delivered, and when the refused
// booking's time was booked meanwhile; a refused retry writes nothing.
func testAttentionRetry(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	old := book(t, db, "A", testSlot("P1", t0.Add(24*time.Hour), 30), "ka")
	record(t, db, old.VisitNumber, t0, "", true)
	moved := reschedule(t, db, old, "A", testSlot("P2", t0.Add(48*time.Hour), 30), "r1")
	msg := record(t, db, moved.VisitNumber, t0, "unavailable: timeout", false)
	due, err := db.DueMessages(ctx, t0.Add(time.Minute), 5)
	if err != nil || len(due) != 1 || due[0].ID != msg {
		t.Fatalf("due = %+v, %v; want the move's New", due, err)
	}
	if err := db.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, moved.VisitNumber, t0), t0.Add(time.Minute)); booking.MsgOf(err) != booking.MsgRetryBusy {
		t.Errorf("a retry while it is being sent: %v, want busy", err)
	}
	must(t, db.RecordAttempt(ctx, msg, "rejected: no", true, time.Time{}, t0.Add(2*time.Minute)))

	retryAt := t0.Add(3 * time.Hour)
	must(t, db.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, moved.VisitNumber, retryAt), retryAt))
	if got, _ := db.Appointment(ctx, moved.VisitNumber); got.Status != booking.StatusRequested {
		t.Errorf("the retried booking is %s, want requested", got.Status)
	}
	due, err = db.DueMessages(ctx, retryAt, 5)
	if err != nil || len(due) != 1 || due[0].ID != msg || due[0].Attempts != 0 || !due[0].Retried {
		t.Fatalf("due after the retry = %+v, %v; want the New, a fresh round, flagged as retried", due, err)
	}
	if done, err := db.Delivered(ctx, msg); err != nil || done {
		t.Errorf("Delivered before it went = %v, %v; want false", done, err)
	}
	must(t, db.RecordAttempt(ctx, msg, "", true, time.Time{}, retryAt))
	if done, err := db.Delivered(ctx, msg); err != nil || !done {
		t.Errorf("Delivered once it went = %v, %v; want true", done, err)
	}
	if at, _ := db.Attempts(ctx, moved.VisitNumber); len(at) != 3 || at[2].Attempt != 3 || at[2].Error != "" {
		t.Errorf("attempts = %+v; want all three, numbered on", at)
	}
	if got, _ := db.Appointment(ctx, old.VisitNumber); got.Status != booking.StatusCanceled {
		t.Errorf("the moved-from visit is %s once the retried move went in, want canceled", got.Status)
	}
	due, err = db.DueMessages(ctx, retryAt, 5)
	if err != nil || len(due) != 1 || due[0].Kind != booking.OutboxCancel || due[0].VisitNumber != old.VisitNumber {
		t.Fatalf("due after the retried move = %+v, %v; want the old visit's Cancel, dropped before", due, err)
	}
	must(t, db.RecordAttempt(ctx, due[0].ID, "", true, time.Time{}, retryAt))
	if err := db.RetryMessage(ctx, msg, staffAudit(booking.AuditRetry, moved.VisitNumber, retryAt), retryAt); booking.MsgOf(err) != booking.MsgAttentionGone {
		t.Errorf("retrying a delivered message: %v, want gone", err)
	}

	// A refused booking whose time someone else booked meanwhile cannot be taken back.
	sl := testSlot("P3", t0.Add(72*time.Hour), 30)
	lost := book(t, db, "B", sl, "kb")
	lostMsg := record(t, db, lost.VisitNumber, retryAt, "rejected: no", true)
	book(t, db, "C", sl, "kc")
	entries := count(t, db, "audit")
	if err := db.RetryMessage(ctx, lostMsg, staffAudit(booking.AuditRetry, lost.VisitNumber, retryAt), retryAt); !errors.Is(err, booking.ErrSlotTaken) {
		t.Errorf("retrying a booking whose time was taken: %v, want slot taken", err)
	}
	if got, _ := db.Appointment(ctx, lost.VisitNumber); got.Status != booking.StatusFailed || count(t, db, "audit") != entries {
		t.Errorf("after the refused retry: %s, %d audit rows more; want failed and none", got.Status, count(t, db, "audit")-entries)
	}

	// Nor one whose time another session holds right now.
	held := testSlot("P3", t0.Add(73*time.Hour), 30)
	heldOff := book(t, db, "E", held, "ke")
	heldMsg := record(t, db, heldOff.VisitNumber, retryAt, "rejected: no", true)
	must(t, db.PutHold(ctx, testHold("F", held, retryAt), retryAt))
	if err := db.RetryMessage(ctx, heldMsg, staffAudit(booking.AuditRetry, heldOff.VisitNumber, retryAt), retryAt); !errors.Is(err, booking.ErrSlotTaken) {
		t.Errorf("retrying a booking whose time is held: %v, want slot taken", err)
	}

	// A stuck message retried counts as stuck again only StuckAfter after the retry.
	slow := book(t, db, "D", testSlot("P1", t0.Add(96*time.Hour), 30), "kd")
	slowMsg := record(t, db, slow.VisitNumber, retryAt, "unavailable: timeout", false)
	later := retryAt.Add(time.Hour)
	if _, ok := troubles(t, db, later)[slow.VisitNumber]; !ok {
		t.Fatal("the slow booking is not listed as stuck")
	}
	must(t, db.RetryMessage(ctx, slowMsg, staffAudit(booking.AuditRetry, slow.VisitNumber, later), later))
	if _, ok := troubles(t, db, later.Add(10*time.Minute))[slow.VisitNumber]; ok {
		t.Error("listed as stuck 10 minutes after a retry")
	}
	if _, ok := troubles(t, db, later.Add(16*time.Minute))[slow.VisitNumber]; !ok {
		t.Error("not listed as stuck 16 minutes after a retry that did not go through")
	}
	if entries, _ := db.AuditEntries(ctx, slow.VisitNumber); len(entries) != 1 || entries[0].Action != booking.AuditRetry {
		t.Errorf("audit = %+v; want the retry", entries)
	}
}

// testAttentionResolutionsCopied: `doorway migrate-db` (store.Copy) carries the resolutions
// over, of messages to the EHR and of emails, so the list is the same in the new database,
// and new ones get fresh ids there.
func testAttentionResolutionsCopied(t *testing.T, s suite) {
	ctx := context.Background()
	src := open(t, SQLiteDSN(t))
	staff := deskStaff(t, src)
	var msgs []int64
	for i, key := range []string{"ka", "kb"} {
		a := book(t, src, key, testSlot("P1", t0.Add(time.Duration(24+i)*time.Hour), 30), key)
		msgs = append(msgs, record(t, src, a.VisitNumber, t0, "rejected: no", true))
	}
	r := booking.Resolution{Source: booking.ResolveOutbox, SourceID: msgs[0], Since: t0, Note: "Called", StaffID: staff.ID, At: t0}
	must(t, src.Resolve(ctx, r, staffAudit(booking.AuditResolve, "", t0)))
	mailed := bookMail(t, src, "kc", testSlot("P2", t0.Add(30*time.Hour), 30), "kc", booking.Mail{Send: true})
	delivered(t, src, booking.OutboxNew, mailed.VisitNumber, "")
	email := failEmail(t, src, mailed.VisitNumber, t0, "smtp: 550", true)
	must(t, src.Resolve(ctx, booking.Resolution{Source: booking.ResolveEmail, SourceID: email, Since: t0, Note: "Called",
		StaffID: staff.ID, At: t0}, staffAudit(booking.AuditResolve, mailed.VisitNumber, t0)))
	dst := s.db(t)
	if _, err := store.Copy(ctx, dst, src); err != nil {
		t.Fatal(err)
	}
	if got, err := dst.OutboxTroubles(ctx, t0); err != nil || len(got) != 1 || got[0].Message.ID != msgs[1] {
		t.Errorf("troubles after the copy = %+v, %v; want the unresolved one alone", got, err)
	}
	if got, err := dst.EmailTroubles(ctx); err != nil || len(got) != 0 {
		t.Errorf("email troubles after the copy = %+v, %v; want none (resolved)", got, err)
	}
	r.SourceID = msgs[1]
	must(t, dst.Resolve(ctx, r, staffAudit(booking.AuditResolve, "", t0)))
	if n := count(t, dst, "attention_resolved"); n != 3 {
		t.Errorf("%d resolutions after the copy and one more, want 3", n)
	}
}
