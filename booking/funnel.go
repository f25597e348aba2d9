package booking

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// The booking funnel: how many people searched, found no fitting time, held a time, booked,
// canceled and moved, per clinic-local day, reason, visit type and channel. The service counts
// each where it knows the outcome (Search and Week, Hold, Confirm, CancelByPatient, Reschedule,
// a Cancel from the EHR) through a Counter. Counts only: a FunnelKey names no patient,
// session, address or typed word, so neither the counts nor the page that shows them hold PHI.

// FunnelEvent is what a count counts.
type FunnelEvent string

// Funnel events. A search that found no fitting time counts as a search and as a no-fit.
const (
	EventSearch     FunnelEvent = "search"     // a person's search (once per session: see Week)
	EventNoFit      FunnelEvent = "no_fit"     // a search that found no open time
	EventHold       FunnelEvent = "hold"       // a time held
	EventBooking    FunnelEvent = "booking"    // an appointment made (requested, then booked or failed)
	EventCancel     FunnelEvent = "cancel"     // an appointment canceled
	EventReschedule FunnelEvent = "reschedule" // an appointment moved to a new time
)

// Channel is who acted: the patient online, the front desk for a caller, or the clinic in
// its EHR.
type Channel string

// Channels.
const (
	ChannelWeb    Channel = "web"    // the patient's own pages
	ChannelDesk   Channel = "desk"   // the front desk, for a caller
	ChannelClinic Channel = "clinic" // the clinic, in its EHR (a Cancel it sent us)
	ChannelKiosk  Channel = "kiosk"  // a walk-in, on an enrolled kiosk in the clinic
)

// Reason codes a count carries besides a catalogue reason id.
const (
	ReasonTyped   = "typed"   // the person typed their reason, and no catalogue reason fitted
	ReasonNone    = "none"    // no reason was asked (the desk picks a visit type)
	ReasonUnknown = "unknown" // an appointment does not keep the reason it was searched for
)

// FunnelKey is what one count is kept under.
type FunnelKey struct {
	Day       string // the clinic's date (its home location's zone), YYYY-MM-DD
	Event     FunnelEvent
	Reason    string // a catalogue reason id, or ReasonTyped, ReasonNone, ReasonUnknown
	VisitType string // a catalogue visit type code; "" when none was chosen
	Channel   Channel
}

// FunnelCount is a count under its key.
type FunnelCount struct {
	FunnelKey
	N int64
}

// Counter counts funnel events. Count is called on people's requests, so it must not wait on
// the database: Tally adds up in memory and writes every few seconds.
type Counter interface {
	Count(k FunnelKey)
}

// FunnelStore keeps the funnel's counts. Implemented by store.
type FunnelStore interface {
	// AddFunnel adds each count to the total kept under its key (creating it), all in one
	// transaction.
	AddFunnel(ctx context.Context, counts []FunnelCount) error
	// FunnelCounts returns the totals kept for the days q covers, of its reason, visit type and
	// channel when given.
	FunnelCounts(ctx context.Context, q FunnelQuery) ([]FunnelCount, error)
}

// FunnelQuery picks stored counts: the days From to To (YYYY-MM-DD, inclusive) and, when not
// empty, one reason, one visit type, one channel.
type FunnelQuery struct {
	From, To          string
	Reason, VisitType string
	Channel           Channel
}

type channelKey struct{}

// WithChannel returns ctx saying who acts in the requests it carries (ChannelWeb when not
// said): the desk's pages say ChannelDesk, and the funnel counts what they do under it.
func WithChannel(ctx context.Context, ch Channel) context.Context {
	return context.WithValue(ctx, channelKey{}, ch)
}

func channelOf(ctx context.Context) Channel {
	if ch, ok := ctx.Value(channelKey{}).(Channel); ok && ch != "" {
		return ch
	}
	return ChannelWeb
}

// count counts one event today, if the service counts.
func (s *Service) count(e FunnelEvent, reason, visitType string, ch Channel) {
	if s.counter == nil {
		return
	}
	s.counter.Count(FunnelKey{Day: s.Today().Format(time.DateOnly), Event: e, Reason: reason, VisitType: visitType, Channel: ch})
}

// reasonCode is what a count says of a reason: the catalogue id, else typed or none. It never
// carries what was typed.
func (s *Service) reasonCode(id, typed string) string {
	if _, ok := s.clinic.Reason(id); ok {
		return id
	}
	if typed != "" {
		return ReasonTyped
	}
	return ReasonNone
}

// visitTypeCode is a visit type code as counted: a catalogue code, or "".
func (s *Service) visitTypeCode(code string) string {
	if _, ok := s.clinic.VisitType(code); ok {
		return code
	}
	return ""
}

// CountSearch counts a person's search that found open times (none: a no-fit too), once per
// session and preferences, as Search and Week do for the searches they run. It is for a
// caller that answered the search from its own copy (the web's page cache): a page served
// again is still that person's look at that search.
func (s *Service) CountSearch(ctx context.Context, sessionID string, p Preferences, open int) {
	if s.counter == nil || !s.searches.first(sessionID, p, s.now()) {
		return
	}
	reason, vt, ch := s.reasonCode(p.ReasonID, p.ReasonText), s.visitTypeCode(p.VisitType), channelOf(ctx)
	s.count(EventSearch, reason, vt, ch)
	if open == 0 {
		s.count(EventNoFit, reason, vt, ch)
	}
}

// searchMemo remembers which searches each session made lately, so that looking at one answer
// again (a reload, another page of providers, the view by day) is not counted as another
// search. A booking ends a session's searches (booked): the desk, whose session books for
// caller after caller, counts the next caller's search even when it is the same. It keeps
// hashes only (of the session id and the preferences), in this process: with several
// instances behind a load balancer that does not keep a browser on one, a search looked at on
// two instances counts twice.
type searchMemo struct {
	mu     sync.Mutex
	seed   maphash.Seed
	seen   map[uint64]time.Time // when each was first counted
	epochs map[uint64]uint64    // by session hash: its bookings, part of its searches' keys
}

// Memo bounds: a search looked at again after searchMemoFor counts again (the session will
// have expired, 15 idle minutes); past searchMemoMax searches the oldest are forgotten.
const (
	searchMemoFor = 30 * time.Minute
	searchMemoMax = 100_000
)

func newSearchMemo() *searchMemo {
	return &searchMemo{seed: maphash.MakeSeed(), seen: map[uint64]time.Time{}, epochs: map[uint64]uint64{}}
}

// first reports whether session sid has not made search p in the last searchMemoFor, and
// remembers that it has now.
func (m *searchMemo) first(sid string, p Preferences, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.hash(sid, m.epochs[maphash.String(m.seed, sid)], p)
	if at, ok := m.seen[k]; ok && now.Sub(at) < searchMemoFor {
		return false
	}
	if len(m.seen) >= searchMemoMax {
		for h, at := range m.seen {
			if now.Sub(at) >= searchMemoFor {
				delete(m.seen, h)
			}
		}
		if len(m.seen) >= searchMemoMax { // all recent: a burst; forget them rather than grow
			clear(m.seen)
		}
	}
	m.seen[k] = now
	return true
}

// booked ends session sid's searches: the same search again is another one.
func (m *searchMemo) booked(sid string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.epochs) >= searchMemoMax { // forgetting one means, at worst, a search not counted
		clear(m.epochs)
	}
	m.epochs[maphash.String(m.seed, sid)]++
}

// hash is the memo's key for a session's search after epoch bookings: every field of the
// preferences, each ended by a zero byte so that no two searches run together into the same
// bytes.
func (m *searchMemo) hash(sid string, epoch uint64, p Preferences) uint64 {
	var h maphash.Hash
	h.SetSeed(m.seed)
	maphash.WriteComparable(&h, epoch)
	str := func(ss ...string) {
		for _, s := range ss {
			h.WriteString(s)
			h.WriteByte(0)
		}
	}
	str(sid, p.ReasonID, p.ReasonText, p.VisitType, p.From, p.To, p.Who, p.Specialty, p.Speaks)
	for _, d := range p.Days {
		h.WriteByte(byte(d))
	}
	h.WriteByte(0)
	for _, b := range p.Bands {
		str(string(b))
	}
	h.WriteByte(1)
	str(p.Providers...)
	h.WriteByte(1)
	str(p.Locations...)
	return h.Sum64()
}

// liveBeforeCancel returns the Doorway appointment a Cancel from the EHR is about, when it is
// still live here: then the clinic canceled it (the EHR's echo of a cancel made here finds
// it canceled already). Only when counting: it costs a read per inbound Cancel.
func (s *Service) liveBeforeCancel(ctx context.Context, n Notification) (Appointment, bool) {
	if s.counter == nil || n.Event != "Cancel" || n.Appointment.VisitNumber == "" {
		return Appointment{}, false
	}
	a, err := s.appts.Appointment(ctx, n.Appointment.VisitNumber)
	if err != nil || (a.Status != StatusBooked && a.Status != StatusRequested) {
		return Appointment{}, false
	}
	return a, true
}

// countClinicCancel counts the clinic's cancel of a, a live appointment before the EHR's
// Cancel was applied, once it is canceled here.
func (s *Service) countClinicCancel(ctx context.Context, a Appointment) {
	if now, err := s.appts.Appointment(ctx, a.VisitNumber); err == nil && now.Status == StatusCanceled {
		s.count(EventCancel, ReasonUnknown, s.visitTypeCode(a.VisitType.Code), ChannelClinic)
	}
}
