package booking

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// Service searches, holds, books and cancels. It is safe for concurrent use.
type Service struct {
	clinic      *Clinic
	ehr         EHR
	holds       HoldStore
	appts       AppointmentStore
	mirror      MirrorStore
	manage      ManageStore
	staff       StaffStore
	slotCache   SlotCache
	deadLetters DeadLetterStore
	notifier    Notifier
	mail        MailStore
	emails      emailCounts
	counter     Counter
	searches    *searchMemo
	now         func() time.Time
	holdFor     time.Duration
	log         *slog.Logger
	cache       *searchCache
	prefix      string
	// holdsPerClient is Config.HoldsPerClient with its default (0: no cap).
	holdsPerClient int
	gen            atomic.Uint64 // see Generation
	activity       atomic.Uint64 // see Activity
}

// Config wires a Service.
type Config struct {
	Clinic       *Clinic
	EHR          EHR
	Holds        HoldStore
	Appointments AppointmentStore
	Mirror       MirrorStore // optional: the EHR schedule mirror fed by notifications
	Manage       ManageStore // optional: finding, canceling and moving appointments
	Staff        StaffStore  // optional: front desk accounts
	SlotCache    SlotCache   // optional: slots the EHR pushes (PushSlots)
	Counter      Counter     // optional: counts the booking funnel (a *Tally over the store)
	// DeadLetters keeps deliveries that cannot be applied (Deliver). Optional: without it
	// Deliver answers such a delivery CodeUnavailable, so the sender keeps it and retries.
	DeadLetters DeadLetterStore
	// Notifier sends the patients' emails and Mail keeps their queue (both optional: without
	// them no email is queued or sent).
	Notifier     Notifier
	Mail         MailStore
	Logger       *slog.Logger
	Now          func() time.Time // default time.Now
	HoldFor      time.Duration    // default 10 minutes
	CacheFor     time.Duration    // search results cache; default 5 seconds, negative disables
	QueryTimeout time.Duration    // bounds one AvailableSlots call; default 30 s, at most MaxQueryTimeout
	// HoldsPerClient caps the live holds one client (WithClient) keeps across its sessions;
	// default DefaultHoldsPerClient, negative for no cap.
	HoldsPerClient int
	VisitPrefix    string // visit number prefix; default "DW"
}

// NewService builds the service.
func NewService(cfg Config) *Service {
	s := &Service{clinic: cfg.Clinic, ehr: cfg.EHR, holds: cfg.Holds, appts: cfg.Appointments, mirror: cfg.Mirror, manage: cfg.Manage, staff: cfg.Staff,
		slotCache: cfg.SlotCache, deadLetters: cfg.DeadLetters, notifier: cfg.Notifier, mail: cfg.Mail,
		counter: cfg.Counter, searches: newSearchMemo(),
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
	s.cache = newSearchCache(ttl, QueryTimeout(cfg.QueryTimeout), s.now)
	s.cache.onAnswer = s.newAnswer
	s.holdsPerClient = cmp.Or(cfg.HoldsPerClient, DefaultHoldsPerClient)
	if s.holdsPerClient < 0 {
		s.holdsPerClient = 0
	}
	return s
}

// DefaultHoldsPerClient is how many times one client may hold at once across its sessions:
// a family booking in a few tabs, not a script hoarding the schedule.
const DefaultHoldsPerClient = 5

type clientKey struct{}

// WithClient returns ctx naming the client a request comes from (its address), for the
// per-client hold cap.
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

func clientOf(ctx context.Context) string { c, _ := ctx.Value(clientKey{}).(string); return c }

// Redox's budget for a synchronous query, and Doorway's default share of it.
const (
	DefaultQueryTimeout = 30 * time.Second
	MaxQueryTimeout     = 120 * time.Second
)

// QueryTimeout is d as a query timeout: the default for 0, at most MaxQueryTimeout.
func QueryTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultQueryTimeout
	}
	return min(d, MaxQueryTimeout)
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
// catalogue, hiding times held by other sessions or booked here, and times sooner than the
// lead time or later than the horizon, earliest first. The front desk lifts the rules it may
// bend (see Rule): lift names them; lifting RuleDoubleBook adds the times already booked that
// the visit type may be double-booked on (withBooked). Identical concurrent searches share
// one EHR call; answers are cached for a few seconds and dropped by Invalidate. The search
// counts in the funnel, once per session (CountSearch).
func (s *Service) Search(ctx context.Context, p Preferences, sessionID string, lift ...Rule) (SearchResult, error) {
	res, err := s.find(ctx, p, sessionID, lift...)
	if err != nil {
		return SearchResult{}, err
	}
	s.CountSearch(ctx, sessionID, p, len(res.Slots))
	return res, nil
}

// find is Search without counting: the searches the service makes for its own ends (a hold
// checking its time, the nearest times, the desk's day).
func (s *Service) find(ctx context.Context, p Preferences, sessionID string, lift ...Rule) (SearchResult, error) {
	if err := s.selfBookable(p, lift); err != nil {
		return SearchResult{}, err
	}
	q, err := p.Query(s.clinic)
	if err != nil {
		return SearchResult{}, err
	}
	return s.search(ctx, q, sessionID, lift)
}

// selfBookable refuses a visit type patients cannot book, unless the desk lifts the rule.
func (s *Service) selfBookable(p Preferences, lift []Rule) error {
	if vt, ok := s.clinic.VisitType(p.VisitType); ok && !vt.SelfBook && !lifts(lift, RuleSelfBook) {
		return Invalid("visit_type", MsgVisitTypeUnknown)
	}
	return nil
}

// search runs q and filters its answer as Search describes, but for the query's window only.
func (s *Service) search(ctx context.Context, q SlotQuery, sessionID string, lift []Rule) (SearchResult, error) {
	if err := q.Validate(); err != nil {
		return SearchResult{}, err
	}
	page, fromPush, err := s.fetch(ctx, q)
	if err != nil {
		return SearchResult{}, err
	}
	u, err := s.unavailable(ctx, q.Start, queryEnd(q), sessionID, lift)
	if err != nil {
		return SearchResult{}, err
	}
	slots := s.available(page.Slots, u)
	if lifts(lift, RuleDoubleBook) {
		if slots, err = s.withBooked(ctx, q, slots, u); err != nil {
			return SearchResult{}, err
		}
	}
	return SearchResult{Query: q, Slots: slots, Incomplete: page.Incomplete, FromPush: fromPush}, nil
}

func queryEnd(q SlotQuery) time.Time {
	if q.End.IsZero() {
		return q.Start.Add(MaxWindow)
	}
	return q.End
}

// fetch asks the EHR for q, through the cache, and returns its answer cleaned (see clean).
// When the EHR is down it offers what the EHR last pushed, if anything: booking still goes
// through the outbox and the EHR has the final word. The slots are shared with the cache and
// other requests: read them, never modify them.
func (s *Service) fetch(ctx context.Context, q SlotQuery) (page SlotPage, fromPush bool, err error) {
	page, err = s.cache.get(ctx, q, func(ctx context.Context) (SlotPage, error) {
		page, err := s.ehr.AvailableSlots(ctx, q)
		page.Slots = s.clean(page.Slots, q)
		return page, err
	})
	if ErrorCode(err) == CodeUnavailable && s.slotCache != nil {
		if cached, cerr := s.slotCache.CachedSlots(ctx, q.Start, queryEnd(q)); cerr == nil && len(cached) > 0 {
			return SlotPage{Slots: s.clean(cached, q)}, true, nil
		}
	}
	return page, false, err
}

// unavailable is what Doorway knows is not free in [start, end): times held by other
// sessions or booked here, and the EHR's busy time from its notifications; and what patients
// may not book: times sooner than the lead time or later than the horizon, unless lifted.
func (s *Service) unavailable(ctx context.Context, start, end time.Time, sessionID string, lift []Rule) (unavailable, error) {
	now := s.now()
	keys, err := s.holds.TakenKeys(ctx, start, end, sessionID, now)
	if err != nil {
		return unavailable{}, err
	}
	u := unavailable{earliest: now.Add(s.clinic.Lead()), latest: now.Add(s.clinic.Horizon())}
	if lifts(lift, RuleLeadTime) {
		u.earliest = now
	}
	if lifts(lift, RuleHorizon) {
		u.latest = now.AddDate(0, 0, MaxAheadDays+1)
	}
	if len(keys) > 0 {
		u.taken = make(map[slotKey]bool, len(keys))
		for k := range keys {
			// A double-book's seat takes its time too: the visit it joined may be canceled.
			base, double := strings.CutSuffix(k, DoubleSeat)
			u.taken[parseKey(base)] = true
			if double {
				if u.seats == nil {
					u.seats = map[slotKey]bool{}
				}
				u.seats[parseKey(base)] = true
			}
		}
	}
	if s.mirror != nil {
		busy, err := s.mirror.BusyIntervals(ctx, start, end)
		if err != nil {
			return unavailable{}, err
		}
		for _, b := range busy {
			if u.busy == nil {
				u.busy = map[string][]Interval{}
			}
			u.busy[b.ProviderID] = append(u.busy[b.ProviderID], b)
		}
	}
	return u, nil
}

// unavailable is what a search must not offer: times before earliest or from latest on,
// taken times, and the providers' busy time; and, to double-book, the times already
// double-booked or being double-booked (seats).
type unavailable struct {
	earliest time.Time
	latest   time.Time
	taken    map[slotKey]bool
	busy     map[string][]Interval // by provider
	seats    map[slotKey]bool
}

// slotKey is Slot.Key as a comparable value: looked up for every slot of every search
// without building a string.
type slotKey struct {
	provider, department string
	start                int64
}

func (s Slot) key() slotKey { return slotKey{s.Provider.ID, s.Location.Department, s.Start.Unix()} }

func parseKey(k string) slotKey {
	provider, rest, _ := strings.Cut(k, "|")
	department, _, _ := strings.Cut(rest, "|")
	return slotKey{provider, department, keyTime(k).Unix()}
}

// clean is the EHR's answer to q as Doorway offers it: at catalogue locations, by catalogue
// providers, accepted by q's preferences (the EHR may ignore them) and on its clinic-local
// dates, without duplicates, earliest first. It runs once per EHR answer: the cache keeps the
// result.
func (s *Service) clean(slots []Slot, q SlotQuery) []Slot {
	seen := make(map[slotKey]bool, len(slots))
	out := make([]Slot, 0, len(slots))
	for _, sl := range slots {
		loc, ok := s.clinic.LocationByDepartment(sl.Location.Facility, sl.Location.Department)
		if !ok || seen[sl.key()] || !q.Matches(sl, loc.Zone()) || !q.OnDates(sl, loc.Zone()) {
			continue
		}
		if _, ok := s.clinic.Provider(sl.Provider.ID); !ok {
			continue
		}
		seen[sl.key()] = true
		sl.Location.ID = loc.ID
		out = append(out, sl)
	}
	slices.SortStableFunc(out, func(a, b Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Provider.ID, b.Provider.ID))
	})
	return slices.Clip(out)
}

// available is the cleaned slots (earliest first) that u leaves open: inside its window, not
// taken or busy. The window cuts the front and the back; the rest is checked only when
// something is taken or busy, and copied only when something is removed.
func (s *Service) available(slots []Slot, u unavailable) []Slot {
	slots = slots[sort.Search(len(slots), func(i int) bool { return !slots[i].Start.Before(u.earliest) }):]
	slots = slots[:sort.Search(len(slots), func(i int) bool { return !slots[i].Start.Before(u.latest) })]
	if len(u.taken) == 0 && len(u.busy) == 0 {
		return slots
	}
	return keepIf(slots, func(sl Slot) bool { return !u.taken[sl.key()] && !overlapsAny(sl, u.busy[sl.Provider.ID]) })
}

// keepIf is the slots ok accepts, in order: slots itself when it accepts them all, else a new
// slice. slots is never modified (it may be shared with the search cache).
func keepIf(slots []Slot, ok func(Slot) bool) []Slot {
	for i, sl := range slots {
		if ok(sl) {
			continue
		}
		out := slices.Clone(slots[:i])
		for _, sl := range slots[i+1:] {
			if ok(sl) {
				out = append(out, sl)
			}
		}
		return out
	}
	return slots
}

// Invalidate drops cached search results overlapping [start, end), e.g. after a notification.
func (s *Service) Invalidate(start, end time.Time) {
	s.cache.invalidate(start, end)
	s.changed()
}

// Generation counts the changes to what this instance offers: a hold made or let go, a
// booking, a cancel or move, an EHR answer or notification. A page built from a search is
// current while the generation is the same (and for a moment only: other instances' holds
// and the clock are not counted).
func (s *Service) Generation() uint64 { return s.gen.Load() }

// Activity counts the changes to what is held and booked here (a hold, a booking, a cancel, a
// move, an EHR notification), not new EHR answers: what the desk's day view shows changing.
func (s *Service) Activity() uint64 { return s.activity.Load() }

// changed records a change to what is held or booked.
func (s *Service) changed() {
	s.gen.Add(1)
	s.activity.Add(1)
}

// newAnswer records a new EHR answer kept by the search cache.
func (s *Service) newAnswer() { s.gen.Add(1) }

// Hold reserves the slot with key for sessionID. The slot must be in the current answer to p
// (a patient cannot hold a time the EHR did not offer, nor one outside their own search): the
// EHR is asked for that provider on that day, which no cap can cut short. When the time is
// gone or taken, the error is ErrSlotTaken and alts holds the nearest open times that day.
// lift lifts rules for the front desk, as in Search.
func (s *Service) Hold(ctx context.Context, sessionID string, p Preferences, key string, lift ...Rule) (h Hold, alts []Slot, err error) {
	day, ok := s.dayOf(p, key)
	if !ok {
		return Hold{}, nil, Invalid("slot", MsgSlotUnknown)
	}
	narrow := day
	narrow.Providers, narrow.Who, narrow.Specialty, narrow.Speaks = []string{keyProvider(key)}, "", "", ""
	res, err := s.find(ctx, narrow, sessionID, lift...)
	if err != nil {
		return Hold{}, nil, err
	}
	i := slices.IndexFunc(res.Slots, func(sl Slot) bool { return sl.Key() == key })
	if i < 0 {
		return Hold{}, s.nearest(ctx, day, sessionID, key, lift), Fail(CodeSlotTaken, MsgSlotTaken)
	}
	now := s.now()
	h = Hold{ID: NewID("H"), SessionID: sessionID, Slot: res.Slots[i], CreatedAt: now, ExpiresAt: now.Add(s.holdFor),
		Client: clientOf(ctx), ClientCap: s.holdsPerClient}
	if err := s.holds.PutHold(ctx, h, now); err != nil {
		if ErrorCode(err) == CodeSlotTaken {
			return Hold{}, s.nearest(ctx, day, sessionID, key, lift), Fail(CodeSlotTaken, MsgSlotHeld)
		}
		return Hold{}, nil, err
	}
	s.changed()
	s.count(EventHold, s.reasonCode(p.ReasonID, p.ReasonText), s.visitTypeCode(p.VisitType), channelOf(ctx))
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
func (s *Service) nearest(ctx context.Context, day Preferences, sessionID, key string, lift []Rule) []Slot {
	res, err := s.find(ctx, day, sessionID, lift...)
	if err != nil {
		return nil
	}
	return Nearest(keepIf(res.Slots, func(sl Slot) bool { return sl.Key() != key }), key, 3)
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
	defer s.changed()
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
