package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"doorway/booking"
)

func testStaffAccounts(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	ada, err := db.AddStaff(ctx, booking.Staff{Email: " Ada@Clinic.example ", Name: "Ada", Role: booking.RoleDesk, Location: "north", CreatedAt: t0}, "hash-1")
	if err != nil || ada.ID == 0 || ada.Email != "ada@clinic.example" {
		t.Fatalf("AddStaff = %+v, %v", ada, err)
	}
	if _, err := db.AddStaff(ctx, booking.Staff{Email: "ADA@clinic.example", Name: "Other", Role: booking.RoleAdmin, CreatedAt: t0}, "h"); booking.MsgOf(err) != booking.MsgEmailTaken {
		t.Errorf("a second account with the email: %v, want email taken", err)
	}
	must(t, errOf(db.AddStaff(ctx, booking.Staff{Email: "bo@clinic.example", Name: "Bo", Role: booking.RoleAdmin, CreatedAt: t0}, "hash-2")))
	got, hash, err := db.StaffByEmail(ctx, "ADA@clinic.example")
	if err != nil || hash != "hash-1" || got.ID != ada.ID || got.Role != booking.RoleDesk || got.Location != "north" || !got.CreatedAt.Equal(t0) {
		t.Errorf("StaffByEmail = %+v %q %v", got, hash, err)
	}
	if byID, err := db.StaffByID(ctx, ada.ID); err != nil || byID.Email != ada.Email {
		t.Errorf("StaffByID = %+v %v", byID, err)
	}
	if _, _, err := db.StaffByEmail(ctx, "nobody@clinic.example"); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("an unknown email: %v", err)
	}
	must(t, db.SetStaffDisabled(ctx, "ada@clinic.example", true))
	if got, _ := db.StaffByID(ctx, ada.ID); !got.Disabled {
		t.Error("the account is not disabled")
	}
	if err := db.SetStaffDisabled(ctx, "nobody@clinic.example", true); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("disabling an unknown account: %v", err)
	}
	list, err := db.ListStaff(ctx)
	if err != nil || len(list) != 2 || list[0].Email != "ada@clinic.example" || list[1].Email != "bo@clinic.example" {
		t.Errorf("ListStaff = %+v %v", list, err)
	}
	for i, at := range []time.Time{t0.Add(-20 * time.Minute), t0.Add(-time.Minute), t0} {
		must(t, db.Audit(ctx, booking.AuditEntry{At: at, Action: booking.AuditSignInFailed, Actor: booking.Actor{Kind: "staff", Session: "email:1"}}))
		if i == 2 {
			must(t, db.Audit(ctx, booking.AuditEntry{At: at, Action: booking.AuditSignIn, Actor: booking.Actor{Kind: "staff", Session: "email:1"}}))
		}
	}
	if n, err := db.CountAudit(ctx, booking.AuditSignInFailed, "email:1", t0.Add(-15*time.Minute)); err != nil || n != 2 {
		t.Errorf("failed sign-ins in 15 minutes = %d, %v; want 2", n, err)
	}
}

// errOf drops a value and keeps its error.
func errOf[T any](_ T, err error) error { return err }

// testDeskBookingAuditedWithItsOverride: a booking by staff writes its audit rows (the booking
// and the override, with its words) in the booking's transaction, and the appointment keeps
// the override.
func testDeskBookingAuditedWithItsOverride(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	must(t, db.PutHold(ctx, testHold("desk", sl, t0), t0))
	a := testAppointment(sl)
	a.Override = booking.Override{Rules: []booking.Rule{booking.RuleLeadTime}, Reason: "urgent", Note: "walk-in"}
	by := booking.Actor{Kind: "staff", Session: "staff:7"}
	audit := []booking.AuditEntry{{At: t0, Action: booking.AuditBook, Actor: by, VisitNumber: a.VisitNumber},
		{At: t0, Action: booking.AuditOverride, Actor: by, VisitNumber: a.VisitNumber, Detail: a.Override.String()}}
	if _, _, err := db.CreateAppointment(ctx, booking.Booking{Key: "k", SessionID: "desk", Appointment: a, Audit: audit}, t0); err != nil {
		t.Fatal(err)
	}
	got, err := db.Appointment(ctx, a.VisitNumber)
	if err != nil || got.Override.String() != "lead_time: urgent (walk-in)" {
		t.Errorf("appointment override %q, %v", got.Override.String(), err)
	}
	rows, err := db.SearchAudit(ctx, booking.AuditFilter{Action: booking.AuditOverride, Limit: 10}, time.Time{}, time.Time{})
	if err != nil || len(rows) != 1 || rows[0].Detail != "lead_time: urgent (walk-in)" || rows[0].Actor.Session != "staff:7" || rows[0].VisitNumber != a.VisitNumber {
		t.Errorf("override audit rows %+v, %v", rows, err)
	}
	if rows, _ := db.AuditEntries(ctx, a.VisitNumber); len(rows) != 2 || rows[0].Action != booking.AuditBook {
		t.Errorf("the visit's audit rows %+v, want the booking and the override", rows)
	}
}

// testAppointmentsByDOB: the appointments of patients born on a date, latest first, bounded;
// another date of birth (even one sharing digits) is not matched.
func testAppointmentsByDOB(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	early := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k1")
	late := book(t, db, "B", testSlot("P1", t0.Add(48*time.Hour), 30), "k2")
	must(t, db.PutHold(ctx, testHold("C", testSlot("P2", t0.Add(time.Hour), 30), t0), t0))
	other := testAppointment(testSlot("P2", t0.Add(time.Hour), 30))
	other.Patient.DOB = "1990-12-01"
	if _, _, err := db.CreateAppointment(ctx, booking.Booking{Key: "k3", SessionID: "C", Appointment: other}, t0); err != nil {
		t.Fatal(err)
	}
	got, err := db.AppointmentsByDOB(ctx, "1990-12-10", 10)
	if err != nil || len(got) != 2 || got[0].VisitNumber != late.VisitNumber || got[1].VisitNumber != early.VisitNumber ||
		got[0].Patient.LastName != "Lovelace" {
		t.Errorf("AppointmentsByDOB = %d rows, %v; want the two, latest first, with the patient", len(got), err)
	}
	if got, _ := db.AppointmentsByDOB(ctx, "1990-12-10", 1); len(got) != 1 {
		t.Errorf("limit 1: %d rows", len(got))
	}
	if got, _ := db.AppointmentsByDOB(ctx, "1990-12-1", 10); len(got) != 0 {
		t.Errorf("a part of a date of birth matched %d rows", len(got))
	}
}
