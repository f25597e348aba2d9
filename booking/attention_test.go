package booking

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// attnStore is memStore with the AttentionStore contract: troubles listed by the rules the
// port states, resolutions that hide one occurrence, retries that put the message back in
// memStore's queue, and outcomes of attempts that leave a failure behind.
type attnStore struct {
	*memStore
	troubles   []OutboxTrouble // messages to the EHR
	emails     []OutboxTrouble // emails that failed for good
	dead       []DeadLetter
	resolved   []Resolution
	audits     []AuditEntry
	retried    []int64
	delivered  map[int64]bool
	retryErr   error
	resolveErr error
}

func newAttnStore() *attnStore {
	return &attnStore{memStore: newMemStore(), delivered: map[int64]bool{}}
}

func (f *attnStore) isResolved(src string, id int64, since time.Time) bool {
	return slices.ContainsFunc(f.resolved, func(r Resolution) bool {
		return r.Source == src && r.SourceID == id && r.Since.Equal(since)
	})
}

func (f *attnStore) OutboxTroubles(_ context.Context, dueBefore time.Time) ([]OutboxTrouble, error) {
	var out []OutboxTrouble
	for _, t := range f.troubles {
		if (!t.Failed && t.Since.After(dueBefore)) || f.isResolved(ResolveOutbox, t.Message.ID, t.Since) {
			continue
		}
		t.Appointment = f.appts[t.Message.VisitNumber]
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b OutboxTrouble) int { return b.Since.Compare(a.Since) })
	return out, nil
}

func (f *attnStore) EmailTroubles(context.Context) ([]OutboxTrouble, error) {
	var out []OutboxTrouble
	for _, t := range f.emails {
		if !f.isResolved(ResolveEmail, t.Message.ID, t.Since) {
			t.Appointment = f.appts[t.Message.VisitNumber]
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b OutboxTrouble) int { return b.Since.Compare(a.Since) })
	return out, nil
}

func (f *attnStore) UnresolvedDeadLetters(context.Context) ([]DeadLetter, error) {
	var out []DeadLetter
	for _, d := range f.dead {
		if !f.isResolved(ResolveDeadLetter, d.ID, d.Received) {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *attnStore) Resolve(_ context.Context, r Resolution, e AuditEntry) error {
	if f.resolveErr != nil {
		return f.resolveErr
	}
	if f.isResolved(r.Source, r.SourceID, r.Since) {
		return Fail(CodeConflict, MsgAttentionGone)
	}
	f.resolved, f.audits = append(f.resolved, r), append(f.audits, e)
	return nil
}

func (f *attnStore) RetryMessage(_ context.Context, id int64, e AuditEntry, now time.Time) error {
	if f.retryErr != nil {
		return f.retryErr
	}
	list := &f.troubles
	if slices.ContainsFunc(f.emails, func(t OutboxTrouble) bool { return t.Message.ID == id }) {
		list = &f.emails
	}
	i := slices.IndexFunc(*list, func(t OutboxTrouble) bool { return t.Message.ID == id })
	if i < 0 {
		return Fail(CodeConflict, MsgAttentionGone)
	}
	m := (*list)[i].Message
	*list = slices.Delete(*list, i, i+1)
	f.mu.Lock()
	if a := f.appts[m.VisitNumber]; m.Kind == OutboxNew && a.Status == StatusFailed {
		a.Status = StatusRequested
		f.appts[m.VisitNumber] = a
	}
	f.outbox = append(f.outbox, OutboxMessage{ID: id, Kind: m.Kind, VisitNumber: m.VisitNumber, NextAttempt: now, Retried: m.Attempts > 0})
	f.mu.Unlock()
	f.retried, f.audits = append(f.retried, id), append(f.audits, e)
	return nil
}

func (f *attnStore) Delivered(_ context.Context, id int64) (bool, error) { return f.delivered[id], nil }

func (f *attnStore) RecordAttempt(ctx context.Context, id int64, errText string, done bool, next, now time.Time) error {
	f.mu.Lock()
	i := slices.IndexFunc(f.outbox, func(m OutboxMessage) bool { return m.ID == id })
	m := f.outbox[i]
	f.mu.Unlock()
	if err := f.memStore.RecordAttempt(ctx, id, errText, done, next, now); err != nil {
		return err
	}
	switch {
	case done && errText == "":
		f.delivered[id] = true
	case done:
		m.Attempts++
		f.troubles = append(f.troubles, OutboxTrouble{Message: m, Failed: true, Since: now, LastError: errText})
	}
	return nil
}

// attnRig is a service on attnStore with a fake EHR, at testNow.
type attnRig struct {
	svc *Service
	st  *attnStore
	ehr *fakeEHR
}

func newAttnRig(t *testing.T) *attnRig {
	r := &attnRig{st: newAttnStore(), ehr: &fakeEHR{}}
	r.svc = NewService(Config{Clinic: testClinic(t), EHR: r.ehr, Holds: r.st, Appointments: r.st,
		Now: func() time.Time { return testNow }, CacheFor: -1})
	return r
}

// trouble adds an appointment starting at start with status st and its outbox trouble.
func (r *attnRig) trouble(id int64, kind OutboxKind, start time.Time, st Status, failed bool, since time.Time) Appointment {
	a := Appointment{VisitNumber: "DW-" + string(rune('A'+id)), Start: start, Minutes: 20, Status: st,
		Provider: ProviderRef{ID: "1111111111"}, Location: LocationRef{Department: "North FM"},
		Patient: Patient{FirstName: "Ada", LastName: "Lovelace", Phone: "+13085550100", Identifiers: []Identifier{{ID: "P1"}}}}
	r.st.appts[a.VisitNumber] = a
	r.st.troubles = append(r.st.troubles, OutboxTrouble{Message: OutboxMessage{ID: id, Kind: kind, VisitNumber: a.VisitNumber, Attempts: 3},
		Failed: failed, Since: since, LastError: "rejected: the time is taken", Appointment: a})
	return a
}

var staffActor = Actor{Kind: "staff", Session: "staff:7", IP: "192.0.2.9"}

// TestAttentionListsWhatNeedsAPerson: every kind, newest first, with the actions that fit: no
// retry of a booking whose time has passed or that was canceled, nor of a delivery from the
// EHR; a message not yet stuck is not listed.
func TestAttentionListsWhatNeedsAPerson(t *testing.T) {
	r := newAttnRig(t)
	ahead, past := testNow.Add(48*time.Hour), testNow.Add(-time.Hour)
	r.trouble(1, OutboxNew, ahead, StatusFailed, true, testNow.Add(-time.Hour))
	r.trouble(2, OutboxNew, past, StatusFailed, true, testNow.Add(-2*time.Hour))
	r.trouble(3, OutboxNew, ahead, StatusRequested, false, testNow.Add(-20*time.Minute))
	r.trouble(4, OutboxCancel, ahead, StatusCanceled, false, testNow.Add(-16*time.Minute))
	r.st.troubles[3].After = 9
	r.trouble(5, OutboxNew, ahead, StatusCanceled, true, testNow.Add(-3*time.Hour))
	r.trouble(6, OutboxNew, ahead, StatusRequested, false, testNow.Add(-14*time.Minute)) // not stuck yet
	r.st.dead = []DeadLetter{{ID: 1, Received: testNow.Add(-30 * time.Minute), Event: "New", Code: CodeOutsideWindow}}
	items, err := r.svc.Attention(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		id       string
		kind     AttentionKind
		canRetry bool
	}
	wants := []want{
		{"outbox-4", AttentionMoveCancel, true},
		{"outbox-3", AttentionStuck, true},
		{"inbound-1", AttentionInbound, false},
		{"outbox-1", AttentionFailed, true},
		{"outbox-2", AttentionFailed, false}, // its time has passed
		{"outbox-5", AttentionFailed, false}, // canceled meanwhile
	}
	var got []want
	for _, it := range items {
		got = append(got, want{it.ID, it.Kind, it.CanRetry})
	}
	if !slices.Equal(got, wants) {
		t.Errorf("items:\n got %+v\nwant %+v", got, wants)
	}
	if n := r.svc.AttentionCount(context.Background()); n != len(wants) {
		t.Errorf("count = %d, want %d", n, len(wants))
	}
	if it := items[3]; it.Appointment.Patient.Phone != "+13085550100" || it.LastError == "" || it.Attempts != 3 || it.Message != OutboxNew {
		t.Errorf("the failed booking: %+v; want the patient to call, the EHR's words and the attempts", it)
	}
}

// TestResolveAttention: a note is required, at most MaxNote characters, and kept cleaned;
// the item leaves the list; the resolution names the occurrence and the staff member, with
// an audit row; an item gone meanwhile (or resolved by someone else) says so.
func TestResolveAttention(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, note, want string
		msg              Msg
	}{
		{"empty", "", "", MsgNoteMissing},
		{"blanks only", " \t\n ", "", MsgNoteMissing},
		{"invisible only", "\u200b\u200e", "", MsgNoteMissing},
		{"too long", strings.Repeat("a", MaxNote+1), "", MsgNoteLong},
		{"at the limit, counted in characters", strings.Repeat("é", MaxNote), strings.Repeat("é", MaxNote), ""},
		{"cleaned", "  Called Ada:\r\n booked\tFriday\x00 ", "Called Ada: booked Friday", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newAttnRig(t)
			a := r.trouble(1, OutboxNew, testNow.Add(48*time.Hour), StatusFailed, true, testNow.Add(-time.Hour))
			err := r.svc.ResolveAttention(ctx, ResolveRequest{ID: "outbox-1", Note: tt.note, StaffID: 7, Actor: staffActor})
			if MsgOf(err) != tt.msg || (tt.msg != "" && FieldOf(err) != "note") {
				t.Fatalf("ResolveAttention = %v; want %q on the note", err, tt.msg)
			}
			if tt.msg != "" {
				if len(r.st.resolved) != 0 || len(r.st.audits) != 0 {
					t.Error("a refused note was kept")
				}
				return
			}
			want := Resolution{Source: ResolveOutbox, SourceID: 1, Since: testNow.Add(-time.Hour), Note: tt.want, StaffID: 7, At: testNow}
			if len(r.st.resolved) != 1 || r.st.resolved[0] != want {
				t.Errorf("resolved %+v, want %+v", r.st.resolved, want)
			}
			if len(r.st.audits) != 1 || r.st.audits[0].Action != AuditResolve || r.st.audits[0].VisitNumber != a.VisitNumber ||
				r.st.audits[0].Actor != staffActor {
				t.Errorf("audit %+v", r.st.audits)
			}
			if n := r.svc.AttentionCount(ctx); n != 0 {
				t.Errorf("%d items left after resolving, want 0", n)
			}
		})
	}

	r := newAttnRig(t)
	r.st.dead = []DeadLetter{{ID: 4, Received: testNow.Add(-time.Hour)}}
	if err := r.svc.ResolveAttention(ctx, ResolveRequest{ID: "inbound-4", Note: "Fixed in the EHR", StaffID: 7, Actor: staffActor}); err != nil {
		t.Fatal(err)
	}
	if got := r.st.resolved; len(got) != 1 || got[0].Source != ResolveDeadLetter || got[0].SourceID != 4 || !got[0].Since.Equal(testNow.Add(-time.Hour)) {
		t.Errorf("the dead letter's resolution: %+v", got)
	}
	for name, id := range map[string]string{"resolved already": "inbound-4", "never listed": "outbox-99", "not an id": "x"} {
		if err := r.svc.ResolveAttention(ctx, ResolveRequest{ID: id, Note: "n", StaffID: 7}); MsgOf(err) != MsgAttentionGone {
			t.Errorf("%s: %v, want gone", name, err)
		}
	}
	r.trouble(1, OutboxNew, testNow.Add(48*time.Hour), StatusFailed, true, testNow.Add(-time.Hour))
	r.st.resolveErr = Fail(CodeConflict, MsgAttentionGone) // another staff member was quicker
	if err := r.svc.ResolveAttention(ctx, ResolveRequest{ID: "outbox-1", Note: "n", StaffID: 7}); MsgOf(err) != MsgAttentionGone {
		t.Errorf("a race lost: %v, want gone", err)
	}
}

// TestRetryAttention: a retry sends the message again at once and says what came of it; a
// booking the EHR already has (an earlier attempt arrived unrecorded) is not sent twice; what
// cannot go again is refused with the reason.
func TestRetryAttention(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		bookErr    error
		ehrHasIt   bool
		want       RetryOutcome
		wantBooked int
		wantListed bool
	}{
		{"the EHR takes it", nil, false, RetryDelivered, 1, false},
		{"the EHR refuses it again", &Error{Code: CodeRejected, Detail: "slot taken"}, false, RetryRefused, 0, true},
		{"the EHR is down", &Error{Code: CodeUnavailable, Detail: "connection refused"}, false, RetryPending, 0, false},
		{"the EHR has it already", nil, true, RetryDelivered, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newAttnRig(t)
			a := r.trouble(1, OutboxNew, testNow.Add(48*time.Hour), StatusFailed, true, testNow.Add(-time.Hour))
			r.ehr.bookErr = tt.bookErr
			if tt.ehrHasIt {
				r.ehr.visits = []Appointment{a}
			}
			got, err := r.svc.RetryAttention(ctx, "outbox-1", staffActor)
			if err != nil || got != tt.want {
				t.Fatalf("RetryAttention = %q, %v; want %q", got, err, tt.want)
			}
			if len(r.ehr.booked) != tt.wantBooked {
				t.Errorf("the EHR got %d bookings, want %d", len(r.ehr.booked), tt.wantBooked)
			}
			if !slices.Equal(r.st.retried, []int64{1}) || len(r.st.audits) != 1 || r.st.audits[0].Action != AuditRetry ||
				r.st.audits[0].VisitNumber != a.VisitNumber || r.st.audits[0].Actor != staffActor {
				t.Errorf("retried %v, audit %+v", r.st.retried, r.st.audits)
			}
			items, _ := r.svc.Attention(ctx)
			if listed := len(items) == 1 && items[0].ID == "outbox-1" && items[0].Kind == AttentionFailed; listed != tt.wantListed {
				t.Errorf("listed after the retry: %+v, want %v", items, tt.wantListed)
			}
		})
	}

	r := newAttnRig(t)
	r.trouble(1, OutboxNew, testNow.Add(-time.Hour), StatusFailed, true, testNow.Add(-2*time.Hour))
	r.trouble(2, OutboxNew, testNow.Add(48*time.Hour), StatusFailed, true, testNow.Add(-2*time.Hour))
	r.st.dead = []DeadLetter{{ID: 1, Received: testNow}}
	for _, tt := range []struct {
		id   string
		code Code
		msg  Msg
	}{
		{"outbox-1", CodeConflict, MsgCannotRetry},  // its time has passed
		{"inbound-1", CodeConflict, MsgCannotRetry}, // the EHR must send it again
		{"outbox-9", CodeNotFound, MsgAttentionGone},
	} {
		if _, err := r.svc.RetryAttention(ctx, tt.id, staffActor); ErrorCode(err) != tt.code || MsgOf(err) != tt.msg {
			t.Errorf("retry %s: %v, want %s %s", tt.id, err, tt.code, tt.msg)
		}
	}
	r.st.retryErr = &Error{Code: CodeSlotTaken, Msg: MsgSlotHeld}
	if _, err := r.svc.RetryAttention(ctx, "outbox-2", staffActor); ErrorCode(err) != CodeConflict || MsgOf(err) != MsgRetryTimeTaken {
		t.Errorf("retry of a booking whose time was taken: %v, want %s", err, MsgRetryTimeTaken)
	}
	if len(r.st.retried) != 0 || len(r.ehr.booked) != 0 {
		t.Errorf("refused retries sent something: %v, %d bookings", r.st.retried, len(r.ehr.booked))
	}
}
