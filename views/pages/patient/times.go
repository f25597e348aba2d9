package patient

import (
	"net/url"
	"strconv"
	"time"

	"doorway/booking"
	"doorway/views/i18n"
)

// Result views of the open-times page.
const (
	ByProvider = "provider" // a week at a glance, a row per provider (the default)
	ByDay      = "day"
	ByLocation = "location"
)

// Caps on one page of open times, so it stays short on a phone and small on the wire: the
// week at a glance shows PerPage providers with CellTimes times a day each; the views by day
// and by location show GroupTimes times for GroupsShown providers a day (by location,
// LocationsPerPage clinics a page). "More" links lead to every time of one provider
// (FocusTimes a day, and then every time of that day), of one day (DayGroups providers a
// page, FocusTimes each) or of one clinic (arranged by day). Every page stays a few hundred
// buttons at most, with 200 providers too.
const (
	PerPage          = 4
	CellTimes        = 3
	FocusTimes       = 12 // a day's times in the view of one provider's week, or of one day
	GroupTimes       = 4
	GroupsShown      = 6
	DayGroups        = 10 // providers a page in the view of one day
	LocationsPerPage = 4
)

// TimesView is how the open times are arranged: the page's address says it, so each
// arrangement can be linked to and opened without JavaScript.
type TimesView struct {
	View     string // ByProvider, ByDay or ByLocation
	Page     int    // the page of providers, from 0
	Provider string // every time of this provider
	Day      string // every time on this date
	Location string // only this clinic's times
}

// ParseTimesView reads the view from the page's query string.
func ParseTimesView(q url.Values) TimesView {
	v := TimesView{View: q.Get("view"), Provider: q.Get("p"), Day: q.Get("day"), Location: q.Get("loc")}
	if v.View != ByDay && v.View != ByLocation {
		v.View = ByProvider
	}
	v.Page, _ = strconv.Atoi(q.Get("page"))
	v.Page = max(v.Page-1, 0) // the address counts pages from 1
	return v
}

// URL is the address of the view.
func (v TimesView) URL() string {
	q := url.Values{}
	if v.View != ByProvider && v.View != "" {
		q.Set("view", v.View)
	}
	if v.Page > 0 {
		q.Set("page", strconv.Itoa(v.Page+1))
	}
	if v.Provider != "" {
		q.Set("p", v.Provider)
	}
	if v.Day != "" {
		q.Set("day", v.Day)
	}
	if v.Location != "" {
		q.Set("loc", v.Location)
	}
	if len(q) == 0 {
		return "/times"
	}
	return "/times?" + q.Encode()
}

// Focused reports whether the view shows every time of one provider, one day or one clinic.
func (v TimesView) Focused() bool { return v.Provider != "" || v.Day != "" || v.Location != "" }

// TimesPage is the open times for the patient's whole choice.
type TimesPage struct {
	Page
	View         TimesView
	Searched     string // what was searched, in words
	Filters      FilterForm
	ZoneNote     string
	Total        int  // open times found
	AtLeast      bool // and more: the EHR capped some days' answers
	Soonest      *Soonest
	Rows         []ProviderRow // the week at a glance
	Dates        []string      // its column heads, short days
	Sections     []Section     // by day or by location
	Paging       *Paging
	PrevWeek     bool // "Earlier" can go back (the week does not start today)
	NextWeek     bool
	Focus        string // the heading of a view of every time of one provider or day
	Incomplete   bool
	FromPush     bool
	Notice       string
	Alternatives []Alternative
	Held         string // the time this session already holds, in words
	Moving       string // the note when the patient is moving an appointment
	Empty        *Empty
}

// Soonest is the earliest open time, offered first.
type Soonest struct {
	Ref, When, Who string
}

// ProviderRow is one provider in the week at a glance.
type ProviderRow struct {
	ID, Name, Initials, Specialty, Speaks, Where string
	Cells                                        []Cell
}

// Cell is one day of a provider row: its first times and how many more.
type Cell struct {
	ID, Label string  // the day, short
	Places    []Place // the times, by clinic
	More      int
	MoreURL   string
}

// Place is a cell's times at one clinic; Where names it when the provider works at several.
type Place struct {
	Where string
	Times []Time
}

// Section is one heading of results: a day or a location.
type Section struct {
	ID, Title, Note string
	Groups          []Group
	More            int    // providers not shown
	MoreURL         string // where the rest is
	MoreLabel       string // the link's words
	all             string // the view of every time under this heading
}

// Group is the times under one sub-heading.
type Group struct {
	ID, Label string
	Times     []Time
	More      int
	MoreURL   string
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

// Paging moves between pages of providers or clinics.
type Paging struct {
	Label                string
	Prev, Next           string // addresses, "" at either end
	PrevLabel, NextLabel string
}

// TimesOf is what the open-times page shows besides the search's answer.
type TimesOf struct {
	View   TimesView
	Notice booking.Msg          // shown once: why the patient is back here
	Alts   []booking.Slot       // nearest open times after a taken one
	Held   *booking.Slot        // the time this session holds
	Moving *booking.Appointment // the appointment being moved, if any
	Ref    func(booking.Slot) string
	Today  time.Time            // the clinic's date: how far back and on a search may go
	Form   *booking.Preferences // the filters as submitted, when they did not apply
	Errors booking.FieldErrors  // why they did not
}

// NewTimesPage builds the open-times page for the answer w to prefs.
func NewTimesPage(page Page, m *i18n.Messages, c *booking.Clinic, prefs booking.Preferences, w booking.Week, t TimesOf) TimesPage {
	p := TimesPage{Page: page, View: t.View, Searched: m.Times.Searched(SearchWords(m, c, prefs)),
		Total: w.Total(), AtLeast: w.Capped, Incomplete: w.Incomplete, FromPush: w.FromPush}
	form := prefs
	if t.Form != nil {
		form = *t.Form
	}
	p.Filters = NewFilterForm(m, c, form, t.Errors)
	if t.Notice != "" {
		p.Notice = m.Problem(t.Notice, 409)
	}
	for _, a := range t.Alts {
		when, who := Describe(m, c, a)
		p.Alternatives = append(p.Alternatives, Alternative{Ref: t.Ref(a), Label: when + ", " + who})
	}
	if t.Held != nil {
		p.Held, _ = Describe(m, c, *t.Held)
	}
	if t.Moving != nil {
		when, _ := Describe(m, c, t.Moving.Slot())
		p.Moving = m.Manage.MovingNote(when)
	}
	p.PrevWeek = prefs.From > t.Today.Format(time.DateOnly)
	_, err := prefs.Shift(7, t.Today)
	p.NextWeek = err == nil
	first, ok := w.Soonest()
	if !ok {
		p.Empty = emptyTimes(m, c, prefs, t.Today)
		return p
	}
	when, who := Describe(m, c, first)
	p.Soonest = &Soonest{Ref: t.Ref(first), When: when, Who: who}
	p.ZoneNote = zoneNote(m, c, w)
	a := arranger{m: m, c: c, ref: t.Ref, view: t.View}
	switch t.View.View {
	case ByDay, ByLocation:
		p.Sections, p.Paging = a.sections(w)
	default:
		p.Rows, p.Dates, p.Paging = a.week(w)
	}
	p.Focus = a.focus(w, prefs)
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

// zoneNote says which zone the times are in: one for them all, or each clinic's own.
func zoneNote(m *i18n.Messages, c *booking.Clinic, w booking.Week) string {
	zone := ""
	for _, day := range w.Days {
		for _, s := range day {
			switch z := c.LocationOf(s.Location).TimeZone; {
			case zone == "":
				zone = z
			case z != zone:
				return m.Times.ZoneEach
			}
		}
	}
	return m.Times.ZoneAll(m.Format.Zone(zone))
}

// ViewLink is one of the "by provider / by day / by location" links.
type ViewLink struct {
	URL, Label string
	Current    bool
}

// ViewLinks lists the result views, marking the current one.
func (p TimesPage) ViewLinks(m *i18n.Messages) []ViewLink {
	var out []ViewLink
	for _, v := range []struct{ view, label string }{{ByProvider, m.Times.ByProvider}, {ByDay, m.Times.ByDay}, {ByLocation, m.Times.ByLocation}} {
		out = append(out, ViewLink{URL: TimesView{View: v.view}.URL(), Label: v.label, Current: p.View.View == v.view && !p.View.Focused()})
	}
	return out
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
