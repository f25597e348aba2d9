package booking

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// memStore is the desk's store too: its appointments and holds by start (no mirror).
func (m *memStore) AppointmentsBetween(_ context.Context, start, end time.Time) ([]Appointment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Appointment
	for _, a := range m.appts {
		if !a.Start.Before(start) && a.Start.Before(end) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b Appointment) int { return a.Start.Compare(b.Start) })
	return out, nil
}

func (m *memStore) HoldsBetween(_ context.Context, start, end, now time.Time) ([]Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Hold
	for _, h := range m.holds {
		if h.Live(now) && !h.Slot.Start.Before(start) && h.Slot.Start.Before(end) {
			out = append(out, h)
		}
	}
	return out, nil
}

func (m *memStore) MirrorBetween(context.Context, time.Time, time.Time) ([]MirrorVisit, error) {
	return nil, nil
}

// doubleRig is the test clinic whose follow-up (FU) may be double-booked and whose check-up
// (CHK, as short) may not; on Wednesday the EHR has one visit at 9:00, two at 10:00 and an
// open time at 11:00 (Chicago).
type doubleRig struct {
	svc               *Service
	st                *memStore
	ehr               *fakeEHR
	nine, ten, eleven time.Time
	wednesday         Preferences
	staff             *Actor
	followUp, checkUp VisitType
}

func newDoubleRig(t *testing.T) doubleRig {
	t.Helper()
	c := testClinic(t)
	c.VisitTypes[0].DoubleBook = true
	c.VisitTypes = append(c.VisitTypes, VisitType{Code: "CHK", Codeset: "T", Name: En("Check-up"), Minutes: 20, SelfBook: true})
	if err := c.Prepare(); err != nil {
		t.Fatal(err)
	}
	wed := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	r := doubleRig{nine: wed.Add(15 * time.Hour), ten: wed.Add(16 * time.Hour), eleven: wed.Add(17 * time.Hour),
		staff: &Actor{Kind: "staff", Session: "staff:1"}}
	phone := func(vn string, at time.Time) Appointment {
		return Appointment{VisitNumber: vn, Start: at, Minutes: 20, Status: StatusBooked, Patient: Patient{FirstName: "Phone", LastName: vn},
			Provider: ProviderRef{ID: "1111111111", IDType: "NPI"}, Location: LocationRef{Facility: "Test Clinic", Department: "North FM"}}
	}
	r.ehr = &fakeEHR{slots: []Slot{slotAt("1111111111", "North FM", r.eleven)},
		visits: []Appointment{phone("E1", r.nine), phone("E2", r.ten), phone("E3", r.ten)}}
	r.st = newMemStore()
	r.svc = NewService(Config{Clinic: c, EHR: r.ehr, Holds: r.st, Appointments: r.st, Now: func() time.Time { return testNow }, CacheFor: -1})
	r.wednesday = Preferences{VisitType: "FU", From: "2026-12-02", To: "2026-12-02"}
	r.followUp, _ = c.VisitType("FU")
	r.checkUp, _ = c.VisitType("CHK")
	return r
}

// starts is the search's times as "15:00" (UTC), with a * for a time already booked.
func (r doubleRig) starts(t *testing.T, p Preferences, session string, lift ...Rule) []string {
	t.Helper()
	res, err := r.svc.Search(context.Background(), p, session, lift...)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sl := range res.Slots {
		s := sl.Start.UTC().Format("15:04")
		if sl.Booked {
			s += "*"
		}
		out = append(out, s)
	}
	return out
}

// A time already booked is offered to the desk's search lifting double_book, for a visit type
// that allows it, once per time; never to patients, nor for another visit type.
func TestSearchOffersBookedTimesToDoubleBook(t *testing.T) {
	r := newDoubleRig(t)
	ctx := context.Background()
	if got := r.starts(t, r.wednesday, "patient"); !slices.Equal(got, []string{"17:00"}) {
		t.Errorf("a patient sees %v, want only the open 17:00", got)
	}
	if got := r.starts(t, r.wednesday, "desk", RuleDoubleBook); !slices.Equal(got, []string{"15:00*", "17:00"}) {
		t.Errorf("the desk double-booking sees %v, want 15:00 (booked once) marked and 17:00; not 16:00, booked twice", got)
	}
	chk := r.wednesday
	chk.VisitType = "CHK"
	if got := r.starts(t, chk, "desk", RuleDoubleBook); !slices.Equal(got, []string{"17:00"}) {
		t.Errorf("double-booking a visit type that does not allow it: %v, want only the open time", got)
	}
	res, _ := r.svc.Search(ctx, r.wednesday, "desk", RuleDoubleBook)
	booked := res.Slots[0]
	if booked.Minutes != 20 || booked.Location.ID != "north" || booked.Provider.IDType != "NPI" {
		t.Errorf("the booked time as offered: %+v, want the follow-up's 20 minutes at north, with the provider's ID type", booked)
	}
	if got := r.svc.Bends(booked, r.followUp); !slices.Equal(got, []Rule{RuleDoubleBook}) {
		t.Errorf("Bends(booked time) = %v, want double_book", got)
	}
	if _, _, err := r.svc.Hold(ctx, "patient", r.wednesday, booked.Key()); MsgOf(err) != MsgSlotTaken {
		t.Errorf("a patient holds a booked time: %v, want refused", err)
	}
	if _, _, err := r.svc.Hold(ctx, "desk", chk, booked.Key(), RuleDoubleBook); MsgOf(err) != MsgSlotTaken {
		t.Errorf("the desk holds a booked time for a visit type that may not be double-booked: %v, want refused", err)
	}
}

// A double-book is held in the time's second seat: another clerk is not offered it and
// cannot hold it; the booking needs the override named with a reason, for a visit type that
// allows it; the EHR and the audit log get it; and the day lists both visits.
func TestDoubleBookHoldsConfirmsAndShowsInTheDay(t *testing.T) {
	r := newDoubleRig(t)
	ctx := context.Background()
	key := slotAt("1111111111", "North FM", r.nine).Key()
	h, _, err := r.svc.Hold(ctx, "desk1", r.wednesday, key, RuleDoubleBook)
	if err != nil || !h.Slot.Booked || !strings.HasSuffix(h.Slot.SeatKey(), DoubleSeat) {
		t.Fatalf("hold: %+v, %v; want the time's second seat", h.Slot, err)
	}
	if got := r.starts(t, r.wednesday, "desk2", RuleDoubleBook); !slices.Equal(got, []string{"17:00"}) {
		t.Errorf("another clerk sees %v while the seat is held, want only the open time", got)
	}
	if _, _, err := r.svc.Hold(ctx, "desk2", r.wednesday, key, RuleDoubleBook); ErrorCode(err) != CodeSlotTaken {
		t.Errorf("another clerk holds the same double-book: %v, want refused", err)
	}
	req := ConfirmRequest{Key: "k", SessionID: "desk1", By: r.staff, VisitType: r.followUp,
		Patient: Patient{FirstName: "Sick", LastName: "Child", DOB: "2019-01-01"}}
	for _, tt := range []struct {
		name string
		vt   VisitType
		o    *Override
		want Msg
	}{
		{"no override", r.followUp, nil, MsgOverrideNeeded},
		{"another rule named", r.followUp, &Override{Rules: []Rule{RuleLeadTime}, Reason: "urgent"}, MsgOverrideNeeded},
		{"no reason", r.followUp, &Override{Rules: []Rule{RuleDoubleBook}}, MsgOverrideReasonMissing},
		{"a visit type that may not be double-booked", r.checkUp, &Override{Rules: []Rule{RuleDoubleBook}, Reason: "urgent"}, MsgDoubleBookNotAllowed},
	} {
		req := req
		req.VisitType, req.Override = tt.vt, tt.o
		if _, err := r.svc.Confirm(ctx, req); MsgOf(err) != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	req.Override = &Override{Rules: []Rule{RuleDoubleBook}, Reason: "urgent"}
	a, err := r.svc.Confirm(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if a.Override.String() != "double_book: urgent" || !a.Slot().Booked || !a.Start.Equal(r.nine) {
		t.Errorf("the appointment: %s at %s, seat %s", a.Override, a.Start, a.Slot().SeatKey())
	}
	if len(r.ehr.booked) != 1 || !r.ehr.booked[0].Override.Bent(RuleDoubleBook) {
		t.Errorf("the EHR got %+v, want the New marked double_book", r.ehr.booked)
	}
	if i := slices.IndexFunc(r.st.audit, func(e AuditEntry) bool { return e.Action == AuditOverride }); i < 0 || r.st.audit[i].Detail != "double_book: urgent" {
		t.Errorf("audit %+v, want the override naming double_book", r.st.audit)
	}
	if got := r.starts(t, r.wednesday, "desk2", RuleDoubleBook); !slices.Equal(got, []string{"17:00"}) {
		t.Errorf("after the double-book the desk sees %v, want only the open time (one double-book per time)", got)
	}
	if got, want := r.atNine(t), []string{"visit E1 ", "visit " + a.VisitNumber + " double_book: urgent"}; !slices.Equal(got, want) {
		t.Errorf("the day at 9:00 lists %q, want the phone visit then the double-book", got)
	}
}

// The day's open times are the EHR's, the patients' rules lifted: a booked time is not open.
func TestDayDoesNotListBookedTimesAsOpen(t *testing.T) {
	r := newDoubleRig(t)
	if got := r.atNine(t); !slices.Equal(got, []string{"visit E1 "}) {
		t.Errorf("the day at 9:00 lists %q, want only the phone visit", got)
	}
}

// atNine is what Wednesday's day at north lists at 9:00: "kind visit-number override".
func (r doubleRig) atNine(t *testing.T) []string {
	t.Helper()
	out, _ := dayAt(t, r.svc, r.nine)
	return out
}

// dayAt is what svc's Wednesday at north lists at at, as "kind visit-number override", and
// whether the EHR's list was missing.
func dayAt(t *testing.T, svc *Service, at time.Time) (out []string, stale bool) {
	t.Helper()
	day, err := svc.Day(context.Background(), "2026-12-02", "north")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range day.Columns[0].Items {
		if it.Start.Equal(at) {
			out = append(out, it.Kind+" "+it.VisitNumber+" "+it.Override.String())
		}
	}
	return out, day.EHRStale
}

// The seat key: a time as offered and as double-booked differ, and parse back to one time.
func TestSeatKeySeparatesTheDoubleBook(t *testing.T) {
	sl := slotAt("1111111111", "North FM", testNow)
	doubled := sl
	doubled.Booked = true
	if sl.SeatKey() != sl.Key() || doubled.SeatKey() == sl.SeatKey() || doubled.Key() != sl.Key() {
		t.Errorf("seat keys %q and %q for key %q", sl.SeatKey(), doubled.SeatKey(), sl.Key())
	}
	a := Appointment{Start: sl.Start, Minutes: 20, Provider: sl.Provider, Location: sl.Location,
		Override: Override{Rules: []Rule{RuleLeadTime, RuleDoubleBook}, Reason: "urgent"}}
	if a.Slot().SeatKey() != doubled.SeatKey() {
		t.Errorf("a double-booked appointment's seat %q, want %q", a.Slot().SeatKey(), doubled.SeatKey())
	}
	if o, ok := ParseOverride(a.Override.String()); !ok || !o.Bent(RuleDoubleBook) {
		t.Errorf("ParseOverride(%q) loses double_book: %+v", a.Override.String(), o)
	}
}
