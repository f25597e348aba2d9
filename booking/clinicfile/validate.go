package clinicfile

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Validate checks the catalogue (validateCatalogue) and the schedule: clock times parse and
// end after they start, templates and blocks name known providers and locations, a
// provider's template is at a location the provider works at, and no provider is booked in
// two templates at once. It fills in defaults (HorizonDays, provider IDType "NPI") and
// prepares the clinic (booking.Clinic.Prepare). Errors are *problem values whose field is the
// path in the file; Parse turns them into an *Error on the right line.
func (d *File) Validate() error {
	if err := validateCatalogue(&d.Clinic); err != nil {
		return err
	}
	if d.HorizonDays == 0 {
		d.HorizonDays = DefaultHorizonDays
	}
	switch {
	case d.HorizonDays < 1 || d.HorizonDays > 731:
		return problemf("horizon_days", "horizon_days must be between 1 and 731")
	case d.CancelCutoffHours < 0 || d.CancelCutoffHours > 30*24:
		return problemf("cancel_cutoff_hours", "cancel_cutoff_hours must be between 0 and 720 (30 days)")
	case d.ReminderHours < 0 || d.ReminderHours > 7*24:
		return problemf("reminder_hours", "reminder_hours must be between 0 (no reminders) and 168 (a week)")
	case d.LeadMinutes < 0 || d.LeadMinutes > 30*24*60:
		return problemf("lead_minutes", "lead_minutes must be between 0 and 43200 (30 days)")
	case d.SlotStepMinutes != 0 && (d.SlotStepMinutes < 5 || d.SlotStepMinutes > 240):
		return problemf("slot_step_minutes", "slot_step_minutes must be 0 (visit length) or between 5 and 240")
	// The engine packs template and visit type indices into 24 and 16 bits.
	case len(d.VisitTypes) > 1000:
		return problemf("visit_types", "at most 1000 visit types")
	case len(d.Templates) > 100_000:
		return problemf("templates", "at most 100000 templates")
	}
	for i := range d.Providers {
		p := &d.Providers[i]
		if p.IDType == "" {
			p.IDType = "NPI"
		}
		if strings.EqualFold(p.IDType, "NPI") && !isNPI(p.ID) {
			return problemf(fmt.Sprintf("providers[%d].id", i), "NPI %q must be 10 digits", p.ID)
		}
	}
	for i, t := range d.Templates {
		if err := d.validateTemplate(fmt.Sprintf("templates[%d]", i), t); err != nil {
			return err
		}
	}
	if err := d.checkOverlaps(); err != nil {
		return err
	}
	for i, b := range d.Blocks {
		if err := d.validateBlock(fmt.Sprintf("blocks[%d]", i), b); err != nil {
			return err
		}
	}
	for i, h := range d.Holidays {
		f := fmt.Sprintf("holidays[%d]", i)
		if !isDate(h.Date) {
			return problemf(f+".date", "%q is not a date like 2026-12-25", h.Date)
		}
		if _, ok := d.Location(h.Location); h.Location != "" && !ok {
			return problemf(f+".location", "unknown location %q", h.Location)
		}
	}
	return nil
}

func isNPI(s string) bool {
	return len(s) == 10 && strings.Trim(s, "0123456789") == ""
}

// validateTemplate checks one template in isolation.
func (d *File) validateTemplate(f string, t Template) error {
	p, ok := d.Provider(t.Provider)
	if !ok {
		return problemf(f+".provider", "unknown provider %q", t.Provider)
	}
	if _, ok := d.Location(t.Location); !ok {
		return problemf(f+".location", "unknown location %q", t.Location)
	}
	if !slices.Contains(p.Locations, t.Location) {
		return problemf(f+".location", "provider %s does not work at location %q (add it to the provider's locations)", t.Provider, t.Location)
	}
	if len(t.Days) == 0 {
		return problemf(f+".days", "at least one weekday is required")
	}
	if _, bad := ParseWeekdays(t.Days); bad >= 0 {
		return problemf(fmt.Sprintf("%s.days[%d]", f, bad), "%q is not a weekday", t.Days[bad])
	}
	hours, err := parseSpan(f, t.Start, t.End)
	if err != nil {
		return err
	}
	var prev span
	for j, b := range t.Breaks {
		bf := fmt.Sprintf("%s.breaks[%d]", f, j)
		s, err := parseSpan(bf, b.Start, b.End)
		if err != nil {
			return err
		}
		switch {
		case s.start < hours.start || s.end > hours.end:
			return problemf(bf+".start", "break %s-%s is outside the template's hours %s-%s", b.Start, b.End, t.Start, t.End)
		case j > 0 && s.start < prev.end:
			return problemf(bf+".start", "breaks must be in time order and not overlap")
		}
		prev = s
	}
	return nil
}

// parseSpan reads a start/end pair of clock times; errors name field f's start or end.
func parseSpan(f, start, end string) (span, error) {
	s, ok := ParseClock(start)
	if !ok || s == 24*60 {
		return span{}, problemf(f+".start", "%q is not a clock time like 08:00", start)
	}
	e, ok := ParseClock(end)
	if !ok {
		return span{}, problemf(f+".end", "%q is not a clock time like 17:00", end)
	}
	if e <= s {
		return span{}, problemf(f+".end", "end %s is not after start %s", end, start)
	}
	return span{s, e}, nil
}

// checkOverlaps refuses a provider in two templates at once. Templates at locations in
// different zones are compared as instants, on a winter and a summer reference week, since
// the same clock time is a different moment in Denver than in Chicago.
func (d *File) checkOverlaps() error {
	type iv struct {
		tmpl       int
		day        time.Weekday
		start, end int64
	}
	byProv := map[string][]iv{}
	for i, t := range d.Templates {
		loc, _ := d.Location(t.Location)
		days, _ := ParseWeekdays(t.Days)
		s, _ := ParseClock(t.Start)
		e, _ := ParseClock(t.End)
		for _, monday := range []int{5, 187} { // 5 Jan and 6 Jul 2026 are Mondays
			for k := range 7 {
				date := time.Date(2026, 1, monday+k, 0, 0, 0, 0, time.UTC)
				if !days.Has(date.Weekday()) {
					continue
				}
				y, m, dd := date.Date()
				from := time.Date(y, m, dd, s/60, s%60, 0, 0, loc.Zone()).Unix()
				to := time.Date(y, m, dd, e/60, e%60, 0, 0, loc.Zone()).Unix()
				for _, o := range byProv[t.Provider] {
					if o.tmpl != i && o.start < to && from < o.end {
						return problemf(fmt.Sprintf("templates[%d]", i),
							"provider %s is already working then (templates[%d], %s)", t.Provider, o.tmpl, o.day)
					}
				}
				byProv[t.Provider] = append(byProv[t.Provider], iv{i, date.Weekday(), from, to})
			}
		}
	}
	return nil
}

func (d *File) validateBlock(f string, b Block) error {
	p, okP := d.Provider(b.Provider)
	if b.Provider != "" && !okP {
		return problemf(f+".provider", "unknown provider %q", b.Provider)
	}
	if _, ok := d.Location(b.Location); b.Location != "" && !ok {
		return problemf(f+".location", "unknown location %q", b.Location)
	}
	if okP && b.Location != "" && !slices.Contains(p.Locations, b.Location) {
		return problemf(f+".location", "provider %s does not work at location %q, so the block would never apply", b.Provider, b.Location)
	}
	if _, bad := ParseWeekdays(b.Days); bad >= 0 {
		return problemf(fmt.Sprintf("%s.days[%d]", f, bad), "%q is not a weekday", b.Days[bad])
	}
	if _, err := parseSpan(f, b.Start, b.End); err != nil {
		return err
	}
	for _, x := range []struct{ key, val string }{{"from", b.From}, {"until", b.Until}} {
		if x.val != "" && !isDate(x.val) {
			return problemf(f+"."+x.key, "%q is not a date like 2026-12-25", x.val)
		}
	}
	// YYYY-MM-DD dates compare as strings.
	if b.From != "" && b.Until != "" && b.Until < b.From {
		return problemf(f+".until", "until %s is before from %s", b.Until, b.From)
	}
	return nil
}
