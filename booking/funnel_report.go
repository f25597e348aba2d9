package booking

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// The admin's view of the funnel: the counts of a range of days, day by day, in total, and by
// reason and by visit type.

// Funnel ranges, in clinic days.
const (
	DefaultFunnelDays = 14  // the last two weeks, today included
	MaxFunnelDays     = 366 // a year
)

// FunnelFilter is what the admin asks for: the clinic dates From to To (YYYY-MM-DD, inclusive;
// by default the DefaultFunnelDays up to today) and, when not empty, one reason, one visit
// type, one channel.
type FunnelFilter struct {
	From, To          string
	Reason, VisitType string
	Channel           Channel
}

// FunnelRow is the counts of one day, one group or the total.
type FunnelRow struct {
	Searches    int64 // every search, those with no fitting time included
	NoFit       int64 // searches that found no fitting time
	Holds       int64
	Bookings    int64
	Cancels     int64
	Reschedules int64
}

// add adds n events of e.
func (r *FunnelRow) add(e FunnelEvent, n int64) {
	switch e {
	case EventSearch:
		r.Searches += n
	case EventNoFit:
		r.NoFit += n
	case EventHold:
		r.Holds += n
	case EventBooking:
		r.Bookings += n
	case EventCancel:
		r.Cancels += n
	case EventReschedule:
		r.Reschedules += n
	}
}

// Conversion is bookings per search, in percent; ok is false without searches.
func (r FunnelRow) Conversion() (pct float64, ok bool) { return percent(r.Bookings, r.Searches) }

// NoFitShare is the searches that found no fitting time, in percent of all searches.
func (r FunnelRow) NoFitShare() (pct float64, ok bool) { return percent(r.NoFit, r.Searches) }

func percent(part, whole int64) (float64, bool) {
	if whole <= 0 {
		return 0, false
	}
	return 100 * float64(part) / float64(whole), true
}

// FunnelDay is one day's counts.
type FunnelDay struct {
	Day string // YYYY-MM-DD
	FunnelRow
}

// FunnelGroup is the counts of one reason or visit type.
type FunnelGroup struct {
	Code string // a reason id or code (ReasonTyped...), or a visit type code
	FunnelRow
}

// FunnelReport is the funnel for a filter.
type FunnelReport struct {
	Filter     FunnelFilter // as applied, the default dates filled in
	Days       []FunnelDay  // every day of the range, newest first, zeros included
	Total      FunnelRow
	Reasons    []FunnelGroup // the range's reasons, most searched first
	VisitTypes []FunnelGroup // the range's visit types, most searched first
}

// FunnelReader is what the funnel's view reads. Implemented by store.
type FunnelReader interface {
	FunnelCounts(ctx context.Context, q FunnelQuery) ([]FunnelCount, error)
}

// Funnel reports the counts f picks. What this instance counted and has not written yet is
// written first, so the page is current.
func (s *Service) Funnel(ctx context.Context, f FunnelFilter) (FunnelReport, error) {
	r, ok := s.appts.(FunnelReader)
	if !ok {
		return FunnelReport{}, &Error{Code: CodeUnavailable, Msg: MsgNotEnabled, Detail: "the funnel's store is not wired"}
	}
	f, from, to, err := s.funnelRange(f)
	if err != nil {
		return FunnelReport{}, err
	}
	if fl, ok := s.counter.(interface{ Flush(context.Context) error }); ok {
		if err := fl.Flush(ctx); err != nil {
			s.log.WarnContext(ctx, "funnel flush failed", "err", err)
		}
	}
	counts, err := r.FunnelCounts(ctx, FunnelQuery(f))
	if err != nil {
		return FunnelReport{}, err
	}
	rep := FunnelReport{Filter: f}
	index := map[string]int{}
	for d := to; !d.Before(from); d = d.AddDate(0, 0, -1) {
		index[d.Format(time.DateOnly)] = len(rep.Days)
		rep.Days = append(rep.Days, FunnelDay{Day: d.Format(time.DateOnly)})
	}
	reasons, types := map[string]*FunnelRow{}, map[string]*FunnelRow{}
	for _, c := range counts {
		if i, ok := index[c.Day]; ok {
			rep.Days[i].add(c.Event, c.N)
		}
		rep.Total.add(c.Event, c.N)
		groupRow(reasons, c.Reason).add(c.Event, c.N)
		groupRow(types, c.VisitType).add(c.Event, c.N)
	}
	rep.Reasons, rep.VisitTypes = groups(reasons), groups(types)
	return rep, nil
}

// funnelRange checks f and fills in its default dates, returning the first and last day.
func (s *Service) funnelRange(f FunnelFilter) (FunnelFilter, time.Time, time.Time, error) {
	today := s.Today()
	to, from := today, today.AddDate(0, 0, 1-DefaultFunnelDays)
	var err error
	if f.To != "" {
		if to, err = time.Parse(time.DateOnly, f.To); err != nil {
			return f, from, to, Invalid("to", MsgToFormat)
		}
		from = to.AddDate(0, 0, 1-DefaultFunnelDays)
	}
	if f.From != "" {
		if from, err = time.Parse(time.DateOnly, f.From); err != nil {
			return f, from, to, Invalid("from", MsgFromFormat)
		}
	}
	// Calendar dates, not instants: compared and stepped as dates at midnight UTC.
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case to.Before(from):
		return f, from, to, Invalid("to", MsgToBeforeFrom)
	case to.Sub(from) >= MaxFunnelDays*24*time.Hour:
		return f, from, to, Invalid("from", MsgFunnelSpan)
	}
	if _, ok := s.clinic.Reason(f.Reason); !ok && f.Reason != "" && f.Reason != ReasonTyped && f.Reason != ReasonNone && f.Reason != ReasonUnknown {
		return f, from, to, Invalid("reason", MsgReasonUnknown)
	}
	if _, ok := s.clinic.VisitType(f.VisitType); !ok && f.VisitType != "" {
		return f, from, to, Invalid("visit_type", MsgVisitTypeUnknown)
	}
	if f.Channel != ChannelWeb && f.Channel != ChannelDesk && f.Channel != ChannelClinic && f.Channel != ChannelKiosk {
		f.Channel = ""
	}
	f.From, f.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	return f, from, to, nil
}

func groupRow(m map[string]*FunnelRow, code string) *FunnelRow {
	r := m[code]
	if r == nil {
		r = &FunnelRow{}
		m[code] = r
	}
	return r
}

// groups are m's rows, most searched first, then by most bookings, then by code.
func groups(m map[string]*FunnelRow) []FunnelGroup {
	out := make([]FunnelGroup, 0, len(m))
	for code, r := range m {
		out = append(out, FunnelGroup{Code: code, FunnelRow: *r})
	}
	slices.SortFunc(out, func(a, b FunnelGroup) int {
		return cmp.Or(cmp.Compare(b.Searches, a.Searches), cmp.Compare(b.Bookings, a.Bookings), cmp.Compare(a.Code, b.Code))
	})
	return out
}
