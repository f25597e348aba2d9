package booking

import (
	"context"
	"strings"
	"time"
)

// SlotPush is one Scheduling.PushSlots delivery: a batch of a possibly larger push.
type SlotPush struct {
	Key     string // deduplication key of the delivery
	BatchID string
	Batch   string // CurrentBatch, "1".."TotalBatches"
	Batches string // TotalBatches
	Slots   []Slot
}

// SlotCache keeps the slots the EHR pushes. Implemented by store.
type SlotCache interface {
	// SavePush stores one batch (a replayed delivery changes nothing). When the last batch of a
	// push has arrived, the whole push replaces the cached slots in the time span it covers.
	SavePush(ctx context.Context, p SlotPush, now time.Time) (stored int, err error)
	// CachedSlots returns cached open slots in [start, end).
	CachedSlots(ctx context.Context, start, end time.Time) ([]Slot, error)
}

// SlotOpen reports whether a pushed slot is offered for booking. Redox says a pushed slot's
// Reason tells its availability; the vocabulary is the EHR's, so anything that reads as taken
// counts as not open and everything else as open.
func SlotOpen(reason string) bool {
	r := strings.ToLower(reason)
	for _, w := range []string{"booked", "block", "taken", "unavailable", "hold", "closed"} {
		if strings.Contains(r, w) {
			return false
		}
	}
	return true
}

// ApplyPushSlots stores a PushSlots batch and drops cached searches it touches.
func (s *Service) ApplyPushSlots(ctx context.Context, p SlotPush) (int, error) {
	if s.slotCache == nil {
		return 0, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "slot pushes are not enabled"}
	}
	n, err := s.slotCache.SavePush(ctx, p, s.now())
	if err != nil {
		return 0, err
	}
	if lo, hi, ok := SlotSpan(p.Slots); ok {
		s.Invalidate(lo, hi)
	}
	s.log.InfoContext(ctx, "slots pushed", "batch_id", p.BatchID, "batch", p.Batch, "of", p.Batches, "slots", n)
	return n, nil
}

// SlotSpan is the time from the earliest start to the latest end of slots; ok is false when
// there are none.
func SlotSpan(slots []Slot) (lo, hi time.Time, ok bool) {
	if len(slots) == 0 {
		return time.Time{}, time.Time{}, false
	}
	lo, hi = slots[0].Start, slots[0].End()
	for _, sl := range slots[1:] {
		lo, hi = minTime(lo, sl.Start), maxTime(hi, sl.End())
	}
	return lo, hi, true
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
