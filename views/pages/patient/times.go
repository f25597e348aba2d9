package patient

import (
	"strconv"
	"time"

	"doorway/booking"
	"doorway/views/i18n"
)

// Result views of the open-times page.
const (
	ByDay      = "day"
	ByProvider = "provider"
	ByLocation = "location"
)

// MaxShown caps the open times on one page; more means "narrow your search".
const MaxShown = 300

// TimesPage is step 4: the open times for the patient's whole choice.
type TimesPage struct {
	Page
	View         string
	Searched     string // what was searched, in words
	ZoneNote     string // "All times are Central time." when every time shares one zone
	Soonest      *Soonest
	Sections     []Section
	Total        int  // open times found
	Shown        int  // open times on the page
	Incomplete   bool // the EHR capped its answer, or the page did
	FromPush     bool // the EHR is down: these are the times it last pushed
	Notice       string
	Alternatives []Alternative
	Held         string // the time this session already holds, in words
	Empty        *Empty
}

// Soonest is the earliest open time, offered first.
type Soonest struct {
	Ref, When, Who string
}

// Section is one heading of results: a day, a provider or a location.
type Section struct {
	ID, Title, Note string
	Groups          []Group
}

// Group is the times under one sub-heading.
type Group struct {
	ID, Label string
	Times     []Time
}

// Time is one open time: a submit button carrying the slot's reference.
type Time struct {
	Ref, Label string
}

// Alternative is a nearby time offered when the picked one was taken.
type Alternative struct {
	Ref, Label string
}

// Empty explains why nothing was found and offers one-tap widenings.
type Empty struct {
	Why   string
	Widen []Widening
}

// Widening is one way to widen the search.
type Widening struct {
	Value, Label string
}

// TimesOf is what the open-times page shows besides the search's answer.
type TimesOf struct {
	View   string         // ByDay, ByProvider or ByLocation
	Notice booking.Msg    // shown once: why the patient is back here
	Alts   []booking.Slot // nearest open times after a taken one
	Held   *booking.Slot  // the time this session holds
	Today  time.Time      // the clinic's date: how much later a search may go
	Ref    func(booking.Slot) string
}

// NewTimesPage builds the open-times page for the answer to prefs.
func NewTimesPage(page Page, m *i18n.Messages, c *booking.Clinic, prefs booking.Preferences, res booking.SearchResult, t TimesOf) TimesPage {
	view := t.View
	if view != ByProvider && view != ByLocation {
		view = ByDay
	}
	p := TimesPage{Page: page, View: view, Searched: m.Times.Searched(SearchWords(m, c, prefs)),
		Total: len(res.Slots), Shown: min(len(res.Slots), MaxShown), FromPush: res.FromPush}
	if t.Notice != "" {
		p.Notice = m.Problem(t.Notice, 409)
	}
	p.Incomplete = res.Incomplete || len(res.Slots) > MaxShown
	p.Sections, p.ZoneNote = groupSlots(m, c, res.Slots, view, MaxShown, t.Ref)
	for _, a := range t.Alts {
		when, who := Describe(m, c, a)
		p.Alternatives = append(p.Alternatives, Alternative{Ref: t.Ref(a), Label: when + ", " + who})
	}
	if t.Held != nil {
		p.Held, _ = Describe(m, c, *t.Held)
	}
	if len(res.Slots) == 0 {
		p.Empty = emptyTimes(m, c, prefs, t.Today)
	} else {
		when, who := Describe(m, c, res.Slots[0])
		p.Soonest = &Soonest{Ref: t.Ref(res.Slots[0]), When: when, Who: who}
	}
	return p
}

// SearchWords are the parts of a search in the page's language.
func SearchWords(m *i18n.Messages, c *booking.Clinic, p booking.Preferences) i18n.Search {
	vt, _ := c.VisitType(p.VisitType)
	s := i18n.Search{VisitType: vt.Name.In(m.Lang), Length: m.Format.Minutes(vt.Minutes),
		From: shortDate(m, p.From), To: shortDate(m, p.To), Days: p.Days, Bands: p.Bands}
	for _, id := range p.Providers {
		if pr, ok := c.Provider(id); ok {
			s.Providers = append(s.Providers, pr.DisplayName())
		}
	}
	for _, id := range p.Locations {
		if l, ok := c.Location(id); ok {
			s.Locations = append(s.Locations, l.Name)
		}
	}
	return s
}

func shortDate(m *i18n.Messages, d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return m.Format.ShortDay(t)
}

// emptyTimes says why nothing was found and offers every widening that applies.
func emptyTimes(m *i18n.Messages, c *booking.Clinic, p booking.Preferences, today time.Time) *Empty {
	e := &Empty{Why: m.Times.None(SearchWords(m, c, p))}
	for _, w := range p.Widenings(today) {
		e.Widen = append(e.Widen, Widening{Value: string(w), Label: m.Times.Widen[w]})
	}
	return e
}

// ViewLink is one of the "by day / by provider / by location" links.
type ViewLink struct {
	View, Label string
	Current     bool
}

// ViewLinks lists the result views, marking the current one.
func (p TimesPage) ViewLinks(m *i18n.Messages) []ViewLink {
	return []ViewLink{
		{ByDay, m.Times.ByDay, p.View == ByDay},
		{ByProvider, m.Times.ByProvider, p.View == ByProvider},
		{ByLocation, m.Times.ByLocation, p.View == ByLocation},
	}
}

// Describe is a slot in words: "Tuesday, March 4, 9:30 AM (Central time)" and who and where.
func Describe(m *i18n.Messages, c *booking.Clinic, s booking.Slot) (when, who string) {
	loc := c.LocationOf(s.Location)
	prov, _ := c.Provider(s.Provider.ID)
	local := s.Start.In(loc.Zone())
	return m.Format.Day(local) + ", " + m.Format.Clock(local) + " (" + m.Format.Zone(loc.TimeZone) + ")",
		prov.DisplayName() + ", " + loc.Name
}

func itoa(i int) string { return strconv.Itoa(i) }
