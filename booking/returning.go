package booking

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// Returning patients at the front desk: a caller who booked before is found by last name and
// date of birth (and, to narrow, the first name) among Doorway's appointments and the EHR's
// Booked answer, so the clerk books without typing their details again.

// KnownPatient is a patient found by name and date of birth.
type KnownPatient struct {
	Patient Patient
	Last    time.Time // their latest visit seen
	FromEHR bool      // found only in the EHR's Booked answer
}

// PatientFinder is what finding a returning patient reads of the store. Implemented by store.
type PatientFinder interface {
	// AppointmentsByDOB returns up to limit appointments of patients born on dob (YYYY-MM-DD),
	// the latest first.
	AppointmentsByDOB(ctx context.Context, dob string, limit int) ([]Appointment, error)
}

// Bounds of a search for a returning patient.
const (
	maxKnownAppointments = 500 // appointments read for one date of birth
	MaxKnownPatients     = 10  // patients listed
	knownEHRBack         = 90 * 24 * time.Hour
)

// PatientQuery is the desk's search for a returning patient: a last name and a date of birth
// (as people type it), and the first name's start to narrow.
type PatientQuery struct {
	Last, First, DOB string
}

// Validate checks q: the field errors name "find_last" and "find_dob". The date of birth
// comes back as YYYY-MM-DD.
func (q PatientQuery) Validate() (PatientQuery, FieldErrors) {
	fe := FieldErrors{}
	if foldName(q.Last) == "" {
		fe["find_last"] = MsgLastNameMissing
	}
	born, err := time.Parse(time.DateOnly, normalDate(CleanText(q.DOB)))
	if err != nil {
		fe["find_dob"] = MsgDOBFormat
	} else {
		q.DOB = born.Format(time.DateOnly)
	}
	return q, fe
}

// ReturningPatients finds the patients q names (the last name with case, accents and spacing
// aside, the date of birth, the first name's start when given): the latest visit's details of
// each, most recent first, Doorway's appointments before the EHR's. The EHR is asked for the
// visits of the last 90 days and of the coming horizon, within the desk's wait; when it does
// not answer in time, Doorway's own appointments are the answer.
func (s *Service) ReturningPatients(ctx context.Context, q PatientQuery) ([]KnownPatient, error) {
	q, fe := q.Validate()
	if err := fe.Err("find_last", "find_dob"); err != nil {
		return nil, err
	}
	wantLast, wantFirst, dob := foldName(q.Last), foldName(q.First), q.DOB
	finder, ok := s.appts.(PatientFinder)
	if !ok {
		return nil, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "finding patients is not wired"}
	}
	match := func(p Patient) bool {
		return p.DOB == dob && foldName(p.LastName) == wantLast && strings.HasPrefix(foldName(p.FirstName), wantFirst)
	}
	var out []KnownPatient
	seen := map[string]bool{}
	add := func(p Patient, at time.Time, fromEHR bool) {
		k := patientKey(p)
		if !match(p) || seen[k] || len(out) == MaxKnownPatients {
			return
		}
		seen[k] = true
		out = append(out, KnownPatient{Patient: p, Last: at, FromEHR: fromEHR})
	}
	appts, err := finder.AppointmentsByDOB(ctx, dob, maxKnownAppointments)
	if err != nil {
		return nil, err
	}
	for _, a := range appts {
		add(a.Patient, a.Start, false)
	}
	now := s.now()
	ectx, cancel := context.WithTimeout(ctx, deskEHRWait)
	booked, berr := s.ehr.Booked(ectx, BookedQuery{Start: now.Add(-knownEHRBack), End: now.Add(s.clinic.Horizon())})
	cancel()
	if berr == nil {
		visits := slices.Clone(booked.Visits)
		slices.SortFunc(visits, func(a, b Appointment) int { return b.Start.Compare(a.Start) })
		for _, v := range visits {
			add(v.Patient, v.Start, true)
		}
	}
	slices.SortStableFunc(out, func(a, b KnownPatient) int {
		return cmp.Or(compareBool(a.FromEHR, b.FromEHR), b.Last.Compare(a.Last))
	})
	return out, nil
}

// patientKey tells patients apart: by their first identifier, else by name, birth date and
// phone.
func patientKey(p Patient) string {
	for _, id := range p.Identifiers {
		if id.ID != "" {
			return id.IDType + ":" + id.ID
		}
	}
	return foldName(p.FirstName) + "|" + foldName(p.LastName) + "|" + p.DOB + "|" + p.Phone
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// FormOf is p as the patient's details form shows it: what the desk prefills for a
// returning patient (the medical record number when the EHR gave one).
func FormOf(p Patient) PatientForm {
	f := PatientForm{FirstName: p.FirstName, LastName: p.LastName, DOB: p.DOB, Phone: p.Phone, Email: p.Email, Language: p.Language}
	for _, id := range p.Identifiers {
		if strings.EqualFold(id.IDType, "MR") || strings.EqualFold(id.IDType, "MRN") {
			f.MRN = id.ID
			break
		}
	}
	return f
}
