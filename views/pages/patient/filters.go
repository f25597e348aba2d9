package patient

import (
	"slices"
	"strings"
	"time"

	"doorway/booking"
	"doorway/views/components"
	"doorway/views/i18n"
)

// FilterForm is the compact form above the open times: dates, weekdays, times of day, and
// the providers as a few narrowing fields (a name, a location, a specialty, a language) rather
// than a checkbox per provider, so it stays short with 200 of them.
type FilterForm struct {
	From, To  components.Field
	Days      []Check
	Bands     []Check
	Location  components.Select // empty options when the clinic has one location
	Who       components.Field
	Specialty components.Select // empty options when every provider has one specialty
	Speaks    components.Select
	Errors    []components.FieldError
	Open      bool // shown open: it has errors to fix
}

// Check is one checkbox.
type Check struct {
	Value, Label, Hint string
	Checked            bool
}

// filterFields are the form's fields in order, for the error summary.
var filterFields = []string{"from", "to", "days", "bands", "locations", "who", "specialty", "speaks", "providers"}

// NewFilterForm builds the form from the catalogue and the preferences (as submitted, when
// they did not apply, with fe beside them).
func NewFilterForm(m *i18n.Messages, c *booking.Clinic, p booking.Preferences, fe booking.FieldErrors) FilterForm {
	t := m.Filters
	f := FilterForm{Open: len(fe) > 0}
	f.From = components.Field{Name: "from", Label: t.From, Type: "date", Value: p.From, Error: say(m, fe, "from")}
	f.To = components.Field{Name: "to", Label: t.To, Type: "date", Value: p.To, Error: say(m, fe, "to")}
	for d := time.Monday; d <= time.Monday+6; d++ {
		wd := d % 7
		f.Days = append(f.Days, Check{Value: strings.ToLower(wd.String()[:3]), Label: m.Format.Weekday(wd), Checked: slices.Contains(p.Days, wd)})
	}
	for _, b := range booking.Bands {
		f.Bands = append(f.Bands, Check{Value: strings.ToLower(string(b)), Label: t.Band[b], Hint: t.BandHint[b], Checked: slices.Contains(p.Bands, b)})
	}
	f.Location = components.Select{Name: "locations", Label: t.Location, Error: say(m, fe, "locations")}
	if len(p.Locations) == 1 {
		f.Location.Value = p.Locations[0]
	}
	if len(c.Locations) > 1 {
		f.Location.Options = append(f.Location.Options, components.Option{Value: "", Label: t.AnyLocation})
		for _, l := range c.Locations {
			f.Location.Options = append(f.Location.Options, components.Option{Value: l.ID, Label: l.Name})
		}
	}
	f.Who = components.Field{Name: "who", Label: t.Who, Hint: t.WhoHint, Type: "text", Value: p.Who, Error: say(m, fe, "who"),
		Autocomplete: "off", MaxLength: 60}
	f.Specialty, f.Speaks = providerSelects(m, c, p)
	f.Errors = fieldErrors(m, fe, filterFields, func(field string) string {
		switch field {
		case "days":
			return "d-mon"
		case "bands":
			return "b-morning"
		case "providers":
			return "who"
		}
		return field
	})
	return f
}

// providerSelects are the specialty and language choices the clinic's providers offer.
func providerSelects(m *i18n.Messages, c *booking.Clinic, p booking.Preferences) (specialty, speaks components.Select) {
	t := m.Filters
	specialty = components.Select{Name: "specialty", Label: t.Specialty, Value: p.Specialty}
	speaks = components.Select{Name: "speaks", Label: t.Speaks, Value: p.Speaks}
	var specs, langs []string
	for _, pr := range c.Providers {
		if s := pr.Specialty.String(); s != "" && !slices.Contains(specs, s) {
			specs = append(specs, s)
		}
		for _, l := range pr.Languages {
			if !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
	}
	if len(specs) > 1 {
		specialty.Options = append(specialty.Options, components.Option{Value: "", Label: t.AnySpecialty})
		for _, pr := range c.Providers {
			if s := pr.Specialty.String(); s != "" && !slices.ContainsFunc(specialty.Options, func(o components.Option) bool { return o.Value == s }) {
				specialty.Options = append(specialty.Options, components.Option{Value: s, Label: pr.Specialty.In(m.Lang)})
			}
		}
	}
	if len(langs) > 1 {
		speaks.Options = append(speaks.Options, components.Option{Value: "", Label: t.AnyLanguage})
		for _, l := range m.Languages {
			if slices.Contains(langs, l.Code) {
				speaks.Options = append(speaks.Options, components.Option{Value: l.Code, Label: l.Name})
			}
		}
	}
	return specialty, speaks
}

// speaks is "Speaks English and Spanish" in the page's language; "" for none, or for only
// the page's own language (an English page need not say a provider speaks English).
func speaks(m *i18n.Messages, codes []string) string {
	if len(codes) == 0 || (len(codes) == 1 && codes[0] == m.Lang) {
		return ""
	}
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = languageName(m, code)
	}
	return m.Filters.ProviderSpeaks(names)
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

// errorOf is the message of the summary entry linking to target, "" when none.
func errorOf(errs []components.FieldError, target string) string {
	for _, e := range errs {
		if e.Field == target {
			return e.Message
		}
	}
	return ""
}
