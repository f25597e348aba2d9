package sandbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
)

// The sandbox's schedule lives in sandbox_visits (migrations/901_sandbox_init.sql). Every
// change runs in one transaction that checks, writes the visit and queues its notifications,
// so a notification exists exactly when its change committed.
//
// Why a transaction and not a UNIQUE constraint guards against double booking: visits have
// different lengths and may start at any minute, so "no two visits of one provider overlap"
// is not expressible as a unique key. Instead every writer begins with BEGIN IMMEDIATE (the
// DSN's _txlock=immediate), which takes SQLite's single write lock before the overlap SELECT.
// SQLite admits one writer at a time, so between our SELECT and our INSERT no other
// transaction can commit a visit: check-then-insert is race-free, across goroutines and
// processes alike. Other writers wait on busy_timeout rather than failing.

// activeSQL selects the visits that occupy time; canceled and no-show visits free it.
const activeSQL = `status NOT IN ('canceled', 'noshow')`

// visit is one stored row: the appointment with its stored status.
type visit struct {
	booking.Appointment
}

// active reports whether the visit still occupies its time.
func active(st booking.Status) bool {
	return st != booking.StatusCanceled && st != booking.StatusNoShow
}

// notAvailable is the 409 every refused booking gets; the text names the time and provider
// so the caller can tell which of several requests lost.
func notAvailable(a booking.Appointment, why string) error {
	msg := fmt.Sprintf("the time %s for %d minutes with provider %q is not available", redox.FormatTime(a.Start), a.Minutes, a.Provider.ID)
	if why != "" {
		msg += ": " + why
	}
	return &booking.Error{Code: booking.CodeSlotTaken, Detail: msg}
}

// inTx runs fn in one immediate transaction (see the note at the top of this file). The
// mutex is not what prevents double booking (SQLite's write lock is, across processes too);
// it lets this process's writers queue in Go instead of polling in SQLite's busy handler,
// which sleeps up to 100 ms between tries under contention.
func (s *Server) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sandbox: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sandbox: commit: %w", err)
	}
	s.wakeDelivery()
	return nil
}

// checkTemplate asks the engine whether the time is bookable at all (template, blocks,
// holidays). Department-wide blocks have no provider and are not checked against a template.
func (s *Server) checkTemplate(a booking.Appointment) error {
	if a.Minutes <= 0 {
		return booking.Malformed("Visit.Duration", "Visit.Duration must be a positive number of minutes")
	}
	if a.Start.IsZero() {
		return booking.Malformed("Visit.VisitDateTime", "Visit.VisitDateTime is required")
	}
	if a.Provider.ID == "" {
		if a.IsBlock() && a.Location.Department != "" {
			return nil
		}
		return booking.Malformed("Visit.AttendingProvider.ID", "Visit.AttendingProvider.ID is required for a patient visit")
	}
	// A patient visit cannot start in the past or past the end of the schedule. (The lead time
	// and the patients' horizon are the booking app's rules: an EHR lets the front desk book
	// a walk-in for the next free minute, or a follow-up in six months.)
	if _, latest := s.engine.BookingWindow(s.now()); !a.IsBlock() && (a.Start.Before(s.now()) || a.Start.After(latest)) {
		return notAvailable(a, "the time is in the past or beyond the clinic's schedule horizon")
	}
	if err := s.engine.Check(a.Provider.ID, a.Location.Department, a.Start, a.Minutes); err != nil {
		if booking.ErrorCode(err) == booking.CodeInvalid || booking.ErrorCode(err) == booking.CodeNotFound {
			return err
		}
		return notAvailable(a, booking.DetailOf(err))
	}
	return nil
}

// checkOverlap refuses a when an active visit of the same provider, or a department-wide
// block, overlaps it; a department-wide block conflicts with anything in its department.
// exclude names a visit to ignore (the visit being modified or rescheduled away from).
func checkOverlap(ctx context.Context, tx *sql.Tx, a booking.Appointment, exclude string) error {
	var n string
	err := tx.QueryRowContext(ctx, `SELECT visit_number FROM sandbox_visits
		WHERE `+activeSQL+` AND start_unix < ?1 AND end_unix > ?2 AND visit_number <> ?3
		  AND (provider_id = ?4 OR ((provider_id = '' OR ?4 = '') AND department = ?5 COLLATE NOCASE))
		LIMIT 1`,
		a.End().Unix(), a.Start.Unix(), exclude, a.Provider.ID, a.Location.Department).Scan(&n)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("sandbox: check overlap: %w", err)
	}
	return notAvailable(a, "")
}

// checkTime is checkOverlap for a New or a Reschedule, which may also be a double-book: a
// scheduler with the permission books a visit on a time already booked, as EHRs let them
// ("overbook"). The sandbox takes one when the message's override names double_book (what
// Doorway's desk sends, booking.RuleDoubleBook) and the catalogue's visit type allows it
// (double_book in the clinic file); it then joins one patient visit, never a block nor a time
// that has two visits already. Anything else is refused as checkOverlap refuses it.
func (s *Server) checkTime(ctx context.Context, tx *sql.Tx, a booking.Appointment, exclude string) error {
	if !a.Override.Bent(booking.RuleDoubleBook) || !s.engine.DoubleBook(a.VisitType) || a.IsBlock() {
		return checkOverlap(ctx, tx, a, exclude)
	}
	var blocks, visits int
	err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(is_block), 0), count(*) FROM sandbox_visits
		WHERE `+activeSQL+` AND start_unix < ?1 AND end_unix > ?2 AND visit_number <> ?3
		  AND (provider_id = ?4 OR ((provider_id = '' OR ?4 = '') AND department = ?5 COLLATE NOCASE))`,
		a.End().Unix(), a.Start.Unix(), exclude, a.Provider.ID, a.Location.Department).Scan(&blocks, &visits)
	switch {
	case err != nil:
		return fmt.Errorf("sandbox: check double-book: %w", err)
	case blocks > 0:
		return notAvailable(a, "the time is blocked")
	case visits > 1:
		return notAvailable(a, "the time is double-booked already")
	}
	return nil
}

// getVisit loads one visit; a missing one is booking.ErrNotFound with a message naming it.
func getVisit(ctx context.Context, tx *sql.Tx, number string) (visit, error) {
	var (
		body, status string
		a            booking.Appointment
	)
	err := tx.QueryRowContext(ctx, `SELECT appointment, status FROM sandbox_visits WHERE visit_number = ?`, number).
		Scan(&body, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return visit{}, &booking.Error{Code: booking.CodeNotFound, Field: "Visit.VisitNumber", Detail: fmt.Sprintf("no visit with VisitNumber %q", number)}
	}
	if err != nil {
		return visit{}, fmt.Errorf("sandbox: get visit: %w", err)
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		return visit{}, fmt.Errorf("sandbox: decode visit %s: %w", number, err)
	}
	a.Status = booking.Status(status) // the column is authoritative
	return visit{Appointment: a}, nil
}

// putVisit inserts or replaces a's row; the appointment column keeps the whole of it.
func putVisit(ctx context.Context, tx *sql.Tx, a booking.Appointment, now time.Time) error {
	ids, err := json.Marshal(patientIDs(a))
	if err != nil {
		return fmt.Errorf("sandbox: encode patient ids: %w", err)
	}
	body, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("sandbox: encode visit: %w", err)
	}
	block := 0
	if a.IsBlock() {
		block = 1
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sandbox_visits (visit_number, patient_ids, is_block,
			provider_id, department, start_unix, end_unix, status, appointment, created_at, updated_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
		ON CONFLICT (visit_number) DO UPDATE SET patient_ids = ?2, is_block = ?3, provider_id = ?4,
			department = ?5, start_unix = ?6, end_unix = ?7, status = ?8, appointment = ?9, updated_at = ?10`,
		a.VisitNumber, string(ids), block, a.Provider.ID, a.Location.Department,
		a.Start.Unix(), a.End().Unix(), string(a.Status), string(body), now.Unix())
	if err != nil {
		return fmt.Errorf("sandbox: write visit %s: %w", a.VisitNumber, err)
	}
	return nil
}

// patientIDs keeps the non-empty identifiers, never nil so the column holds '[]'.
func patientIDs(a booking.Appointment) []booking.Identifier {
	ids := []booking.Identifier{}
	for _, id := range a.Patient.Identifiers {
		if strings.TrimSpace(id.ID) != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// sameTime reports whether a stored visit already is what a repeated request asks for, so an
// at-least-once retry of a New (the app's outbox retries after a lost answer) succeeds
// without booking twice.
func sameTime(stored, a booking.Appointment) bool {
	return stored.Start.Equal(a.Start) && stored.Minutes == a.Minutes && stored.Provider.ID == a.Provider.ID &&
		strings.EqualFold(stored.Location.Department, a.Location.Department)
}

// busy lists the time occupied by active visits, holds and blocks overlapping [start, end),
// in the engine's terms. A department-wide block becomes busy time for every provider working
// at that department (Busy has no department, so such a provider is blocked everywhere then:
// a block is rare and erring towards "not available" never double-books).
func (s *Server) busy(ctx context.Context, start, end time.Time) ([]Busy, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT provider_id, department, start_unix, end_unix FROM sandbox_visits
		WHERE `+activeSQL+` AND start_unix < ? AND end_unix > ?`, end.Unix(), start.Unix())
	if err != nil {
		return nil, fmt.Errorf("sandbox: busy: %w", err)
	}
	defer rows.Close()
	var out []Busy
	for rows.Next() {
		var p, dept string
		var from, to int64
		if err := rows.Scan(&p, &dept, &from, &to); err != nil {
			return nil, fmt.Errorf("sandbox: busy: %w", err)
		}
		b := Busy{ProviderID: p, Start: time.Unix(from, 0).UTC(), End: time.Unix(to, 0).UTC()}
		if p != "" {
			out = append(out, b)
			continue
		}
		for _, id := range s.providersAt(dept) {
			b.ProviderID = id
			out = append(out, b)
		}
	}
	return out, rows.Err()
}

// providersAt lists the providers working at the location whose Department is dept.
func (s *Server) providersAt(dept string) []string {
	loc, ok := s.def.Clinic.LocationByDepartment("", dept)
	if !ok {
		return nil
	}
	var ids []string
	for _, p := range s.def.Clinic.Providers {
		for _, l := range p.Locations {
			if l == loc.ID {
				ids = append(ids, p.ID)
				break
			}
		}
	}
	return ids
}

// ehrError is a failure the sandbox EHR answers with: its text goes back in Meta.Errors, as a
// real EHR's would, for the integrator to read.
func ehrError(code booking.Code, format string, args ...any) *booking.Error {
	return &booking.Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}
