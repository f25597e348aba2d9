package desk

import (
	"math"
	"net/url"
	"strconv"
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// FunnelPage is the admin's booking numbers: a filter, then the counts by day with their
// total, by reason and by visit type.
type FunnelPage struct {
	Page
	From, To                   components.Field
	Reason, VisitType, Channel components.Select
	Errors                     []components.FieldError
	Shown                      bool   // a report is shown (not when the filter was refused)
	Range                      string // the days shown, in words
	Days                       []FunnelRow
	Total                      FunnelRow
	Reasons, VisitTypes        []FunnelRow
	CSV                        string // the days as CSV; with &by=reason or &by=visit_type the groups
	Empty                      bool   // nothing counted in the range
}

// FunnelRow is one row of numbers, written out.
type FunnelRow struct {
	Label, Date                                string // Date: YYYY-MM-DD, on a day's row
	Searches, NoFit, NoFitShare, Holds         string
	Bookings, Conversion, Cancels, Reschedules string
	Quiet                                      bool // nothing counted
}

// NewFunnelPage builds the page for the filter f. r is the report, nil when f was refused
// (fe says why, beside its field).
func NewFunnelPage(page Page, m *i18n.Messages, c *booking.Clinic, f booking.FunnelFilter, r *booking.FunnelReport, fe booking.FieldErrors) FunnelPage {
	t := m.Funnel
	if r != nil {
		f = r.Filter
	}
	p := FunnelPage{Page: page}
	p.From = components.Field{Name: "from", Label: t.From, Type: "date", Value: f.From}
	p.To = components.Field{Name: "to", Label: t.To, Type: "date", Value: f.To}
	p.Reason = components.Select{Name: "reason", Label: t.Reason, Value: f.Reason, Options: []components.Option{{Value: "", Label: t.AnyReason}}}
	for _, rs := range c.Reasons {
		if !rs.RedFlag {
			p.Reason.Options = append(p.Reason.Options, components.Option{Value: rs.ID, Label: rs.Label.In(m.Lang)})
		}
	}
	for _, code := range []string{booking.ReasonTyped, booking.ReasonNone, booking.ReasonUnknown} {
		p.Reason.Options = append(p.Reason.Options, components.Option{Value: code, Label: reasonLabel(m, c, code)})
	}
	p.VisitType = components.Select{Name: "visit_type", Label: t.VisitType, Value: f.VisitType, Options: []components.Option{{Value: "", Label: t.AnyVisitType}}}
	for _, vt := range c.VisitTypes {
		p.VisitType.Options = append(p.VisitType.Options, components.Option{Value: vt.Code, Label: vt.Name.In(m.Lang)})
	}
	p.Channel = components.Select{Name: "channel", Label: t.Channel, Value: string(f.Channel), Options: []components.Option{{Value: "", Label: t.AnyChannel}}}
	for _, ch := range []booking.Channel{booking.ChannelWeb, booking.ChannelDesk, booking.ChannelKiosk, booking.ChannelClinic} {
		p.Channel.Options = append(p.Channel.Options, components.Option{Value: string(ch), Label: t.Channels[ch]})
	}
	for _, name := range []string{"from", "to", "reason", "visit_type"} {
		if msg, ok := fe[name]; ok {
			text := m.Problem(msg, 422)
			switch name {
			case "from":
				p.From.Error = text
			case "to":
				p.To.Error = text
			case "reason":
				p.Reason.Error = text
			case "visit_type":
				p.VisitType.Error = text
			}
			p.Errors = append(p.Errors, components.FieldError{Field: name, Message: text})
		}
	}
	if r == nil {
		return p
	}
	p.Shown = true
	from, _ := time.Parse(time.DateOnly, f.From)
	to, _ := time.Parse(time.DateOnly, f.To)
	p.Range = t.Range(m.Format.DayYear(from), m.Format.DayYear(to))
	for _, d := range r.Days {
		day, _ := time.Parse(time.DateOnly, d.Day)
		row := rowOf(m.Format.ShortDay(day), d.FunnelRow)
		row.Date = d.Day
		p.Days = append(p.Days, row)
	}
	p.Total = rowOf(t.Total, r.Total)
	p.Empty = r.Total == booking.FunnelRow{}
	for _, g := range r.Reasons {
		p.Reasons = append(p.Reasons, rowOf(reasonLabel(m, c, g.Code), g.FunnelRow))
	}
	for _, g := range r.VisitTypes {
		label := t.NoVisitType
		if vt, ok := c.VisitType(g.Code); ok {
			label = vt.Name.In(m.Lang)
		}
		p.VisitTypes = append(p.VisitTypes, rowOf(label, g.FunnelRow))
	}
	q := url.Values{"from": {f.From}, "to": {f.To}, "reason": {f.Reason}, "visit_type": {f.VisitType}, "channel": {string(f.Channel)}}
	p.CSV = "/desk/funnel.csv?" + q.Encode()
	return p
}

// reasonLabel is a reason code in words: the catalogue's label, or what the code stands for.
func reasonLabel(m *i18n.Messages, c *booking.Clinic, code string) string {
	t := m.Funnel
	switch code {
	case booking.ReasonTyped:
		return t.ReasonTyped
	case booking.ReasonNone:
		return t.ReasonNone
	case booking.ReasonUnknown:
		return t.ReasonUnknown
	}
	if r, ok := c.Reason(code); ok {
		return r.Label.In(m.Lang)
	}
	return code // a reason the clinic file no longer has: its id, as counted
}

func rowOf(label string, r booking.FunnelRow) FunnelRow {
	share := ""
	if r.Searches > 0 { // a share of nothing says nothing: the conversion column's dash does
		share = Percent(r.NoFitShare())
	}
	return FunnelRow{Label: label, Searches: Count(r.Searches), NoFit: Count(r.NoFit), NoFitShare: share,
		Holds: Count(r.Holds), Bookings: Count(r.Bookings), Conversion: Percent(r.Conversion()), Cancels: Count(r.Cancels),
		Reschedules: Count(r.Reschedules), Quiet: r == booking.FunnelRow{}}
}

// Count writes n with its thousands grouped by commas, as both en-US and US Spanish do.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + Count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Percent writes a share as whole percent ("<1%" for a share under half a percent but not
// none: small numbers do not deserve decimals), "–" when there is no share (nothing to divide
// by).
func Percent(pct float64, ok bool) string {
	switch {
	case !ok:
		return "–"
	case pct > 0 && pct < 0.5:
		return "<1%"
	}
	return strconv.Itoa(int(math.Round(pct))) + "%"
}
