package booking_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// kioskRig is the real-store rig with staff accounts (enrollment counts failures in the audit
// log through them).
func kioskRig(t *testing.T) *rig {
	t.Helper()
	r := newRig(t)
	r.svc = booking.NewService(booking.Config{Clinic: r.svc.Clinic(), EHR: r.ehr, Holds: r.db, Appointments: r.db, Manage: r.db,
		Staff: r.db, Now: func() time.Time { return r.now }, CacheFor: -1})
	return r
}

var kioskAdmin = booking.Actor{Kind: "staff", Session: "staff:1"}

// TestCreateKioskChecksItsForm: a name (cleaned, at most 60 characters) and one of the
// clinic's locations; the code is 8 of the code alphabet's characters, grouped 4 and 4.
func TestCreateKioskChecksItsForm(t *testing.T) {
	r := kioskRig(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, location, field string
		msg                   booking.Msg
	}{
		{"", "north", "name", booking.MsgKioskNameMissing},
		{" \u200b ", "north", "name", booking.MsgKioskNameMissing},
		{strings.Repeat("x", booking.MaxKioskName+1), "north", "name", booking.MsgKioskNameLong},
		{"Lobby", "south", "location", booking.MsgKioskLocation},
	} {
		if _, _, err := r.svc.CreateKiosk(ctx, tc.name, tc.location, kioskAdmin); booking.FieldOf(err) != tc.field || booking.MsgOf(err) != tc.msg {
			t.Errorf("CreateKiosk(%q, %q) = %v; want %s on %s", tc.name, tc.location, err, tc.msg, tc.field)
		}
	}
	k, code, err := r.svc.CreateKiosk(ctx, " Lobby  tablet\u200b", "north", kioskAdmin)
	if err != nil || k.Name != "Lobby tablet" || !k.CodeExpires.Equal(r.now.Add(booking.KioskCodeFor)) {
		t.Fatalf("CreateKiosk = %+v, %v; want the name cleaned and the code good for a day", k, err)
	}
	if !regexp.MustCompile(`^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$`).MatchString(code) {
		t.Errorf("code %q, want 4+4 of the code alphabet", code)
	}
	if _, _, err := r.svc.CreateKiosk(ctx, strings.Repeat("x", booking.MaxKioskName), "north", kioskAdmin); err != nil {
		t.Errorf("a name of exactly %d characters: %v", booking.MaxKioskName, err)
	}
}

// TestKioskCodeHash reads a code as typed (any case, spaces and dashes anywhere) and nothing
// that cannot be one.
func TestKioskCodeHash(t *testing.T) {
	want, ok := booking.KioskCodeHash("K7M4-QXAC")
	if !ok || want == "" {
		t.Fatal("a code does not hash")
	}
	for _, typed := range []string{"k7m4qxac", " K7M4 QXAC ", "k7-m4-qx-ac"} {
		if got, ok := booking.KioskCodeHash(typed); !ok || got != want {
			t.Errorf("KioskCodeHash(%q) = %q, %v; want the code's hash", typed, got, ok)
		}
	}
	for _, typed := range []string{"", "K7M4-QXA", "K7M4-QXACC", "K7M4-QXA0", "K7M4-QXA!"} {
		if _, ok := booking.KioskCodeHash(typed); ok {
			t.Errorf("KioskCodeHash(%q) accepted", typed)
		}
	}
	if other, _ := booking.KioskCodeHash("K7M4-QXAD"); other == want {
		t.Error("two codes hash alike")
	}
}

// TestEnrollKiosk: a right code enrolls once; the kiosk then acts at its new version only;
// a revoke ends it; 5 failures from one address lock it out for 15 minutes, right code or
// not, while another address goes on.
func TestEnrollKiosk(t *testing.T) {
	r := kioskRig(t)
	ctx := context.Background()
	k, code, err := r.svc.CreateKiosk(ctx, "Lobby", "north", kioskAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.EnrolledKiosk(ctx, k.ID, k.Version); booking.ErrorCode(err) != booking.CodeUnauthorized {
		t.Errorf("a kiosk never enrolled acts: %v", err)
	}
	here, there := booking.Actor{IP: "10.0.0.1"}, booking.Actor{IP: "10.0.0.2"}
	for range 5 {
		if _, err := r.svc.EnrollKiosk(ctx, "AAAA-AAAA", here); booking.MsgOf(err) != booking.MsgKioskCodeWrong {
			t.Fatalf("a wrong code: %v", err)
		}
	}
	if _, err := r.svc.EnrollKiosk(ctx, code, here); booking.MsgOf(err) != booking.MsgKioskCodeWrong {
		t.Errorf("the right code after 5 failures from the address: %v; want refused", err)
	}
	got, err := r.svc.EnrollKiosk(ctx, code, there)
	if err != nil || got.ID != k.ID {
		t.Fatalf("the right code from another address = %+v, %v", got, err)
	}
	if _, err := r.svc.EnrolledKiosk(ctx, k.ID, got.Version); err != nil {
		t.Errorf("the enrolled kiosk does not act: %v", err)
	}
	if _, err := r.svc.EnrolledKiosk(ctx, k.ID, k.Version); booking.ErrorCode(err) != booking.CodeUnauthorized {
		t.Errorf("the version before enrollment still acts: %v", err)
	}
	if _, err := r.svc.EnrollKiosk(ctx, code, there); booking.MsgOf(err) != booking.MsgKioskCodeWrong {
		t.Errorf("a used code enrolled again: %v", err)
	}
	r.now = r.now.Add(16 * time.Minute)
	_, again, err := r.svc.NewEnrollmentCode(ctx, k.ID, kioskAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.EnrollKiosk(ctx, again, here); err != nil {
		t.Errorf("after the lock-out's 15 minutes, a new code: %v", err)
	}
	if err := r.svc.RevokeKiosk(ctx, k.ID, kioskAdmin); err != nil {
		t.Fatal(err)
	}
	now, _ := r.db.KioskByID(ctx, k.ID)
	if _, err := r.svc.EnrolledKiosk(ctx, k.ID, now.Version); booking.ErrorCode(err) != booking.CodeUnauthorized {
		t.Errorf("a revoked kiosk acts: %v", err)
	}
	if _, err := r.svc.EnrolledKiosk(ctx, 999, 1); booking.ErrorCode(err) != booking.CodeUnauthorized {
		t.Errorf("no such kiosk acts: %v", err)
	}
}

// TestKioskBookingIsTheKiosks: a booking made by a kiosk carries its name, and its audit row
// names the kiosk.
func TestKioskBookingIsTheKiosks(t *testing.T) {
	r := kioskRig(t)
	ctx := context.Background()
	r.hold(t, "walk-in")
	vt, _ := r.svc.Clinic().VisitType("FU")
	by := booking.Actor{Kind: booking.ActorKiosk, Session: booking.KioskActor(7)}
	a, err := r.svc.Confirm(ctx, booking.ConfirmRequest{By: &by, Kiosk: "Lobby", Key: "K-1", SessionID: "walk-in", VisitType: vt,
		Patient: booking.Patient{FirstName: "A", LastName: "B", DOB: "1990-01-01"}})
	if err != nil || a.Kiosk != "Lobby" {
		t.Fatalf("Confirm = %+v, %v; want the kiosk's name on it", a.Kiosk, err)
	}
	entries, err := r.db.AuditEntries(ctx, a.VisitNumber)
	if err != nil || len(entries) != 1 || entries[0].Action != booking.AuditBook || entries[0].Actor.Session != "kiosk:7" || entries[0].Detail != "Lobby" {
		t.Errorf("audit = %+v, %v", entries, err)
	}
}
