package redox

import (
	"strings"

	"doorway/booking"
)

// AppointmentInfo markers. Redox leaves AppointmentInfo free-form; Doorway keys its own
// entries so the reverse mapping finds them among the EHR's (Priority, Form...).
const (
	infoSlotCodeset  = "SelfBook"    // Codeset of Doorway's own entries
	infoSlotID       = "SlotID"      // Description of the entry whose Value is the slot ID
	infoPatientNote  = "PatientNote" // Description of the entry whose Value is the patient's note
	infoVisitTypeSet = "VisitType"   // Codeset marking the visit type entry
	infoOverride     = "Override"    // Description of the entry whose Value is the desk's override
)

// patientClass is what every Doorway booking is: self-booked office visits.
const patientClass = "Outpatient"

// NewVisitMessage builds a New or Modification notification for a. A hold or block (no
// patient identifier and no name) is sent without Patient, as Redox describes them. SSN is
// never sent: Doorway does not collect it.
func NewVisitMessage(eventType string, meta Meta, a booking.Appointment) *Message {
	v := visitOut(a)
	return &Message{Meta: withEvent(meta, eventType), Patient: patientOut(a.Patient), AppointmentInfo: infoOut(a), Visit: &v}
}

// NewReschedule moves a; old supplies OldVisitNumber and OldDateTime.
func NewReschedule(meta Meta, a, old booking.Appointment) *Message {
	m := NewVisitMessage(EventReschedule, meta, a)
	m.Visit.OldVisitNumber, m.Visit.OldDateTime = old.VisitNumber, formatOptional(old.Start)
	return m
}

// NewCancel cancels a (same visit number) with a reason for the clinic.
func NewCancel(meta Meta, a booking.Appointment, reason string) *Message {
	a.Status = booking.StatusCanceled
	m := NewVisitMessage(EventCancel, meta, a)
	m.Visit.CancelReason = reason
	return m
}

// NewNoShow records that the patient did not come.
func NewNoShow(meta Meta, a booking.Appointment, reason string) *Message {
	a.Status = booking.StatusNoShow
	m := NewVisitMessage(EventNoShow, meta, a)
	m.Visit.NoShowReason = reason
	return m
}

// AppointmentOf reads the appointment of any notification (New, Modification, Reschedule,
// Cancel, NoShow). Cancel and NoShow set the status whatever Visit.Status says.
func AppointmentOf(m *Message) (booking.Appointment, error) {
	if err := expect(m, EventNew, EventModification, EventReschedule, EventCancel, EventNoShow); err != nil {
		return booking.Appointment{}, err
	}
	a := appointmentIn(m.Visit, m.Patient, m.AppointmentInfo)
	switch m.Kind() {
	case EventCancel:
		a.Status = booking.StatusCanceled
	case EventNoShow:
		a.Status = booking.StatusNoShow
	}
	return a, nil
}

// NewBooked builds the Booked query: which appointments exist in the window, filtered by
// patient, providers and location when q names them.
func NewBooked(meta Meta, q booking.BookedQuery) *Message {
	m := &Message{Meta: withEvent(meta, EventBooked), StartDateTime: FormatTime(q.Start), EndDateTime: formatOptional(q.End)}
	v := &Visit{}
	if ids := identifiersOut(q.Patient); ids != nil {
		v.Patients = []Patient{{Identifiers: ids}}
	}
	for _, p := range q.Providers {
		v.AttendingProviders = append(v.AttendingProviders, *providerOut(p))
	}
	if q.Location != nil {
		loc := locationOut(*q.Location)
		v.Location = &loc
	}
	if v.Patients != nil || v.AttendingProviders != nil || v.Location != nil {
		m.Visit = v
	}
	return m
}

// BookedQueryOf reads a Booked query. Identifiers of several Visit.Patients are merged:
// Doorway asks about one patient at a time.
func BookedQueryOf(m *Message) (booking.BookedQuery, error) {
	if err := expect(m, EventBooked); err != nil {
		return booking.BookedQuery{}, err
	}
	q := booking.BookedQuery{Start: parsed(m.StartDateTime), End: parsed(m.EndDateTime)}
	if v := m.Visit; v != nil {
		for _, p := range v.Patients {
			q.Patient = append(q.Patient, identifiersIn(p.Identifiers)...)
		}
		for i := range v.AttendingProviders {
			q.Providers = append(q.Providers, providerIn(&v.AttendingProviders[i]))
		}
		if v.Location != nil {
			loc := locationIn(v.Location)
			q.Location = &loc
		}
	}
	return q, nil
}

// NewBookedResponse answers a Booked query. Visits is never nil ([] = nothing booked) and
// every visit carries Patient.Identifiers, empty for a hold, because the schema requires it.
func NewBookedResponse(meta Meta, visits []booking.Appointment, incomplete bool) *Message {
	m := &Message{Meta: withEvent(meta, EventBookedResponse), Visits: make([]BookedVisit, 0, len(visits))}
	m.Meta.IsIncomplete = &incomplete
	for _, a := range visits {
		p := patientOut(a.Patient)
		if p == nil {
			p = &Patient{}
		}
		if p.Identifiers == nil {
			p.Identifiers = []Identifier{}
		}
		m.Visits = append(m.Visits, BookedVisit{Visit: visitOut(a), Patient: p, AppointmentInfo: infoOut(a)})
	}
	return m
}

// VisitsOf reads a BookedResponse, including one that echoes EventType "Booked". A visit
// with no Status but a CancelDateTime is canceled.
func VisitsOf(m *Message) ([]booking.Appointment, error) {
	if err := expect(m, EventBookedResponse); err != nil {
		return nil, err
	}
	out := make([]booking.Appointment, 0, len(m.Visits))
	for i := range m.Visits {
		bv := &m.Visits[i]
		a := appointmentIn(&bv.Visit, bv.Patient, bv.AppointmentInfo)
		if bv.Status == "" && bv.CancelDateTime != "" {
			a.Status = booking.StatusCanceled
		}
		out = append(out, a)
	}
	return out, nil
}

// visitOut is the Visit every appointment event shares. Reason is the appointment's reason,
// or its visit type's description when it has none, so an EHR reading only Reason still
// knows what was booked. Duration is left out when unknown (Cancel/NoShow allow that).
func visitOut(a booking.Appointment) Visit {
	loc := locationOut(a.Location)
	v := Visit{
		VisitNumber: a.VisitNumber, VisitDateTime: formatOptional(a.Start), PatientClass: patientClass,
		Status: statusOut(a.Status), Reason: a.Reason, Instructions: a.Instructions,
		AttendingProvider: providerOut(a.Provider), Location: &loc,
	}
	if v.Reason == "" {
		v.Reason = a.VisitType.Description
	}
	if a.Minutes > 0 {
		d := FlexNumber(a.Minutes)
		v.Duration = &d
	}
	return v
}

// appointmentIn reads what every appointment event shares. The provider falls back to
// VisitProvider, which some EHRs fill instead of AttendingProvider.
func appointmentIn(v *Visit, p *Patient, info []AppointmentInfo) booking.Appointment {
	a := booking.Appointment{
		VisitNumber: v.VisitNumber, Start: parsed(v.VisitDateTime), Reason: v.Reason,
		Status: statusIn(v.Status), Instructions: v.Instructions, Location: locationIn(v.Location),
		Provider: providerIn(v.AttendingProvider),
	}
	if v.Duration != nil {
		a.Minutes = minutesOf(*v.Duration)
	}
	if a.Provider.ID == "" && v.VisitProvider != nil {
		a.Provider = providerIn(v.VisitProvider)
	}
	if p != nil {
		a.Patient = patientIn(p)
	}
	infoIn(&a, info)
	if a.VisitType == (booking.Coded{}) && v.Type != "" {
		a.VisitType.Description = v.Type
	}
	return a
}

// infoOut writes Doorway's AppointmentInfo entries: the slot booked, the visit type (Code
// and Description as coded; Value names the clinic's code set because Codeset carries the
// marker), the patient's note for the clinic, and the front desk's override (the patient
// rules bent and why: "lead_time: urgent", for the clinic's schedulers to see).
func infoOut(a booking.Appointment) []AppointmentInfo {
	var out []AppointmentInfo
	if a.SlotID != "" {
		out = append(out, AppointmentInfo{Code: "SLOT", Codeset: infoSlotCodeset, Description: infoSlotID, Value: a.SlotID})
	}
	if vt := a.VisitType; vt != (booking.Coded{}) {
		out = append(out, AppointmentInfo{Code: vt.Code, Codeset: infoVisitTypeSet, Description: vt.Description, Value: vt.Codeset})
	}
	if a.Notes != "" {
		out = append(out, AppointmentInfo{Code: "NOTE", Codeset: infoSlotCodeset, Description: infoPatientNote, Value: a.Notes})
	}
	if !a.Override.IsZero() {
		out = append(out, AppointmentInfo{Code: "OVERRIDE", Codeset: infoSlotCodeset, Description: infoOverride, Value: a.Override.String()})
	}
	return out
}

// infoIn reads infoOut's entries back, ignoring the EHR's own.
func infoIn(a *booking.Appointment, info []AppointmentInfo) {
	for _, in := range info {
		switch {
		case strings.EqualFold(in.Description, infoSlotID):
			a.SlotID = in.Value
		case strings.EqualFold(in.Description, infoPatientNote):
			a.Notes = in.Value
		case strings.EqualFold(in.Description, infoOverride):
			a.Override, _ = booking.ParseOverride(in.Value)
		case strings.EqualFold(in.Codeset, infoVisitTypeSet):
			a.VisitType = booking.Coded{Code: in.Code, Codeset: in.Value, Description: in.Description}
		}
	}
}
