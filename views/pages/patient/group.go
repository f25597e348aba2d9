package patient

import (
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
	if w.Pages > 1 && !a.view.Focused() {
		first := w.Page*PerPage + 1
		paging = &Paging{Label: a.m.Times.ProvidersOf(first, min(first+PerPage-1, w.Providers), w.Providers)}
		if w.Page > 0 {
			paging.Prev = TimesView{View: ByProvider, Page: w.Page - 1}.URL()
		}
		if w.Page < w.Pages-1 {
			paging.Next = TimesView{View: ByProvider, Page: w.Page + 1}.URL()
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
		for i, sl := range day {
			if i == limit {
				cell.More, cell.MoreURL = len(day)-limit, more
				break
			}
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
		return MaxShown, ""
	case a.view.Provider != "":
		return FocusTimes, TimesView{View: ByProvider, Provider: provider, Day: date}.URL()
	}
	return CellTimes, TimesView{View: ByProvider, Provider: provider}.URL() + "#pr-" + provider + "-" + date
}

// sections groups every time found by day, or by location and then day; under each, a group
// per provider (and location) with its first times, and a few providers each (every one, and
// every time, when the view shows one day).
func (a arranger) sections(w booking.Week) []Section {
	var out []Section
	index := map[string]int{}
	groups := map[string]int{}
	shown := 0
	for _, sl := range w.Slots {
		if shown >= MaxShown {
			break
		}
		loc := a.c.LocationOf(sl.Location)
		prov, _ := a.c.Provider(sl.Provider.ID)
		local := sl.Start.In(loc.Zone())
		date := local.Format(time.DateOnly)
		key, title, note := date, a.m.Format.Day(local), ""
		label := prov.DisplayName() + " · " + loc.Name
		if a.view.View == ByLocation {
			key, title, note = loc.ID, loc.Name, loc.Address.OneLine()+" · "+a.m.Format.Zone(loc.TimeZone)
			label = a.m.Format.Day(local) + " · " + prov.DisplayName()
		}
		si, ok := index[key]
		if !ok {
			si = len(out)
			index[key] = si
			out = append(out, Section{ID: "s" + itoa(si), Title: title, Note: note})
		}
		sec := &out[si]
		gk := key + "|" + date + "|" + prov.ID + "|" + loc.ID
		gi, ok := groups[gk]
		if !ok {
			if !a.view.Focused() && len(sec.Groups) >= GroupsShown {
				sec.More++
				sec.MoreURL = TimesView{View: ByDay, Day: date}.URL()
				groups[gk] = -1
				continue
			}
			gi = len(sec.Groups)
			groups[gk] = gi
			sec.Groups = append(sec.Groups, Group{ID: sec.ID + "g" + itoa(gi), Label: label})
		}
		if gi < 0 {
			continue
		}
		g := &sec.Groups[gi]
		if !a.view.Focused() && len(g.Times) >= GroupTimes {
			g.More++
			g.MoreURL = TimesView{View: ByDay, Day: date}.URL()
			continue
		}
		g.Times = append(g.Times, Time{Ref: a.ref(sl), Label: a.clock(sl)})
		shown++
	}
	return out
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
