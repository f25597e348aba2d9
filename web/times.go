package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages"
)

// maxShown caps the open times on one page; more means "narrow your search".
const maxShown = 300

// showTimes is step 4: the open times for the patient's whole choice.
func (s *Server) showTimes(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
		return redirect(c, to)
	}
	res, err := s.search(c, w)
	if err != nil {
		return err
	}
	p := s.timesPage(w, res, c.QueryParam("view"))
	if w.Notice != "" || w.Alts != nil { // shown once
		w.Notice, w.Alts = "", nil
		if err := s.save(c, w); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, pages.Times(p))
}

// holdSlot holds the picked time and asks for the patient's details. When the time was just
// taken, the open times come back with the nearest alternatives.
func (s *Server) holdSlot(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
		return redirect(c, to)
	}
	key, ok := s.refs.key(c.FormValue("slot"))
	if !ok {
		return booking.Invalid("slot", "Choose a time from the list.")
	}
	q, err := s.query(w)
	if err != nil {
		return err
	}
	h, alts, err := s.svc.Hold(c.Request().Context(), sessionID(c), q, key)
	taken := booking.ErrorCode(err) == booking.CodeSlotTaken
	switch {
	case taken:
		w.Notice, w.Alts = booking.ErrorMessage(err), alts
		if len(alts) == 0 {
			w.Notice = "Sorry, that time was just taken. Please choose another."
		}
	case err != nil:
		return err
	default:
		w.Held, w.Notice, w.Alts = &h.Slot, "", nil
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	if taken {
		return redirect(c, pathTimes)
	}
	return redirect(c, w.next(4))
}

// widenSearch applies a one-tap widening from the "no open times" page.
func (s *Server) widenSearch(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(4); to != "" {
		return redirect(c, to)
	}
	switch c.FormValue("widen") {
	case "providers":
		w.Providers = nil
	case "bands":
		w.Bands = nil
	case "days":
		w.Days = nil
	case "locations":
		w.Locations = nil
	case "later":
		to, _ := time.Parse(time.DateOnly, w.To)
		w.From, w.To = to.AddDate(0, 0, 1).Format(time.DateOnly), to.AddDate(0, 0, defaultDays).Format(time.DateOnly)
	default:
		return booking.Invalid("widen", "Choose how to widen the search.")
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathTimes)
}

// timesPage builds the open-times view model.
func (s *Server) timesPage(w *Wizard, res booking.SearchResult, view string) pages.TimesPage {
	if view != pages.ByProvider && view != pages.ByLocation {
		view = pages.ByDay
	}
	p := pages.TimesPage{Page: s.page("Choose a time", 4), View: view, Searched: s.searchWords(w),
		Total: len(res.Slots), Shown: min(len(res.Slots), maxShown), Notice: w.Notice}
	p.Incomplete = res.Incomplete || len(res.Slots) > maxShown
	p.Sections, p.ZoneNote = pages.GroupSlots(s.clinic, res.Slots, view, maxShown, s.refs.ref)
	for _, a := range w.Alts {
		when, who := pages.Describe(s.clinic, a)
		p.Alternatives = append(p.Alternatives, pages.Alternative{Ref: s.refs.ref(a), Label: when + ", " + who})
	}
	if w.Held != nil {
		when, _ := pages.Describe(s.clinic, *w.Held)
		p.Held = when
	}
	if len(res.Slots) == 0 {
		p.Empty = s.emptyTimes(w)
	} else {
		when, who := pages.Describe(s.clinic, res.Slots[0])
		p.Soonest = &pages.Soonest{Ref: s.refs.ref(res.Slots[0]), When: when, Who: who}
	}
	return p
}

// emptyTimes says why nothing was found and offers every widening that applies; "the next
// 14 days" always applies, so the page is never a dead end.
func (s *Server) emptyTimes(w *Wizard) *pages.Empty {
	vt, _ := s.clinic.VisitType(w.VisitType)
	why := "There are no open times for a " + strings.ToLower(vt.Description) + " from " + s.datesWords(w)
	e := &pages.Empty{}
	if d := daysWords(w.Days); d != "" {
		why += " on " + d
		e.Widen = append(e.Widen, pages.Widening{Value: "days", Label: "Any day of the week"})
	}
	if b := bandsWords(w.Bands); b != "" {
		why += " in the " + b
		e.Widen = append(e.Widen, pages.Widening{Value: "bands", Label: "Any time of day"})
	}
	if p := s.providersWords(w.Providers); p != "" {
		why += " with " + p
		e.Widen = append(e.Widen, pages.Widening{Value: "providers", Label: "Any provider"})
	}
	if l := s.locationsWords(w.Locations); l != "" {
		why += " at " + l
		e.Widen = append(e.Widen, pages.Widening{Value: "locations", Label: "Any of our clinics"})
	}
	e.Why = why + "."
	e.Widen = append(e.Widen, pages.Widening{Value: "later", Label: "The next 14 days"})
	return e
}
