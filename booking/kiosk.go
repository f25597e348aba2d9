package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
	"unicode/utf8"
)

// Kiosks: clinic tablets on which walk-ins book for themselves. An admin creates a kiosk at
// the desk (a name and the location it stands in) and gets a one-time enrollment code; the
// tablet, typing the code at /kiosk, becomes that kiosk. Only the code's hash is kept. Each
// enrollment (and a revoke) moves the kiosk to a new device version, so the cookie an older
// enrollment gave a tablet stops working: one tablet per kiosk, and revoking in the
// database ends it at once.

// Kiosk is an enrolled (or to be enrolled) clinic tablet.
type Kiosk struct {
	ID          int64
	Name        string // what the desk calls it: "Lobby tablet"
	Location    string // the clinic location it stands in (its id)
	Version     int64  // the device version its cookie must name; moved on by each enrollment and a revoke
	CodeExpires time.Time
	EnrolledAt  time.Time // zero until a tablet enrolled
	Revoked     bool
	CreatedAt   time.Time
}

// Pending reports whether the kiosk has an enrollment code that still works at now.
func (k Kiosk) Pending(now time.Time) bool { return !k.Revoked && k.CodeExpires.After(now) }

// ActorKiosk is the Actor.Kind of what a kiosk does; its Actor.Session is KioskActor(id).
const ActorKiosk = "kiosk"

// KioskActor is the audit log's name for kiosk id ("kiosk:12").
func KioskActor(id int64) string { return "kiosk:" + strconv.FormatInt(id, 10) }

// Audit actions of kiosks. A kiosk's bookings are AuditBook rows under the kiosk (Detail:
// its name).
const (
	AuditKioskCreate       = "kiosk_create"        // an admin created a kiosk (Detail: its name)
	AuditKioskCode         = "kiosk_code"          // an admin issued a new enrollment code
	AuditKioskRevoke       = "kiosk_revoke"        // an admin revoked a kiosk
	AuditKioskEnroll       = "kiosk_enroll"        // a tablet enrolled with a code
	AuditKioskEnrollFailed = "kiosk_enroll_failed" // a wrong, used or expired code was typed
)

// KioskStore keeps kiosks. Implemented by store.
type KioskStore interface {
	// AddKiosk writes a new kiosk with its enrollment code's hash, and its audit row, in one
	// transaction.
	AddKiosk(ctx context.Context, k Kiosk, codeHash string, audit AuditEntry) (Kiosk, error)
	// Kiosks returns every kiosk, newest first.
	Kiosks(ctx context.Context) ([]Kiosk, error)
	// KioskByID returns the kiosk, or ErrNotFound.
	KioskByID(ctx context.Context, id int64) (Kiosk, error)
	// SetKioskCode gives a kiosk that is not revoked a new enrollment code (replacing any
	// other), with its audit row; ErrNotFound otherwise.
	SetKioskCode(ctx context.Context, id int64, codeHash string, expires time.Time, audit AuditEntry) (Kiosk, error)
	// RevokeKiosk marks the kiosk revoked, drops its code and moves its device version on,
	// with its audit row; ErrNotFound when there is no such kiosk.
	RevokeKiosk(ctx context.Context, id int64, audit AuditEntry) error
	// EnrollKiosk consumes the live code with codeHash (not expired at now, its kiosk not
	// revoked): the code is dropped, the device version moved on and audit (its Detail set to
	// the kiosk's name) written, in one transaction.
	// ErrNotFound when no live code has the hash.
	EnrollKiosk(ctx context.Context, codeHash string, now time.Time, audit AuditEntry) (Kiosk, error)
}

// Kiosk limits.
const (
	MaxKioskName    = 60
	KioskCodeFor    = 24 * time.Hour // an enrollment code works for a day
	kioskCodeLen    = 8              // 23^8: about 78 billion codes
	maxFailedEnroll = 5              // failed enrollments from one address in enrollWindow lock it out
	enrollWindow    = 15 * time.Minute
)

// NewKioskCode returns a random enrollment code, grouped for typing: "K7M4-QXAC" (the
// confirmation code's letters: none of them misread).
func NewKioskCode() string { return groupedCode(kioskCodeLen) }

// KioskCodeHash is what the store keeps of an enrollment code as typed: any case, spaces
// and dashes anywhere. ok is false when the text cannot be a code. The code is random and
// lives a day, so a plain hash (which the store can look up) is enough: there is nothing
// to guess from it that is cheaper than guessing the code.
func KioskCodeHash(typed string) (hash string, ok bool) {
	code, ok := readCode(typed, kioskCodeLen)
	if !ok {
		return "", false
	}
	h := sha256.Sum256([]byte("doorway kiosk code\x00" + code))
	return hex.EncodeToString(h[:]), true
}

// kiosks is the kiosk store, or the error for a service wired without one.
func (s *Service) kiosks() (KioskStore, error) {
	if k, ok := s.appts.(KioskStore); ok {
		return k, nil
	}
	return nil, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "kiosks are not enabled"}
}

// CreateKiosk creates a kiosk named name at location and returns it with its one-time
// enrollment code, audited under by.
func (s *Service) CreateKiosk(ctx context.Context, name, location string, by Actor) (Kiosk, string, error) {
	st, err := s.kiosks()
	if err != nil {
		return Kiosk{}, "", err
	}
	name = CleanText(name)
	fe := FieldErrors{}
	switch {
	case name == "":
		fe["name"] = MsgKioskNameMissing
	case utf8.RuneCountInString(name) > MaxKioskName:
		fe["name"] = MsgKioskNameLong
	}
	if _, ok := s.clinic.Location(location); !ok {
		fe["location"] = MsgKioskLocation
	}
	if len(fe) > 0 {
		return Kiosk{}, "", fe.Err("name", "location")
	}
	now := s.now()
	code := NewKioskCode()
	hash, _ := KioskCodeHash(code)
	k, err := st.AddKiosk(ctx, Kiosk{Name: name, Location: location, CodeExpires: now.Add(KioskCodeFor), CreatedAt: now}, hash,
		AuditEntry{At: now, Action: AuditKioskCreate, Actor: by, Detail: name})
	if err != nil {
		return Kiosk{}, "", err
	}
	return k, code, nil
}

// NewEnrollmentCode gives kiosk id a new one-time code (a tablet replaced, or the first
// code expired unused), audited under by. The tablet enrolled now keeps working until a
// tablet enrolls with the new code.
func (s *Service) NewEnrollmentCode(ctx context.Context, id int64, by Actor) (Kiosk, string, error) {
	st, err := s.kiosks()
	if err != nil {
		return Kiosk{}, "", err
	}
	now := s.now()
	code := NewKioskCode()
	hash, _ := KioskCodeHash(code)
	k, err := st.SetKioskCode(ctx, id, hash, now.Add(KioskCodeFor), AuditEntry{At: now, Action: AuditKioskCode, Actor: by})
	if err != nil {
		return Kiosk{}, "", err
	}
	return k, code, nil
}

// RevokeKiosk ends kiosk id: its tablet's cookie stops working at its next request.
func (s *Service) RevokeKiosk(ctx context.Context, id int64, by Actor) error {
	st, err := s.kiosks()
	if err != nil {
		return err
	}
	return st.RevokeKiosk(ctx, id, AuditEntry{At: s.now(), Action: AuditKioskRevoke, Actor: by})
}

// Kiosks lists every kiosk, newest first.
func (s *Service) Kiosks(ctx context.Context) ([]Kiosk, error) {
	st, err := s.kiosks()
	if err != nil {
		return nil, err
	}
	return st.Kiosks(ctx)
}

// EnrollKiosk turns the tablet that typed code into its kiosk. Every failure (a wrong, used
// or expired code, a revoked kiosk, too many tries from who's address) is the same error,
// and audited; a right code typed after maxFailedEnroll failures from the same address in
// enrollWindow is refused too, so codes cannot be guessed from one place.
func (s *Service) EnrollKiosk(ctx context.Context, code string, who Actor) (Kiosk, error) {
	st, err := s.kiosks()
	if err != nil {
		return Kiosk{}, err
	}
	if s.staff == nil || s.manage == nil {
		return Kiosk{}, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "the audit log is not wired"}
	}
	now := s.now()
	who.Kind, who.Session = "device", "device:"+who.IP
	failed, err := s.staff.CountAudit(ctx, AuditKioskEnrollFailed, who.Session, now.Add(-enrollWindow))
	if err != nil {
		return Kiosk{}, err
	}
	hash, ok := KioskCodeHash(code)
	if ok && failed < maxFailedEnroll {
		k, err := st.EnrollKiosk(ctx, hash, now, AuditEntry{At: now, Action: AuditKioskEnroll, Actor: who})
		if err == nil {
			s.log.InfoContext(ctx, "kiosk enrolled", "kiosk_id", k.ID)
			return k, nil
		}
		if ErrorCode(err) != CodeNotFound {
			return Kiosk{}, err
		}
	}
	if err := s.manage.Audit(ctx, AuditEntry{At: now, Action: AuditKioskEnrollFailed, Actor: who}); err != nil {
		return Kiosk{}, err
	}
	s.log.InfoContext(ctx, "kiosk enrollment refused", "locked", failed >= maxFailedEnroll)
	return Kiosk{}, Invalid("code", MsgKioskCodeWrong)
}

// EnrolledKiosk returns kiosk id when a tablet enrolled at version may act as it: the kiosk
// exists, is not revoked, and no later enrollment has moved its version on.
func (s *Service) EnrolledKiosk(ctx context.Context, id, version int64) (Kiosk, error) {
	st, err := s.kiosks()
	if err != nil {
		return Kiosk{}, err
	}
	k, err := st.KioskByID(ctx, id)
	if ErrorCode(err) == CodeNotFound || (err == nil && (k.Revoked || k.Version != version || k.EnrolledAt.IsZero())) {
		return Kiosk{}, Fail(CodeUnauthorized, MsgKioskGone)
	}
	return k, err
}
