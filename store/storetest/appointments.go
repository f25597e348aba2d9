package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

func testAppointment(sl booking.Slot) booking.Appointment {
	return booking.Appointment{
		VisitNumber: booking.NewID("DW"), Start: sl.Start, Minutes: sl.Minutes, Reason: sl.Reason,
		Provider: sl.Provider, Location: sl.Location, SlotID: sl.ID, Status: booking.StatusRequested,
		VisitType: booking.Coded{Code: "NP", Description: "New patient"},
		Patient: booking.Patient{FirstName: "Ada", LastName: "Lovelace", DOB: "1990-12-10", Phone: "+15555550100",
			Identifiers: []booking.Identifier{{ID: "P-1", IDType: "DoorwayPatientID"}}},
	}
}

// book holds sl for session and confirms it with key, failing the test on any error.
func book(t *testing.T, db *store.DB, session string, sl booking.Slot, key string) booking.Appointment {
	t.Helper()
	ctx := context.Background()
	must(t, db.PutHold(ctx, testHold(session, sl, t0), t0))
	a, replayed, err := db.CreateAppointment(ctx, booking.Booking{Key: key, SessionID: session, Appointment: testAppointment(sl)}, t0)
	if err != nil || replayed {
		t.Fatalf("CreateAppointment = %v, replayed %v", err, replayed)
	}
	return a
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	must(t, db.QueryRow(`SELECT count(*) FROM `+table).Scan(&n))
	return n
}

func testCreateAppointmentWritesOutboxAndConsumesHold(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	a := book(t, db, "A", sl, "key-1")
	got, err := db.Appointment(ctx, a.VisitNumber)
	if err != nil || got.Status != booking.StatusRequested || got.Patient.LastName != "Lovelace" || !got.Start.Equal(sl.Start) {
		t.Errorf("Appointment = %+v, %v; want the requested one with its patient", got, err)
	}
	if byKey, err := db.AppointmentByKey(ctx, "key-1"); err != nil || byKey.VisitNumber != a.VisitNumber {
		t.Errorf("AppointmentByKey = %q, %v; want %q", byKey.VisitNumber, err, a.VisitNumber)
	}
	msgs, err := db.DueMessages(ctx, t0, 10)
	if err != nil || len(msgs) != 1 || msgs[0].Kind != booking.OutboxNew || msgs[0].VisitNumber != a.VisitNumber {
		t.Errorf("DueMessages = %+v, %v; want one New", msgs, err)
	}
	if _, err := db.SessionHold(ctx, "A", t0); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("hold after confirm = %v; want consumed", err)
	}
}

func testCreateAppointmentReplay(t *testing.T, s suite) {
	tests := []struct {
		name string
		appt func(booking.Slot) booking.Appointment
	}{
		{"double submit with a fresh appointment", testAppointment},
		{"after the hold was consumed (empty appointment)", func(booking.Slot) booking.Appointment { return booking.Appointment{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			sl := testSlot("P1", t0.Add(time.Hour), 30)
			first := book(t, db, "A", sl, "key-1")
			before := [2]int{count(t, db, "appointments"), count(t, db, "outbox")}
			got, replayed, err := db.CreateAppointment(ctx, booking.Booking{Key: "key-1", SessionID: "A", Appointment: tt.appt(sl)}, t0)
			if err != nil || !replayed || got.VisitNumber != first.VisitNumber {
				t.Errorf("replay = %q, %v, %v; want %q, true, nil", got.VisitNumber, replayed, err, first.VisitNumber)
			}
			if after := [2]int{count(t, db, "appointments"), count(t, db, "outbox")}; after != before {
				t.Errorf("rows (appointments, outbox) = %v after replay; want %v", after, before)
			}
		})
	}
}

func testCreateAppointmentWithoutHold(t *testing.T, s suite) {
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	tests := []struct {
		name  string
		setup func(*store.DB)
		appt  booking.Appointment
		want  error
	}{
		{"unknown key, no hold", func(*store.DB) {}, booking.Appointment{}, booking.ErrNotFound},
		{"hold expired", func(db *store.DB) {
			must(t, db.PutHold(context.Background(), testHold("A", sl, t0.Add(-time.Hour)), t0.Add(-time.Hour)))
		}, testAppointment(sl), booking.ErrNotFound},
		{"held by another session", func(db *store.DB) {
			must(t, db.PutHold(context.Background(), testHold("B", sl, t0), t0))
		}, testAppointment(sl), booking.ErrSlotTaken},
		{"my hold is on another slot", func(db *store.DB) {
			must(t, db.PutHold(context.Background(), testHold("A", testSlot("P1", t0.Add(3*time.Hour), 30), t0), t0))
		}, testAppointment(sl), booking.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := s.db(t)
			tt.setup(db)
			_, _, err := db.CreateAppointment(context.Background(), booking.Booking{Key: "k", SessionID: "A", Appointment: tt.appt}, t0)
			if !errors.Is(err, tt.want) {
				t.Errorf("CreateAppointment = %v; want %v", err, tt.want)
			}
			if n := count(t, db, "appointments"); n != 0 {
				t.Errorf("appointments = %d; want 0", n)
			}
		})
	}
}

// TestCreateAppointmentRace has 20 patients, each in their own session, race to hold and
// book one slot: exactly one appointment and one outbox message may result.
func testCreateAppointmentRace(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			session := fmt.Sprintf("S%d", i)
			if errs[i] = db.PutHold(ctx, testHold(session, sl, t0), t0); errs[i] != nil {
				return
			}
			_, _, errs[i] = db.CreateAppointment(ctx, booking.Booking{Key: session, SessionID: session, Appointment: testAppointment(sl)}, t0)
		})
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, booking.ErrSlotTaken):
			t.Errorf("patient %d: %v; want nil or ErrSlotTaken", i, err)
		}
	}
	if ok != 1 || count(t, db, "appointments") != 1 || count(t, db, "outbox") != 1 {
		t.Errorf("successes = %d, appointments = %d, outbox = %d; want 1 each", ok, count(t, db, "appointments"), count(t, db, "outbox"))
	}
}

// testLiveSlotUniqueIndex bypasses every check and inserts appointments for one slot key
// directly, concurrently: the partial unique index alone must let exactly one through, and
// must not count canceled ones.
func testLiveSlotUniqueIndex(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	insert := func(a booking.Appointment) error {
		_, err := db.ExecContext(ctx, `INSERT INTO appointments (visit_number, slot_key, provider_id, department,
			start_unix, end_unix, minutes, status, patient, appointment, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', '{}', '{}', $8, $8)`,
			a.VisitNumber, a.Slot().Key(), a.Provider.ID, a.Location.Department, a.Start.Unix(), a.End().Unix(), a.Minutes, t0.Unix())
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { errs[i] = insert(testAppointment(sl)) })
	}
	wg.Wait()
	var ok int
	var live string
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !db.Backend().Unique(err, "slot_key") {
			t.Errorf("insert = %v; want a unique violation on slot_key", err)
		}
	}
	if ok != 1 {
		t.Fatalf("successful inserts = %d; want 1", ok)
	}
	must(t, db.QueryRow(`SELECT visit_number FROM appointments`).Scan(&live))
	must(t, db.RequestCancel(ctx, live, "patient asked", t0))
	if err := insert(testAppointment(sl)); err != nil {
		t.Errorf("insert after cancel = %v; want nil", err)
	}
}

// testSetStatusCannotReviveATakenSlot: a failed booking whose time was booked by someone else
// since cannot become live again; the unique index says so and the store says ErrSlotTaken.
func testSetStatusCannotReviveATakenSlot(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	sl := testSlot("P1", t0.Add(time.Hour), 30)
	first := book(t, db, "A", sl, "k1")
	must(t, db.SetStatus(ctx, first.VisitNumber, booking.StatusFailed, t0))
	book(t, db, "B", sl, "k2")
	if err := db.SetStatus(ctx, first.VisitNumber, booking.StatusBooked, t0); !errors.Is(err, booking.ErrSlotTaken) {
		t.Errorf("SetStatus(booked) of the failed first booking = %v; want ErrSlotTaken", err)
	}
}

func testSetStatus(t *testing.T, s suite) {
	tests := []struct {
		name   string
		steps  []booking.Status
		want   booking.Status
		column string
		err    error
	}{
		{"delivered", []booking.Status{booking.StatusBooked}, booking.StatusBooked, "booked_at", nil},
		{"rejected", []booking.Status{booking.StatusFailed}, booking.StatusFailed, "failed_at", nil},
		{"same status again", []booking.Status{booking.StatusBooked, booking.StatusBooked}, booking.StatusBooked, "booked_at", nil},
		{"booked after cancel", []booking.Status{booking.StatusCanceled, booking.StatusBooked}, booking.StatusCanceled, "canceled_at", booking.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, ctx := s.db(t), context.Background()
			a := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k")
			var err error
			for _, s := range tt.steps {
				err = db.SetStatus(ctx, a.VisitNumber, s, t0.Add(time.Minute))
			}
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Errorf("SetStatus = %v; want %v", err, tt.err)
			}
			got := appointment(t, db, a.VisitNumber)
			var at sql.NullInt64
			must(t, db.QueryRow(`SELECT `+tt.column+` FROM appointments`).Scan(&at))
			if got.Status != tt.want || at.Int64 != t0.Add(time.Minute).Unix() {
				t.Errorf("status %q, %s %v; want %q stamped", got.Status, tt.column, at, tt.want)
			}
		})
	}
	if err := s.db(t).SetStatus(context.Background(), "DW-NOPE", booking.StatusBooked, t0); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("SetStatus of unknown = %v; want ErrNotFound", err)
	}
}

func testRequestCancel(t *testing.T, s suite) {
	db, ctx := s.db(t), context.Background()
	a := book(t, db, "A", testSlot("P1", t0.Add(time.Hour), 30), "k")
	must(t, db.SetStatus(ctx, a.VisitNumber, booking.StatusBooked, t0))
	must(t, db.RequestCancel(ctx, a.VisitNumber, "feeling better", t0))
	got := appointment(t, db, a.VisitNumber)
	var kind, reason string
	must(t, db.QueryRow(`SELECT kind, reason FROM outbox ORDER BY id DESC LIMIT 1`).Scan(&kind, &reason))
	if got.Status != booking.StatusCanceled || kind != string(booking.OutboxCancel) || reason != "feeling better" {
		t.Errorf("status %q, last outbox %q %q; want canceled and a Cancel", got.Status, kind, reason)
	}
	for _, tt := range []struct {
		name, visit string
		want        error
	}{
		{"twice", a.VisitNumber, booking.ErrConflict},
		{"unknown", "DW-NOPE", booking.ErrNotFound},
	} {
		if err := db.RequestCancel(ctx, tt.visit, "", t0); !errors.Is(err, tt.want) {
			t.Errorf("%s: RequestCancel = %v; want %v", tt.name, err, tt.want)
		}
	}
	if n := count(t, db, "outbox"); n != 2 {
		t.Errorf("outbox rows = %d; want 2 (New, Cancel)", n)
	}
}
