package patient

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"doorway/booking"
	"doorway/views/i18n"
)

// arranger lays a week's open times out for one view, in the page's language.
type arranger struct {
	m    *i18n.Messages
	c    *booking.Clinic
	ref  func(booking.Slot) string
	view TimesView
}

// week is the week at a glance: a row per provider and location, a cell per day with its
// first times (every time when the view shows one provider), and paging between providers.
func (a arranger) week(w booking.Week) (rows []ProviderRow, dates []string, paging *Paging) {
	for _, d := range w.Dates {
		dates = append(dates, shortDate(a.m, d))
	}
	for _, r := range w.Rows {
		rows = append(rows, a.row(r, w.Dates))
	}
	if w.Pages > 1 && a.view.Provider == "" && a.view.Day == "" {
		first := w.Page*PerPage + 1
		paging = &Paging{Label: a.m.Times.ProvidersOf(first, min(first+PerPage-1, w.Providers), w.Providers),
			PrevLabel: a.m.Times.PrevProviders, NextLabel: a.m.Times.NextProviders}
		if w.Page > 0 {
			paging.Prev = TimesView{View: ByProvider, Page: w.Page - 1, Location: a.view.Location}.URL()
		}
		if w.Page < w.Pages-1 {
			paging.Next = TimesView{View: ByProvider, Page: w.Page + 1, Location: a.view.Location}.URL()
		}
	}
	return rows, dates, paging
}

// row is one provider's week: a cell per day with its first times (every time when the view
// shows this provider's day). A provider working at several clinics in the week has the
// clinic named over its times in each cell.
func (a arranger) row(r booking.WeekRow, dates []string) ProviderRow {
	prov, _ := a.c.Provider(r.ProviderID)
	row := ProviderRow{ID: "pr-" + prov.ID, Name: prov.DisplayName(), Initials: initials(prov),
		Specialty: prov.Specialty.In(a.m.Lang), Speaks: speaks(a.m, prov.Languages), Cells: make([]Cell, len(dates))}
	var places []string
	for _, day := range r.Days {
		for _, sl := range day {
			if name := a.c.LocationOf(sl.Location).Name; !slices.Contains(places, name) {
				places = append(places, name)
			}
		}
	}
	row.Where = a.m.Filters.ProviderAt(places)
	for di, day := range r.Days {
		cell := &row.Cells[di]
		cell.ID, cell.Label = row.ID+"-"+dates[di], shortDate(a.m, dates[di])
		limit, more := a.cellLimit(prov.ID, dates[di])
		if n := r.More[di] + max(len(day)-limit, 0); n > 0 {
			cell.More, cell.MoreURL = n, more
		}
		for _, sl := range day[:min(limit, len(day))] {
			where := ""
			if len(places) > 1 {
				where = a.c.LocationOf(sl.Location).Name
			}
			if n := len(cell.Places); n == 0 || cell.Places[n-1].Where != where {
				cell.Places = append(cell.Places, Place{Where: where})
			}
			last := &cell.Places[len(cell.Places)-1]
			last.Times = append(last.Times, Time{Ref: a.ref(sl), Label: a.clock(sl)})
		}
	}
	return row
}

// cellLimit is how many of a day's times a cell shows in this view, and where "more" leads:
// a few in the week at a glance, more in one provider's week, all in one provider's day.
func (a arranger) cellLimit(provider, date string) (int, string) {
	switch {
	case a.view.Day != "":
		return math.MaxInt, ""
	case a.view.Provider != "":
		return FocusTimes, TimesView{View: ByProvider, Provider: provider, Day: date}.URL()
	}
	return CellTimes, TimesView{View: ByProvider, Provider: provider}.URL() + "#pr-" + provider + "-" + date
}

// Week is the part of the week the view shows: which page of providers, how many of each
// one's times a day.
func (v TimesView) Week() booking.WeekView {
	w := booking.WeekView{Page: v.Page, PerPage: PerPage, CellTimes: CellTimes}
	switch {
	case v.Provider != "" && v.Day != "":
		w.PerPage, w.CellTimes = 1, 0
	case v.Provider != "":
		w.PerPage, w.CellTimes = 1, FocusTimes
	case v.View != ByProvider && v.View != "":
		w.CellTimes = 1 // the views by day and by clinic lay out every time found, not the rows
	}
	return w
}

// sections lays every time found out by day, or by clinic and then day: under each heading
// a group per provider (and clinic) with its first times and a link to the rest. The view of
// one day pages through its providers, DayGroups at a time; the view by clinic pages through
// clinics, LocationsPerPage at a time. Times past what a group shows are counted, not built.
func (a arranger) sections(w booking.Week) ([]Section, *Paging) {
	byLocation := a.view.View == ByLocation && a.view.Day == ""
	oneDay := a.view.Day != ""
	times, groupsShown := GroupTimes, GroupsShown
	switch {
	case a.view.Provider != "":
		times, groupsShown = math.MaxInt, math.MaxInt
	case oneDay:
		times, groupsShown = FocusTimes, DayGroups
	}
	firstSection, firstGroup := 0, 0
	if byLocation {
		firstSection = a.view.Page * LocationsPerPage
	} else if oneDay {
		firstGroup = a.view.Page * DayGroups
	}

	// Keys are values, not strings: this runs for every time found.
	type sectionKey struct {
		date int // yyyymmdd, clinic-local (by day)
		loc  string
	}
	type groupKey struct {
		section       sectionKey
		date          int
		provider, loc string
	}
	var out []Section
	index := map[sectionKey]int{} // section -> its index, counting sections not shown
	groups := map[groupKey]int{}  // group -> its index in its section, -1 when not shown
	counts := map[int]int{}       // section index -> groups in it, shown or not
	var g *Group
	var last groupKey
	for sl := range w.All() {
		loc := a.c.LocationOf(sl.Location)
		local := sl.Start.In(loc.Zone())
		y, mo, d := local.Date()
		day := y*10000 + int(mo)*100 + d
		key := sectionKey{date: day}
		if byLocation {
			key = sectionKey{loc: loc.ID}
		}
		si, ok := index[key]
		if !ok {
			si = len(index)
			index[key] = si
		}
		visible := si >= firstSection && (!byLocation || si < firstSection+LocationsPerPage)
		if gk := (groupKey{key, day, sl.Provider.ID, loc.ID}); gk != last { // earliest first: one group's run is rarely cut
			g, last = nil, gk
			if gi, ok := groups[gk]; ok && gi >= 0 && visible {
				g = a.group(out, si, firstSection, gi)
			} else if !ok {
				n := counts[si]
				counts[si]++
				groups[gk] = -1
				if visible && n >= firstGroup && n < firstGroup+groupsShown {
					sec := a.section(&out, si-firstSection, loc, local)
					groups[gk] = len(sec.Groups)
					prov, _ := a.c.Provider(sl.Provider.ID)
					label := prov.DisplayName() + " · " + loc.Name
					if byLocation {
						label = a.m.Format.Day(local) + " · " + prov.DisplayName()
					}
					sec.Groups = append(sec.Groups, Group{ID: sec.ID + "g" + itoa(len(sec.Groups)), Label: label})
					g = &sec.Groups[len(sec.Groups)-1]
				} else if visible && !oneDay {
					a.section(&out, si-firstSection, loc, local).More++
				}
			}
		}
		if g == nil {
			continue
		}
		if len(g.Times) >= times {
			if g.More == 0 {
				g.MoreURL = TimesView{Provider: sl.Provider.ID, Day: local.Format(time.DateOnly)}.URL()
			}
			g.More++
			continue
		}
		g.Times = append(g.Times, Time{Ref: a.ref(sl), Label: a.clock(sl)})
	}
	for i := range out {
		if sec := &out[i]; sec.More > 0 || byLocation {
			sec.MoreURL = sec.all
			if !byLocation {
				sec.MoreLabel = a.m.Times.MoreGroups(sec.More)
			}
		}
	}
	return out, a.sectionPaging(len(index), counts[0])
}

// section returns the i-th section shown, adding it (and any before it) when new.
func (a arranger) section(out *[]Section, i int, loc booking.Location, local time.Time) *Section {
	for len(*out) <= i {
		*out = append(*out, Section{})
	}
	sec := &(*out)[i]
	if sec.ID == "" {
		sec.ID = "s" + itoa(i)
		if a.view.View == ByLocation && a.view.Day == "" {
			sec.Title, sec.Note = loc.Name, loc.Address.OneLine()+" · "+a.m.Format.Zone(loc.TimeZone)
			sec.all = TimesView{View: ByDay, Location: loc.ID}.URL()
			sec.MoreLabel = a.m.Times.AllAt(loc.Name)
		} else {
			sec.Title = a.m.Format.Day(local)
			sec.all = TimesView{View: ByDay, Day: local.Format(time.DateOnly), Location: a.view.Location}.URL()
		}
	}
	return sec
}

// group is group gi of section si, when shown.
func (a arranger) group(out []Section, si, firstSection, gi int) *Group {
	if i := si - firstSection; i >= 0 && i < len(out) && gi < len(out[i].Groups) {
		return &out[i].Groups[gi]
	}
	return nil
}

// sectionPaging pages the clinics of the view by location, or the providers of one day.
func (a arranger) sectionPaging(sections, dayGroups int) *Paging {
	t := a.m.Times
	per, total, label, prev, next := LocationsPerPage, sections, t.ClinicsOf, t.PrevClinics, t.NextClinics
	switch {
	case a.view.Day != "" && a.view.Provider == "":
		per, total, label, prev, next = DayGroups, dayGroups, t.ProvidersOf, t.PrevProviders, t.NextProviders
	case a.view.View != ByLocation || a.view.Day != "":
		return nil
	}
	if total <= per {
		return nil
	}
	page := min(a.view.Page, (total-1)/per)
	first := page*per + 1
	pg := &Paging{Label: label(first, min(first+per-1, total), total), PrevLabel: prev, NextLabel: next}
	at := func(n int) string { v := a.view; v.Page = n; return v.URL() }
	if page > 0 {
		pg.Prev = at(page - 1)
	}
	if first+per-1 < total {
		pg.Next = at(page + 1)
	}
	return pg
}

// focus is the heading of a view of every time of one provider or one day.
func (a arranger) focus(w booking.Week, p booking.Preferences) string {
	switch {
	case a.view.Provider != "":
		prov, _ := a.c.Provider(a.view.Provider)
		return a.m.Times.AllWith(prov.DisplayName())
	case a.view.Day != "":
		if d, err := time.Parse(time.DateOnly, a.view.Day); err == nil {
			return a.m.Times.AllOn(a.m.Format.Day(d))
		}
	case a.view.Location != "":
		if l, ok := a.c.Location(a.view.Location); ok {
			return a.m.Times.AllAt(l.Name)
		}
	}
	return ""
}

func (a arranger) clock(sl booking.Slot) string {
	return a.m.Format.Clock(sl.Start.In(a.c.LocationOf(sl.Location).Zone()))
}

// initials are a provider's, for the circle beside the name: "MO".
func initials(p booking.Provider) string {
	var b strings.Builder
	for _, n := range []string{p.FirstName, p.LastName} {
		for _, r := range n {
			b.WriteRune(unicode.ToUpper(r))
			break
		}
	}
	return b.String()
}
