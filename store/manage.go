package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"doorway/booking"
)

var _ booking.ManageStore = (*DB)(nil)

// AppointmentByCode implements booking.ManageStore.
func (db *DB) AppointmentByCode(ctx context.Context, code string) (booking.Appointment, error) {
	return scanAppointment(db.queryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE code = $1`, code))
}

// Replacement implements booking.ManageStore: the newest appointment that replaced
// visitNumber and is not failed (a reschedule the EHR refused leaves the old one standing).
func (db *DB) Replacement(ctx context.Context, visitNumber string) (booking.Appointment, error) {
	return scanAppointment(db.queryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments
		WHERE replaces = $1 AND status <> 'failed' ORDER BY created_at DESC, visit_number LIMIT 1`, visitNumber))
}

// Audit implements booking.ManageStore.
func (db *DB) Audit(ctx context.Context, e booking.AuditEntry) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error { return audit(ctx, tx, e) })
}

// audit writes e in tx: the change it records and the record commit together or not at all.
func audit(ctx context.Context, tx *sql.Tx, e booking.AuditEntry) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (at, action, actor_kind, actor, visit_number, other_visit, ip, user_agent, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, unixOf(e.At), e.Action, e.Actor.Kind, e.Actor.Session, e.VisitNumber,
		e.OtherVisit, clip(e.Actor.IP, 64), clip(e.Actor.UserAgent, 256), clip(e.Detail, 600)); err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// clip bounds what a client sends (its user agent) before it is stored.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// FailedFinds implements booking.ManageStore.
func (db *DB) FailedFinds(ctx context.Context, visitNumber string, since time.Time) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT count(*) FROM audit WHERE visit_number = $1 AND action = $2 AND at >= $3`,
		visitNumber, booking.AuditFindFailed, unixOf(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count failed finds: %w", err)
	}
	return n, nil
}

// AuditEntries returns the audit rows of a visit, oldest first (for the desk and for tests).
func (db *DB) AuditEntries(ctx context.Context, visitNumber string) ([]booking.AuditEntry, error) {
	rows, err := db.QueryContext(ctx, `SELECT at, action, actor_kind, actor, visit_number, other_visit, ip, user_agent, detail
		FROM audit WHERE visit_number = $1 OR other_visit = $1 ORDER BY id`, visitNumber)
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	defer rows.Close()
	var out []booking.AuditEntry
	for rows.Next() {
		var e booking.AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Action, &e.Actor.Kind, &e.Actor.Session, &e.VisitNumber, &e.OtherVisit, &e.Actor.IP, &e.Actor.UserAgent, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: audit entries: %w", err)
		}
		e.At = timeOf(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// CancelAppointment implements booking.ManageStore: RequestCancel, the cancellation email
// when mail.Send, and the audit row in one write transaction.
func (db *DB) CancelAppointment(ctx context.Context, visitNumber, reason string, mail booking.Mail, e booking.AuditEntry, now time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		if err := db.requestCancel(ctx, tx, visitNumber, reason, mail, now); err != nil {
			return err
		}
		return audit(ctx, tx, e)
	})
}

// CreateReplacement implements booking.ManageStore.
func (db *DB) CreateReplacement(ctx context.Context, b booking.Booking, e booking.AuditEntry, now time.Time) (booking.Appointment, bool, error) {
	var out booking.Appointment
	var replayed bool
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		a := b.Appointment
		if a.VisitNumber != "" {
			if err := db.lockCalendar(ctx, tx, a.Slot()); err != nil {
				return err
			}
		}
		prev, err := appointmentByKey(ctx, tx, b.Key)
		if err == nil {
			out, replayed = prev, true
			return nil
		}
		if !errors.Is(err, booking.ErrNotFound) {
			return err
		}
		if a.VisitNumber == "" {
			return holdExpired()
		}
		switch cur, err := db.currentStatus(ctx, tx, a.Replaces); {
		case err != nil:
			return err
		case cur == booking.StatusCanceled:
			return booking.Fail(booking.CodeConflict, booking.MsgAlreadyCanceled)
		case cur != booking.StatusRequested && cur != booking.StatusBooked:
			return booking.Fail(booking.CodeConflict, booking.MsgCannotCancel)
		}
		var moving int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM appointments WHERE replaces = $1 AND status = 'requested'`,
			a.Replaces).Scan(&moving); err != nil {
			return fmt.Errorf("store: check reschedules: %w", err)
		} else if moving > 0 { // another move of it is on its way to the EHR
			return booking.Fail(booking.CodeConflict, booking.MsgEHRChanged)
		}
		a.Status = booking.StatusRequested
		a.Start = a.Start.UTC()
		if err := consumeHold(ctx, tx, a.Slot(), b.SessionID, now); err != nil {
			return err
		}
		if err := db.insertAppointment(ctx, tx, a, b.Key, now); err != nil {
			return err
		}
		newID, err := enqueueAfter(ctx, tx, booking.OutboxNew, a.VisitNumber, "", 0, now)
		if err != nil {
			return err
		}
		if _, err := enqueueAfter(ctx, tx, booking.OutboxCancel, a.Replaces, "rescheduled to "+a.VisitNumber, newID, now); err != nil {
			return err
		}
		if err := queueMail(ctx, tx, b.Mail, booking.OutboxEmailChange, a.VisitNumber, newID, now); err != nil {
			return err
		}
		for _, e := range append([]booking.AuditEntry{e}, b.Audit...) {
			if err := audit(ctx, tx, e); err != nil {
				return err
			}
		}
		out = a
		return nil
	})
	if err != nil {
		return booking.Appointment{}, false, err
	}
	return out, replayed, nil
}

// ChangedByClinic implements booking.ManageStore: an inbound change of the visit with no
// cancel or move of it by the patient in the audit log (the EHR tells Doorway of the patient's
// own changes too).
func (db *DB) ChangedByClinic(ctx context.Context, visitNumber string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM inbox WHERE visit_number = $1 AND event IN ('Modification', 'Reschedule', 'Cancel')
		AND NOT EXISTS (SELECT 1 FROM audit WHERE (visit_number = $1 OR other_visit = $1) AND action IN ($2, $3))`,
		visitNumber, booking.AuditCancel, booking.AuditReschedule).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: changed by the clinic: %w", err)
	}
	return n > 0, nil
}

var _ booking.DeskStore = (*DB)(nil)

// AppointmentsBetween implements booking.DeskStore.
func (db *DB) AppointmentsBetween(ctx context.Context, start, end time.Time) ([]booking.Appointment, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE start_unix >= $1 AND start_unix < $2
		ORDER BY start_unix, visit_number`, unixOf(start), unixOf(end))
	if err != nil {
		return nil, fmt.Errorf("store: appointments between: %w", err)
	}
	defer rows.Close()
	var out []booking.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

var _ booking.PatientFinder = (*DB)(nil)

// AppointmentsByDOB implements booking.PatientFinder. The patient's details are one JSON
// column: the date of birth is matched as its JSON member, exactly (the domain writes it as
// YYYY-MM-DD), over every appointment: a clinic's thousands, read once per search.
func (db *DB) AppointmentsByDOB(ctx context.Context, dob string, limit int) ([]booking.Appointment, error) {
	member, err := json.Marshal(map[string]string{"DOB": dob})
	if err != nil {
		return nil, fmt.Errorf("store: appointments by birth date: %w", err)
	}
	pattern := "%" + strings.Trim(string(member), "{}") + "%"
	rows, err := db.QueryContext(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE patient LIKE $1
		ORDER BY start_unix DESC, visit_number LIMIT $2`, pattern, limit)
	if err != nil {
		return nil, fmt.Errorf("store: appointments by birth date: %w", err)
	}
	defer rows.Close()
	var out []booking.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// HoldsBetween implements booking.DeskStore.
func (db *DB) HoldsBetween(ctx context.Context, start, end, now time.Time) ([]booking.Hold, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+holdColumns+` FROM holds WHERE start_unix >= $1 AND start_unix < $2 AND expires_at > $3
		ORDER BY start_unix`, unixOf(start), unixOf(end), unixOf(now))
	if err != nil {
		return nil, fmt.Errorf("store: holds between: %w", err)
	}
	defer rows.Close()
	var out []booking.Hold
	for rows.Next() {
		h, err := scanHold(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// MirrorBetween implements booking.DeskStore.
func (db *DB) MirrorBetween(ctx context.Context, start, end time.Time) ([]booking.MirrorVisit, error) {
	rows, err := db.QueryContext(ctx, `SELECT visit_number, provider_id, department, start_unix, end_unix, status, is_block
		FROM ehr_visits WHERE start_unix >= $1 AND start_unix < $2 ORDER BY start_unix`, unixOf(start), unixOf(end))
	if err != nil {
		return nil, fmt.Errorf("store: mirror between: %w", err)
	}
	defer rows.Close()
	var out []booking.MirrorVisit
	for rows.Next() {
		var m booking.MirrorVisit
		var s, e int64
		var status string
		var block int
		if err := rows.Scan(&m.VisitNumber, &m.ProviderID, &m.Department, &s, &e, &status, &block); err != nil {
			return nil, fmt.Errorf("store: mirror between: %w", err)
		}
		m.Start, m.End, m.Status, m.Block = timeOf(s), timeOf(e), booking.Status(status), block != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

var _ booking.AuditReader = (*DB)(nil)

// SearchAudit implements booking.AuditReader: newest first.
func (db *DB) SearchAudit(ctx context.Context, f booking.AuditFilter, start, end time.Time) ([]booking.AuditEntry, error) {
	q := `SELECT at, action, actor_kind, actor, visit_number, other_visit, ip, user_agent, detail FROM audit WHERE 1 = 1`
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		q += " AND " + strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args)))
	}
	if !start.IsZero() {
		arg("at >= ?", unixOf(start))
		arg("at < ?", unixOf(end))
	}
	if f.Actor != "" {
		arg("actor = ?", f.Actor)
	}
	if f.VisitNumber != "" {
		args = append(args, f.VisitNumber)
		n := "$" + strconv.Itoa(len(args))
		q += " AND (visit_number = " + n + " OR other_visit = " + n + ")"
	}
	if f.Action != "" {
		arg("action = ?", f.Action)
	}
	args = append(args, f.Limit)
	q += " ORDER BY at DESC, id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search audit: %w", err)
	}
	defer rows.Close()
	var out []booking.AuditEntry
	for rows.Next() {
		var e booking.AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Action, &e.Actor.Kind, &e.Actor.Session, &e.VisitNumber, &e.OtherVisit, &e.Actor.IP, &e.Actor.UserAgent, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: search audit: %w", err)
		}
		e.At = timeOf(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
