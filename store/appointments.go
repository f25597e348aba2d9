package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"doorway/booking"
)

var _ booking.AppointmentStore = (*DB)(nil)

// CreateAppointment writes b.Appointment (status requested) and its Scheduling.New outbox
// message and consumes the session's hold, all in one write transaction, so a crash leaves
// either everything or nothing. The idempotency key is looked up inside the same transaction,
// after the slot's calendar lock (the whole database's write lock in SQLite, the provider's
// in PostgreSQL), so two submissions of one form cannot both miss it. An empty b.Appointment
// (VisitNumber "") means the caller found no hold: only a replay can succeed then.
func (db *DB) CreateAppointment(ctx context.Context, b booking.Booking, now time.Time) (booking.Appointment, bool, error) {
	var out booking.Appointment
	var replayed bool
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		if b.Appointment.VisitNumber != "" {
			if err := db.lockCalendar(ctx, tx, b.Appointment.Slot()); err != nil {
				return err
			}
		}
		a, err := appointmentByKey(ctx, tx, b.Key)
		if err == nil {
			out, replayed = a, true
			return nil
		}
		if !errors.Is(err, booking.ErrNotFound) {
			return err
		}
		if b.Appointment.VisitNumber == "" {
			return holdExpired()
		}
		a = b.Appointment
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
		if err := queueMail(ctx, tx, b.Mail, booking.OutboxEmailConfirm, a.VisitNumber, newID, now); err != nil {
			return err
		}
		for _, e := range b.Audit {
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

// consumeHold deletes the session's live hold on sl. Without one the time is either taken by
// someone else (ErrSlotTaken) or simply expired (ErrNotFound). It also re-checks the
// provider's calendar: an EHR notification may have booked the time since the hold was made.
func consumeHold(ctx context.Context, tx *sql.Tx, sl booking.Slot, sessionID string, now time.Time) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM holds WHERE session_id = $1 AND slot_key = $2 AND expires_at > $3`,
		sessionID, sl.SeatKey(), unixOf(now))
	if err != nil {
		return fmt.Errorf("store: consume hold: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: consume hold: %w", err)
	} else if n == 1 {
		return slotFree(ctx, tx, sl, sessionID, now)
	}
	var others int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM holds WHERE slot_key = $1 AND session_id <> $2 AND expires_at > $3`,
		sl.SeatKey(), sessionID, unixOf(now)).Scan(&others); err != nil {
		return fmt.Errorf("store: check hold: %w", err)
	}
	if others > 0 {
		return slotTaken(nil)
	}
	if err := slotFree(ctx, tx, sl, sessionID, now); err != nil {
		return err
	}
	return holdExpired()
}

func holdExpired() error {
	return booking.Fail(booking.CodeNotFound, booking.MsgHoldExpired)
}

// insertAppointment writes a. The partial unique index on slot_key turns a second live
// appointment for the same time into ErrSlotTaken, whatever the checks before it missed. A
// double-book is written under its seat (booking.Slot.SeatKey), beside the time's visit.
func (db *DB) insertAppointment(ctx context.Context, tx *sql.Tx, a booking.Appointment, key string, now time.Time) error {
	patient, body, err := encodeAppointment(a)
	if err != nil {
		return err
	}
	var idem any
	if key != "" {
		idem = key
	}
	off := 0
	if a.RemindersOff {
		off = 1
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO appointments (visit_number, idempotency_key, slot_key, provider_id,
		department, start_unix, end_unix, minutes, status, patient, appointment, created_at, updated_at, code, replaces,
		reminders_off)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		a.VisitNumber, idem, a.Slot().SeatKey(), a.Provider.ID, a.Location.Department, unixOf(a.Start), unixOf(a.End()),
		a.Minutes, string(a.Status), patient, body, unixOf(now), unixOf(now), nullable(a.Code), nullable(a.Replaces), off)
	switch {
	case err == nil:
		return nil
	case db.b.Unique(err, "slot_key"):
		return slotTaken(err)
	case db.b.Unique(err, "code"):
		return &booking.Error{Code: booking.CodeConflict, Msg: booking.MsgCodeInUse, Err: err}
	default:
		return fmt.Errorf("store: insert appointment: %w", err)
	}
}

// encodeAppointment splits a into the patient JSON and the rest (PHI in both; neither is
// ever logged). Status and times live in their own columns and win on read.
func encodeAppointment(a booking.Appointment) (patient, body string, err error) {
	p, err := json.Marshal(a.Patient)
	if err != nil {
		return "", "", fmt.Errorf("store: encode patient: %w", err)
	}
	a.Patient = booking.Patient{}
	b, err := json.Marshal(a)
	if err != nil {
		return "", "", fmt.Errorf("store: encode appointment: %w", err)
	}
	return string(p), string(b), nil
}

// Appointment returns the appointment with visitNumber, or an ErrNotFound-coded error.
func (db *DB) Appointment(ctx context.Context, visitNumber string) (booking.Appointment, error) {
	return scanAppointment(db.QueryRowContext(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE visit_number = $1`, visitNumber))
}

// AppointmentByKey returns the appointment written by the confirm submission with
// idempotency key key, or an ErrNotFound-coded error: the confirmation page uses it after a
// refresh.
func (db *DB) AppointmentByKey(ctx context.Context, key string) (booking.Appointment, error) {
	return appointmentByKey(ctx, db, key)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func appointmentByKey(ctx context.Context, q queryRower, key string) (booking.Appointment, error) {
	if key == "" {
		return booking.Appointment{}, notFound()
	}
	return scanAppointment(q.QueryRowContext(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE idempotency_key = $1`, key))
}

const appointmentColumns = `visit_number, start_unix, minutes, status, patient, appointment, code, replaces, provider_id, department,
	reminders_off`

// nullable is s, or NULL when empty (unique columns where most rows have none).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func scanAppointment(row rowScanner) (booking.Appointment, error) {
	var vn, status, patient, body string
	var code, replaces sql.NullString
	var provider, department string
	var start int64
	var minutes, off int
	err := row.Scan(&vn, &start, &minutes, &status, &patient, &body, &code, &replaces, &provider, &department, &off)
	if errors.Is(err, sql.ErrNoRows) {
		return booking.Appointment{}, notFound()
	}
	if err != nil {
		return booking.Appointment{}, fmt.Errorf("store: read appointment: %w", err)
	}
	var a booking.Appointment
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		return booking.Appointment{}, fmt.Errorf("store: decode appointment %s: %w", vn, err)
	}
	if err := json.Unmarshal([]byte(patient), &a.Patient); err != nil {
		return booking.Appointment{}, fmt.Errorf("store: decode patient of %s: %w", vn, err)
	}
	a.VisitNumber, a.Start, a.Minutes, a.Status = vn, timeOf(start), minutes, booking.Status(status)
	a.Code, a.Replaces, a.RemindersOff = code.String, replaces.String, off != 0
	// The columns win: the EHR may have moved the visit to another provider or department.
	if provider != a.Provider.ID {
		a.Provider = booking.ProviderRef{ID: provider, IDType: a.Provider.IDType}
	}
	if department != a.Location.Department {
		a.Location = booking.LocationRef{Facility: a.Location.Facility, Department: department}
	}
	return a, nil
}

func notFound() error {
	return &booking.Error{Code: booking.CodeNotFound, Detail: "no such appointment"}
}

// SetStatus records a status change and stamps booked_at, failed_at or canceled_at. A
// canceled appointment stays canceled: a Scheduling.New delivered after the patient canceled
// must not revive it (its Cancel is queued behind it), so that change is a CodeConflict error.
// Setting the current status again is a no-op.
func (db *DB) SetStatus(ctx context.Context, visitNumber string, status booking.Status, now time.Time) error {
	stamp := map[booking.Status]string{booking.StatusBooked: "booked_at", booking.StatusFailed: "failed_at",
		booking.StatusCanceled: "canceled_at"}[status]
	set := "status = $1, updated_at = $2"
	if stamp != "" {
		set += ", " + stamp + " = $2"
	}
	// One write transaction: the current status read and the update must see the same row
	// (locked by currentStatus in PostgreSQL).
	return db.writeTx(ctx, func(tx *sql.Tx) error {
		cur, err := db.currentStatus(ctx, tx, visitNumber)
		switch {
		case err != nil:
			return err
		case cur == status:
			return nil
		case cur == booking.StatusCanceled:
			return booking.Fail(booking.CodeConflict, booking.MsgAlreadyCanceled)
		}
		_, err = tx.ExecContext(ctx, `UPDATE appointments SET `+set+` WHERE visit_number = $3`,
			string(status), unixOf(now), visitNumber)
		if db.b.Unique(err, "") {
			return slotTaken(err)
		}
		if err != nil {
			return fmt.Errorf("store: set status: %w", err)
		}
		return nil
	})
}

// RequestCancel marks a requested or booked appointment canceled and queues its
// Scheduling.Cancel in one write transaction, so the EHR always hears about a cancel the
// patient saw. Canceling again, or canceling what never got booked, is a CodeConflict error.
func (db *DB) RequestCancel(ctx context.Context, visitNumber, reason string, now time.Time) error {
	return db.writeTx(ctx, func(tx *sql.Tx) error { return db.requestCancel(ctx, tx, visitNumber, reason, booking.Mail{}, now) })
}

// requestCancel is RequestCancel in tx, queueing the cancellation email when mail.Send.
func (db *DB) requestCancel(ctx context.Context, tx *sql.Tx, visitNumber, reason string, mail booking.Mail, now time.Time) error {
	cur, err := db.currentStatus(ctx, tx, visitNumber)
	if err != nil {
		return err
	}
	switch cur {
	case booking.StatusRequested, booking.StatusBooked:
	case booking.StatusCanceled:
		return booking.Fail(booking.CodeConflict, booking.MsgAlreadyCanceled)
	default:
		return booking.Fail(booking.CodeConflict, booking.MsgCannotCancel)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE appointments SET status = 'canceled', updated_at = $1, canceled_at = $1
		WHERE visit_number = $2`, unixOf(now), visitNumber); err != nil {
		return fmt.Errorf("store: cancel appointment: %w", err)
	}
	if err := enqueue(ctx, tx, booking.OutboxCancel, visitNumber, reason, now); err != nil {
		return err
	}
	if err := dropReminders(ctx, tx, visitNumber, "the visit was canceled", now); err != nil {
		return err
	}
	return queueMail(ctx, tx, booking.Mail{Send: mail.Send}, booking.OutboxEmailCancel, visitNumber, 0, now)
}

// currentStatus reads the appointment's status and, in PostgreSQL, locks its row until tx
// ends: a delivery settling it or an EHR notification changing it waits, so the change the
// caller makes next is decided on the status it read.
func (db *DB) currentStatus(ctx context.Context, tx *sql.Tx, visitNumber string) (booking.Status, error) {
	var s string
	err := tx.QueryRowContext(ctx, `SELECT status FROM appointments WHERE visit_number = $1`+db.b.LockRows(), visitNumber).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound()
	}
	if err != nil {
		return "", fmt.Errorf("store: read status: %w", err)
	}
	return booking.Status(s), nil
}
