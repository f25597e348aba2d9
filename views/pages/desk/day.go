package desk

import (
	"net/url"
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// DayPage is the day view: every provider of a location as a column.
type DayPage struct {
	Page
	Heading    string
	Date       string // YYYY-MM-DD
	Location   components.Select
	Provider   components.Select // everyone, or one provider of the location
	Prev, Next string            // the day before and after, same location
	Today      string
	Columns    []Column
	Stale      bool   // the EHR did not answer in time
	Empty      bool   // no provider works at this location
	Gen        string // the service's generation when built: app.js reloads when it moves
}

// Column is one provider's day.
type Column struct {
	ID, Name, Meta string
	Items          []Item
}

// Item is one line of a provider's day.
type Item struct {
	Kind        string // booking.DayVisit, DayHold, DayBlock, DayOpen
	Time        string // "9:00 AM"
	Label       string // the patient, "Being booked online", "Blocked", "Open"
	Opens       bool   // the label links to the visit's page (a visit Doorway has)
	Detail      string // the visit type and status
	Status      string
	VisitNumber string
	Override    string // the rules a visit booked by the desk bends, named ("" when none)
	Source      string // where a visit was booked when it says: "kiosk: Lobby tablet"
}

// NewDayPage builds the day view of d, of every provider or only of provider (an id).
func NewDayPage(page Page, m *i18n.Messages, c *booking.Clinic, d booking.Day, provider string) DayPage {
	t := m.Desk
	zone := d.Location.Zone()
	day, _ := time.ParseInLocation(time.DateOnly, d.Date, zone)
	p := DayPage{Page: page, Heading: t.DayOf(m.Format.DayYear(day), d.Location.Name), Date: d.Date, Stale: d.EHRStale, Empty: len(d.Columns) == 0}
	p.Location = components.Select{Name: "location", Label: t.Location, Value: d.Location.ID}
	for _, l := range c.Locations {
		p.Location.Options = append(p.Location.Options, components.Option{Value: l.ID, Label: l.Name})
	}
	p.Provider = components.Select{Name: "provider", Label: t.Provider, Options: []components.Option{{Value: "", Label: t.Everyone}}}
	for _, col := range d.Columns {
		p.Provider.Options = append(p.Provider.Options, components.Option{Value: col.Provider.ID, Label: col.Provider.DisplayName()})
		if col.Provider.ID == provider {
			p.Provider.Value = provider
		}
	}
	keep := url.Values{"location": {d.Location.ID}}
	if p.Provider.Value != "" {
		keep.Set("provider", p.Provider.Value)
	}
	link := func(date time.Time) string {
		q := url.Values{"date": {date.Format(time.DateOnly)}}
		for k, v := range keep {
			q[k] = v
		}
		return "/desk?" + q.Encode()
	}
	p.Prev, p.Next, p.Today = link(day.AddDate(0, 0, -1)), link(day.AddDate(0, 0, 1)), "/desk?"+keep.Encode()
	for _, col := range d.Columns {
		if p.Provider.Value != "" && col.Provider.ID != p.Provider.Value {
			continue
		}
		pc := Column{ID: "p-" + col.Provider.ID, Name: col.Provider.DisplayName(), Meta: col.Provider.Specialty.In(m.Lang)}
		for _, it := range col.Items {
			item := Item{Kind: it.Kind, Time: m.Format.Clock(it.Start.In(zone)), VisitNumber: it.VisitNumber, Status: string(it.Status)}
			switch it.Kind {
			case booking.DayVisit:
				item.Label = it.Patient
				if item.Label == " " || item.Label == "" {
					item.Label = t.Booked
				}
				item.Opens = it.Doorway
				item.Detail = t.Status[it.Status]
				if !it.Doorway {
					item.Detail = t.InEHR
				}
				if vt, ok := c.VisitType(it.VisitType.Code); ok {
					item.Detail = vt.Name.In(m.Lang) + " · " + item.Detail
				}
				if it.Kiosk != "" {
					item.Source = m.Kiosk.Source(it.Kiosk)
				}
				for i, r := range it.Override.Rules {
					if i > 0 {
						item.Override += ", "
					}
					item.Override += t.Rules[r]
				}
			case booking.DayHold:
				item.Label = t.Holding
			case booking.DayBlock:
				item.Label = t.Blocked
			case booking.DayOpen:
				item.Label = t.Open
			}
			pc.Items = append(pc.Items, item)
		}
		p.Columns = append(p.Columns, pc)
	}
	return p
}
