package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"doorway/booking"
)

var _ booking.MirrorStore = (*DB)(nil)

// ApplyNotification implements booking.MirrorStore. The inbox insert and the mirror change
// share one transaction, so a delivery is either applied once or not at all: a crash between
// the two cannot make a retry skip it. The inbox key is the primary key, so the dedupe is
// exact across instances too: of two instances given the same delivery at once, PostgreSQL
// makes the second's insert wait for the first's commit and then do nothing. The other
// instances hear of the change (Backend.Announce) when it commits.
func (db *DB) ApplyNotification(ctx context.Context, n booking.Notification, now time.Time) (bool, error) {
	applied := false
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		a := n.Appointment
		res, err := tx.ExecContext(ctx, `INSERT INTO inbox (key, event, visit_number, received_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (key) DO NOTHING`, n.Key, n.Event, a.VisitNumber, now.Unix())
		if err != nil {
			return fmt.Errorf("store: record notification: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil // a replay of a delivery already applied
		}
		start, end, err := touchedSpan(ctx, tx, a, n.OldVisit)
		if err != nil {
			return err
		}
		status := mirrorStatus(n.Event, a.Status)
		if n.Event == "Reschedule" && n.OldVisit != "" && n.OldVisit != a.VisitNumber {
			if err := setMirrorStatus(ctx, tx, n.OldVisit, booking.StatusCanceled, now); err != nil {
				return err
			}
		}
		if err := upsertMirror(ctx, tx, a, status, now); err != nil {
			return err
		}
		if err := followEHR(ctx, tx, a.VisitNumber, status, n.Mail, now); err != nil {
			return err
		}
		if err := followMove(ctx, tx, n, now); err != nil {
			return err
		}
		if err := db.b.Announce(ctx, tx, start, end); err != nil {
			return fmt.Errorf("store: announce notification: %w", err)
		}
		applied = true
		return nil
	})
	return applied, err
}

// touchedSpan is the time a notification changes: the visit's new time and whatever time the
// mirror had for it and for the visit it replaces (a modification or a reschedule frees its
// old time, which the message does not carry).
func touchedSpan(ctx context.Context, tx *sql.Tx, a booking.Appointment, oldVisit string) (start, end time.Time, err error) {
	lo, hi := a.Start.Unix(), max(a.End().Unix(), a.Start.Unix())
	var oldLo, oldHi sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT min(start_unix), max(end_unix) FROM ehr_visits WHERE visit_number IN ($1, $2)`,
		a.VisitNumber, oldVisit).Scan(&oldLo, &oldHi)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, time.Time{}, fmt.Errorf("store: read mirrored visit: %w", err)
	}
	if oldLo.Valid {
		lo, hi = min(lo, oldLo.Int64), max(hi, oldHi.Int64)
	}
	return timeOf(lo), timeOf(hi), nil
}

// mirrorStatus is the status a notification leaves the visit in.
func mirrorStatus(event string, st booking.Status) booking.Status {
	switch event {
	case "Cancel":
		return booking.StatusCanceled
	case "NoShow":
		return booking.StatusNoShow
	}
	if st == "" || st == booking.StatusRequested {
		return booking.StatusBooked
	}
	return st
}

// upsertMirror writes the visit's row. In DO UPDATE, columns of the existing row are named
// with the table (PostgreSQL finds a bare name ambiguous with excluded's; SQLite accepts both).
func upsertMirror(ctx context.Context, tx *sql.Tx, a booking.Appointment, st booking.Status, now time.Time) error {
	block := 0
	if a.IsBlock() {
		block = 1
	}
	end := a.End()
	if a.Minutes <= 0 { // a Cancel may omit Duration: keep what we knew
		end = a.Start
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ehr_visits (visit_number, provider_id, department, start_unix, end_unix, status, is_block, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (visit_number) DO UPDATE SET
			provider_id = CASE WHEN excluded.provider_id = '' THEN ehr_visits.provider_id ELSE excluded.provider_id END,
			department = CASE WHEN excluded.department = '' THEN ehr_visits.department ELSE excluded.department END,
			start_unix = excluded.start_unix,
			end_unix = CASE WHEN excluded.end_unix > excluded.start_unix THEN excluded.end_unix
				ELSE ehr_visits.end_unix - ehr_visits.start_unix + excluded.start_unix END,
			status = excluded.status, is_block = excluded.is_block, updated_at = excluded.updated_at`,
		a.VisitNumber, a.Provider.ID, a.Location.Department, a.Start.Unix(), end.Unix(), string(st), block, now.Unix())
	if err != nil {
		return fmt.Errorf("store: mirror visit: %w", err)
	}
	return nil
}

func setMirrorStatus(ctx context.Context, tx *sql.Tx, visit string, st booking.Status, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE ehr_visits SET status = $1, updated_at = $2 WHERE visit_number = $3`, string(st), now.Unix(), visit); err != nil {
		return fmt.Errorf("store: mirror status: %w", err)
	}
	return nil
}

// followEHR moves a Doorway appointment with the same visit number to the EHR's status: the
// EHR is the source of truth once it has the visit (a cancel by phone cancels it here too).
// A cancel queues the cancellation mail asks for and drops the visit's reminder.
func followEHR(ctx context.Context, tx *sql.Tx, visit string, st booking.Status, mail booking.Mail, now time.Time) error {
	col := map[booking.Status]string{booking.StatusBooked: "booked_at", booking.StatusCanceled: "canceled_at"}[st]
	set := `status = $1, updated_at = $2`
	if col != "" {
		set += `, ` + col + ` = coalesce(` + col + `, $2)`
	}
	res, err := tx.ExecContext(ctx, `UPDATE appointments SET `+set+` WHERE visit_number = $3 AND status <> $1`,
		string(st), now.Unix(), visit)
	if err != nil {
		return fmt.Errorf("store: follow EHR status: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 || st != booking.StatusCanceled {
		return nil
	}
	if err := dropReminders(ctx, tx, visit, "canceled by the clinic", now); err != nil {
		return err
	}
	return queueMail(ctx, tx, booking.Mail{Send: mail.Send}, booking.OutboxEmailCancel, visit, 0, now)
}

// BusyIntervals implements booking.MirrorStore: visits, holds and blocks the EHR says take time.
func (db *DB) BusyIntervals(ctx context.Context, start, end time.Time) ([]booking.Interval, error) {
	// Pushed slots the EHR marks taken count as busy too.
	rows, err := db.query(ctx, `SELECT provider_id, start_unix, end_unix FROM ehr_visits
		WHERE status NOT IN ('canceled', 'noshow', 'failed') AND start_unix < $1 AND end_unix > $2
		UNION ALL SELECT provider_id, start_unix, end_unix FROM slot_cache WHERE open = 0 AND start_unix < $1 AND end_unix > $2`,
		end.Unix(), start.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: busy intervals: %w", err)
	}
	defer rows.Close()
	var out []booking.Interval
	for rows.Next() {
		var iv booking.Interval
		var s, e int64
		if err := rows.Scan(&iv.ProviderID, &s, &e); err != nil {
			return nil, fmt.Errorf("store: scan busy interval: %w", err)
		}
		iv.Start, iv.End = time.Unix(s, 0).UTC(), time.Unix(e, 0).UTC()
		out = append(out, iv)
	}
	return out, rows.Err()
}

// followMove carries a move the EHR made into the Doorway appointment it concerns, so its
// manage page and link show the visit as it now is. A Modification or a Reschedule of the same
// visit number moves it (its time, and provider and department when given); a Reschedule to a
// new visit number books the new one in Doorway as the old one's replacement (same patient,
// same code chain) and cancels the old one. A time another live Doorway appointment holds is
// left alone: the EHR's schedule and the mirror still say what the EHR did.
func followMove(ctx context.Context, tx *sql.Tx, n booking.Notification, now time.Time) error {
	a := n.Appointment
	if (n.Event != "Modification" && n.Event != "Reschedule") || a.Start.IsZero() {
		return nil
	}
	from := a.VisitNumber
	if n.OldVisit != "" {
		from = n.OldVisit
	}
	var provider, department, status string
	var minutes int
	err := tx.QueryRowContext(ctx, `SELECT provider_id, department, minutes, status FROM appointments WHERE visit_number = $1`,
		from).Scan(&provider, &department, &minutes, &status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil // not a Doorway appointment
	case err != nil:
		return fmt.Errorf("store: read the moved appointment: %w", err)
	case status != string(booking.StatusRequested) && status != string(booking.StatusBooked):
		return nil // no longer live here
	}
	provider, department = cmp.Or(a.Provider.ID, provider), cmp.Or(a.Location.Department, department)
	minutes = cmp.Or(max(a.Minutes, 0), minutes)
	sl := booking.Slot{Start: a.Start, Minutes: minutes, Provider: booking.ProviderRef{ID: provider}, Location: booking.LocationRef{Department: department}}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM appointments WHERE slot_key = $1 AND visit_number NOT IN ($2, $3)
		AND status IN ('requested', 'booked')`, sl.Key(), from, a.VisitNumber).Scan(&taken); err != nil {
		return fmt.Errorf("store: check the moved time: %w", err)
	}
	if taken > 0 {
		return nil
	}
	// The visit's reminder goes with it: dropped here, queued again at the new time with the
	// change notice (n.Mail).
	if err := dropReminders(ctx, tx, from, "moved by the clinic", now); err != nil {
		return err
	}
	if from == a.VisitNumber {
		if _, err := tx.ExecContext(ctx, `UPDATE appointments SET start_unix = $1, end_unix = $2, minutes = $3, provider_id = $4,
			department = $5, slot_key = $6, updated_at = $7 WHERE visit_number = $8`,
			sl.Start.Unix(), sl.End().Unix(), minutes, provider, department, sl.Key(), now.Unix(), from); err != nil {
			return fmt.Errorf("store: follow the EHR's move: %w", err)
		}
		return queueMail(ctx, tx, n.Mail, booking.OutboxEmailChange, from, 0, now)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE appointments SET status = 'canceled', updated_at = $1, canceled_at = $1
		WHERE visit_number = $2`, now.Unix(), from); err != nil {
		return fmt.Errorf("store: cancel the rescheduled appointment: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO appointments (visit_number, slot_key, provider_id, department, start_unix,
			end_unix, minutes, status, patient, appointment, created_at, updated_at, booked_at, replaces)
		SELECT $1, $2, $3, $4, $5, $6, $7, 'booked', patient, appointment, $8, $8, $8, visit_number
		FROM appointments WHERE visit_number = $9
		ON CONFLICT (visit_number) DO NOTHING`,
		a.VisitNumber, sl.Key(), provider, department, sl.Start.Unix(), sl.End().Unix(), minutes, now.Unix(), from)
	if err != nil {
		return fmt.Errorf("store: follow the EHR's reschedule: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return nil // Doorway has that visit already
	}
	return queueMail(ctx, tx, n.Mail, booking.OutboxEmailChange, a.VisitNumber, 0, now)
}
