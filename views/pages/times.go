package pages

import (
	"doorway/booking"
	"doorway/views"
)

// Result views of the open-times page.
const (
	ByDay      = "day"
	ByProvider = "provider"
	ByLocation = "location"
)

// TimesPage is step 4: the open times for the patient's whole choice.
type TimesPage struct {
	views.Page
	View         string
	Searched     string // what was searched, in words
	ZoneNote     string // "All times are Central time." when every time shares one zone
	Soonest      *Soonest
	Sections     []Section
	Total        int  // open times found
	Shown        int  // open times on the page
	Incomplete   bool // the EHR capped its answer, or the page did
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

// ViewLink is one of the "by day / by provider / by location" links.
type ViewLink struct {
	View, Label string
	Current     bool
}

// ViewLinks lists the result views, marking the current one.
func (p TimesPage) ViewLinks() []ViewLink {
	return []ViewLink{
		{ByDay, "By day", p.View == ByDay},
		{ByProvider, "By provider", p.View == ByProvider},
		{ByLocation, "By location", p.View == ByLocation},
	}
}

// GroupSlots arranges slots (earliest first) for view, at most limit of them. ref names a
// slot in the form. Each time is shown in its location's zone.
func GroupSlots(c *booking.Clinic, slots []booking.Slot, view string, limit int, ref func(booking.Slot) string) (sections []Section, zoneNote string) {
	g := grouper{c: c, view: view, locs: map[string]booking.Location{}, provs: map[string]booking.Provider{}}
	zones := map[string]bool{}
	for _, l := range c.Locations {
		g.locs[l.ID] = l
	}
	for _, p := range c.Providers {
		g.provs[p.ID] = p
	}
	slots = slots[:min(limit, len(slots))]
	for _, s := range slots {
		zones[g.locs[s.Location.ID].Zone().String()] = true
	}
	g.multiZone = len(zones) > 1
	for _, s := range slots {
		g.add(s, ref(s))
	}
	if len(zones) == 1 && len(slots) > 0 {
		zoneNote = "All times are " + views.ZoneName(g.locs[slots[0].Location.ID].Zone()) + "."
	} else if len(zones) > 1 {
		zoneNote = "Times are local to each clinic."
	}
	return g.sections, zoneNote
}

// grouper builds sections and groups in order of first appearance, which is earliest first.
type grouper struct {
	c         *booking.Clinic
	view      string
	locs      map[string]booking.Location
	provs     map[string]booking.Provider
	multiZone bool
	sections  []Section
	secIndex  map[string]int
	grpIndex  map[string]int
	groups    int
}

func (g *grouper) add(s booking.Slot, ref string) {
	loc := g.locs[s.Location.ID]
	prov := g.provs[s.Provider.ID]
	local := s.Start.In(loc.Zone())
	day := views.Day(local)
	where := loc.Name
	if g.multiZone {
		where += " (" + views.ZoneName(loc.Zone()) + ")"
	}
	var secKey, title, note, grpKey, label string
	switch g.view {
	case ByProvider:
		secKey, title, note = prov.ID, prov.DisplayName(), views.Speaks(prov.Languages)
		grpKey, label = day+"|"+loc.ID, day
		if len(prov.Locations) > 1 {
			label += " · " + where
		}
	case ByLocation:
		secKey, title, note = loc.ID, loc.Name, loc.Address.OneLine()+" · "+views.ZoneName(loc.Zone())
		grpKey, label = day+"|"+prov.ID, day+" · "+prov.DisplayName()
	default:
		secKey, title = local.Format(timeDateOnly), day
		grpKey, label = prov.ID+"|"+loc.ID, prov.DisplayName()
		if len(g.c.Locations) > 1 {
			label += " · " + where
		}
	}
	if g.secIndex == nil {
		g.secIndex, g.grpIndex = map[string]int{}, map[string]int{}
	}
	si, ok := g.secIndex[secKey]
	if !ok {
		si = len(g.sections)
		g.secIndex[secKey] = si
		g.sections = append(g.sections, Section{ID: "s" + itoa(si), Title: title, Note: note})
	}
	sec := &g.sections[si]
	gk := secKey + "#" + grpKey
	gi, ok := g.grpIndex[gk]
	if !ok {
		gi = len(sec.Groups)
		g.grpIndex[gk] = gi
		sec.Groups = append(sec.Groups, Group{ID: "g" + itoa(g.groups), Label: label})
		g.groups++
	}
	sec.Groups[gi].Times = append(sec.Groups[gi].Times, Time{Ref: ref, Label: views.Clock(local)})
}

const timeDateOnly = "2006-01-02"

// Describe is a slot in words: "Tuesday 4 March, 9:30 am (Central time)" and who and where.
func Describe(c *booking.Clinic, s booking.Slot) (when, who string) {
	loc, _ := c.Location(s.Location.ID)
	prov, _ := c.Provider(s.Provider.ID)
	local := s.Start.In(loc.Zone())
	return views.Day(local) + ", " + views.Clock(local) + " (" + views.ZoneName(loc.Zone()) + ")",
		prov.DisplayName() + ", " + loc.Name
}
