package sandbox

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"doorway/booking"
)

// Seed fills the demo clinic's schedule as a clinic's is when Doorway is connected to it: part
// of the next days already booked by phone (the simulator's fictional patients) or blocked, so the front desk's day has visits on it and patients see a real
// clinic's gaps. It writes the visits as they stood before Doorway was connected: no
// notification is queued for them (Doorway learns of them from the Booked answers, and the
// open times leave them out). It seeds once: a schedule with any simulated visit is left as it
// is, so a restart does not book more. The choice is random with the given seed, so a test can
// ask for the same schedule twice. Each open time still free when its turn comes (in time
// order) is taken with probability rate: open times start every few minutes and a visit
// covers several, so a rate of 0.1 books about a third of the day.
func (s *Server) Seed(ctx context.Context, days int, rate float64, seed uint64) (int, error) {
	if rate <= 0 || days <= 0 {
		return 0, nil
	}
	var seeded int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sandbox_visits WHERE visit_number LIKE 'SIM-%'`).Scan(&seeded); err != nil {
		return 0, fmt.Errorf("sandbox: seed: %w", err)
	}
	if seeded > 0 {
		return 0, nil
	}
	rnd := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	n := 0
	start := s.now()
	for d := range days {
		day := start.Add(time.Duration(d) * 24 * time.Hour)
		slots, _, err := s.openSlots(ctx, booking.SlotQuery{Start: day, End: day.Add(24 * time.Hour)}, DefaultLimit)
		if err != nil {
			return n, err
		}
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			for _, sl := range slots {
				if rnd.Float64() >= rate {
					continue
				}
				a := seededVisit(rnd, sl)
				if checkOverlap(ctx, tx, a, "") != nil {
					continue // an earlier pick overlaps it
				}
				if err := putVisit(ctx, tx, a, s.now()); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	s.log.Info("demo schedule seeded", "visits", n, "days", days)
	return n, nil
}

// seededVisit is a phone booking of sl for one of the simulator's patients, or one time in
// eight a block.
func seededVisit(rnd *rand.Rand, sl booking.Slot) booking.Appointment {
	a := booking.Appointment{VisitNumber: fmt.Sprintf("SIM-%08X", rnd.Uint32()), Status: booking.StatusBooked,
		Start: sl.Start, Minutes: sl.Minutes, Reason: sl.Reason, Provider: sl.Provider, Location: sl.Location, SlotID: sl.ID}
	if rnd.IntN(8) == 0 {
		a.Reason = simulatedBlockReasons[rnd.IntN(len(simulatedBlockReasons))]
		return a
	}
	// The slot's visit type, as a scheduler books it: its code ends the slot's ID (SlotID).
	a.VisitType = booking.Coded{Code: sl.ID[strings.LastIndexByte(sl.ID, '-')+1:], Description: sl.Reason}
	a.Patient = seededPatients[rnd.IntN(len(seededPatients))]
	a.Patient.Identifiers = []booking.Identifier{{ID: fmt.Sprintf("SIM%06d", rnd.IntN(1_000_000)), IDType: "MR"}}
	return a
}

// seededPatients are the fictional patients of the demo's schedule: the simulator's and more,
// so that a day does not show the same few names over and over.
var seededPatients = append(slices.Clone(simulatedPatients), []booking.Patient{
	{FirstName: "Amara", LastName: "Okonkwo", DOB: "1990-03-22", Sex: "Female", Phone: "+15555550145"},
	{FirstName: "Luis", LastName: "Ferreira", DOB: "1966-11-08", Sex: "Male", Phone: "+15555550146"},
	{FirstName: "Hannah", LastName: "Lindgren", DOB: "1995-07-14", Sex: "Female", Phone: "+15555550147"},
	{FirstName: "Mateo", LastName: "Quispe", DOB: "2016-01-30", Sex: "Male", Phone: "+15555550148"},
	{FirstName: "Grace", LastName: "Whitfield", DOB: "1948-05-02", Sex: "Female", Phone: "+15555550149"},
	{FirstName: "Samir", LastName: "Haddad", DOB: "1981-09-17", Sex: "Male", Phone: "+15555550150"},
	{FirstName: "Mei", LastName: "Tanaka", DOB: "1977-12-03", Sex: "Female", Phone: "+15555550151"},
	{FirstName: "Elijah", LastName: "Brooks", DOB: "2009-04-25", Sex: "Male", Phone: "+15555550152"},
	{FirstName: "Sofía", LastName: "Márquez", DOB: "1986-08-19", Sex: "Female", Phone: "+15555550153"},
	{FirstName: "Oren", LastName: "Kessler", DOB: "1958-02-27", Sex: "Male", Phone: "+15555550154"},
	{FirstName: "Priya", LastName: "Raman", DOB: "1999-10-11", Sex: "Female", Phone: "+15555550155"},
	{FirstName: "Walter", LastName: "Nakamura", DOB: "1939-06-06", Sex: "Male", Phone: "+15555550156"},
}...)
