package booking_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"doorway/booking"
)

// The emails on the real store with an injected clock: which are queued with which change,
// when the reminder goes (once, at the clinic's lead time), and what a cancel, a move and
// the reminders switch do to it; retries, refusals and the record of every attempt.

// inbox is a Notifier that keeps what it sends and fails as told.
type inbox struct {
	mu    sync.Mutex
	got   []booking.Notice
	tried []string // every attempt's idempotency key (Notice.Key), sent or not
	errs  []error  // the answers to the next sends, in turn (then nil)
}

func (b *inbox) Notify(_ context.Context, n booking.Notice) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tried = append(b.tried, n.Key)
	if len(b.errs) > 0 {
		err := b.errs[0]
		b.errs = b.errs[1:]
		if err != nil {
			return err
		}
	}
	b.got = append(b.got, n)
	return nil
}

// kinds is what was sent, in order, as "kind visit" pairs.
func (b *inbox) kinds() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, n := range b.got {
		out = append(out, string(n.Kind)+" "+n.Appointment.VisitNumber)
	}
	return out
}

// mailRig is the real-store rig with emails on: reminders 24 hours ahead, the patient with an
// address.
func mailRig(t *testing.T) (*rig, *inbox) {
	t.Helper()
	r := newRig(t)
	box := &inbox{}
	c := r.svc.Clinic()
	c.ReminderHours = 24
	r.svc = booking.NewService(booking.Config{Clinic: c, EHR: r.ehr, Holds: r.db, Appointments: r.db, Manage: r.db,
		Mail: r.db, Notifier: box, Now: func() time.Time { return r.now }, CacheFor: -1})
	return r, box
}

// bookWithEmail books the rig's slot (tomorrow 15:00 UTC, 27 hours ahead) for a patient
// with an email address.
func (r *rig) bookWithEmail(t *testing.T) booking.Appointment {
	t.Helper()
	r.hold(t, "s")
	vt, _ := r.svc.Clinic().VisitType("FU")
	a, err := r.svc.Confirm(context.Background(), booking.ConfirmRequest{Key: "K-1", SessionID: "s", VisitType: vt,
		Patient: booking.Patient{FirstName: "Ada", LastName: "Byron", DOB: "1990-01-01", Email: "ada@example.org"}})
	if err != nil || a.Status != booking.StatusBooked {
		t.Fatalf("booking: %+v %v", a, err)
	}
	return a
}

// at moves the clock to t and runs the mail worker's pass.
func (r *rig) at(t time.Time) {
	r.now = t
	r.svc.DeliverMail(context.Background())
}

// TestReminderGoesOnceAtTheLeadTime: booked 27 hours ahead, the confirmation goes at once and
// the reminder exactly 24 hours before the visit, once, however often the worker runs.
func TestReminderGoesOnceAtTheLeadTime(t *testing.T) {
	r, box := mailRig(t)
	a := r.bookWithEmail(t)
	r.at(r.now)
	if got := box.kinds(); !slices.Equal(got, []string{"confirmation " + a.VisitNumber}) {
		t.Fatalf("after booking: %v, want the confirmation", got)
	}
	due := a.Start.Add(-24 * time.Hour)
	r.at(due.Add(-time.Second))
	if len(box.kinds()) != 1 {
		t.Fatalf("a second before the lead time: %v", box.kinds())
	}
	for range 3 {
		r.at(due)
		r.at(due.Add(time.Hour))
	}
	if got := box.kinds(); !slices.Equal(got, []string{"confirmation " + a.VisitNumber, "reminder " + a.VisitNumber}) {
		t.Errorf("after the lead time: %v, want the confirmation and one reminder", got)
	}
	if n := box.got[0]; n.Key == box.got[1].Key || n.Lineage.First != a.VisitNumber {
		t.Errorf("keys %q and %q, lineage %+v", n.Key, box.got[1].Key, n.Lineage)
	}
}

// TestNoReminderAfterACancel: a cancel drops the reminder in its own transaction and queues
// the cancellation, which goes at once (not held up behind the reminder).
func TestNoReminderAfterACancel(t *testing.T) {
	r, box := mailRig(t)
	a := r.bookWithEmail(t)
	r.at(r.now)
	if err := r.svc.CancelByPatient(context.Background(), booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict", Actor: patient}); err != nil {
		t.Fatal(err)
	}
	r.at(r.now.Add(time.Minute))
	r.at(a.Start.Add(-24 * time.Hour))
	r.at(a.Start.Add(-time.Hour))
	want := []string{"confirmation " + a.VisitNumber, "cancellation " + a.VisitNumber}
	if got := box.kinds(); !slices.Equal(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
	if n := box.got[1]; n.Appointment.Status != booking.StatusCanceled {
		t.Errorf("the cancellation shows status %s", n.Appointment.Status)
	}
}

// TestRescheduleMovesTheReminder: the change notice names the new visit and the one it
// replaced; the reminder goes 24 hours before the new time, and none for the old.
func TestRescheduleMovesTheReminder(t *testing.T) {
	r, box := mailRig(t)
	a := r.bookWithEmail(t)
	r.at(r.now)
	moved, err := r.reschedule(t, a, "R-1")
	if err != nil || moved.Status != booking.StatusBooked {
		t.Fatalf("move: %+v %v", moved, err)
	}
	r.at(r.now)
	for _, at := range []time.Duration{-24 * time.Hour, -time.Hour} {
		r.at(a.Start.Add(at)) // the old visit's reminder time
	}
	r.at(moved.Start.Add(-24 * time.Hour))
	r.at(moved.Start.Add(-23 * time.Hour))
	want := []string{"confirmation " + a.VisitNumber, "change " + moved.VisitNumber, "reminder " + moved.VisitNumber}
	if got := box.kinds(); !slices.Equal(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
	change := box.got[1]
	if change.Previous == nil || change.Previous.VisitNumber != a.VisitNumber || change.Lineage != (booking.Lineage{First: a.VisitNumber, Moves: 1}) {
		t.Errorf("the change notice: previous %+v, lineage %+v", change.Previous, change.Lineage)
	}
	if rem := box.got[2]; !rem.Now.Equal(moved.Start.Add(-24 * time.Hour)) {
		t.Errorf("the reminder went at %v, want %v", rem.Now, moved.Start.Add(-24*time.Hour))
	}
}

// TestRemindersSwitch: turned off, no reminder; on again, one.
func TestRemindersSwitch(t *testing.T) {
	r, box := mailRig(t)
	a := r.bookWithEmail(t)
	r.at(r.now)
	ctx := context.Background()
	if err := r.svc.SetReminders(ctx, booking.RemindersRequest{VisitNumber: a.VisitNumber, On: false, Actor: patient}); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.svc.Appointment(ctx, a.VisitNumber); !got.RemindersOff {
		t.Error("reminders still on")
	}
	r.at(a.Start.Add(-23 * time.Hour))
	if len(box.kinds()) != 1 {
		t.Fatalf("with reminders off: %v", box.kinds())
	}
	r.now = a.Start.Add(-30 * time.Hour) // back in time: on again with the lead still ahead
	for range 2 {                        // twice: still one reminder
		if err := r.svc.SetReminders(ctx, booking.RemindersRequest{VisitNumber: a.VisitNumber, On: true, Actor: patient}); err != nil {
			t.Fatal(err)
		}
	}
	r.at(a.Start.Add(-24 * time.Hour))
	r.at(a.Start.Add(-20 * time.Hour))
	if got := box.kinds(); !slices.Equal(got, []string{"confirmation " + a.VisitNumber, "reminder " + a.VisitNumber}) {
		t.Errorf("on again: %v", got)
	}
	entries, _ := r.db.AuditEntries(ctx, a.VisitNumber)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if !slices.Contains(actions, booking.AuditRemindersOff) || !slices.Contains(actions, booking.AuditRemindersOn) {
		t.Errorf("audit %v lacks the switch", actions)
	}
}

// TestNoEmailWithoutAnAddress: a patient who gave only a phone gets no email queued.
func TestNoEmailWithoutAnAddress(t *testing.T) {
	r, box := mailRig(t)
	a := r.booked(t) // no email address
	r.at(a.Start.Add(-24 * time.Hour))
	if got := box.kinds(); len(got) != 0 {
		t.Errorf("sent %v to a patient without an address", got)
	}
	if n := countOutbox(t, r, "lane <> 'ehr'"); n != 0 {
		t.Errorf("%d email messages queued", n)
	}
}

func countOutbox(t *testing.T, r *rig, where string) int {
	t.Helper()
	var n int
	if err := r.db.QueryRow(`SELECT count(*) FROM outbox WHERE ` + where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEmailRetriesAndRefusals: a server down is retried with backoff, each attempt recorded,
// and the email goes once; a refusal (5xx) is final at once and listed as a failure.
func TestEmailRetriesAndRefusals(t *testing.T) {
	r, box := mailRig(t)
	down := booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown)
	box.errs = []error{down, down, down}
	a := r.bookWithEmail(t)
	for range 10 {
		r.at(r.now.Add(10 * time.Minute)) // past any backoff
	}
	if got := box.kinds(); len(got) < 1 || got[0] != "confirmation "+a.VisitNumber || slices.Index(got[1:], got[0]) >= 0 {
		t.Fatalf("sent %v, want the confirmation once", got)
	}
	if n := countOutbox(t, r, "kind = 'EmailConfirm' AND attempts = 4 AND delivered_at IS NOT NULL"); n != 1 {
		t.Errorf("the confirmation's record: %d rows with 4 attempts and delivered", n)
	}
	var attempts int
	r.db.QueryRow(`SELECT count(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.outbox_id WHERE o.kind = 'EmailConfirm'`).Scan(&attempts)
	if attempts != 4 {
		t.Errorf("%d attempt rows, want 4", attempts)
	}
	if fails, _ := r.db.EmailFailures(context.Background(), time.Time{}); len(fails) != 0 {
		t.Errorf("failures listed: %+v", fails)
	}

	box.errs = []error{&booking.Error{Code: booking.CodeRejected, Detail: "smtp sending SMTP RCPT TO command: 550 5.1.1"}}
	r.at(a.Start.Add(-24 * time.Hour)) // the reminder is refused
	r.at(a.Start.Add(-23 * time.Hour))
	fails, err := r.db.EmailFailures(context.Background(), time.Time{})
	if err != nil || len(fails) != 1 || fails[0].Kind != booking.OutboxEmailReminder || fails[0].Attempts != 1 || fails[0].VisitNumber != a.VisitNumber {
		t.Errorf("failures: %+v %v, want the reminder after 1 attempt", fails, err)
	}
	if got, _ := r.svc.Appointment(context.Background(), a.VisitNumber); got.Status != booking.StatusBooked {
		t.Errorf("a failed email changed the appointment to %s", got.Status)
	}
	counts := map[string]uint64{}
	for _, c := range r.svc.EmailCounts() {
		counts[string(c.Kind)+" "+c.Outcome] = c.N
	}
	if counts["confirmation sent"] != 1 || counts["confirmation retried"] != 3 || counts["reminder failed"] != 1 {
		t.Errorf("counts %v", counts)
	}
}

// TestEmailLaneDoesNotHoldUpTheEHR: with every email failing, the EHR's messages still go.
func TestEmailLaneDoesNotHoldUpTheEHR(t *testing.T) {
	r, box := mailRig(t)
	down := booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown)
	for range 50 {
		box.errs = append(box.errs, down)
	}
	a := r.bookWithEmail(t)
	r.at(r.now)
	if err := r.svc.CancelByPatient(context.Background(), booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: "conflict", Actor: patient}); err != nil {
		t.Fatal(err)
	}
	if r.ehr.cancels != 1 {
		t.Errorf("the EHR got %d Cancels while the emails wait, want 1", r.ehr.cancels)
	}
}
