package booking_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// emailItems is the "Needs attention" list at the rig's clock, as "kind message attempts".
func emailItems(t *testing.T, r *rig) ([]string, []booking.Attention) {
	t.Helper()
	items, err := r.svc.Attention(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, string(it.Kind)+" "+string(it.Message)+" "+strconv.Itoa(it.Attempts))
	}
	return out, items
}

// TestFailedEmailsNeedAttention, on the real store: an email the server refuses for good is
// listed as an email (not as a message to the EHR), and the reminder waiting for its day is
// not listed as stuck. Sent again from the list it goes at once, with the idempotency key
// (so the Message-ID) of its first attempt, audited; refused again it is back with its new
// failure; with the server down it leaves the list while the worker retries, and comes back
// once the worker gives up after MaxEmailAttempts; marked resolved it leaves for good.
func TestFailedEmailsNeedAttention(t *testing.T) {
	ctx := context.Background()
	r, box := mailRig(t)
	staff, err := r.db.AddStaff(ctx, booking.Staff{Email: "dana@clinic.example", Name: "Dana", Role: booking.RoleDesk, CreatedAt: r.now}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	by := booking.Actor{Kind: "staff", Session: "staff:1"}
	refused := &booking.Error{Code: booking.CodeRejected, Detail: "smtp sending SMTP RCPT TO command: 550 5.1.1 no such user"}
	down := booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown)

	box.errs = []error{refused}
	a := r.bookWithEmail(t)
	r.at(r.now.Add(20 * time.Minute)) // the confirmation is refused; the reminder waits for tomorrow
	got, items := emailItems(t, r)
	if want := []string{"email EmailConfirm 1"}; !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	first := items[0]
	if !strings.HasPrefix(first.ID, "email-") || !first.CanRetry || !strings.Contains(first.LastError, "550 5.1.1") ||
		first.Appointment.VisitNumber != a.VisitNumber || first.Appointment.Patient.Email != "ada@example.org" {
		t.Errorf("the refused confirmation: %+v", first)
	}

	out, err := r.svc.RetryAttention(ctx, first.ID, by)
	if err != nil || out != booking.RetryEmailSent {
		t.Fatalf("RetryAttention = %q, %v; want %q", out, err, booking.RetryEmailSent)
	}
	if len(box.tried) != 2 || box.tried[1] != box.tried[0] || len(box.got) != 1 || box.got[0].Kind != booking.EmailConfirmation {
		t.Errorf("tried %v, sent %d; want the confirmation again with its first key", box.tried, len(box.got))
	}
	if got, _ := emailItems(t, r); len(got) != 0 {
		t.Errorf("listed after it went: %v", got)
	}
	if entries, _ := r.db.AuditEntries(ctx, a.VisitNumber); !slices.ContainsFunc(entries, func(e booking.AuditEntry) bool {
		return e.Action == booking.AuditRetry && e.Actor == by
	}) {
		t.Errorf("audit %+v; want the retry under the staff member", entries)
	}

	// The reminder is refused; sent again, refused again: back on the list with both tries.
	box.errs = []error{refused}
	r.at(a.Start.Add(-24 * time.Hour))
	_, items = emailItems(t, r)
	if len(items) != 1 || items[0].Message != booking.OutboxEmailReminder {
		t.Fatalf("listed %+v, want the reminder", items)
	}
	reminder := items[0].ID
	r.now = r.now.Add(time.Minute)
	box.errs = []error{refused}
	if out, err := r.svc.RetryAttention(ctx, reminder, by); err != nil || out != booking.RetryEmailRefused {
		t.Fatalf("RetryAttention = %q, %v; want %q", out, err, booking.RetryEmailRefused)
	}
	if got, items := emailItems(t, r); !slices.Equal(got, []string{"email EmailReminder 2"}) || !items[0].Since.Equal(r.now) {
		t.Errorf("after the second refusal: %v; want the reminder, failed now", got)
	}

	// With the server down it is retried, off the list, until the worker gives up.
	box.errs = slices.Repeat([]error{down}, booking.MaxEmailAttempts)
	if out, err := r.svc.RetryAttention(ctx, reminder, by); err != nil || out != booking.RetryEmailPending {
		t.Fatalf("RetryAttention = %q, %v; want %q", out, err, booking.RetryEmailPending)
	}
	if got, _ := emailItems(t, r); len(got) != 0 {
		t.Errorf("listed while retrying: %v", got)
	}
	for range 2 * booking.MaxEmailAttempts {
		r.at(r.now.Add(10 * time.Minute))
	}
	got, items = emailItems(t, r)
	if want := []string{"email EmailReminder " + strconv.Itoa(2+booking.MaxEmailAttempts)}; !slices.Equal(got, want) {
		t.Fatalf("after the worker gave up: %v, want %v", got, want)
	}

	if err := r.svc.ResolveAttention(ctx, booking.ResolveRequest{ID: items[0].ID, Note: "Called Ada: she knows the time",
		StaffID: staff.ID, Actor: by}); err != nil {
		t.Fatal(err)
	}
	if got, _ := emailItems(t, r); len(got) != 0 {
		t.Errorf("listed after it was resolved: %v", got)
	}
	if n := len(slices.Compact(slices.Clone(box.tried))); n != 2 {
		t.Errorf("%d idempotency keys over every try, want 2 (one per email)", n)
	}
}
