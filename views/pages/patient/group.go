package patient

import (
	"time"

	"doorway/booking"
	"doorway/views/i18n"
)

// groupSlots arranges slots (earliest first) for view, at most limit of them. ref names a
// slot in the form. Each time is shown in its location's zone.
func groupSlots(m *i18n.Messages, c *booking.Clinic, slots []booking.Slot, view string, limit int, ref func(booking.Slot) string) (sections []Section, zoneNote string) {
	g := grouper{m: m, c: c, view: view, locs: map[string]booking.Location{}, provs: map[string]booking.Provider{}}
	zones := map[string]bool{}
	for _, l := range c.Locations {
		g.locs[l.ID] = l
	}
	for _, p := range c.Providers {
		g.provs[p.ID] = p
	}
	slots = slots[:min(limit, len(slots))]
	for _, s := range slots {
		zones[g.locs[s.Location.ID].TimeZone] = true
	}
	g.multiZone = len(zones) > 1
	for _, s := range slots {
		g.add(s, ref(s))
	}
	if len(zones) == 1 && len(slots) > 0 {
		zoneNote = m.Times.ZoneAll(m.Format.Zone(g.locs[slots[0].Location.ID].TimeZone))
	} else if len(zones) > 1 {
		zoneNote = m.Times.ZoneEach
	}
	return g.sections, zoneNote
}

// grouper builds sections and groups in order of first appearance, which is earliest first.
type grouper struct {
	m         *i18n.Messages
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
	day := g.m.Format.Day(local)
	where := loc.Name
	if g.multiZone {
		where += " (" + g.m.Format.Zone(loc.TimeZone) + ")"
	}
	var secKey, title, note, grpKey, label string
	switch g.view {
	case ByProvider:
		secKey, title, note = prov.ID, prov.DisplayName(), speaks(g.m, prov.Languages)
		grpKey, label = day+"|"+loc.ID, day
		if len(prov.Locations) > 1 {
			label += " · " + where
		}
	case ByLocation:
		secKey, title, note = loc.ID, loc.Name, loc.Address.OneLine()+" · "+g.m.Format.Zone(loc.TimeZone)
		grpKey, label = day+"|"+prov.ID, day+" · "+prov.DisplayName()
	default:
		secKey, title = local.Format(time.DateOnly), day
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
	sec.Groups[gi].Times = append(sec.Groups[gi].Times, Time{Ref: ref, Label: g.m.Format.Clock(local)})
}
