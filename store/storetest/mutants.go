package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// Tests added for mutants of store/*.go that the rest of the suite let live (make mutate
// PKG=./store/, docs/TESTING.md).

// testSearchAuditByVisit: the audit log searched by a visit number finds the rows about that
// visit and the reschedules that replaced it (its number as the other visit), newest first,
// and nothing about other visits; without a visit number every row is found.
func testSearchAuditByVisit(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	staff := booking.Actor{Kind: "staff", Session: "staff:1"}
	entries := []booking.AuditEntry{
		{At: t0.Add(-2 * time.Hour), Action: booking.AuditBook, Actor: staff, VisitNumber: "V1"},
		{At: t0.Add(-time.Hour), Action: booking.AuditReschedule, Actor: staff, VisitNumber: "V2", OtherVisit: "V1"},
		{At: t0, Action: booking.AuditCancel, Actor: staff, VisitNumber: "V3"},
	}
	for _, e := range entries {
		must(t, db.Audit(ctx, e))
	}
	tests := []struct {
		name  string
		visit string
		want  []string // visit numbers, newest first
	}{
		{"by the visit and its reschedule", "V1", []string{"V2", "V1"}},
		{"by a visit nothing replaced", "V3", []string{"V3"}},
		{"every visit", "", []string{"V3", "V2", "V1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := db.SearchAudit(ctx, booking.AuditFilter{VisitNumber: tc.visit, Limit: 10}, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.VisitNumber)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("SearchAudit(visit %q) = %v, want %v", tc.visit, got, tc.want)
			}
		})
	}
}

// refusingCodec stands in for a newer Doorway's codec that cannot read what an older one
// stored: it writes nothing it is asked to read back.
type refusingCodec struct{}

func (refusingCodec) Encode(map[any]any) ([]byte, error) { return []byte("newer"), nil }
func (refusingCodec) Decode([]byte) (map[any]any, error) {
	return nil, errors.New("values of an unknown version")
}

// testSessionUndecodableStartsAfresh: a session whose stored values no longer decode (a type
// renamed since they were saved) is a fresh session, not an error that would lock the browser
// out until it expires; the store logs that with no logger given.
func testSessionUndecodableStartsAfresh(t *testing.T, s suite) {
	db, c := s.db(t), newClock()
	before := sessionStore(db, c, testKeys(0)...)
	saved, ck := visit(t, before, nil, setAnswers)
	if ck == nil {
		t.Fatal("no Set-Cookie")
	}
	after := store.NewSessionStore(db, store.SessionOptions{KeyPairs: testKeys(0), Secure: true, Now: c.Now, Codec: refusingCodec{}})
	got, _ := visit(t, after, ck, nil)
	if !got.IsNew || got.ID == saved.ID || len(got.Values) != 0 {
		t.Errorf("undecodable session: IsNew=%v id kept=%v values=%v; want a fresh, empty session", got.IsNew, got.ID == saved.ID, got.Values)
	}
}

// testDeadLetterShortSecretNamed: among rotated secrets, the one too short is named by its
// place in the list, so the operator knows which to fix.
func testDeadLetterShortSecretNamed(t *testing.T, s suite) {
	db := s.db(t)
	_, err := store.NewDeadLetterStore(db, key(1, 32), key(0, 15))
	if err == nil || !strings.Contains(err.Error(), "secret 2 has 15 bytes") {
		t.Errorf("a short second secret: %v, want it named as secret 2 with its 15 bytes", err)
	}
}

// testRemindersSwitchAudited: every switch of a visit's reminders is in its audit log, the one
// that drops the pending reminder and the one that queues it again included.
func testRemindersSwitchAudited(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	at := t0.Add(time.Hour)
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{RemindAt: at})
	must(t, db.SetReminders(ctx, a.VisitNumber, false, time.Time{}, patientAudit(booking.AuditRemindersOff, a.VisitNumber), t0))
	must(t, db.SetReminders(ctx, a.VisitNumber, true, at, patientAudit(booking.AuditRemindersOn, a.VisitNumber), t0))
	rows, err := db.AuditEntries(ctx, a.VisitNumber)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Action)
	}
	if want := []string{booking.AuditRemindersOff, booking.AuditRemindersOn}; !slices.Equal(got, want) {
		t.Errorf("audit of the visit = %v, want %v", got, want)
	}
}

// clinicNotice applies the EHR's notification of event about a, with the email the service
// asks for (send: one is due to the patient).
func clinicNotice(t *testing.T, db *store.DB, key, event string, a booking.Appointment, old string, send bool) {
	t.Helper()
	n := booking.Notification{Key: key, Event: event, Appointment: a, OldVisit: old, Mail: booking.Mail{Send: send}}
	if _, err := db.ApplyNotification(context.Background(), n, t0); err != nil {
		t.Fatal(err)
	}
}

// testClinicCancelEmailedOnce: the clinic canceling a Doorway visit in its own system cancels
// it here, drops its reminder and queues the cancellation, once: a second Cancel of the same
// visit (another delivery) queues nothing more, nor does a Modification for which the service
// asks no email.
func testClinicCancelEmailedOnce(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{Send: true, RemindAt: t0.Add(2 * time.Hour)})
	confirmed(t, db, a)
	booked := a
	booked.Status = booking.StatusBooked
	clinicNotice(t, db, "m1", "Modification", booked, "", false)
	canceled := a
	canceled.Status = booking.StatusCanceled
	clinicNotice(t, db, "c1", "Cancel", canceled, "", true)
	got, msgs := emails(t, db, t0.Add(3*time.Hour))
	if !slices.Equal(got, []string{"EmailCancel " + a.VisitNumber}) {
		t.Fatalf("due after the clinic's cancel: %v, want the cancellation and no reminder", got)
	}
	must(t, db.RecordAttempt(ctx, msgs[0].ID, "", true, time.Time{}, t0))
	clinicNotice(t, db, "c2", "Cancel", canceled, "", true)
	if got, _ := emails(t, db, t0.Add(3*time.Hour)); len(got) != 0 {
		t.Errorf("due after the same cancel delivered again: %v, want nothing", got)
	}
	if got := appointment(t, db, a.VisitNumber); got.Status != booking.StatusCanceled {
		t.Errorf("after the clinic's cancel the appointment is %s", got.Status)
	}
}

// testClinicRescheduleEmailedOnce: the clinic rescheduling a Doorway visit to a new visit
// number queues the change notice of the new visit, once: the same Reschedule delivered
// again under another key queues nothing more.
func testClinicRescheduleEmailedOnce(t *testing.T, s suite) {
	db := s.db(t)
	a := bookMail(t, db, "A", testSlot("P1", t0.Add(26*time.Hour), 30), "k", booking.Mail{Send: true})
	confirmed(t, db, a)
	re := a
	re.VisitNumber, re.Start, re.Status = "EHR-2", t0.Add(30*time.Hour), booking.StatusBooked
	clinicNotice(t, db, "r1", "Reschedule", re, a.VisitNumber, true)
	clinicNotice(t, db, "r2", "Reschedule", re, a.VisitNumber, true)
	if got, _ := emails(t, db, t0.Add(time.Hour)); !slices.Equal(got, []string{"EmailChange EHR-2"}) {
		t.Errorf("due after the clinic's reschedule: %v, want one change notice of the new visit", got)
	}
}
