package redox

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"doorway/booking"
)

// All conversion between the wire and the booking domain lives in this file and
// convert_visit.go, so booking/ never learns Redox's shapes. Builders (New...) take the
// caller's Meta (destinations, Test, EventDateTime: the caller owns the clock) and set
// DataModel and EventType themselves. Readers (...Of) check the event type, run Validate,
// then convert, so they return *ValidationError and never a half-read value.

// withEvent returns meta stamped with the Scheduling data model and eventType.
func withEvent(meta Meta, eventType string) Meta {
	meta.DataModel, meta.EventType = DataModel, eventType
	return meta
}

// expect checks that m is one of kinds (see Message.Kind), carries no Meta.Errors, and is
// valid: after it, readers may rely on every required field being present and parseable.
func expect(m *Message, kinds ...string) error {
	if m == nil {
		return &ValidationError{Problems: []Problem{{Path: "Meta", Message: "message is missing"}}}
	}
	// A failure envelope has no body to read; its *APIError says why.
	if err := ErrorsOf(m); err != nil {
		return err
	}
	if !slices.Contains(kinds, m.Kind()) {
		return &ValidationError{Problems: []Problem{{Path: "Meta.EventType",
			Message: "Meta.EventType must be " + strings.Join(kinds, " or ") + ", got " + strconv.Quote(m.Kind())}}}
	}
	return m.Validate()
}

// parsed reads a timestamp Validate has already accepted; "" gives the zero time.
func parsed(s string) time.Time {
	t, _ := ParseTime(s)
	return t
}

// minutesOf rounds a wire duration (Validate bounded it) to whole minutes.
func minutesOf(f FlexNumber) int { return int(math.Round(float64(f))) }

// NewAvailableSlots builds the AvailableSlots query with every seed field q fills:
// the window, patient identifiers, reasons, visit type, one VisitPreference (duration in
// minutes as a string, day names, time-of-day bands), providers and locations.
func NewAvailableSlots(meta Meta, q booking.SlotQuery) *Message {
	m := &Message{Meta: withEvent(meta, EventAvailableSlots), StartDateTime: FormatTime(q.Start), EndDateTime: formatOptional(q.End)}
	if ids := identifiersOut(q.Patient); ids != nil {
		m.Patient = &Patient{Identifiers: ids}
	}
	v := &Visit{Reasons: q.Reasons}
	if q.VisitType != (booking.Coded{}) {
		v.VisitType = []Coded{{Code: q.VisitType.Code, Codeset: q.VisitType.Codeset, Description: q.VisitType.Description}}
	}
	pref := VisitPreference{}
	if q.Minutes > 0 {
		pref.Duration, pref.DurationUnit = FlexString(strconv.Itoa(q.Minutes)), "minutes"
	}
	for _, d := range q.Days {
		pref.Day = append(pref.Day, d.String())
	}
	for _, b := range q.Bands {
		pref.Time = append(pref.Time, string(b))
	}
	if pref.Duration != "" || pref.Day != nil || pref.Time != nil {
		v.VisitPreference = []VisitPreference{pref}
	}
	for _, p := range q.Providers {
		v.AttendingProviders = append(v.AttendingProviders, *providerOut(p))
	}
	for _, l := range q.Locations {
		v.Locations = append(v.Locations, locationOut(l))
	}
	if v.Reasons != nil || v.VisitType != nil || v.VisitPreference != nil || v.AttendingProviders != nil || v.Locations != nil {
		m.Visit = v
	}
	return m
}

// SlotQueryOf reads an AvailableSlots query (the sandbox EHR's side). Several
// VisitPreference entries merge: the first duration, and every day and band named.
func SlotQueryOf(m *Message) (booking.SlotQuery, error) {
	if err := expect(m, EventAvailableSlots); err != nil {
		return booking.SlotQuery{}, err
	}
	q := booking.SlotQuery{Start: parsed(m.StartDateTime), End: parsed(m.EndDateTime)}
	if m.Patient != nil {
		q.Patient = identifiersIn(m.Patient.Identifiers)
	}
	v := m.Visit
	if v == nil {
		return q, nil
	}
	q.Reasons = v.Reasons
	if len(v.VisitType) > 0 {
		q.VisitType = booking.Coded{Code: v.VisitType[0].Code, Codeset: v.VisitType[0].Codeset, Description: v.VisitType[0].Description}
	}
	for _, p := range v.VisitPreference {
		if n, _ := preferenceMinutes(p); q.Minutes == 0 {
			q.Minutes = n
		}
		for _, s := range p.Day {
			if d, ok := booking.ParseWeekday(s); ok && !slices.Contains(q.Days, d) {
				q.Days = append(q.Days, d)
			}
		}
		for _, s := range p.Time {
			if b, ok := booking.ParseBand(s); ok && !slices.Contains(q.Bands, b) {
				q.Bands = append(q.Bands, b)
			}
		}
	}
	for i := range v.AttendingProviders {
		q.Providers = append(q.Providers, providerIn(&v.AttendingProviders[i]))
	}
	for i := range v.Locations {
		q.Locations = append(q.Locations, locationIn(&v.Locations[i]))
	}
	return q, nil
}

// NewAvailableSlotsResponse answers an AvailableSlots query. AvailableSlots is never nil,
// so "no slots" encodes as [] (the schema requires the key). IsIncomplete is always sent.
func NewAvailableSlotsResponse(meta Meta, slots []booking.Slot, incomplete bool) *Message {
	m := &Message{Meta: withEvent(meta, EventAvailableSlotsResponse), AvailableSlots: slotsOut(slots)}
	m.Meta.IsIncomplete = &incomplete
	return m
}

// NewPushSlots builds a PushSlots notification; batching (BatchID, CurrentBatch,
// TotalBatches) is the caller's, in meta.
func NewPushSlots(meta Meta, slots []booking.Slot) *Message {
	return &Message{Meta: withEvent(meta, EventPushSlots), Slots: slotsOut(slots)}
}

// SlotsOf reads the slots of an AvailableSlotsResponse (AvailableSlots) or a PushSlots
// (Slots). Meta.IsIncomplete stays on m for the caller.
func SlotsOf(m *Message) ([]booking.Slot, error) {
	if err := expect(m, EventAvailableSlotsResponse, EventPushSlots); err != nil {
		return nil, err
	}
	wire := m.AvailableSlots
	if m.Kind() == EventPushSlots {
		wire = m.Slots
	}
	out := make([]booking.Slot, 0, len(wire))
	for _, s := range wire {
		out = append(out, booking.Slot{ID: s.ID, Start: parsed(s.DateTime), Minutes: minutesOf(s.Duration),
			Reason: s.Reason, Provider: providerIn(s.Provider), Location: locationIn(s.Location)})
	}
	return out, nil
}

// slotsOut converts slots, returning a non-nil slice so an empty list encodes as [].
func slotsOut(slots []booking.Slot) []Slot {
	out := make([]Slot, 0, len(slots))
	for _, s := range slots {
		w := Slot{ID: s.ID, DateTime: FormatTime(s.Start), Duration: FlexNumber(s.Minutes), Reason: s.Reason, Provider: providerOut(s.Provider)}
		if s.Location != (booking.LocationRef{}) {
			loc := locationOut(s.Location)
			w.Location = &loc
		}
		out = append(out, w)
	}
	return out
}

// identifiersOut drops identifiers without an ID: an empty ID matches nothing in the EHR
// and would turn a hold into a patient visit.
func identifiersOut(ids []booking.Identifier) []Identifier {
	var out []Identifier
	for _, id := range ids {
		if strings.TrimSpace(id.ID) != "" {
			out = append(out, Identifier{ID: id.ID, IDType: id.IDType})
		}
	}
	return out
}

func identifiersIn(ids []Identifier) []booking.Identifier {
	var out []booking.Identifier
	for _, id := range ids {
		if strings.TrimSpace(id.ID) != "" {
			out = append(out, booking.Identifier{ID: id.ID, IDType: id.IDType})
		}
	}
	return out
}

// providerOut returns nil for an empty reference so no empty Provider object is sent.
func providerOut(p booking.ProviderRef) *Provider {
	if p.ID == "" && p.IDType == "" && p.FirstName == "" && p.LastName == "" && len(p.Credentials) == 0 {
		return nil
	}
	return &Provider{ID: p.ID, IDType: p.IDType, FirstName: p.FirstName, LastName: p.LastName, Credentials: p.Credentials}
}

func providerIn(p *Provider) booking.ProviderRef {
	if p == nil {
		return booking.ProviderRef{}
	}
	return booking.ProviderRef{ID: p.ID, IDType: p.IDType, FirstName: p.FirstName, LastName: p.LastName, Credentials: p.Credentials}
}

func locationOut(l booking.LocationRef) Location {
	return Location{ID: l.ID, Type: l.Type, Facility: l.Facility, Department: l.Department, Room: l.Room}
}

func locationIn(l *Location) booking.LocationRef {
	if l == nil {
		return booking.LocationRef{}
	}
	return booking.LocationRef{ID: l.ID, Type: l.Type, Facility: l.Facility, Department: l.Department, Room: l.Room}
}
