package booking_test

// Tests added for mutants of doorway/booking that the other tests let live, over the real
// store (make mutate PKG=./booking/, docs/TESTING.md).

import (
	"context"
	"slices"
	"testing"
	"time"

	"doorway/booking"
)

// TestDeskCancelsInsideTheCutoff: the desk cancels for a caller inside the 24 hours a patient
// may not cancel in, but not a visit canceled already nor one that has begun.
func TestDeskCancelsInsideTheCutoff(t *testing.T) {
	r := newRig(t)
	a := r.booked(t)
	ctx := context.Background()
	staff := booking.Actor{Kind: "staff", Session: "staff:1"}
	cancel := func() error {
		return r.svc.CancelByPatient(ctx, booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict", Actor: staff, ByStaff: true})
	}
	r.now = a.Start.Add(-2 * time.Hour)
	if err := cancel(); err != nil {
		t.Fatalf("the desk canceling 2 hours before: %v", err)
	}
	if err := cancel(); booking.MsgOf(err) != booking.MsgAlreadyCanceled {
		t.Errorf("the desk canceling it again: %v, want %s", err, booking.MsgAlreadyCanceled)
	}

	r = newRig(t)
	a = r.booked(t)
	r.now = a.Start.Add(time.Minute)
	if err := cancel(); booking.MsgOf(err) != booking.MsgCannotCancel {
		t.Errorf("the desk canceling a visit that has begun: %v, want %s", err, booking.MsgCannotCancel)
	}
}

// TestRetryOfARefusedMoveCancelsTheOldVisit: a move whose new time the EHR refused is on the
// desk's list; when the desk sends it again and the EHR takes it, the old visit is canceled at
// the EHR in the same retry, not left booked there until the next delivery pass.
func TestRetryOfARefusedMoveCancelsTheOldVisit(t *testing.T) {
	r := newRig(t)
	old := r.booked(t)
	ctx := context.Background()
	r.ehr.bookErr = &booking.Error{Code: booking.CodeRejected, Detail: "the time is taken"}
	moved, err := r.reschedule(t, old, "K-2")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.svc.Appointment(ctx, moved.VisitNumber); got.Status != booking.StatusFailed || r.ehr.cancels != 0 {
		t.Fatalf("the refused move: %s with %d Cancels sent, want failed and none", got.Status, r.ehr.cancels)
	}
	items, err := r.svc.Attention(ctx)
	if err != nil || len(items) != 1 || items[0].Message != booking.OutboxNew || items[0].Appointment.VisitNumber != moved.VisitNumber {
		t.Fatalf("the desk's list: %+v %v; want the move's refused New", items, err)
	}
	r.ehr.bookErr = nil
	out, err := r.svc.RetryAttention(ctx, items[0].ID, booking.Actor{Kind: "staff", Session: "staff:1"})
	if err != nil || out != booking.RetryDelivered {
		t.Fatalf("RetryAttention = %q, %v; want delivered", out, err)
	}
	if r.ehr.cancels != 1 {
		t.Errorf("%d Cancels sent of the old visit in the retry, want 1", r.ehr.cancels)
	}
	if got, _ := r.svc.Appointment(ctx, old.VisitNumber); got.Status != booking.StatusCanceled {
		t.Errorf("the old visit is %s, want canceled", got.Status)
	}
}

// TestNoRemindersWhenTheClinicSendsNone: a clinic without a reminder lead sends the
// confirmation and nothing more, up to the visit and after it: no reminder is queued at all
// (none sent, none dropped).
func TestNoRemindersWhenTheClinicSendsNone(t *testing.T) {
	r, box := mailRig(t)
	r.svc.Clinic().ReminderHours = 0
	a := r.bookWithEmail(t)
	for _, at := range []time.Time{r.now, a.Start.Add(-time.Minute), a.Start, a.Start.Add(time.Minute)} {
		r.at(at)
	}
	if got := box.kinds(); !slices.Equal(got, []string{"confirmation " + a.VisitNumber}) {
		t.Errorf("sent %v, want the confirmation only", got)
	}
	for _, c := range r.svc.EmailCounts() {
		if c.Kind == booking.EmailReminder && c.N != 0 {
			t.Errorf("%d reminders %s, want none queued", c.N, c.Outcome)
		}
	}
}

// TestAMoveEndsTheSessionsSearch: after a patient moves their visit, the same search in the
// same session is another search, counted again.
func TestAMoveEndsTheSessionsSearch(t *testing.T) {
	r, c := countingRig(t)
	a := r.booked(t)
	p := booking.Preferences{VisitType: "FU", From: "2026-12-01", To: "2026-12-07"}
	search := func() {
		t.Helper()
		if _, err := r.svc.Search(context.Background(), p, "s"); err != nil {
			t.Fatal(err)
		}
	}
	search()
	if _, err := r.reschedule(t, a, "K-move"); err != nil {
		t.Fatal(err)
	}
	search()
	if got := c.of(booking.EventSearch); len(got) != 2 {
		t.Errorf("%d searches counted, want the one before the move and the one after", len(got))
	}
}

// TestRemindersSwitchWhileLive: a patient switches reminders off while the EHR has not yet
// taken the booking (requested), but not once the visit is canceled.
func TestRemindersSwitchWhileLive(t *testing.T) {
	r, _ := mailRig(t)
	ctx := context.Background()
	r.ehr.bookErr = &booking.Error{Code: booking.CodeUnavailable, Detail: "connection refused"}
	r.hold(t, "s")
	vt, _ := r.svc.Clinic().VisitType("FU")
	a, err := r.svc.Confirm(ctx, booking.ConfirmRequest{Key: "K-1", SessionID: "s", VisitType: vt,
		Patient: booking.Patient{FirstName: "Ada", LastName: "Byron", DOB: "1990-01-01", Email: "ada@example.org"}})
	if err != nil || a.Status != booking.StatusRequested {
		t.Fatalf("booking while the EHR is down: %+v %v, want requested", a.Status, err)
	}
	if err := r.svc.SetReminders(ctx, booking.RemindersRequest{VisitNumber: a.VisitNumber, On: false, Actor: patient}); err != nil {
		t.Errorf("reminders off while requested: %v", err)
	}
	if err := r.svc.CancelByPatient(ctx, booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict", Actor: patient}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.SetReminders(ctx, booking.RemindersRequest{VisitNumber: a.VisitNumber, On: true, Actor: patient}); booking.MsgOf(err) != booking.MsgCannotCancel {
		t.Errorf("reminders on once canceled: %v, want %s", err, booking.MsgCannotCancel)
	}
}

// TestEmailGivenUpAfterItsAttempts: with the mail server down for good, an email is tried
// MaxEmailAttempts times, no more, and then listed as a failure.
func TestEmailGivenUpAfterItsAttempts(t *testing.T) {
	r, box := mailRig(t)
	down := booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown)
	for range booking.MaxEmailAttempts + 5 {
		box.errs = append(box.errs, down)
	}
	a := r.bookWithEmail(t)
	for range booking.MaxEmailAttempts + 5 {
		r.at(r.now.Add(10 * time.Minute)) // past any backoff, before the reminder is due
	}
	fails, err := r.db.EmailFailures(context.Background(), time.Time{})
	if err != nil || len(fails) != 1 || fails[0].Kind != booking.OutboxEmailConfirm || fails[0].Attempts != booking.MaxEmailAttempts ||
		fails[0].VisitNumber != a.VisitNumber {
		t.Errorf("failures %+v %v, want the confirmation after %d attempts", fails, err, booking.MaxEmailAttempts)
	}
}

// TestDeliverMailSaysHowManyWent: the mail worker's pass returns how many emails it sent.
func TestDeliverMailSaysHowManyWent(t *testing.T) {
	r, _ := mailRig(t)
	r.bookWithEmail(t)
	if n := r.svc.DeliverMail(context.Background()); n != 1 {
		t.Errorf("DeliverMail = %d, want 1 (the confirmation)", n)
	}
	if n := r.svc.DeliverMail(context.Background()); n != 0 {
		t.Errorf("DeliverMail again = %d, want 0", n)
	}
}

// TestNoReminderOfAVisitBeingMoved: a patient moves their visit while the EHR is down; the
// old visit's reminder, due before the EHR takes the move, is not sent for a time they gave
// up, and is counted as skipped.
func TestNoReminderOfAVisitBeingMoved(t *testing.T) {
	r, box := mailRig(t)
	old := r.bookWithEmail(t)
	r.at(r.now) // the confirmation
	r.ehr.bookErr = &booking.Error{Code: booking.CodeUnavailable, Detail: "connection refused"}
	moved, err := r.reschedule(t, old, "K-move")
	if err != nil || moved.Status != booking.StatusRequested {
		t.Fatalf("the move while the EHR is down: %+v %v, want requested", moved.Status, err)
	}
	r.at(old.Start.Add(-24 * time.Hour)) // the old visit's reminder is due
	for _, got := range box.kinds() {
		if got == "reminder "+old.VisitNumber {
			t.Errorf("sent %v: a reminder of the visit being moved", box.kinds())
		}
	}
	for _, c := range r.svc.EmailCounts() {
		if c.Kind == booking.EmailReminder && c.Outcome == booking.EmailSkipped && c.N != 1 {
			t.Errorf("%d reminders counted as skipped, want the old visit's", c.N)
		}
	}
}

// TestResendSendsThatEmailOnly: an email sent again from "Needs attention" goes at once and
// the desk is told it went; other due emails (here the visit's reminder, queued after it) are
// left to the mail worker, so the desk does not wait for them.
func TestResendSendsThatEmailOnly(t *testing.T) {
	ctx := context.Background()
	r, box := mailRig(t)
	box.errs = []error{&booking.Error{Code: booking.CodeRejected, Detail: "550 no such user"}}
	a := r.bookWithEmail(t)
	r.at(r.now.Add(20 * time.Minute)) // the confirmation is refused for good
	_, items := emailItems(t, r)
	if len(items) != 1 {
		t.Fatalf("listed %+v, want the confirmation", items)
	}
	r.now = a.Start.Add(-24*time.Hour + time.Minute) // the reminder is due too; the worker has not run
	out, err := r.svc.RetryAttention(ctx, items[0].ID, booking.Actor{Kind: "staff", Session: "staff:1"})
	if err != nil || out != booking.RetryEmailSent {
		t.Fatalf("RetryAttention = %q, %v; want %q", out, err, booking.RetryEmailSent)
	}
	if got, want := box.kinds(), []string{"confirmation " + a.VisitNumber}; !slices.Equal(got, want) {
		t.Errorf("sent %v by the resend, want %v", got, want)
	}
	r.at(r.now)
	if got := box.kinds(); len(got) != 2 || got[1] != "reminder "+a.VisitNumber {
		t.Errorf("sent %v after the worker's pass, want the reminder too", got)
	}
}

// TestClinicChangesOfNoConsequenceSendNothing: a Modification at the same time naming no
// provider (the EHR left the field out) changes nothing for the patient; a visit canceled
// here that the clinic then moves gets no change notice (it is not theirs any more).
func TestClinicChangesOfNoConsequenceSendNothing(t *testing.T) {
	ctx := context.Background()
	r, box := mailRig(t)
	a := r.bookWithEmail(t)
	r.at(r.now)
	same := booking.Appointment{VisitNumber: a.VisitNumber, Start: a.Start, Minutes: a.Minutes, Location: a.Location,
		Patient: booking.Patient{Identifiers: []booking.Identifier{{ID: "MRN-1", IDType: "MR"}}}}
	if _, err := r.svc.ApplyNotification(ctx, booking.Notification{Key: "mod-1", Event: "Modification", Appointment: same}); err != nil {
		t.Fatal(err)
	}
	r.at(r.now.Add(time.Minute))
	if got := box.kinds(); len(got) != 1 {
		t.Errorf("after a Modification at the same time without a provider: %v, want the confirmation only", got)
	}
	if err := r.svc.CancelByPatient(ctx, booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict",
		Actor: booking.Actor{Kind: "patient", Session: "s"}}); err != nil {
		t.Fatal(err)
	}
	r.at(r.now.Add(time.Minute))
	sent := len(box.kinds())
	r.fromClinic(t, "mod-2", "Modification", a, a.Start.Add(48*time.Hour))
	r.at(r.now.Add(time.Minute))
	if got := box.kinds(); len(got) != sent {
		t.Errorf("after the clinic moved a visit canceled here: %v, want nothing more", got)
	}
}

// TestRemindersOffStillConfirms: a patient who turns reminders off before the confirmation
// went out (on the confirmation page, at once) still gets the confirmation; only the reminder
// is dropped.
func TestRemindersOffStillConfirms(t *testing.T) {
	r, box := mailRig(t)
	a := r.bookWithEmail(t)
	if err := r.svc.SetReminders(context.Background(), booking.RemindersRequest{VisitNumber: a.VisitNumber, On: false,
		Actor: booking.Actor{Kind: "patient", Session: "s"}}); err != nil {
		t.Fatal(err)
	}
	r.at(r.now)
	r.at(a.Start.Add(-24 * time.Hour))
	if got, want := box.kinds(), []string{"confirmation " + a.VisitNumber}; !slices.Equal(got, want) {
		t.Errorf("sent %v, want the confirmation only", got)
	}
}

// TestCanceledBeforeItsConfirmationWent: a visit canceled before its confirmation went out
// gets the cancellation only, not a confirmation of a visit that is gone.
func TestCanceledBeforeItsConfirmationWent(t *testing.T) {
	r, box := mailRig(t)
	a := r.bookWithEmail(t)
	if err := r.svc.CancelByPatient(context.Background(), booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict",
		Actor: booking.Actor{Kind: "patient", Session: "s"}}); err != nil {
		t.Fatal(err)
	}
	r.at(r.now.Add(time.Minute))
	if got, want := box.kinds(), []string{"cancellation " + a.VisitNumber}; !slices.Equal(got, want) {
		t.Errorf("sent %v, want the cancellation only", got)
	}
}
