package desk

import (
	"strconv"
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// KiosksPage is the admin's list of kiosks: each with its location and state, a new code and
// a revoke; the form for a new one; and, once, the code just issued.
type KiosksPage struct {
	Page
	Issued   string // "The code for Lobby is K7M4-QXAC..." after a create or a new code, else ""
	Name     components.Field
	Location components.Select
	Kiosks   []KioskRow
}

// KioskRow is one kiosk in the list.
type KioskRow struct {
	ID                    string
	Name, Location, State string
	Revoked               bool
}

// NewKiosksPage builds the list; issued is the sentence naming a code just issued.
func NewKiosksPage(page Page, m *i18n.Messages, c *booking.Clinic, kiosks []booking.Kiosk, now time.Time, issued, name string, fe booking.FieldErrors) KiosksPage {
	t := m.Kiosk
	p := KiosksPage{Page: page, Issued: issued}
	p.Name = components.Field{Name: "name", Label: t.Name, Hint: t.NameHint, Type: "text", Value: name, MaxLength: booking.MaxKioskName,
		Error: problemOf(m, fe, "name"), Autocomplete: "off"}
	p.Location = components.Select{Name: "location", Label: t.Location, Error: problemOf(m, fe, "location")}
	for _, l := range c.Locations {
		p.Location.Options = append(p.Location.Options, components.Option{Value: l.ID, Label: l.Name})
	}
	zone := c.Home().Zone()
	for _, k := range kiosks {
		row := KioskRow{ID: strconv.FormatInt(k.ID, 10), Name: k.Name, Location: c.LocationOf(booking.LocationRef{ID: k.Location}).Name, Revoked: k.Revoked}
		switch {
		case k.Revoked:
			row.State = t.Revoked
		case !k.EnrolledAt.IsZero():
			row.State = t.Enrolled + " " + m.Format.ShortDay(k.EnrolledAt.In(zone))
		default:
			row.State = t.NotEnrolled
		}
		if k.Pending(now) {
			row.State += " · " + t.CodeWaits(m.Format.ShortDay(k.CodeExpires.In(zone))+" "+m.Format.Clock(k.CodeExpires.In(zone)))
		}
		p.Kiosks = append(p.Kiosks, row)
	}
	return p
}

// problemOf is the sentence for one field's error, "" when there is none.
func problemOf(m *i18n.Messages, fe booking.FieldErrors, field string) string {
	if msg, ok := fe[field]; ok {
		return m.Problem(msg, 422)
	}
	return ""
}
