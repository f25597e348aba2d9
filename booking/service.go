package booking

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Service searches, holds, books and cancels. It is safe for concurrent use.
type Service struct {
	clinic    *Clinic
	ehr       EHR
	holds     HoldStore
	appts     AppointmentStore
	mirror    MirrorStore
	slotCache SlotCache
	now       func() time.Time
	holdFor   time.Duration
	log       *slog.Logger
	cache     *searchCache
	prefix    string
}

// Config wires a Service.
type Config struct {
	Clinic       *Clinic
	EHR          EHR
	Holds        HoldStore
	Appointments AppointmentStore
	Mirror       MirrorStore // optional: the EHR schedule mirror fed by notifications
	SlotCache    SlotCache   // optional: slots the EHR pushes (PushSlots)
	Logger       *slog.Logger
	Now          func() time.Time // default time.Now
	HoldFor      time.Duration    // default 10 minutes
	CacheFor     time.Duration    // search results cache; default 5 seconds, negative disables
	VisitPrefix  string           // visit number prefix; default "DW"
}

// NewService builds the service.
func NewService(cfg Config) *Service {
	s := &Service{clinic: cfg.Clinic, ehr: cfg.EHR, holds: cfg.Holds, appts: cfg.Appointments, mirror: cfg.Mirror, slotCache: cfg.SlotCache,
		now: cfg.Now, holdFor: cfg.HoldFor, log: cfg.Logger, prefix: cmp.Or(cfg.VisitPrefix, "DW")}
	if s.now == nil {
		s.now = time.Now
	}
	if s.holdFor <= 0 {
		s.holdFor = 10 * time.Minute
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	ttl := cfg.CacheFor
	if ttl == 0 {
		ttl = 5 * time.Second
	}
	s.cache = newSearchCache(ttl, s.now)
	return s
}

// Clinic is the catalogue the service books for.
func (s *Service) Clinic() *Clinic { return s.clinic }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Today is the clinic's current date: midnight in its home location's zone.
func (s *Service) Today() time.Time { return s.clinic.Today(s.now()) }

// HoldDuration is how long a hold lasts without activity.
func (s *Service) HoldDuration() time.Duration { return s.holdFor }

// SearchResult is what the open-times page shows.
type SearchResult struct {
	Query      SlotQuery
	Slots      []Slot // earliest first
	Incomplete bool   // the EHR capped its answer: narrow the search
	FromPush   bool   // the EHR was unreachable; these are the times it last pushed
}

// Search finds the open times for p: one AvailableSlots query carrying every preference
// (Preferences.Query), whose answer is then held to the preferences (the EHR may ignore
// them) and to the chosen clinic-local dates, keeping only self-bookable times in the
// catalogue, hiding times held by other sessions or booked here, earliest first. Identical
// concurrent searches share one EHR call; answers are cached for a few seconds and dropped
// by Invalidate.
func (s *Service) Search(ctx context.Context, p Preferences, sessionID string) (SearchResult, error) {
	q, err := p.Query(s.clinic)
	if err != nil {
		return SearchResult{}, err
	}
	res, err := s.search(ctx, q, sessionID)
	if err != nil {
		return SearchResult{}, err
	}
	res.Slots = slices.DeleteFunc(res.Slots, func(sl Slot) bool { return !p.OnDates(s.clinic, sl) })
	return res, nil
}

// search runs q and filters its answer as Search describes, but for the query's window only.
func (s *Service) search(ctx context.Context, q SlotQuery, sessionID string) (SearchResult, error) {
	if err := q.Validate(); err != nil {
		return SearchResult{}, err
	}
	page, fromPush, err := s.fetch(ctx, q)
	if err != nil {
		return SearchResult{}, err
	}
	taken, busy, err := s.unavailable(ctx, q.Start, queryEnd(q), sessionID)
	if err != nil {
		return SearchResult{}, err
	}
	return SearchResult{Query: q, Slots: s.keep(page.Slots, q, taken, busy), Incomplete: page.Incomplete, FromPush: fromPush}, nil
}

func queryEnd(q SlotQuery) time.Time {
	if q.End.IsZero() {
		return q.Start.Add(MaxWindow)
	}
	return q.End
}

// fetch asks the EHR for q, through the cache. When the EHR is down it offers what the EHR
// last pushed, if anything: booking still goes through the outbox and the EHR has the final
// word.
func (s *Service) fetch(ctx context.Context, q SlotQuery) (page SlotPage, fromPush bool, err error) {
	page, err = s.cache.get(ctx, q, func(ctx context.Context) (SlotPage, error) { return s.ehr.AvailableSlots(ctx, q) })
	if ErrorCode(err) == CodeUnavailable && s.slotCache != nil {
		if cached, cerr := s.slotCache.CachedSlots(ctx, q.Start, queryEnd(q)); cerr == nil && len(cached) > 0 {
			return SlotPage{Slots: cached}, true, nil
		}
	}
	return page, false, err
}

// unavailable is what Doorway knows is not free in [start, end): times held by other
// sessions or booked here (by slot key), and the EHR's busy time from its notifications.
func (s *Service) unavailable(ctx context.Context, start, end time.Time, sessionID string) (map[string]bool, []Interval, error) {
	taken, err := s.holds.TakenKeys(ctx, start, end, sessionID, s.now())
	if err != nil {
		return nil, nil, err
	}
	var busy []Interval
	if s.mirror != nil {
		if busy, err = s.mirror.BusyIntervals(ctx, start, end); err != nil {
			return nil, nil, err
		}
	}
	return taken, busy, nil
}

// keep is the EHR's slots that q's preferences accept at catalogue locations and providers,
// not in the past, taken or busy, without duplicates, earliest first.
func (s *Service) keep(slots []Slot, q SlotQuery, taken map[string]bool, busy []Interval) []Slot {
	earliest := s.now()
	seen := map[string]bool{}
	out := make([]Slot, 0, len(slots))
	for _, sl := range slots {
		loc, ok := s.clinic.LocationByDepartment(sl.Location.Facility, sl.Location.Department)
		if !ok || sl.Start.Before(earliest) || taken[sl.Key()] || seen[sl.Key()] || overlapsAny(sl, busy) || !q.Matches(sl, loc.Zone()) {
			continue
		}
		if _, ok := s.clinic.Provider(sl.Provider.ID); !ok {
			continue
		}
		seen[sl.Key()] = true
		sl.Location.ID = loc.ID
		out = append(out, sl)
	}
	slices.SortStableFunc(out, func(a, b Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Provider.ID, b.Provider.ID))
	})
	return out
}

// Invalidate drops cached search results overlapping [start, end), e.g. after a notification.
func (s *Service) Invalidate(start, end time.Time) { s.cache.invalidate(start, end) }

// Hold reserves the slot with key for sessionID. The slot must be in the current answer to p
// (a patient cannot hold a time the EHR did not offer, nor one outside their own search): the
// EHR is asked for that provider on that day, which no cap can cut short. When the time is
// gone or taken, the error is ErrSlotTaken and alts holds the nearest open times that day.
func (s *Service) Hold(ctx context.Context, sessionID string, p Preferences, key string) (h Hold, alts []Slot, err error) {
	day, ok := s.dayOf(p, key)
	if !ok {
		return Hold{}, nil, Invalid("slot", MsgSlotUnknown)
	}
	narrow := day
	narrow.Providers, narrow.Who, narrow.Specialty, narrow.Speaks = []string{keyProvider(key)}, "", "", ""
	res, err := s.Search(ctx, narrow, sessionID)
	if err != nil {
		return Hold{}, nil, err
	}
	i := slices.IndexFunc(res.Slots, func(sl Slot) bool { return sl.Key() == key })
	if i < 0 {
		return Hold{}, s.nearest(ctx, day, sessionID, key), Fail(CodeSlotTaken, MsgSlotTaken)
	}
	now := s.now()
	h = Hold{ID: NewID("H"), SessionID: sessionID, Slot: res.Slots[i], CreatedAt: now, ExpiresAt: now.Add(s.holdFor)}
	if err := s.holds.PutHold(ctx, h, now); err != nil {
		if ErrorCode(err) == CodeSlotTaken {
			return Hold{}, s.nearest(ctx, day, sessionID, key), Fail(CodeSlotTaken, MsgSlotHeld)
		}
		return Hold{}, nil, err
	}
	s.log.InfoContext(ctx, "slot held", "hold_id", h.ID, "provider_id", h.Slot.Provider.ID, "start", h.Slot.Start)
	return h, nil, nil
}

// dayOf is p narrowed to the clinic-local date of the slot with key, when the slot is at a
// catalogue location, by a provider p allows, on one of p's dates.
func (s *Service) dayOf(p Preferences, key string) (Preferences, bool) {
	parts := strings.Split(key, "|")
	if len(parts) != 3 {
		return p, false
	}
	loc, ok := s.clinic.LocationByDepartment("", parts[1])
	if !ok || (len(p.Providers) > 0 && !slices.Contains(p.Providers, parts[0])) {
		return p, false
	}
	d := keyTime(key).In(loc.Zone()).Format(time.DateOnly)
	if d < p.From || d > p.To {
		return p, false
	}
	p.From, p.To = d, d
	return p, true
}

func keyProvider(key string) string { p, _, _ := strings.Cut(key, "|"); return p }

// nearest are up to three open times of day closest to the one with key, other than it.
func (s *Service) nearest(ctx context.Context, day Preferences, sessionID, key string) []Slot {
	res, err := s.Search(ctx, day, sessionID)
	if err != nil {
		return nil
	}
	return Nearest(slices.DeleteFunc(res.Slots, func(sl Slot) bool { return sl.Key() == key }), key, 3)
}

// CurrentHold returns the session's live hold. With renew (the patient submitted a form of
// the booking: real activity), it runs for another hold period; looking at a page does not
// keep a time held, so a script reloading pages cannot keep times from other patients.
func (s *Service) CurrentHold(ctx context.Context, sessionID string, renew bool) (Hold, error) {
	now := s.now()
	var h Hold
	var err error
	if renew {
		h, err = s.holds.RenewHold(ctx, sessionID, now.Add(s.holdFor), now)
	} else {
		h, err = s.holds.SessionHold(ctx, sessionID, now)
	}
	if err != nil && ErrorCode(err) == CodeNotFound {
		return Hold{}, Fail(CodeNotFound, MsgHoldExpired)
	}
	return h, err
}

// ReleaseHold lets go of the session's hold.
func (s *Service) ReleaseHold(ctx context.Context, sessionID string) error {
	return s.holds.ReleaseHold(ctx, sessionID)
}

// Nearest returns up to n slots from slots closest in time to the slot with key (whose start
// is encoded in the key), earliest first.
func Nearest(slots []Slot, key string, n int) []Slot {
	at := keyTime(key)
	c := slices.Clone(slots)
	slices.SortStableFunc(c, func(a, b Slot) int {
		return cmp.Compare(absDur(a.Start.Sub(at)), absDur(b.Start.Sub(at)))
	})
	c = c[:min(n, len(c))]
	slices.SortFunc(c, func(a, b Slot) int { return a.Start.Compare(b.Start) })
	return c
}

func keyTime(key string) time.Time {
	i := strings.LastIndexByte(key, '|')
	var sec int64
	for _, r := range key[i+1:] {
		if r < '0' || r > '9' {
			return time.Time{}
		}
		sec = sec*10 + int64(r-'0')
	}
	return time.Unix(sec, 0)
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// NewID returns a short random unique id with a prefix, e.g. "DW-7K3QX9P2MZ".
func NewID(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + "-" + strings.TrimRight(base32.StdEncoding.EncodeToString(b), "=")[:12]
}
