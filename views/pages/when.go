package pages

import (
	"slices"
	"strings"
	"time"

	"doorway/booking"
	"doorway/views"
	"doorway/views/components"
)

// WhenPage is step 3: the date range, weekdays, time of day, providers and locations.
type WhenPage struct {
	views.Page
	From, To  components.Field
	Days      []Check
	Bands     []Check
	Providers []ProviderOption
	Locations []LocationOption // empty when the clinic has one location
	Errors    map[string]string
}

// Check is one checkbox.
type Check struct {
	Value, Label, Hint string
	Checked            bool
}

// ProviderOption is one provider the patient may ask for.
type ProviderOption struct {
	ID        string
	Name      string // "Maya Okafor, MD"
	Specialty string
	Speaks    string // "Speaks English and Spanish"
	Where     string // "At Kearney and North Platte"
	Checked   bool
}

// LocationOption is one clinic location.
type LocationOption struct {
	ID, Name, Address, Zone string
	Checked                 bool
}

// WhenAnswers are the patient's answers as the form carries them.
type WhenAnswers struct {
	From, To  string // YYYY-MM-DD
	Days      []time.Weekday
	Bands     []booking.Band
	Providers []string
	Locations []string
}

// NewWhenPage builds the form from the catalogue (only providers who offer vt, and the
// locations they work at) and the current answers.
func NewWhenPage(page views.Page, c *booking.Clinic, vt booking.VisitType, a WhenAnswers, today time.Time, errs map[string]string) WhenPage {
	p := WhenPage{Page: page, Errors: errs}
	min, max := today.Format(time.DateOnly), today.Add(booking.MaxWindow-24*time.Hour).Format(time.DateOnly)
	p.From = components.Field{Name: "from", Label: "From", Type: "date", Value: a.From, Error: errs["from"], Min: min, Max: max}
	p.To = components.Field{Name: "to", Label: "To", Type: "date", Value: a.To, Error: errs["to"], Min: min, Max: max}
	for d := time.Monday; d <= time.Monday+6; d++ {
		wd := d % 7
		p.Days = append(p.Days, Check{Value: strings.ToLower(wd.String()[:3]), Label: wd.String(), Checked: slices.Contains(a.Days, wd)})
	}
	hints := map[booking.Band]string{booking.Morning: "Before noon", booking.Afternoon: "Noon to 5 pm", booking.Evening: "After 5 pm"}
	for _, b := range booking.Bands {
		p.Bands = append(p.Bands, Check{Value: strings.ToLower(string(b)), Label: string(b), Hint: hints[b], Checked: slices.Contains(a.Bands, b)})
	}
	used := map[string]bool{}
	for _, pr := range c.Providers {
		if !vt.OfferedBy(pr.ID) {
			continue
		}
		var where []string
		for _, id := range pr.Locations {
			used[id] = true
			if l, ok := c.Location(id); ok {
				where = append(where, l.Name)
			}
		}
		p.Providers = append(p.Providers, ProviderOption{ID: pr.ID, Name: pr.DisplayName(), Specialty: pr.Specialty,
			Speaks: views.Speaks(pr.Languages), Where: "At " + views.List(where), Checked: slices.Contains(a.Providers, pr.ID)})
	}
	if len(c.Locations) > 1 {
		for _, l := range c.Locations {
			if used[l.ID] {
				p.Locations = append(p.Locations, LocationOption{ID: l.ID, Name: l.Name, Address: l.Address.OneLine(),
					Zone: views.ZoneName(l.Zone()), Checked: slices.Contains(a.Locations, l.ID)})
			}
		}
	}
	return p
}

// WhenFields is the order the when page's fields appear in, for the error summary.
var WhenFields = []string{"from", "to", "days", "bands", "providers", "locations"}

// ErrorList lists the page's errors in field order.
func (p WhenPage) ErrorList() []fieldError {
	var out []fieldError
	for _, f := range WhenFields {
		if m := p.Errors[f]; m != "" {
			target := f
			switch f {
			case "days":
				target = "d-mon"
			case "bands":
				target = "b-morning"
			case "providers":
				if len(p.Providers) > 0 {
					target = "p-" + p.Providers[0].ID
				}
			case "locations":
				if len(p.Locations) > 0 {
					target = "l-" + p.Locations[0].ID
				}
			}
			out = append(out, fieldError{Field: target, Message: m})
		}
	}
	return out
}

// describedBy is the aria-describedby of a fieldset with a hint and maybe an error.
func (p WhenPage) describedBy(name string) string {
	if p.Errors[name] != "" {
		return name + "-hint " + name + "-error"
	}
	return name + "-hint"
}
