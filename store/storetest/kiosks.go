package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"doorway/booking"
)

// testKiosks: a kiosk is written with its code's hash and its audit row; the code enrolls
// once, moving the device version on; an expired code, a used code and a revoked kiosk's code
// enroll nothing; a new code replaces the old one; a revoke moves the version on and drops
// the code; the list is newest first.
func testKiosks(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	admin := booking.Actor{Kind: "staff", Session: "staff:1"}
	lobby, err := db.AddKiosk(ctx, booking.Kiosk{Name: "Lobby", Location: "north", CodeExpires: t0.Add(24 * time.Hour), CreatedAt: t0}, "hash-lobby",
		booking.AuditEntry{At: t0, Action: booking.AuditKioskCreate, Actor: admin, Detail: "Lobby"})
	if err != nil || lobby.ID == 0 || lobby.Name != "Lobby" || lobby.Location != "north" || !lobby.CodeExpires.Equal(t0.Add(24*time.Hour)) ||
		!lobby.EnrolledAt.IsZero() || lobby.Revoked || !lobby.CreatedAt.Equal(t0) {
		t.Fatalf("AddKiosk = %+v, %v", lobby, err)
	}
	if n, err := db.CountAudit(ctx, booking.AuditKioskCreate, "staff:1", t0); err != nil || n != 1 {
		t.Errorf("create audit rows = %d, %v; want 1", n, err)
	}
	second := mustKiosk(t)(db.AddKiosk(ctx, booking.Kiosk{Name: "Second floor", Location: "north", CodeExpires: t0.Add(time.Hour), CreatedAt: t0}, "hash-2",
		booking.AuditEntry{At: t0, Action: booking.AuditKioskCreate, Actor: admin}))
	device := booking.Actor{Kind: "device", Session: "device:10.0.0.9"}
	enroll := func(hash string, at time.Time) (booking.Kiosk, error) {
		return db.EnrollKiosk(ctx, hash, at, booking.AuditEntry{At: at, Action: booking.AuditKioskEnroll, Actor: device})
	}
	if _, err := enroll("hash-2", t0.Add(time.Hour)); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("an expired code enrolled: %v", err)
	}
	if _, err := enroll("nope", t0); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("an unknown code enrolled: %v", err)
	}
	got, err := enroll("hash-lobby", t0.Add(time.Minute))
	if err != nil || got.ID != lobby.ID || got.Version != lobby.Version+1 || !got.EnrolledAt.Equal(t0.Add(time.Minute)) || !got.CodeExpires.IsZero() {
		t.Fatalf("EnrollKiosk = %+v, %v; want the lobby at the next version, enrolled", got, err)
	}
	if _, err := enroll("hash-lobby", t0.Add(2*time.Minute)); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("a used code enrolled again: %v", err)
	}
	if n, _ := db.CountAudit(ctx, booking.AuditKioskEnroll, device.Session, t0); n != 1 {
		t.Errorf("enroll audit rows = %d; want 1 (the one that enrolled)", n)
	}
	again := mustKiosk(t)(db.SetKioskCode(ctx, lobby.ID, "hash-new", t0.Add(48*time.Hour),
		booking.AuditEntry{At: t0, Action: booking.AuditKioskCode, Actor: admin}))
	if again.Version != got.Version || !again.CodeExpires.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("SetKioskCode = %+v; want the same version (the enrolled tablet keeps working) and the new expiry", again)
	}
	must(t, db.RevokeKiosk(ctx, lobby.ID, booking.AuditEntry{At: t0, Action: booking.AuditKioskRevoke, Actor: admin}))
	if _, err := enroll("hash-new", t0.Add(3*time.Minute)); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("a revoked kiosk's code enrolled: %v", err)
	}
	revoked := mustKiosk(t)(db.KioskByID(ctx, lobby.ID))
	if !revoked.Revoked || revoked.Version != got.Version+1 || !revoked.CodeExpires.IsZero() {
		t.Errorf("after revoke = %+v; want revoked, the version moved on, no code", revoked)
	}
	if _, err := db.SetKioskCode(ctx, lobby.ID, "hash-3", t0.Add(time.Hour), booking.AuditEntry{At: t0, Action: booking.AuditKioskCode, Actor: admin}); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("a new code for a revoked kiosk: %v; want not found", err)
	}
	if err := db.RevokeKiosk(ctx, 9999, booking.AuditEntry{At: t0, Action: booking.AuditKioskRevoke, Actor: admin}); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("revoking no kiosk: %v; want not found", err)
	}
	if _, err := db.KioskByID(ctx, 9999); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("KioskByID of none: %v", err)
	}
	list, err := db.Kiosks(ctx)
	if err != nil || len(list) != 2 || list[0].ID != second.ID || list[1].ID != lobby.ID {
		t.Errorf("Kiosks = %+v, %v; want the second, then the lobby", list, err)
	}
}

// testKioskCodeEnrollsOnce: tablets typing one code at the same moment: exactly one enrolls.
func testKioskCodeEnrollsOnce(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	k := mustKiosk(t)(db.AddKiosk(ctx, booking.Kiosk{Name: "Lobby", Location: "north", CodeExpires: t0.Add(time.Hour), CreatedAt: t0}, "h",
		booking.AuditEntry{At: t0, Action: booking.AuditKioskCreate}))
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Go(func() {
			_, err := db.EnrollKiosk(ctx, "h", t0, booking.AuditEntry{At: t0, Action: booking.AuditKioskEnroll})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				won++
			} else if !errors.Is(err, booking.ErrNotFound) {
				t.Errorf("EnrollKiosk: %v", err)
			}
		})
	}
	wg.Wait()
	if got := mustKiosk(t)(db.KioskByID(ctx, k.ID)); won != 1 || got.Version != k.Version+1 {
		t.Errorf("%d tablets enrolled, version %d; want exactly one, version %d", won, got.Version, k.Version+1)
	}
}

// mustKiosk returns a kiosk after checking its error.
func mustKiosk(t *testing.T) func(booking.Kiosk, error) booking.Kiosk {
	return func(k booking.Kiosk, err error) booking.Kiosk {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
}
