package booking_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// later is the rig's second open time: the next day at the same hour.
func (r *rig) later() booking.Slot {
	sl := r.ehr.slot
	sl.Start = sl.Start.Add(24 * time.Hour)
	return sl
}

// booked books the rig's slot for Ada Núñez-O'Brien and returns the appointment.
func (r *rig) booked(t *testing.T) booking.Appointment {
	t.Helper()
	r.hold(t, "s")
	vt, _ := r.svc.Clinic().VisitType("FU")
	a, err := r.svc.Confirm(context.Background(), booking.ConfirmRequest{Key: "K-1", SessionID: "s", VisitType: vt,
		Patient: booking.Patient{FirstName: "Ada", LastName: "Núñez-O'Brien", DOB: "1990-01-01"}})
	if err != nil || a.Status != booking.StatusBooked || a.Code == "" {
		t.Fatalf("booking: %+v %v", a, err)
	}
	return a
}

var patient = booking.Actor{Kind: "patient", Session: "h", IP: "192.0.2.1"}

func TestFindAnswersAlikeForEveryWrongPart(t *testing.T) {
	r := newRig(t)
	a := r.booked(t)
	ctx := context.Background()
	find := func(code, name, dob string) error {
		_, err := r.svc.Find(ctx, booking.FindRequest{Code: code, LastName: name, DOB: dob, Actor: patient})
		return err
	}
	for _, right := range []struct{ code, name string }{
		{a.Code, "Núñez-O'Brien"},
		{" " + a.Code[:3] + " " + a.Code[4:] + " ", "nunez obrien"}, // typed loosely
		{a.VisitNumber, "NÚÑEZ O’BRIEN"},
	} {
		if err := find(right.code, right.name, "1990-01-01"); err != nil {
			t.Errorf("find %q %q: %v", right.code, right.name, err)
		}
	}
	wrong := map[string]error{
		"code": find("XXX-XXX", "Núñez-O'Brien", "1990-01-01"),
		"name": find(a.Code, "Nunez", "1990-01-01"),
		"dob":  find(a.Code, "Núñez-O'Brien", "1990-01-02"),
		"all":  find("", "", ""),
	}
	for part, err := range wrong {
		if booking.MsgOf(err) != booking.MsgManageNotFound {
			t.Errorf("wrong %s: %v, want the one not-found answer", part, err)
		}
	}
	// Two failures on this code so far (name, dob): three more lock it, right details too.
	for range 3 {
		find(a.Code, "Smith", "1990-01-01")
	}
	if err := find(a.Code, "Núñez-O'Brien", "1990-01-01"); booking.MsgOf(err) != booking.MsgManageNotFound {
		t.Errorf("a code tried 5 times: %v, want it locked", err)
	}
	r.now = r.now.Add(16 * time.Minute)
	if err := find(a.Code, "Núñez-O'Brien", "1990-01-01"); err != nil {
		t.Errorf("after the lock's window: %v", err)
	}
}

func TestCancelByPatientFollowsThePolicy(t *testing.T) {
	r := newRig(t)
	a := r.booked(t) // tomorrow 15:00 UTC, 27 hours ahead
	ctx := context.Background()
	cancel := func(reason, other string) error {
		return r.svc.CancelByPatient(ctx, booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: reason, Other: other, Actor: patient})
	}
	if err := cancel("", ""); booking.MsgOf(err) != booking.MsgCancelReasonMissing {
		t.Errorf("no reason: %v", err)
	}
	if err := cancel("other", "  "); booking.MsgOf(err) != booking.MsgCancelOtherMissing {
		t.Errorf("other without words: %v", err)
	}
	late := r.now
	r.now = a.Start.Add(-23 * time.Hour)
	if err := cancel("conflict", ""); booking.MsgOf(err) != booking.MsgTooLateToChange {
		t.Errorf("within the 24-hour cutoff: %v, want 'please call'", err)
	}
	r.now = late
	if err := cancel("conflict", ""); err != nil {
		t.Fatal(err)
	}
	got, _ := r.svc.Appointment(ctx, a.VisitNumber)
	if got.Status != booking.StatusCanceled || r.ehr.cancels != 1 {
		t.Errorf("after canceling: %s with %d Cancels sent, want canceled and 1", got.Status, r.ehr.cancels)
	}
	if err := cancel("conflict", ""); booking.MsgOf(err) != booking.MsgAlreadyCanceled {
		t.Errorf("canceling twice: %v", err)
	}
}

// TestCancelByPatientEdges: the cutoff is "at least 24 hours before", to the minute; the
// patient's own words are kept up to 200 characters and reach the EHR after "other: ".
func TestCancelByPatientEdges(t *testing.T) {
	tests := []struct {
		name, reason, other string
		before              time.Duration // how long before the visit the patient cancels
		want                booking.Msg   // "" = canceled
		sent                string        // the reason the EHR gets
	}{
		{"exactly at the cutoff", "conflict", "", 24 * time.Hour, "", "conflict"},
		{"a minute inside the cutoff", "conflict", "", 24*time.Hour - time.Minute, booking.MsgTooLateToChange, ""},
		{"other, in the patient's words", "other", "moving away", 48 * time.Hour, "", "other: moving away"},
		{"other, 200 characters", "other", strings.Repeat("é", 200), 48 * time.Hour, "", "other: " + strings.Repeat("é", 200)},
		{"other, 201 characters", "other", strings.Repeat("é", 201), 48 * time.Hour, booking.MsgReasonTypedLong, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			a := r.booked(t)
			r.now = a.Start.Add(-tt.before)
			err := r.svc.CancelByPatient(context.Background(), booking.CancelRequest{VisitNumber: a.VisitNumber, Reason: tt.reason, Other: tt.other, Actor: patient})
			if booking.MsgOf(err) != tt.want || (tt.want == "" && err != nil) {
				t.Fatalf("cancel: %v, want %q", err, tt.want)
			}
			if want := []string{tt.sent}; tt.want == "" && !slices.Equal(r.ehr.reasons, want) {
				t.Errorf("the EHR got reasons %q, want %q", r.ehr.reasons, want)
			}
		})
	}
}

// reschedule moves a to the rig's later time for session s.
func (r *rig) reschedule(t *testing.T, a booking.Appointment, key string) (booking.Appointment, error) {
	t.Helper()
	r.ehr.more = []booking.Slot{r.later()}
	p := booking.Preferences{VisitType: "FU", From: "2026-12-01", To: "2026-12-07"}
	if _, _, err := r.svc.Hold(context.Background(), "s", p, r.later().Key()); err != nil {
		t.Fatal(err)
	}
	return r.svc.Reschedule(context.Background(), booking.RescheduleRequest{Key: key, SessionID: "s", Old: a.VisitNumber, Actor: patient})
}

func TestRescheduleMovesTheAppointment(t *testing.T) {
	r := newRig(t)
	a := r.booked(t)
	moved, err := r.reschedule(t, a, "R-1")
	if err != nil || moved.Status != booking.StatusBooked || moved.VisitNumber == a.VisitNumber || moved.Code == a.Code ||
		moved.Replaces != a.VisitNumber || !moved.Start.Equal(r.later().Start) || moved.Patient.LastName != a.Patient.LastName {
		t.Fatalf("moved: %+v, %v", moved, err)
	}
	old, _ := r.svc.Appointment(context.Background(), a.VisitNumber)
	if old.Status != booking.StatusCanceled || r.ehr.cancels != 1 || r.ehr.books != 2 {
		t.Errorf("old %s; the EHR got %d Books and %d Cancels; want canceled, 2 and 1", old.Status, r.ehr.books, r.ehr.cancels)
	}
	if cur, wasMoved, err := r.svc.Current(context.Background(), a.VisitNumber); err != nil || !wasMoved || cur.VisitNumber != moved.VisitNumber {
		t.Errorf("the old visit's page shows %s (moved %v, %v), want the new one", cur.VisitNumber, wasMoved, err)
	}
}

func TestRescheduleRefusedKeepsTheOld(t *testing.T) {
	r := newRig(t)
	a := r.booked(t)
	r.ehr.bookErr = booking.Fail(booking.CodeRejected, booking.MsgEHRRefused)
	moved, err := r.reschedule(t, a, "R-1")
	if err != nil || moved.Status != booking.StatusFailed {
		t.Fatalf("moved: %+v, %v; want a failed new appointment", moved, err)
	}
	r.now = r.now.Add(time.Hour)
	r.svc.DeliverDue(context.Background())
	old, _ := r.svc.Appointment(context.Background(), a.VisitNumber)
	if old.Status != booking.StatusBooked || r.ehr.cancels != 0 {
		t.Errorf("old %s after %d Cancels, want it booked and no Cancel", old.Status, r.ehr.cancels)
	}
	if cur, wasMoved, _ := r.svc.Current(context.Background(), a.VisitNumber); wasMoved || cur.VisitNumber != a.VisitNumber {
		t.Errorf("the old visit's page shows %s (moved %v), want itself", cur.VisitNumber, wasMoved)
	}
}

// TestRescheduleCancelIsRetriedUntilDone: the old visit's Cancel fails more often than a New
// would be tried, and still goes out in the end, once.
func TestRescheduleCancelIsRetriedUntilDone(t *testing.T) {
	r := newRig(t)
	a := r.booked(t)
	down := booking.Fail(booking.CodeUnavailable, booking.MsgEHRDown)
	for range booking.MaxAttempts + 3 {
		r.ehr.cancelErr = append(r.ehr.cancelErr, down)
	}
	if _, err := r.reschedule(t, a, "R-1"); err != nil {
		t.Fatal(err)
	}
	for range 4 * booking.MaxAttempts {
		r.now = r.now.Add(10 * time.Minute)
		r.svc.DeliverDue(context.Background())
	}
	if want := booking.MaxAttempts + 4; r.ehr.cancels != want {
		t.Errorf("%d Cancels tried, want %d (all the failures, then the one that went through)", r.ehr.cancels, want)
	}
}

// The desk moves an appointment for the patient inside the cancellation cutoff, and into the
// lead time only with an override, which the new appointment keeps and the audit log records.
func TestDeskReschedulesInsideTheRules(t *testing.T) {
	r := newRig(t)
	a := r.booked(t)
	ctx := context.Background()
	r.now = a.Start.Add(-23 * time.Hour) // inside the 24-hour cutoff
	r.svc.Clinic().LeadMinutes = 48 * 60 // the later time (47 hours ahead) is inside the lead time
	r.ehr.more = []booking.Slot{r.later()}
	p := booking.Preferences{VisitType: "FU", From: "2026-12-01", To: "2026-12-07"}
	if _, _, err := r.svc.Hold(ctx, "desk", p, r.later().Key()); booking.MsgOf(err) != booking.MsgSlotTaken {
		t.Fatalf("a hold inside the lead time without lifting it: %v", err)
	}
	if _, _, err := r.svc.Hold(ctx, "desk", p, r.later().Key(), booking.RuleLeadTime); err != nil {
		t.Fatal(err)
	}
	staff := booking.Actor{Kind: "staff", Session: "staff:3"}
	move := booking.RescheduleRequest{Key: "R-1", SessionID: "desk", Old: a.VisitNumber, Actor: staff}
	if _, err := r.svc.Reschedule(ctx, move); booking.MsgOf(err) != booking.MsgTooLateToChange {
		t.Errorf("not as the desk, inside the cutoff: %v, want too late", err)
	}
	move.ByStaff = true
	if _, err := r.svc.Reschedule(ctx, move); booking.MsgOf(err) != booking.MsgOverrideNeeded {
		t.Errorf("the desk, into the lead time without an override: %v", err)
	}
	move.Override = &booking.Override{Rules: []booking.Rule{booking.RuleLeadTime}, Reason: "clinician"}
	moved, err := r.svc.Reschedule(ctx, move)
	if err != nil || moved.Status != booking.StatusBooked || moved.Override.String() != "lead_time: clinician" {
		t.Fatalf("moved: %+v, %v", moved, err)
	}
	var got []string
	entries, _ := r.db.AuditEntries(ctx, a.VisitNumber)
	more, _ := r.db.AuditEntries(ctx, moved.VisitNumber)
	for _, e := range append(entries, more...) {
		got = append(got, e.Action+"/"+e.Actor.Session+"/"+e.Detail)
	}
	if len(got) != 3 || got[0] != "reschedule/staff:3/" || got[2] != "override/staff:3/lead_time: clinician" {
		t.Errorf("audit %q, want the move and its override under the staff member", got)
	}
}

// clashingStore is the real store refusing the first tries to create an appointment as it
// does when the new confirmation code is already another appointment's: an empty
// appointment and MsgCodeInUse.
type clashingStore struct {
	*store.DB
	clashes int
	codes   []string // the codes tried
}

func (c *clashingStore) clash(code string) error {
	c.codes = append(c.codes, code)
	if len(c.codes) <= c.clashes {
		return &booking.Error{Code: booking.CodeConflict, Msg: booking.MsgCodeInUse}
	}
	return nil
}

func (c *clashingStore) CreateAppointment(ctx context.Context, b booking.Booking, now time.Time) (booking.Appointment, bool, error) {
	if err := c.clash(b.Appointment.Code); err != nil {
		return booking.Appointment{}, false, err
	}
	return c.DB.CreateAppointment(ctx, b, now)
}

func (c *clashingStore) CreateReplacement(ctx context.Context, b booking.Booking, e booking.AuditEntry, now time.Time) (booking.Appointment, bool, error) {
	if err := c.clash(b.Appointment.Code); err != nil {
		return booking.Appointment{}, false, err
	}
	return c.DB.CreateReplacement(ctx, b, e, now)
}

// TestNewCodeDrawnAgainWhenTaken: a confirmation code that turns out to be another
// appointment's is drawn again, so booking and moving succeed with a fresh code instead of
// telling the patient their hold expired. (It did: each retry sent the store's empty answer
// to the refused try, and the store took it for a confirm without a hold.)
func TestNewCodeDrawnAgainWhenTaken(t *testing.T) {
	for _, move := range []bool{false, true} {
		t.Run(map[bool]string{false: "confirm", true: "reschedule"}[move], func(t *testing.T) {
			r := newRig(t)
			var old booking.Appointment
			if move {
				old = r.booked(t)
			}
			st := &clashingStore{DB: r.db, clashes: 2}
			r.svc = booking.NewService(booking.Config{Clinic: r.svc.Clinic(), EHR: r.ehr, Holds: r.db, Appointments: st, Manage: st,
				Now: func() time.Time { return r.now }, CacheFor: -1})
			var a booking.Appointment
			var err error
			if move {
				a, err = r.reschedule(t, old, "R-1")
			} else {
				r.hold(t, "s")
				a, err = r.confirm("s", "K-1")
			}
			if err != nil || a.Status != booking.StatusBooked || len(st.codes) != 3 || a.Code != st.codes[2] ||
				a.Code == st.codes[0] || a.Code == st.codes[1] {
				t.Fatalf("got %+v, %v after trying codes %v; want booked with the third, fresh code", a, err, st.codes)
			}
			if got, err := r.svc.Appointment(context.Background(), a.VisitNumber); err != nil || got.Code != a.Code {
				t.Errorf("stored %+v, %v; want code %s", got, err, a.Code)
			}
		})
	}
}
