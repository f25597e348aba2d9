package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages"
)

const (
	defaultDays = 14  // the default search covers the next 14 days
	maxSpanDays = 90  // a search covers at most 90 days (booking.MaxWindow is 92)
	maxAheadDay = 365 // nobody books more than a year ahead online
)

// showWhen is step 3: dates, weekdays, time of day, providers and locations.
func (s *Server) showWhen(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	a := pages.WhenAnswers{From: w.From, To: w.To, Days: w.Days, Bands: w.Bands, Providers: w.Providers, Locations: w.Locations}
	if !w.WhenSet {
		today := s.today()
		a.From, a.To = today.Format(time.DateOnly), today.AddDate(0, 0, defaultDays-1).Format(time.DateOnly)
	}
	return s.render(c, http.StatusOK, pages.When(s.whenPage(w, a, nil)))
}

// choosePreferences records the search preferences and shows the open times.
func (s *Server) choosePreferences(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(3); to != "" {
		return redirect(c, to)
	}
	form, err := c.FormParams()
	if err != nil {
		return booking.Invalid("form", "We couldn't read that form. Please try again.")
	}
	a, errs := s.parseWhen(form, w.VisitType)
	if len(errs) > 0 {
		return s.render(c, http.StatusUnprocessableEntity, pages.When(s.whenPage(w, a, errs)))
	}
	w.WhenSet = true
	w.From, w.To, w.Days, w.Bands, w.Providers, w.Locations = a.From, a.To, a.Days, a.Bands, a.Providers, a.Locations
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathTimes)
}

func (s *Server) whenPage(w *Wizard, a pages.WhenAnswers, errs map[string]string) pages.WhenPage {
	vt, _ := s.clinic.VisitType(w.VisitType)
	pg := s.page("When and where", 3)
	if len(s.visitTypeOptions(w)) == 1 {
		pg.Back = pathReason // the visit-type step was skipped: only one type fits the reason
	}
	return pages.NewWhenPage(pg, s.clinic, vt, a, s.today(), errs)
}

// parseWhen reads and checks the when form. Answers come back normalised where valid and as
// typed where not, so the form re-renders with what the patient entered.
func (s *Server) parseWhen(f url.Values, visitType string) (pages.WhenAnswers, map[string]string) {
	errs := map[string]string{}
	a := pages.WhenAnswers{From: strings.TrimSpace(f.Get("from")), To: strings.TrimSpace(f.Get("to"))}
	today := s.today()
	from, ferr := parseDate(a.From)
	to, terr := parseDate(a.To)
	switch {
	case a.From == "":
		errs["from"] = "Enter the first date you could come in."
	case ferr != nil:
		errs["from"] = "Enter a date like " + today.Format(time.DateOnly) + "."
	case from.Before(dateOnly(today)):
		errs["from"] = "Choose today or a later date."
	case from.After(dateOnly(today).AddDate(0, 0, maxAheadDay)):
		errs["from"] = "Choose a date within the next year."
	default:
		a.From = from.Format(time.DateOnly)
	}
	switch {
	case a.To == "":
		errs["to"] = "Enter the last date you could come in."
	case terr != nil:
		errs["to"] = "Enter a date like " + today.AddDate(0, 0, defaultDays-1).Format(time.DateOnly) + "."
	case ferr == nil && to.Before(from):
		errs["to"] = "The last date must be on or after the first date."
	case ferr == nil && to.Sub(from) >= maxSpanDays*24*time.Hour:
		errs["to"] = "Choose dates no more than 90 days apart."
	default:
		a.To = to.Format(time.DateOnly)
	}
	s.parseChoices(f, visitType, &a, errs)
	return a, errs
}

// parseChoices reads the weekday, band, provider and location checkboxes.
func (s *Server) parseChoices(f url.Values, visitType string, a *pages.WhenAnswers, errs map[string]string) {
	for _, v := range f["days"] {
		if d, ok := booking.ParseWeekday(v); ok && !slices.Contains(a.Days, d) {
			a.Days = append(a.Days, d)
		} else if !ok {
			errs["days"] = "Choose days from the list."
		}
	}
	for _, v := range f["bands"] {
		if b, ok := booking.ParseBand(v); ok && !slices.Contains(a.Bands, b) {
			a.Bands = append(a.Bands, b)
		} else if !ok {
			errs["bands"] = "Choose times of day from the list."
		}
	}
	vt, _ := s.clinic.VisitType(visitType)
	for _, id := range f["providers"] {
		if _, ok := s.clinic.Provider(id); !ok || !vt.OfferedBy(id) {
			errs["providers"] = "Choose providers from the list."
		} else if !slices.Contains(a.Providers, id) {
			a.Providers = append(a.Providers, id)
		}
	}
	for _, id := range f["locations"] {
		if _, ok := s.clinic.Location(id); !ok {
			errs["locations"] = "Choose clinics from the list."
		} else if !slices.Contains(a.Locations, id) {
			a.Locations = append(a.Locations, id)
		}
	}
	if len(a.Providers) > 0 && len(a.Locations) > 0 && errs["locations"] == "" && !s.anyWorksAt(a.Providers, a.Locations) {
		errs["locations"] = "None of the providers you chose work at these clinics. Choose another clinic, or leave the clinics unticked."
	}
}

func (s *Server) anyWorksAt(providers, locations []string) bool {
	for _, id := range providers {
		p, _ := s.clinic.Provider(id)
		for _, l := range p.Locations {
			if slices.Contains(locations, l) {
				return true
			}
		}
	}
	return false
}

// parseDate accepts the date input's YYYY-MM-DD and, from browsers without one, M/D/YYYY.
func parseDate(v string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		t, err = time.Parse("1/2/2006", v)
	}
	return t, err
}

// dateOnly is t's calendar date as midnight UTC, comparable with parseDate's results.
func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
