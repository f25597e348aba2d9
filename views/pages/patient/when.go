package patient

import (
	"slices"
	"strings"
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// WhenPage is step 3: the date range, weekdays, time of day, providers and locations.
type WhenPage struct {
	Page
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

// whenFields is the order the when page's fields appear in, for the error summary.
var whenFields = []string{"from", "to", "days", "bands", "providers", "locations"}

// NewWhenPage builds the form from the catalogue (only providers who offer the visit type,
// and the locations they work at) and the preferences so far or as submitted.
func NewWhenPage(page Page, m *i18n.Messages, c *booking.Clinic, p booking.Preferences, today time.Time, fe booking.FieldErrors) WhenPage {
	w := WhenPage{Page: page, Errors: map[string]string{}}
	for _, f := range whenFields {
		if s := say(m, fe, f); s != "" {
			w.Errors[f] = s
		}
	}
	lo, hi := today.Format(time.DateOnly), today.AddDate(0, 0, booking.MaxAheadDays+booking.MaxSearchDays).Format(time.DateOnly)
	w.From = components.Field{Name: "from", Label: m.When.From, Type: "date", Value: p.From, Error: w.Errors["from"], Min: lo, Max: hi}
	w.To = components.Field{Name: "to", Label: m.When.To, Type: "date", Value: p.To, Error: w.Errors["to"], Min: lo, Max: hi}
	for d := time.Monday; d <= time.Monday+6; d++ {
		wd := d % 7
		w.Days = append(w.Days, Check{Value: strings.ToLower(wd.String()[:3]), Label: m.Format.Weekday(wd), Checked: slices.Contains(p.Days, wd)})
	}
	for _, b := range booking.Bands {
		w.Bands = append(w.Bands, Check{Value: strings.ToLower(string(b)), Label: m.When.Band[b], Hint: m.When.BandHint[b], Checked: slices.Contains(p.Bands, b)})
	}
	vt, _ := c.VisitType(p.VisitType)
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
		w.Providers = append(w.Providers, ProviderOption{ID: pr.ID, Name: pr.DisplayName(), Specialty: pr.Specialty.In(m.Lang),
			Speaks: speaks(m, pr.Languages), Where: m.When.WorksAt(where), Checked: slices.Contains(p.Providers, pr.ID)})
	}
	if len(c.Locations) > 1 {
		for _, l := range c.Locations {
			if used[l.ID] {
				w.Locations = append(w.Locations, LocationOption{ID: l.ID, Name: l.Name, Address: l.Address.OneLine(),
					Zone: m.Format.Zone(l.TimeZone), Checked: slices.Contains(p.Locations, l.ID)})
			}
		}
	}
	return w
}

// speaks is "Speaks English and Spanish" in the page's language ("" for none).
func speaks(m *i18n.Messages, codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = languageName(m, code)
	}
	return m.When.Speaks(names)
}

// languageName names an ISO 639-1 code in the page's language; unknown codes as given.
func languageName(m *i18n.Messages, code string) string {
	for _, l := range m.Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// ErrorList lists the page's errors in field order, each linked to its first control.
func (p WhenPage) ErrorList() []components.FieldError {
	var out []components.FieldError
	for _, f := range whenFields {
		if msg := p.Errors[f]; msg != "" {
			out = append(out, components.FieldError{Field: p.target(f), Message: msg})
		}
	}
	return out
}

func (p WhenPage) target(f string) string {
	switch {
	case f == "days":
		return "d-mon"
	case f == "bands":
		return "b-morning"
	case f == "providers" && len(p.Providers) > 0:
		return "p-" + p.Providers[0].ID
	case f == "locations" && len(p.Locations) > 0:
		return "l-" + p.Locations[0].ID
	}
	return f
}

// describedBy is the aria-describedby of a fieldset with a hint and maybe an error.
func (p WhenPage) describedBy(name string) string {
	if p.Errors[name] != "" {
		return name + "-hint " + name + "-error"
	}
	return name + "-hint"
}
