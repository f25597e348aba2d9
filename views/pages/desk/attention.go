package desk

import (
	"net/url"
	"time"

	"doorway/booking"
	"doorway/views"
	"doorway/views/components"
	"doorway/views/i18n"
)

// AttentionPage is the "Needs attention" list: a group per kind that has items, in
// booking.AttentionKinds' order, each item with the facts to act on and the forms that fit.
type AttentionPage struct {
	Page
	Notice  string                  // what came of the last retry or resolution
	Problem string                  // why the last retry or resolution could not be done
	Errors  []components.FieldError // a refused note, for the error summary
	Groups  []AttentionGroup
}

// AttentionGroup is the items of one kind, newest first.
type AttentionGroup struct {
	Kind, Heading, Todo string
	Items               []AttentionItem
}

// AttentionItem is one item: what it is, its facts, and its forms.
type AttentionItem struct {
	ID, Kind      string
	Title, Sub    string // "Booking", "moved from DW-…"
	Visit, Link   string // the visit number and its page ("" for a delivery from the EHR)
	LinkText      string
	Facts         []Fact
	CanRetry      bool
	Retry, Action string // the retry and resolve forms' actions
	Note          NoteField
}

// Fact is one line of an item: a label and its value, a phone number to call, or words as a
// machine said them.
type Fact struct {
	Label, Value string
	Tel          string // a tel: link for Value
	Machine      bool   // the EHR's or the decoder's words, shown as they came
}

// NoteField is an item's note, with what was typed and why it was refused.
type NoteField struct {
	ID, Label, Hint, Value, Error string
}

// DescribedBy is the note's aria-describedby: its hint and its error.
func (n NoteField) DescribedBy() string {
	if n.Error != "" {
		return n.ID + "-hint " + n.ID + "-error"
	}
	return n.ID + "-hint"
}

// RefusedNote is a note the server refused: the item, what was typed and the message.
type RefusedNote struct {
	Item, Value, Error string
}

// NewAttentionPage builds the list of items.
func NewAttentionPage(page Page, m *i18n.Messages, c *booking.Clinic, items []booking.Attention, notice, problem string, refused *RefusedNote) AttentionPage {
	t := m.Desk.Attention
	p := AttentionPage{Page: page, Notice: notice, Problem: problem}
	byKind := map[booking.AttentionKind][]AttentionItem{}
	for _, it := range items {
		item := newAttentionItem(m, c, it)
		if refused != nil && refused.Item == it.ID {
			item.Note.Value, item.Note.Error = refused.Value, refused.Error
			p.Errors = append(p.Errors, components.FieldError{Field: item.Note.ID, Message: refused.Error})
		}
		byKind[it.Kind] = append(byKind[it.Kind], item)
	}
	for _, k := range booking.AttentionKinds {
		if len(byKind[k]) > 0 {
			p.Groups = append(p.Groups, AttentionGroup{Kind: string(k), Heading: t.Headings[k], Todo: t.Todo[k], Items: byKind[k]})
		}
	}
	return p
}

func newAttentionItem(m *i18n.Messages, c *booking.Clinic, it booking.Attention) AttentionItem {
	t := m.Desk.Attention
	base := "/desk/attention/" + url.PathEscape(it.ID)
	item := AttentionItem{ID: it.ID, Kind: string(it.Kind), CanRetry: it.CanRetry, Retry: base + "/retry", Action: base + "/resolve",
		Note: NoteField{ID: "note-" + it.ID, Label: t.Note, Hint: t.NoteHint}}
	when := func(at time.Time, zone *time.Location) string {
		return m.Format.ShortDay(at.In(zone)) + " " + m.Format.Clock(at.In(zone))
	}
	home := c.Home().Zone()
	if it.Kind == booking.AttentionInbound {
		d := it.DeadLetter
		item.Title = t.Inbound(d.Event)
		item.Facts = []Fact{{Label: t.Received, Value: when(it.Since, home)}, {Label: t.Why, Value: t.Reasons[d.Reason()]}}
		if d.Field != "" {
			item.Facts = append(item.Facts, Fact{Label: t.Detail, Value: d.Field + ": " + d.Detail, Machine: true})
		} else if d.Detail != "" {
			item.Facts = append(item.Facts, Fact{Label: t.Detail, Value: d.Detail, Machine: true})
		}
		return item
	}
	a := it.Appointment
	item.Title, item.Visit = t.Messages[it.Message], a.VisitNumber
	item.Link, item.LinkText = "/desk/visit/"+url.PathEscape(a.VisitNumber), t.OpenVisit(a.VisitNumber)
	if it.Message == booking.OutboxNew && a.Replaces != "" {
		item.Sub = t.MovedFrom(a.Replaces)
	}
	loc := c.LocationOf(a.Location)
	visit := when(a.Start, loc.Zone()) + " · " + loc.Name
	if pr, ok := c.Provider(a.Provider.ID); ok {
		visit += " · " + pr.DisplayName()
	}
	item.Facts = append(item.Facts, Fact{Label: t.Patient, Value: a.Patient.FirstName + " " + a.Patient.LastName})
	if a.Patient.Phone != "" {
		item.Facts = append(item.Facts, Fact{Label: t.Phone, Value: views.Phone(a.Patient.Phone), Tel: views.TelURL(a.Patient.Phone)})
	}
	if a.Patient.Email != "" {
		item.Facts = append(item.Facts, Fact{Label: t.Email, Value: a.Patient.Email})
	}
	item.Facts = append(item.Facts, Fact{Label: t.Visit, Value: visit},
		Fact{Label: t.Since, Value: when(it.Since, home) + " · " + t.Attempts(it.Attempts)})
	if it.LastError != "" {
		said := t.Said
		if it.Kind == booking.AttentionEmail {
			said = t.MailSaid
		}
		item.Facts = append(item.Facts, Fact{Label: said, Value: it.LastError, Machine: true})
	}
	return item
}
