package web

import (
	"context"
	"slices"
	"sync"
	"time"

	"doorway/booking"
)

// fakeEHR is an in-memory booking.EHR: it answers searches from a fixed grid of slots (or a
// custom function), records every query, and accepts every booking.
type fakeEHR struct {
	clinic *booking.Clinic

	mu         sync.Mutex
	queries    []booking.SlotQuery
	books      []booking.Appointment
	err        error                                  // returned by AvailableSlots when set
	incomplete bool                                   // mark answers as capped
	slots      func(booking.SlotQuery) []booking.Slot // overrides the grid when set
	delay      time.Duration                          // how long AvailableSlots takes to answer
	byPhone    map[string]booking.Appointment         // visits the clinic changed by phone, as Booked lists them
	bookErr    error                                  // returned by Book when set
}

func newFakeEHR(c *booking.Clinic) *fakeEHR { return &fakeEHR{clinic: c} }

// lastQuery is the most recent AvailableSlots query.
func (f *fakeEHR) lastQuery() (booking.SlotQuery, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queries) == 0 {
		return booking.SlotQuery{}, 0
	}
	return f.queries[len(f.queries)-1], len(f.queries)
}

func (f *fakeEHR) set(fn func(f *fakeEHR)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *fakeEHR) AvailableSlots(ctx context.Context, q booking.SlotQuery) (booking.SlotPage, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	err, incomplete, custom, delay := f.err, f.incomplete, f.slots, f.delay
	f.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return booking.SlotPage{}, ctx.Err()
	}
	if err != nil {
		return booking.SlotPage{}, err
	}
	if custom != nil {
		return booking.SlotPage{Slots: custom(q), Incomplete: incomplete}, nil
	}
	return booking.SlotPage{Slots: gridSlots(f.clinic, q), Incomplete: incomplete}, nil
}

// gridSlots offers, for every provider asked for (all when none) at each location they work
// at, a slot of q.Minutes at 9:00, 10:00, 13:00 and 17:30 local time on every weekday of the
// window. Like a real EHR, it ignores the day and band preferences.
func gridSlots(c *booking.Clinic, q booking.SlotQuery) []booking.Slot {
	var out []booking.Slot
	minutes := max(q.Minutes, 20)
	for _, p := range c.Providers {
		if len(q.Providers) > 0 && !slices.ContainsFunc(q.Providers, func(r booking.ProviderRef) bool { return r.ID == p.ID }) {
			continue
		}
		for _, lid := range p.Locations {
			l, _ := c.Location(lid)
			z := l.Zone()
			for d := q.Start.In(z); d.Before(q.End); d = d.AddDate(0, 0, 1) {
				if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
					continue
				}
				for _, hm := range [][2]int{{9, 0}, {10, 0}, {13, 0}, {17, 30}} {
					start := time.Date(d.Year(), d.Month(), d.Day(), hm[0], hm[1], 0, 0, z)
					out = append(out, booking.Slot{Start: start.UTC(), Minutes: minutes,
						Provider: booking.ProviderRef{ID: p.ID, IDType: "NPI"},
						Location: booking.LocationRef{Facility: l.Facility, Department: l.Department}})
				}
			}
		}
	}
	return out
}

// Booked lists what was booked here as the EHR has it now: booked, or as changed by phone.
func (f *fakeEHR) Booked(ctx context.Context, q booking.BookedQuery) (booking.VisitPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []booking.Appointment
	for _, a := range f.books {
		if v, ok := f.byPhone[a.VisitNumber]; ok {
			a = v
		} else {
			a.Status = booking.StatusBooked
		}
		out = append(out, a)
	}
	return booking.VisitPage{Visits: out}, nil
}

func (f *fakeEHR) Book(ctx context.Context, a booking.Appointment) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.bookErr != nil {
		return f.bookErr
	}
	f.books = append(f.books, a)
	return nil
}

func (f *fakeEHR) Modify(ctx context.Context, a booking.Appointment) error          { return nil }
func (f *fakeEHR) Reschedule(ctx context.Context, a, old booking.Appointment) error { return nil }
func (f *fakeEHR) Cancel(ctx context.Context, a booking.Appointment, reason string) error {
	return nil
}
func (f *fakeEHR) NoShow(ctx context.Context, a booking.Appointment, reason string) error {
	return nil
}

// testClinic is a small clinic in two time zones.
func testClinic() *booking.Clinic {
	c := &booking.Clinic{
		Name:  "Prairie Test Clinic",
		Phone: "(308) 555-0100",
		Locations: []booking.Location{
			{ID: "east", Name: "East Clinic", Facility: "Prairie", Department: "East Family Medicine", TimeZone: "America/Chicago",
				Address: booking.Address{Street: "1 Main St", City: "Kearney", State: "NE", ZIP: "68847"}, Phone: "(308) 555-0142"},
			{ID: "west", Name: "West Clinic", Facility: "Prairie", Department: "West Family Medicine", TimeZone: "America/Denver",
				Address: booking.Address{Street: "9 Broadway", City: "Scottsbluff", State: "NE", ZIP: "69361"}, Phone: "(308) 555-0187"},
		},
		Providers: []booking.Provider{
			{ID: "1000000001", IDType: "NPI", FirstName: "Maya", LastName: "Okafor", Credentials: []string{"MD"}, Specialty: booking.En("Family Medicine"), Languages: []string{"en"}, Locations: []string{"east"}},
			{ID: "1000000002", IDType: "NPI", FirstName: "Daniel", LastName: "Reyes", Credentials: []string{"DO"}, Specialty: booking.En("Family Medicine"), Languages: []string{"en", "es"}, Locations: []string{"east", "west"}},
			{ID: "1000000003", IDType: "NPI", FirstName: "Ana", LastName: "Morales", Credentials: []string{"NP"}, Specialty: booking.En("Family Nurse Practitioner"), Languages: []string{"en", "es"}, Locations: []string{"west"}},
		},
		VisitTypes: []booking.VisitType{
			{Code: "NEW", Codeset: "DoorwayVisitType", Name: booking.En("New patient visit"), Minutes: 40, Patients: booking.PatientsNew, SelfBook: true,
				Instructions: booking.Texts{booking.En("Arrive 15 minutes early.")}},
			{Code: "FOLLOWUP", Codeset: "DoorwayVisitType", Name: booking.En("Follow-up visit"), Minutes: 20, Patients: booking.PatientsEstablished, SelfBook: true},
			{Code: "SICK", Codeset: "DoorwayVisitType", Name: booking.En("Sick visit"), Minutes: 20, Patients: booking.PatientsAny, SelfBook: true,
				Providers: []string{"1000000001", "1000000002", "1000000003"}, DoubleBook: true},
			{Code: "INJURY", Codeset: "DoorwayVisitType", Name: booking.En("Joint or back injury"), Minutes: 30, Patients: booking.PatientsAny, SelfBook: true,
				Providers: []string{"1000000002"}},
			{Code: "PROC", Codeset: "DoorwayVisitType", Name: booking.En("Minor procedure"), Minutes: 60, Patients: booking.PatientsEstablished, SelfBook: false},
		},
		Reasons: []booking.Reason{
			{ID: "cold-flu", Label: booking.En("Cold or flu symptoms"), VisitTypes: []string{"SICK"}},
			{ID: "knee-pain", Label: booking.En("Knee pain"), VisitTypes: []string{"INJURY", "SICK"}},
			{ID: "mood", Label: booking.En("Feeling anxious or low"), VisitTypes: []string{"FOLLOWUP", "NEW"}},
			{ID: "mole", Label: booking.En("Mole check"), VisitTypes: []string{"PROC", "SICK"}},
			{ID: "skin-procedure", Label: booking.En("Skin procedure"), VisitTypes: []string{"PROC"}},
			{ID: "chest-pain", Label: booking.En("Chest pain or pressure"), RedFlag: true, Urgent: booking.En("Call 911 now. Chest pain can be a heart attack.")},
		},
	}
	if err := c.Prepare(); err != nil {
		panic(err)
	}
	return c
}
