package booking

import (
	"context"
	"slices"
	"testing"
	"time"
)

// Emails to patients that failed for good, on the "Needs attention" list (the fake store;
// sending them again on the real store and a real SMTP server is in attention_mail_test.go).

// emailsOn makes the rig's service send emails, through a notifier and a mail store the list
// never calls.
func (r *attnRig) emailsOn(t *testing.T) {
	r.svc = NewService(Config{Clinic: testClinic(t), EHR: r.ehr, Holds: r.st, Appointments: r.st,
		Notifier: notifierFunc(func(context.Context, Notice) error { return nil }), Mail: struct{ MailStore }{},
		Now: func() time.Time { return testNow }, CacheFor: -1})
}

type notifierFunc func(context.Context, Notice) error

func (f notifierFunc) Notify(ctx context.Context, n Notice) error { return f(ctx, n) }

// emailTrouble adds an appointment (status st, starting at start, Ada with an address) and
// its email of kind k that failed for good at since.
func (r *attnRig) emailTrouble(id int64, k OutboxKind, start time.Time, st Status, since time.Time) Appointment {
	a := Appointment{VisitNumber: "DW-E" + string(rune('A'+id)), Start: start, Minutes: 20, Status: st,
		Provider: ProviderRef{ID: "1111111111"}, Location: LocationRef{Department: "North FM"},
		Patient: Patient{FirstName: "Ada", LastName: "Lovelace", Phone: "+13085550100", Email: "ada@example.org"}}
	r.st.appts[a.VisitNumber] = a
	r.st.emails = append(r.st.emails, OutboxTrouble{Message: OutboxMessage{ID: id, Kind: k, VisitNumber: a.VisitNumber, Attempts: 2},
		Failed: true, Since: since, LastError: "smtp: 550 5.1.1 no such user", Appointment: a})
	return a
}

// TestAttentionListsFailedEmails: an email that failed for good is an item of its own kind
// ("email-<id>"), with the patient to call, the server's answer and the tries, among the
// others newest first; it may be sent again only while what it says is still true and the
// service sends emails.
func TestAttentionListsFailedEmails(t *testing.T) {
	ahead, past := testNow.Add(48*time.Hour), testNow.Add(-time.Hour)
	tests := []struct {
		name      string
		kind      OutboxKind
		start     time.Time
		status    Status
		change    func(*Appointment)
		emailsOff bool
		canRetry  bool
	}{
		{"a confirmation of a booked visit ahead", OutboxEmailConfirm, ahead, StatusBooked, nil, false, true},
		{"a confirmation of a visit being booked", OutboxEmailConfirm, ahead, StatusRequested, nil, false, true},
		{"a change notice of a booked visit", OutboxEmailChange, ahead, StatusBooked, nil, false, true},
		{"a confirmation of a visit canceled since", OutboxEmailConfirm, ahead, StatusCanceled, nil, false, false},
		{"a confirmation of a visit gone by", OutboxEmailConfirm, past, StatusBooked, nil, false, false},
		{"a cancellation", OutboxEmailCancel, ahead, StatusCanceled, nil, false, true},
		{"a cancellation of a time gone by", OutboxEmailCancel, past, StatusCanceled, nil, false, true},
		{"a reminder of a booked visit ahead", OutboxEmailReminder, ahead, StatusBooked, nil, false, true},
		{"a reminder of a visit not booked yet", OutboxEmailReminder, ahead, StatusRequested, nil, false, false},
		{"a reminder turned off since", OutboxEmailReminder, ahead, StatusBooked, func(a *Appointment) { a.RemindersOff = true }, false, false},
		{"a reminder of a visit gone by", OutboxEmailReminder, past, StatusBooked, nil, false, false},
		{"an email to an address removed since", OutboxEmailConfirm, ahead, StatusBooked, func(a *Appointment) { a.Patient.Email = "" }, false, false},
		{"any email once the service sends none", OutboxEmailConfirm, ahead, StatusBooked, nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newAttnRig(t)
			if !tt.emailsOff {
				r.emailsOn(t)
			}
			a := r.emailTrouble(7, tt.kind, tt.start, tt.status, testNow.Add(-time.Hour))
			if tt.change != nil {
				tt.change(&a)
				r.st.appts[a.VisitNumber] = a
			}
			items, err := r.svc.Attention(context.Background())
			if err != nil || len(items) != 1 {
				t.Fatalf("items = %+v, %v; want the email", items, err)
			}
			it := items[0]
			if it.ID != "email-7" || it.Kind != AttentionEmail || it.Message != tt.kind || it.Attempts != 2 ||
				it.LastError != "smtp: 550 5.1.1 no such user" || it.Appointment.Patient.Phone != "+13085550100" || !it.Since.Equal(testNow.Add(-time.Hour)) {
				t.Errorf("item %+v", it)
			}
			if it.CanRetry != tt.canRetry {
				t.Errorf("CanRetry = %v, want %v", it.CanRetry, tt.canRetry)
			}
		})
	}

	r := newAttnRig(t)
	r.emailsOn(t)
	r.trouble(1, OutboxNew, ahead, StatusFailed, true, testNow.Add(-3*time.Hour))
	r.emailTrouble(2, OutboxEmailConfirm, ahead, StatusBooked, testNow.Add(-time.Hour))
	r.emailTrouble(3, OutboxEmailReminder, ahead, StatusBooked, testNow.Add(-2*time.Hour))
	items, err := r.svc.Attention(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if want := []string{"email-2", "email-3", "outbox-1"}; !slices.Equal(ids, want) {
		t.Errorf("items %v, want %v (newest first)", ids, want)
	}
}

// TestResolveFailedEmail: a failed email is resolved under its own source, with its failure as
// the occurrence; a message to the EHR with the same outbox id is another item.
func TestResolveFailedEmail(t *testing.T) {
	ctx := context.Background()
	r := newAttnRig(t)
	r.emailsOn(t)
	a := r.emailTrouble(4, OutboxEmailConfirm, testNow.Add(48*time.Hour), StatusBooked, testNow.Add(-time.Hour))
	if _, err := r.svc.RetryAttention(ctx, "outbox-4", staffActor); MsgOf(err) != MsgAttentionGone {
		t.Errorf("the email addressed as a message to the EHR: %v, want gone", err)
	}
	if err := r.svc.ResolveAttention(ctx, ResolveRequest{ID: "email-4", Note: "Called Ada: new address", StaffID: 7, Actor: staffActor}); err != nil {
		t.Fatal(err)
	}
	want := Resolution{Source: ResolveEmail, SourceID: 4, Since: testNow.Add(-time.Hour), Note: "Called Ada: new address", StaffID: 7, At: testNow}
	if len(r.st.resolved) != 1 || r.st.resolved[0] != want {
		t.Errorf("resolved %+v, want %+v", r.st.resolved, want)
	}
	if len(r.st.audits) != 1 || r.st.audits[0].Action != AuditResolve || r.st.audits[0].VisitNumber != a.VisitNumber {
		t.Errorf("audit %+v", r.st.audits)
	}
	if n := r.svc.AttentionCount(ctx); n != 0 {
		t.Errorf("%d items after resolving, want 0", n)
	}
}

// TestRetryFailedEmailRefused: an email that no longer applies is not sent again, and nothing
// is written.
func TestRetryFailedEmailRefused(t *testing.T) {
	r := newAttnRig(t)
	r.emailsOn(t)
	r.emailTrouble(5, OutboxEmailConfirm, testNow.Add(48*time.Hour), StatusCanceled, testNow.Add(-time.Hour))
	if _, err := r.svc.RetryAttention(context.Background(), "email-5", staffActor); ErrorCode(err) != CodeConflict || MsgOf(err) != MsgCannotRetry {
		t.Errorf("retry of a canceled visit's confirmation: %v, want %s", err, MsgCannotRetry)
	}
	if len(r.st.retried) != 0 || len(r.st.audits) != 0 {
		t.Errorf("a refused retry wrote %v, %+v", r.st.retried, r.st.audits)
	}
}
