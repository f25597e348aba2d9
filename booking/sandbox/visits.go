package sandbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
)

// The schedule changes the sandbox accepts. Each runs in one immediate transaction (state.go)
// that checks, writes and queues the matching notification for every webhook.

// book stores a New: a patient visit or, without patient identifiers, a hold or block. It
// reports replay when the same visit already exists, which is an at-least-once retry of a
// New whose answer was lost: it succeeds again without a second booking or notification.
func (s *Server) book(ctx context.Context, a booking.Appointment, test *bool) (replay bool, err error) {
	if a.VisitNumber == "" {
		return false, booking.Malformed("Visit.VisitNumber", "Visit.VisitNumber is required")
	}
	if err := s.checkTemplate(a); err != nil {
		return false, err
	}
	if a.Status != booking.StatusArrived {
		a.Status = booking.StatusBooked
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := getVisit(ctx, tx, a.VisitNumber)
		switch {
		case err == nil:
			if active(old.Status) && sameTime(old.Appointment, a) {
				replay = true
				return nil
			}
			return &booking.Error{Code: booking.CodeConflict, Field: "Visit.VisitNumber",
				Detail: fmt.Sprintf("Visit.VisitNumber %q is already used by another visit", a.VisitNumber)}
		case booking.ErrorCode(err) != booking.CodeNotFound:
			return err
		}
		if err := s.checkTime(ctx, tx, a, ""); err != nil {
			return err
		}
		if err := putVisit(ctx, tx, a, s.now()); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, redox.NewVisitMessage(redox.EventNew, s.outMeta(test), a), a.VisitNumber)
	})
	return replay, err
}

// modify applies a Modification: same visit number, any field may change. Fields the message
// leaves empty keep their stored values; a change of time, length or provider is checked
// again against the template and the other visits.
func (s *Server) modify(ctx context.Context, a booking.Appointment, test *bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := getVisit(ctx, tx, a.VisitNumber)
		if err != nil {
			return err
		}
		if !active(old.Status) {
			return &booking.Error{Code: booking.CodeConflict, Field: "Visit.VisitNumber",
				Detail: fmt.Sprintf("visit %q is %s and cannot be modified", a.VisitNumber, old.Status)}
		}
		a = merge(old.Appointment, a)
		if !sameTime(old.Appointment, a) {
			if err := s.checkTemplate(a); err != nil {
				return err
			}
			if err := checkOverlap(ctx, tx, a, a.VisitNumber); err != nil {
				return err
			}
		}
		if err := putVisit(ctx, tx, a, s.now()); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, redox.NewVisitMessage(redox.EventModification, s.outMeta(test), a), a.VisitNumber)
	})
}

// merge fills what a Modification left out from the stored visit. A Modification cannot turn
// a patient's visit into a block by omitting the patient.
func merge(old, a booking.Appointment) booking.Appointment {
	if a.IsBlock() && !old.IsBlock() {
		a.Patient = old.Patient
	}
	if a.Start.IsZero() {
		a.Start = old.Start
	}
	if a.Minutes <= 0 {
		a.Minutes = old.Minutes
	}
	if a.Provider.ID == "" {
		a.Provider = old.Provider
	}
	if a.Location.Department == "" {
		a.Location = old.Location
	}
	if a.VisitType == (booking.Coded{}) {
		a.VisitType = old.VisitType
	}
	if a.Reason == "" {
		a.Reason = old.Reason
	}
	if a.SlotID == "" {
		a.SlotID = old.SlotID
	}
	if a.Status == "" || a.Status == booking.StatusRequested {
		a.Status = old.Status
	}
	return a
}

// reschedule moves a visit. oldNumber and oldStart (Visit.OldVisitNumber, Visit.OldDateTime)
// identify the visit being moved; oldNumber defaults to a's own number. The old time is freed
// in the same transaction, so moving within or next to the visit's own time works.
func (s *Server) reschedule(ctx context.Context, a booking.Appointment, oldNumber string, oldStart time.Time, test *bool) error {
	if oldNumber == "" {
		oldNumber = a.VisitNumber
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := getVisit(ctx, tx, oldNumber)
		if err != nil {
			return err
		}
		// A retried Reschedule that already went through succeeds again, with no second
		// notification: the new visit is active at the new time and the old one is gone.
		cur, curErr := getVisit(ctx, tx, a.VisitNumber)
		if curErr != nil && booking.ErrorCode(curErr) != booking.CodeNotFound {
			return curErr
		}
		if curErr == nil && active(cur.Status) && sameTime(cur.Appointment, merge(cur.Appointment, a)) &&
			(a.VisitNumber == oldNumber || !active(old.Status)) {
			return nil
		}
		if !oldStart.IsZero() && !old.Start.Equal(oldStart) {
			return &booking.Error{Code: booking.CodeNotFound, Field: "Visit.OldDateTime",
				Detail: fmt.Sprintf("visit %q is not at OldDateTime %s", oldNumber, redox.FormatTime(oldStart))}
		}
		if a.VisitNumber != oldNumber && curErr == nil {
			return &booking.Error{Code: booking.CodeConflict, Field: "Visit.VisitNumber",
				Detail: fmt.Sprintf("Visit.VisitNumber %q is already used by another visit", a.VisitNumber)}
		}
		if !active(old.Status) {
			return &booking.Error{Code: booking.CodeConflict, Field: "Visit.OldVisitNumber",
				Detail: fmt.Sprintf("visit %q is %s and cannot be rescheduled", oldNumber, old.Status)}
		}
		a = merge(old.Appointment, a)
		a.Status = booking.StatusBooked
		if err := s.checkTemplate(a); err != nil {
			return err
		}
		if err := s.checkTime(ctx, tx, a, oldNumber); err != nil {
			return err
		}
		now := s.now()
		if a.VisitNumber != oldNumber {
			freed := old.Appointment
			freed.Status = booking.StatusCanceled
			if err := putVisit(ctx, tx, freed, now); err != nil {
				return err
			}
		}
		if err := putVisit(ctx, tx, a, now); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, redox.NewReschedule(s.outMeta(test), a, old.Appointment), a.VisitNumber)
	})
}

// end cancels a visit or marks it a no-show (status is StatusCanceled or StatusNoShow), which
// frees its time. Repeating it is a no-op that succeeds, because notifications are delivered
// at least once; an unknown visit number is booking.ErrNotFound.
func (s *Server) end(ctx context.Context, number string, status booking.Status, reason string, test *bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		v, err := getVisit(ctx, tx, number)
		if err != nil {
			return err
		}
		if v.Status == status {
			return nil
		}
		if !active(v.Status) {
			return &booking.Error{Code: booking.CodeConflict, Field: "Visit.VisitNumber",
				Detail: fmt.Sprintf("visit %q is already %s", number, v.Status)}
		}
		a := v.Appointment
		a.Status = status
		if err := putVisit(ctx, tx, a, s.now()); err != nil {
			return err
		}
		msg := redox.NewCancel(s.outMeta(test), a, reason)
		if status == booking.StatusNoShow {
			msg = redox.NewNoShow(s.outMeta(test), a, reason)
		}
		return s.enqueue(ctx, tx, msg, number)
	})
}

// Booked answers at most maxBooked visits; more sets Meta.IsIncomplete.
const maxBooked = 1000

// defaultBookedSpan is the window of a Booked query without EndDateTime.
const defaultBookedSpan = 31 * 24 * time.Hour

// booked answers a Booked query: patient visits (any status, so the caller sees
// cancellations) overlapping the window, filtered by provider, location and patient
// identifiers. Holds and blocks are left out: BookedResponse requires a patient.
func (s *Server) booked(ctx context.Context, q booking.BookedQuery) ([]booking.Appointment, bool, error) {
	end := q.End
	if end.IsZero() {
		end = q.Start.Add(defaultBookedSpan)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT appointment, status FROM sandbox_visits
		WHERE is_block = 0 AND start_unix < ? AND end_unix > ? ORDER BY start_unix, visit_number`,
		end.Unix(), q.Start.Unix())
	if err != nil {
		return nil, false, fmt.Errorf("sandbox: booked: %w", err)
	}
	defer rows.Close()
	var out []booking.Appointment
	for rows.Next() {
		var body, status string
		if err := rows.Scan(&body, &status); err != nil {
			return nil, false, fmt.Errorf("sandbox: booked: %w", err)
		}
		var a booking.Appointment
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			return nil, false, fmt.Errorf("sandbox: booked: decode: %w", err)
		}
		a.Status = booking.Status(status)
		if !bookedMatches(q, a) {
			continue
		}
		if len(out) == maxBooked {
			return out, true, nil
		}
		out = append(out, a)
	}
	return out, false, rows.Err()
}

// bookedMatches applies the Booked filters: any of the providers, the location's set fields,
// and any of the patient identifiers (IDType compared case-insensitively, as EHRs vary).
func bookedMatches(q booking.BookedQuery, a booking.Appointment) bool {
	if len(q.Providers) > 0 && !slices.ContainsFunc(q.Providers, func(p booking.ProviderRef) bool {
		return p.ID == a.Provider.ID
	}) {
		return false
	}
	if l := q.Location; l != nil {
		if l.Department != "" && !strings.EqualFold(l.Department, a.Location.Department) {
			return false
		}
		if l.Facility != "" && !strings.EqualFold(l.Facility, a.Location.Facility) {
			return false
		}
	}
	if len(q.Patient) > 0 && !slices.ContainsFunc(q.Patient, func(want booking.Identifier) bool {
		return slices.ContainsFunc(a.Patient.Identifiers, func(got booking.Identifier) bool {
			return got.ID == want.ID && (want.IDType == "" || strings.EqualFold(got.IDType, want.IDType))
		})
	}) {
		return false
	}
	return true
}
