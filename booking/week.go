package booking

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"sync"
	"time"
)

// WeekRow is one provider's open times over the days of a search.
type WeekRow struct {
	ProviderID string
	Days       [][]Slot // one list per date of the search, earliest first: its first WeekView.CellTimes
	More       []int    // per date, the times not in Days
}

// Week is the answer to a search arranged for a week at a glance: the open times of the page's
// providers, soonest provider first, day by day; and every open time found, for the views by
// day and by location.
type Week struct {
	Dates      []string  // the search's clinic-local dates, YYYY-MM-DD
	Days       [][]Slot  // every open time found, one list per date, earliest first (shared: read only)
	Rows       []WeekRow // this page's providers, soonest first
	Providers  int       // how many providers have open times
	Page       int       // this page, from 0
	Pages      int       // how many pages of providers there are
	Capped     bool      // a day's answer was capped: Days is not every open time
	Incomplete bool      // a day's answer was capped even for this page's providers
	FromPush   bool      // the EHR is down: these are the times it last pushed
}

// WeekView is the part of a week a page shows: page Page of PerPage providers, with the first
// CellTimes times of each of their days (0: every time).
type WeekView struct {
	Page, PerPage, CellTimes int
	// Of is the person's whole search when the week asked for is one focus of it (a provider,
	// a day, a place: Preferences.Focus): the funnel counts that search, not the focus.
	Of *Preferences
}

// Total is how many open times were found.
func (w Week) Total() int {
	n := 0
	for _, d := range w.Days {
		n += len(d)
	}
	return n
}

// Soonest is the earliest open time, if any.
func (w Week) Soonest() (Slot, bool) {
	for sl := range w.All() {
		return sl, true
	}
	return Slot{}, false
}

// All is every open time found, earliest first (then by provider). The days' lists are
// merged as they are read, not copied: a slot late on one clinic's date can follow one early
// on the next date of a clinic in another time zone.
func (w Week) All() iter.Seq[Slot] {
	return func(yield func(Slot) bool) {
		if w.inOrder() { // the usual case: each date's times all come before the next date's
			for _, day := range w.Days {
				for _, sl := range day {
					if !yield(sl) {
						return
					}
				}
			}
			return
		}
		at := make([]int, len(w.Days))
		for {
			best := -1
			for d, list := range w.Days {
				if at[d] < len(list) && (best < 0 || slotOrder(list[at[d]], w.Days[best][at[best]]) < 0) {
					best = d
				}
			}
			if best < 0 || !yield(w.Days[best][at[best]]) {
				return
			}
			at[best]++
		}
	}
}

// inOrder reports whether the days' lists, one after the other, are in slotOrder.
func (w Week) inOrder() bool {
	var last *Slot
	for _, day := range w.Days {
		if len(day) == 0 {
			continue
		}
		if last != nil && slotOrder(*last, day[0]) > 0 {
			return false
		}
		last = &day[len(day)-1]
	}
	return true
}

// slotOrder is the order of open times: earliest first, then by provider.
func slotOrder(a, b Slot) int {
	return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Provider.ID, b.Provider.ID))
}

// MaxWeekDays bounds a week at a glance: beyond it a search is asked for in one query.
const MaxWeekDays = 14

// Week finds the open times for p and arranges them by provider as v asks. The EHR is asked
// one day at a time, concurrently (and through the cache): an EHR caps its answers (the
// sandbox at 500 slots), and a week of everyone's times would be cut to its first days,
// leaving the rest of the week looking empty. When a day is still capped, it is asked again
// for the page's providers only, so every row shows its whole week. Nothing is sorted or
// copied per request but the page's rows: the cache keeps each day's answer cleaned and in
// order. The search counts in the funnel once per session (CountSearch): another page or view
// of it, or a reload, is the same search.
func (s *Service) Week(ctx context.Context, p Preferences, sessionID string, v WeekView) (Week, error) {
	if err := s.selfBookable(p, nil); err != nil {
		return Week{}, err
	}
	dates, err := p.dates()
	if err != nil {
		return Week{}, err
	}
	days, err := s.searchDays(ctx, p, dates, sessionID)
	if err != nil {
		return Week{}, err
	}
	w := Week{Dates: dates, Days: make([][]Slot, len(days))}
	for i, d := range days {
		w.Days[i] = d.Slots
		w.FromPush = w.FromPush || d.FromPush
		w.Capped = w.Capped || d.Incomplete
	}
	order := providerOrder(w.All())
	w.Providers = len(order)
	perPage := max(v.PerPage, 1)
	w.Pages = max((len(order)+perPage-1)/perPage, 1)
	w.Page = min(max(v.Page, 0), w.Pages-1)
	ids := order[min(w.Page*perPage, len(order)):min((w.Page+1)*perPage, len(order))]
	if err := s.completeDays(ctx, p, dates, ids, days, sessionID); err != nil {
		return Week{}, err
	}
	for _, d := range days {
		w.Incomplete = w.Incomplete || d.Incomplete
	}
	w.Rows = rows(dates, ids, days, v.CellTimes)
	searched := p
	if v.Of != nil {
		searched = *v.Of
	}
	s.CountSearch(ctx, sessionID, searched, w.Total())
	return w, nil
}

// dates are the preferences' dates, From to To, when they make a week at a glance.
func (p Preferences) dates() ([]string, error) {
	from, err1 := time.Parse(time.DateOnly, p.From)
	to, err2 := time.Parse(time.DateOnly, p.To)
	if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) >= MaxWeekDays*24*time.Hour {
		return nil, Invalid("from", MsgFromMissing)
	}
	var out []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out, nil
}

// searchDays runs one search per date: the EHR is asked for each day concurrently, and what
// is held or busy is read once for them all.
func (s *Service) searchDays(ctx context.Context, p Preferences, dates []string, sessionID string) ([]SearchResult, error) {
	queries := make([]SlotQuery, len(dates))
	for i, d := range dates {
		day := p
		day.From, day.To = d, d
		q, err := day.Query(s.clinic)
		if err != nil {
			return nil, err
		}
		queries[i] = q
	}
	pages := make([]SlotPage, len(dates))
	pushed := make([]bool, len(dates))
	errs := make([]error, len(dates))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Go(func() { pages[i], pushed[i], errs[i] = s.fetch(ctx, q) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	u, err := s.unavailable(ctx, queries[0].Start, queries[len(queries)-1].End, sessionID, nil)
	if err != nil {
		return nil, err
	}
	out := make([]SearchResult, len(dates))
	for i, q := range queries {
		out[i] = SearchResult{Query: q, Slots: s.available(pages[i].Slots, u), Incomplete: pages[i].Incomplete, FromPush: pushed[i]}
	}
	return out, nil
}

// completeDays asks again, for the page's providers only, each day whose answer was capped
// while it covered more providers than the page shows.
func (s *Service) completeDays(ctx context.Context, p Preferences, dates, ids []string, days []SearchResult, sessionID string) error {
	if len(ids) == 0 {
		return nil
	}
	narrow := p
	narrow.Providers, narrow.Who, narrow.Specialty, narrow.Speaks = ids, "", "", ""
	var again []string
	var at []int
	for i, d := range days {
		if d.Incomplete && !slices.Equal(p.Providers, ids) {
			again, at = append(again, dates[i]), append(at, i)
		}
	}
	if len(again) == 0 {
		return nil
	}
	redone, err := s.searchDays(ctx, narrow, again, sessionID)
	if err != nil {
		return err
	}
	for j, i := range at {
		days[i] = redone[j]
	}
	return nil
}

// providerOrder is the providers of slots (earliest first), in the order of their first slot.
func providerOrder(slots iter.Seq[Slot]) []string {
	var out []string
	seen := map[string]bool{}
	for sl := range slots {
		if !seen[sl.Provider.ID] {
			seen[sl.Provider.ID] = true
			out = append(out, sl.Provider.ID)
		}
	}
	return out
}

// rows lays out the page's providers' slots by date, the first cell of each day (every one
// with cell 0) and how many more.
func rows(dates, ids []string, days []SearchResult, cell int) []WeekRow {
	out := make([]WeekRow, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		out[i] = WeekRow{ProviderID: id, Days: make([][]Slot, len(dates)), More: make([]int, len(dates))}
		index[id] = i
	}
	for di, d := range days {
		for _, sl := range d.Slots {
			i, ok := index[sl.Provider.ID]
			if !ok {
				continue
			}
			if r := &out[i]; cell > 0 && len(r.Days[di]) >= cell {
				r.More[di]++
			} else {
				if r.Days[di] == nil && cell > 0 {
					r.Days[di] = make([]Slot, 0, cell)
				}
				r.Days[di] = append(r.Days[di], sl)
			}
		}
	}
	return out
}
