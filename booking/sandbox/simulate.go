package sandbox

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
)

// The simulator stands in for the clinic's front desk answering the phone: with
// Config.SimulateEvery set, it books a made-up patient into a random free slot, or blocks one
// (a patient-less New, as Redox sends holds and blocks), and now and then cancels one of its
// own earlier bookings so the schedule never fills up. Each change goes through the same code
// as API changes, so it is notified to the webhooks like any other.

// simulatedPatients are fictional; their names never reach a log line (only visit numbers do).
var simulatedPatients = []booking.Patient{
	{FirstName: "Rowan", LastName: "Pike", DOB: "1984-02-11", Sex: "Female", Phone: "+15555550141"},
	{FirstName: "Idris", LastName: "Varga", DOB: "1959-09-30", Sex: "Male", Phone: "+15555550142"},
	{FirstName: "Noor", LastName: "Castell", DOB: "2001-06-04", Sex: "Female", Phone: "+15555550143"},
	{FirstName: "Tomasz", LastName: "Reyes", DOB: "1972-12-19", Sex: "Male", Phone: "+15555550144"},
}

// simulatedBlockReasons label simulated blocks the way front desks do.
var simulatedBlockReasons = []string{"Phone hold", "Provider meeting", "Admin time"}

// simulate runs one simulated change every SimulateEvery until ctx is done.
func (s *Server) simulate(ctx context.Context) {
	t := time.NewTicker(s.cfg.SimulateEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.simulateOnce(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("simulated change failed", "err", err)
			}
		}
	}
}

// simulateOnce makes one change: a cancel one time in four (when there is something to
// cancel), else a block one time in four, else a booking.
func (s *Server) simulateOnce(ctx context.Context) error {
	if rand.IntN(4) == 0 {
		var number string
		err := s.db.QueryRowContext(ctx, `SELECT visit_number FROM sandbox_visits
			WHERE visit_number LIKE 'SIM-%' AND `+activeSQL+` AND start_unix > ? ORDER BY random() LIMIT 1`,
			s.now().Unix()).Scan(&number)
		if err == nil {
			s.log.Info("simulated cancel", "visit_number", number)
			return s.end(ctx, number, booking.StatusCanceled, "Patient called to cancel", nil)
		}
	}
	// One random day in the next two weeks, so simulated bookings spread out instead of
	// piling onto the earliest open slots.
	day := s.now().Add(time.Duration(rand.IntN(14)) * 24 * time.Hour)
	slots, _, err := s.openSlots(ctx, booking.SlotQuery{Start: day, End: day.Add(24 * time.Hour)}, DefaultLimit)
	if err != nil || len(slots) == 0 {
		return err
	}
	sl := slots[rand.IntN(len(slots))]
	a := booking.Appointment{
		VisitNumber: fmt.Sprintf("SIM-%08X", rand.Uint32()),
		Start:       sl.Start,
		Minutes:     sl.Minutes,
		Reason:      sl.Reason,
		Provider:    sl.Provider,
		Location:    sl.Location,
		SlotID:      sl.ID,
	}
	block := rand.IntN(4) == 0
	if block {
		a.Reason = simulatedBlockReasons[rand.IntN(len(simulatedBlockReasons))]
	} else {
		a.Patient = simulatedPatients[rand.IntN(len(simulatedPatients))]
		a.Patient.Identifiers = []booking.Identifier{{ID: fmt.Sprintf("SIM%06d", rand.IntN(1_000_000)), IDType: "MR"}}
	}
	if _, err := s.book(ctx, a, nil); err != nil {
		return err
	}
	s.log.Info("simulated booking", "visit_number", a.VisitNumber, "provider_id", a.Provider.ID,
		"start", redox.FormatTime(a.Start), "block", block)
	return nil
}
