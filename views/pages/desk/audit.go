package desk

import (
	"cmp"
	"net/url"
	"strconv"
	"strings"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// AuditPage is the admin's view of the audit log: filters, then a table, newest first.
type AuditPage struct {
	Page
	Day, Visit    components.Field
	Staff, Action components.Select
	Rows          []AuditRow
	CSV           string // the same rows as CSV
	Capped        bool   // more rows than shown
}

// AuditRow is one audit entry in words.
type AuditRow struct {
	At, Action, Who, Visit, Other, From, Detail string
}

// NewAuditPage builds the view of entries, picked by f; staff names the accounts.
func NewAuditPage(page Page, m *i18n.Messages, c *booking.Clinic, f booking.AuditFilter, staff []booking.Staff, entries []booking.AuditEntry) AuditPage {
	t := m.Desk
	p := AuditPage{Page: page, Capped: len(entries) >= booking.MaxAuditRows}
	p.Day = components.Field{Name: "day", Label: t.Date, Type: "date", Value: f.Day}
	p.Visit = components.Field{Name: "visit", Label: t.VisitNumber, Type: "text", Value: f.VisitNumber, MaxLength: 40}
	p.Staff = components.Select{Name: "staff", Label: t.StaffMember, Value: f.Actor, Options: []components.Option{{Value: "", Label: t.Anyone}}}
	names := map[string]string{}
	for _, s := range staff {
		key := "staff:" + itoa(s.ID)
		names[key] = s.Name
		p.Staff.Options = append(p.Staff.Options, components.Option{Value: key, Label: s.Name + " (" + s.Email + ")"})
	}
	p.Action = components.Select{Name: "action", Label: t.Action, Value: f.Action, Options: []components.Option{{Value: "", Label: t.AnyAction}}}
	for _, a := range booking.AuditActions {
		p.Action.Options = append(p.Action.Options, components.Option{Value: a, Label: t.Actions[a]})
	}
	zone := c.Home().Zone()
	for _, e := range entries {
		who := t.Patient
		switch {
		case names[e.Actor.Session] != "":
			who = names[e.Actor.Session]
		case e.Actor.Kind == "staff":
			who = t.StaffSignIn
		case e.Actor.Kind == booking.ActorKiosk:
			who = m.Kiosk.Source(e.Detail)
		}
		p.Rows = append(p.Rows, AuditRow{At: m.Format.ShortDay(e.At.In(zone)) + " " + m.Format.Clock(e.At.In(zone)),
			Action: t.Actions[e.Action], Who: who, Visit: e.VisitNumber, Other: e.OtherVisit, From: e.Actor.IP,
			Detail: detail(t, e)})
	}
	q := url.Values{"day": {f.Day}, "staff": {f.Actor}, "visit": {f.VisitNumber}, "action": {f.Action}}
	p.CSV = "/desk/audit.csv?" + q.Encode()
	return p
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// detail is an audit row's details in words: an override's rules and reason named as the
// booking screen names them.
func detail(t i18n.DeskPages, e booking.AuditEntry) string {
	o, ok := booking.ParseOverride(e.Detail)
	if e.Action != booking.AuditOverride || !ok {
		return e.Detail
	}
	return OverrideText(t, o)
}

// OverrideText is an override in words: "beyond the booking horizon, staff-only visit type:
// Clinically urgent (the note)".
func OverrideText(t i18n.DeskPages, o booking.Override) string {
	names := make([]string, len(o.Rules))
	for i, r := range o.Rules {
		names[i] = t.Rules[r]
	}
	s := strings.Join(names, ", ") + ": " + cmp.Or(t.OverrideReasons[o.Reason], o.Reason)
	if o.Note != "" {
		s += " (" + o.Note + ")"
	}
	return s
}
