package web

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views"
)

// query turns the wizard's answers into one search: the whole choice in one SlotQuery, so
// the EHR gets one AvailableSlots query carrying every preference.
func (s *Server) query(w *Wizard) (booking.SlotQuery, error) {
	vt, ok := s.clinic.VisitType(w.VisitType)
	if !ok {
		return booking.SlotQuery{}, booking.Invalid("visit_type", "Choose a type of visit first.")
	}
	from, err1 := time.Parse(time.DateOnly, w.From)
	to, err2 := time.Parse(time.DateOnly, w.To)
	if err1 != nil || err2 != nil {
		return booking.SlotQuery{}, booking.Invalid("from", "Choose the dates you could come in.")
	}
	q := booking.SlotQuery{VisitType: vt.Coded, Minutes: vt.Minutes, Days: w.Days, Bands: w.Bands,
		Reasons: []string{s.reasonWords(w)}}
	locs := s.clinic.Locations
	if len(w.Locations) > 0 {
		locs = nil
		for _, id := range w.Locations {
			l, _ := s.clinic.Location(id)
			locs = append(locs, l)
			q.Locations = append(q.Locations, booking.LocationRef{ID: l.ID, Facility: l.Facility, Department: l.Department})
		}
	}
	q.Start, q.End = window(from, to, locs)
	// Anyone means anyone who offers this visit type: say so to the EHR, and hold it to it.
	ids := w.Providers
	if len(ids) == 0 {
		ids = vt.Providers
	}
	for _, id := range ids {
		if p, ok := s.clinic.Provider(id); ok {
			q.Providers = append(q.Providers, booking.ProviderRef{ID: p.ID, IDType: cmp.Or(p.IDType, "NPI")})
		}
	}
	return q, nil
}

// window runs from the first day's midnight to the day after the last, in every searched
// location's zone: the widest of them, as UTC instants.
func window(from, to time.Time, locs []booking.Location) (start, end time.Time) {
	for i, l := range locs {
		s := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, l.Zone())
		e := time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, l.Zone())
		if i == 0 || s.Before(start) {
			start = s
		}
		if i == 0 || e.After(end) {
			end = e
		}
	}
	return start.UTC(), end.UTC()
}

// search runs the wizard's search and keeps the times on the chosen local dates (a window
// stretched over several zones may reach into a neighbouring day).
func (s *Server) search(c echo.Context, w *Wizard) (booking.SearchResult, error) {
	q, err := s.query(w)
	if err != nil {
		return booking.SearchResult{}, err
	}
	res, err := s.svc.Search(c.Request().Context(), q, sessionID(c))
	if err != nil {
		return booking.SearchResult{}, err
	}
	res.Slots = slices.DeleteFunc(res.Slots, func(sl booking.Slot) bool {
		l, _ := s.clinic.Location(sl.Location.ID)
		d := sl.Start.In(l.Zone()).Format(time.DateOnly)
		return d < w.From || d > w.To
	})
	return res, nil
}

// reasonWords is the reason as the clinic reads it: the catalogue label, or what was typed.
func (s *Server) reasonWords(w *Wizard) string {
	if r, ok := s.clinic.Reason(w.ReasonID); ok {
		return r.Label
	}
	return w.ReasonText
}

// searchWords describes the search in a line: "Sick visit (20 minutes) · Tue 4 Mar to
// Mon 17 Mar · mornings · with Maya Okafor, MD".
func (s *Server) searchWords(w *Wizard) string {
	vt, _ := s.clinic.VisitType(w.VisitType)
	parts := []string{vt.Description + " (" + views.Minutes(vt.Minutes) + ")", s.datesWords(w)}
	if d := daysWords(w.Days); d != "" {
		parts = append(parts, d)
	}
	if b := bandsWords(w.Bands); b != "" {
		parts = append(parts, b)
	}
	if p := s.providersWords(w.Providers); p != "" {
		parts = append(parts, "with "+p)
	}
	if l := s.locationsWords(w.Locations); l != "" {
		parts = append(parts, "at "+l)
	}
	return strings.Join(parts, " · ")
}

func (s *Server) datesWords(w *Wizard) string {
	from, _ := time.Parse(time.DateOnly, w.From)
	to, _ := time.Parse(time.DateOnly, w.To)
	return views.ShortDay(from) + " to " + views.ShortDay(to)
}

func daysWords(days []time.Weekday) string {
	var names []string
	for d := time.Monday; d <= time.Monday+6; d++ {
		if slices.Contains(days, d%7) {
			names = append(names, (d%7).String()+"s")
		}
	}
	return views.List(names)
}

func bandsWords(bands []booking.Band) string {
	var names []string
	for _, b := range booking.Bands {
		if slices.Contains(bands, b) {
			names = append(names, strings.ToLower(string(b))+"s")
		}
	}
	return views.List(names)
}

func (s *Server) providersWords(ids []string) string {
	var names []string
	for _, id := range ids {
		if p, ok := s.clinic.Provider(id); ok {
			names = append(names, p.DisplayName())
		}
	}
	return orList(names)
}

func (s *Server) locationsWords(ids []string) string {
	var names []string
	for _, id := range ids {
		if l, ok := s.clinic.Location(id); ok {
			names = append(names, l.Name)
		}
	}
	return orList(names)
}

// orList joins alternatives: "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
