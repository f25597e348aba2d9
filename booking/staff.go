package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Staff is a clinic staff member who signs in to the front desk.
type Staff struct {
	ID        int64
	Email     string // lower case; the sign-in name
	Name      string
	Role      string // RoleDesk or RoleAdmin
	Location  string // the clinic location the desk opens on ("" for the first)
	Disabled  bool
	CreatedAt time.Time
}

// Staff roles: the desk books and acts for patients; an admin also overrides rules, reads the
// audit log and the funnel counts.
const (
	RoleDesk  = "desk"
	RoleAdmin = "admin"
)

// MayOverride reports whether the staff member may bend the patients' rules (see Rule).
func (s Staff) MayOverride() bool { return s.Role == RoleAdmin }

// StaffStore keeps staff accounts. Implemented by store.
type StaffStore interface {
	// AddStaff writes a new account with its password hash; CodeConflict when the email is
	// taken.
	AddStaff(ctx context.Context, s Staff, hash string) (Staff, error)
	// StaffByEmail returns the account and its password hash, or ErrNotFound.
	StaffByEmail(ctx context.Context, email string) (Staff, string, error)
	// StaffByID returns the account, or ErrNotFound.
	StaffByID(ctx context.Context, id int64) (Staff, error)
	// ListStaff returns every account, by email.
	ListStaff(ctx context.Context) ([]Staff, error)
	// SetStaffDisabled disables (or enables) the account; ErrNotFound when there is none.
	SetStaffDisabled(ctx context.Context, email string, disabled bool) error
	// CountAudit counts audit rows of action by actor since since.
	CountAudit(ctx context.Context, action, actor string, since time.Time) (int, error)
}

// Passwords: bcrypt, which reads at most 72 bytes: a longer password is refused rather than
// silently cut.
const (
	MinPassword = 10
	MaxPassword = 72
)

// PasswordCost is bcrypt's cost for new passwords and for the stand-in hash an unknown email is
// checked against: 12, about 0.3 s a hash on the build machine. Tests of other things lower it
// before any hashing (the race detector makes a cost-12 hash take seconds).
var PasswordCost = 12

// HashPassword checks and hashes a new staff password.
func HashPassword(pw string) (string, error) {
	switch {
	case len(pw) > MaxPassword:
		return "", Invalid("password", MsgPasswordTooLong)
	case len([]rune(pw)) < MinPassword:
		return "", Invalid("password", MsgPasswordTooShort)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), PasswordCost)
	if err != nil {
		return "", Fail(CodeInternal, MsgInternal)
	}
	return string(h), nil
}

// NormalizeEmail is an email as staff accounts keep it: trimmed, lower case.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// Audit actions of staff sign-in.
const (
	AuditSignIn       = "sign_in"
	AuditSignInFailed = "sign_in_failed"
	AuditSignOut      = "sign_out"
)

// Sign-in limits: an account (or an email that is none) that failed this many times in
// signInWindow is refused for the window, whatever the password.
const (
	maxFailedSignIns = 5
	signInWindow     = 15 * time.Minute
)

// dummyHash is compared against when no account has the email, so an unknown email costs the
// same bcrypt work as a wrong password. Made on first use: a hash costs a third of a second.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("doorway: no such account"), PasswordCost)
	return h
})

// SignIn checks a staff member's email and password. Every failure (unknown email, wrong
// password, disabled account, too many tries) is the same error, after the same work; every
// attempt is audited under the email's hash (never the email itself).
func (s *Service) SignIn(ctx context.Context, email, password string, who Actor) (Staff, error) {
	if s.staff == nil {
		return Staff{}, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "staff accounts are not enabled"}
	}
	email = NormalizeEmail(email)
	now := s.now()
	who.Kind, who.Session = "staff", EmailKey(email)
	failed, err := s.staff.CountAudit(ctx, AuditSignInFailed, who.Session, now.Add(-signInWindow))
	if err != nil {
		return Staff{}, err
	}
	st, hash, err := s.staff.StaffByEmail(ctx, email)
	if err != nil && ErrorCode(err) != CodeNotFound {
		return Staff{}, err
	}
	known := err == nil
	if !known {
		hash = string(dummyHash())
	}
	match := len(password) <= MaxPassword && bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	ok := known && match && !st.Disabled && failed < maxFailedSignIns
	entry := AuditEntry{At: now, Action: AuditSignIn, Actor: who}
	if !ok {
		entry.Action = AuditSignInFailed
	}
	if err := s.manage.Audit(ctx, entry); err != nil {
		return Staff{}, err
	}
	if !ok {
		s.log.InfoContext(ctx, "staff sign-in refused", "locked", failed >= maxFailedSignIns)
		return Staff{}, Fail(CodeUnauthorized, MsgSignInFailed)
	}
	s.log.InfoContext(ctx, "staff signed in", "staff_id", st.ID)
	return st, nil
}

// EmailKey is an email's stand-in in the audit log: a hash, so the log names no one.
func EmailKey(email string) string {
	h := sha256.Sum256([]byte("doorway staff\x00" + NormalizeEmail(email)))
	return "email:" + hex.EncodeToString(h[:8])
}

// StaffMember returns the signed-in staff member with id, when the account still exists and
// is not disabled.
func (s *Service) StaffMember(ctx context.Context, id int64) (Staff, error) {
	if s.staff == nil {
		return Staff{}, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled}
	}
	st, err := s.staff.StaffByID(ctx, id)
	if err != nil {
		return Staff{}, err
	}
	if st.Disabled {
		return Staff{}, Fail(CodeUnauthorized, MsgSignInFailed)
	}
	return st, nil
}

// Staff is the staff accounts port, for the admin commands.
func (s *Service) Staff() StaffStore { return s.staff }

// Audit writes one audit row (a sign-out, or another act with nothing else to write).
func (s *Service) Audit(ctx context.Context, e AuditEntry) error {
	if err := s.managing(); err != nil {
		return err
	}
	return s.manage.Audit(ctx, e)
}

// AuditFilter picks audit rows for the admin's view: a day (clinic-local, YYYY-MM-DD), an
// actor (e.g. "staff:12"), a visit number, an action; empty fields match everything.
type AuditFilter struct {
	Day, Actor, VisitNumber, Action string
	Limit                           int
}

// AuditReader reads the audit log. Implemented by store.
type AuditReader interface {
	SearchAudit(ctx context.Context, f AuditFilter, start, end time.Time) ([]AuditEntry, error)
}

// MaxAuditRows bounds one view of the audit log.
const MaxAuditRows = 500

// SearchAudit returns the audit rows f picks, newest first, at most MaxAuditRows.
func (s *Service) SearchAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	r, ok := s.manage.(AuditReader)
	if !ok {
		return nil, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled}
	}
	var start, end time.Time
	if f.Day != "" {
		loc := s.clinic.Home()
		day, err := time.ParseInLocation(time.DateOnly, f.Day, loc.Zone())
		if err != nil {
			return nil, Invalid("day", MsgFromFormat)
		}
		start, end = day, day.AddDate(0, 0, 1)
	}
	if f.Limit <= 0 || f.Limit > MaxAuditRows {
		f.Limit = MaxAuditRows
	}
	return r.SearchAudit(ctx, f, start, end)
}
