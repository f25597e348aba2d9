package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views"
	"doorway/views/pages"
)

// showReview is step 6: every answer with a Change link, and the confirm button. The
// idempotency key is made once and kept in the session, so re-rendering the page (or a
// double click on its button) can only ever book once.
func (s *Server) showReview(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(6); to != "" {
		return redirect(c, to)
	}
	h, live, err := s.currentHold(c, w)
	if err != nil || !live {
		return holdGone(c, err)
	}
	if w.Key == "" {
		w.Key = booking.NewID("K")
		if err := s.save(c, w); err != nil {
			return err
		}
	}
	p := pages.ReviewPage{Page: s.page("Check and book", 6), Hold: s.holdView(h), Rows: s.reviewRows(w, h.Slot), Key: w.Key}
	return s.render(c, http.StatusOK, pages.Review(p))
}

// reviewRows lists the answers, each with the step that changes it.
func (s *Server) reviewRows(w *Wizard, sl booking.Slot) []pages.Row {
	vt, _ := s.clinic.VisitType(w.VisitType)
	loc := s.locationOf(sl.Location)
	prov, _ := s.clinic.Provider(sl.Provider.ID)
	local := sl.Start.In(loc.Zone())
	p := w.Patient
	who := []string{p.FirstName + " " + p.LastName, "Born " + longDate(p.DOB)}
	if p.Phone != "" {
		who = append(who, "Mobile "+views.Phone(p.Phone))
	}
	if p.Email != "" {
		who = append(who, p.Email)
	}
	if p.Language != "" {
		who = append(who, "Prefers "+views.Language(p.Language))
	}
	for _, id := range p.Identifiers {
		who = append(who, "Medical record number "+id.ID)
	}
	looking := strings.SplitN(s.searchWords(w), " · ", 2)
	return []pages.Row{
		{Label: "Reason", Lines: []string{s.reasonWords(w)}, Change: pathReason},
		{Label: "Type of visit", Lines: []string{vt.Description + ", " + views.Minutes(vt.Minutes)}, Change: pathVisitType},
		{Label: "Looking for", Lines: looking[len(looking)-1:], Change: pathWhen},
		{Label: "When", Lines: []string{views.DayYear(local) + " at " + views.Clock(local), views.ZoneName(loc.Zone())}, Change: pathTimes, TestID: "when"},
		{Label: "With", Lines: []string{prov.DisplayName(), prov.Specialty}, Change: pathTimes},
		{Label: "Where", Lines: []string{loc.Name, loc.Address.OneLine()}, Change: pathTimes},
		{Label: "Patient", Lines: who, Change: pathDetails},
	}
}

// longDate turns YYYY-MM-DD into "21 July 1984".
func longDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 January 2006")
}
