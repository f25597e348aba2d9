package booking

import (
	"slices"
	"strings"
	"time"
)

// Search limits. One limit on a search's length, in clinic days; the query window (MaxWindow)
// follows from it.
const (
	DefaultSearchDays = 7   // a new search covers the next week
	MaxSearchDays     = 90  // a search covers at most 90 days
	MaxAheadDays      = 365 // nobody books more than a year ahead online
)

// Preferences are a person's answers to "what and when": the reason, the visit type and
// what suits them. The service turns them into one AvailableSlots query (Query) and holds
// the EHR's answer to them. The patient wizard keeps them in the session; the front desk and
// the kiosk build them from their own forms.
type Preferences struct {
	ReasonID   string         `json:",omitzero"` // a catalogue reason id, or "" when typed
	ReasonText string         `json:",omitzero"` // what the person typed (PHI): never logged, never in a URL
	VisitType  string         `json:",omitzero"` // visit type code
	From, To   string         `json:",omitzero"` // clinic-local dates YYYY-MM-DD, inclusive; "" until chosen
	Days       []time.Weekday `json:",omitzero"`
	Bands      []Band         `json:",omitzero"`
	Providers  []string       `json:",omitzero"` // provider ids; empty = anyone who offers the visit type
	Locations  []string       `json:",omitzero"` // location ids; empty = anywhere
	// Provider filters, as the person gave them: when any is set, Providers are the
	// providers offering the visit type who match them all.
	Who       string `json:",omitzero"` // part of a provider's name
	Specialty string `json:",omitzero"` // a specialty, as the clinic file names it in DefaultLang
	Speaks    string `json:",omitzero"` // an ISO 639-1 language the provider speaks
}

// HasReason reports whether a reason was given.
func (p Preferences) HasReason() bool { return p.ReasonID != "" || p.ReasonText != "" }

// ReasonWords is the reason as the clinic reads it: the catalogue label in DefaultLang, or
// what was typed.
func (p Preferences) ReasonWords(c *Clinic) string {
	if r, ok := c.Reason(p.ReasonID); ok {
		return r.Label.String()
	}
	return p.ReasonText
}

// WithReason records a reason. A new reason asks the visit type again whenever more than
// one fits (a child's sports physical is not the adult's physical chosen for the last
// reason); when exactly one fits, it is chosen and the visit-type step asks nothing.
func (p Preferences) WithReason(c *Clinic, r ReasonChoice) Preferences {
	changed := r.ID != p.ReasonID || r.Typed != p.ReasonText
	p.ReasonID, p.ReasonText = r.ID, r.Typed
	opts := c.VisitTypesFor(p.ReasonID, SeenUnasked)
	if changed || !slices.ContainsFunc(opts, func(v VisitType) bool { return v.Code == p.VisitType }) {
		p.VisitType = ""
	}
	if len(opts) == 1 {
		p.VisitType = opts[0].Code
	}
	return p.fitProviders(c)
}

// WithVisitType records the visit type, letting go of chosen providers who do not offer it.
func (p Preferences) WithVisitType(c *Clinic, code string) Preferences {
	p.VisitType = code
	return p.fitProviders(c)
}

// fitProviders drops chosen providers who do not offer the visit type.
func (p Preferences) fitProviders(c *Clinic) Preferences {
	vt, _ := c.VisitType(p.VisitType)
	p.Providers = slices.DeleteFunc(slices.Clone(p.Providers), func(id string) bool { return !vt.OfferedBy(id) })
	if len(p.Providers) == 0 {
		p.Who, p.Specialty, p.Speaks = "", "", ""
	}
	return p
}

// Shift moves the dates by days (a week on, a week back), never before today nor past the
// bookable year.
func (p Preferences) Shift(days int, today time.Time) (Preferences, error) {
	from, err1 := time.Parse(time.DateOnly, p.From)
	to, err2 := time.Parse(time.DateOnly, p.To)
	if err1 != nil || err2 != nil {
		return p, Invalid("from", MsgFromMissing)
	}
	span := to.Sub(from)
	from = from.AddDate(0, 0, days)
	if first := civil(today); from.Before(first) {
		from = first
	}
	if from.After(civil(today).AddDate(0, 0, MaxAheadDays)) {
		return p, Invalid("from", MsgFromTooFar)
	}
	p.From, p.To = from.Format(time.DateOnly), from.Add(span).Format(time.DateOnly)
	return p, nil
}

// WithDefaultDates fills in the next DefaultSearchDays days from today when no dates were
// chosen yet.
func (p Preferences) WithDefaultDates(today time.Time) Preferences {
	if p.From == "" && p.To == "" {
		p.From = today.Format(time.DateOnly)
		p.To = today.AddDate(0, 0, DefaultSearchDays-1).Format(time.DateOnly)
	}
	return p
}

// PreferencesForm is the "when and where" form as typed: dates as the date input (or a
// browser without one) sends them, the ticked boxes' values.
type PreferencesForm struct {
	From, To                          string
	Days, Bands, Providers, Locations []string
	Who, Specialty, Speaks            string // provider filters; any set overrides Providers
}

// ApplyForm reads f into p: dates are normalised to YYYY-MM-DD where they parse and kept as
// typed where not (so the form re-renders with what was typed), ticked boxes become weekdays,
// bands, providers and locations. The result is checked with Validate.
func (c *Clinic) ApplyForm(p Preferences, f PreferencesForm, today time.Time) (Preferences, FieldErrors) {
	fe := FieldErrors{}
	p.From, p.To = normalDate(f.From), normalDate(f.To)
	p.Days, p.Bands, p.Providers, p.Locations = nil, nil, nil, nil
	for _, v := range f.Days {
		if d, ok := ParseWeekday(v); !ok {
			fe["days"] = MsgDaysUnknown
		} else if !slices.Contains(p.Days, d) {
			p.Days = append(p.Days, d)
		}
	}
	for _, v := range f.Bands {
		if b, ok := ParseBand(v); !ok {
			fe["bands"] = MsgBandsUnknown
		} else if !slices.Contains(p.Bands, b) {
			p.Bands = append(p.Bands, b)
		}
	}
	p.Providers = appendKnown(p.Providers, f.Providers, func(id string) bool { _, ok := c.Provider(id); return ok }, fe, "providers", MsgProvidersUnknown)
	p.Locations = appendKnown(p.Locations, f.Locations, func(id string) bool { _, ok := c.Location(id); return ok }, fe, "locations", MsgLocationsUnknown)
	p.Who, p.Specialty, p.Speaks = CleanText(f.Who), CleanText(f.Specialty), CleanText(f.Speaks)
	if p.Who != "" || p.Specialty != "" || p.Speaks != "" {
		if p.Providers = c.MatchProviders(p); len(p.Providers) == 0 {
			fe["who"] = MsgNoProviderMatches
		}
	}
	for f, m := range p.Validate(c, today) {
		if _, ok := fe[f]; !ok {
			fe[f] = m
		}
	}
	return p, fe
}

// MatchProviders are the providers offering p's visit type who match its filters: part of
// their name (any case, accents ignored), their specialty, a language they speak, and one of
// its locations when it names any.
func (c *Clinic) MatchProviders(p Preferences) []string {
	vt, _ := c.VisitType(p.VisitType)
	who := strings.Join(foldText(p.Who), " ")
	var out []string
	for _, pr := range c.Providers {
		switch {
		case !vt.OfferedBy(pr.ID),
			who != "" && !strings.Contains(strings.Join(foldText(pr.DisplayName()), " "), who),
			p.Specialty != "" && !strings.EqualFold(pr.Specialty.String(), p.Specialty),
			p.Speaks != "" && !slices.Contains(pr.Languages, p.Speaks),
			len(p.Locations) > 0 && !slices.ContainsFunc(p.Locations, pr.WorksAt):
			continue
		}
		out = append(out, pr.ID)
	}
	return out
}

func appendKnown(into, ids []string, known func(string) bool, fe FieldErrors, field string, msg Msg) []string {
	for _, id := range ids {
		if !known(id) {
			fe[field] = msg
		} else if !slices.Contains(into, id) {
			into = append(into, id)
		}
	}
	return into
}

// normalDate accepts the date input's YYYY-MM-DD and, from browsers without one, M/D/YYYY;
// anything else is returned as typed.
func normalDate(v string) string {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format(time.DateOnly)
	}
	if t, err := time.Parse("1/2/2006", v); err == nil {
		return t.Format(time.DateOnly)
	}
	return v
}

// Validate checks the dates against today (the clinic's date) and the search limits, and the
// providers and locations against the clinic and the visit type: every provider offers it,
// and at least one works at a chosen location.
func (p Preferences) Validate(c *Clinic, today time.Time) FieldErrors {
	fe := FieldErrors{}
	day := civil(today)
	from, ferr := time.Parse(time.DateOnly, p.From)
	to, terr := time.Parse(time.DateOnly, p.To)
	switch {
	case p.From == "":
		fe["from"] = MsgFromMissing
	case ferr != nil:
		fe["from"] = MsgFromFormat
	case from.Before(day):
		fe["from"] = MsgFromPast
	case from.After(day.AddDate(0, 0, MaxAheadDays)):
		fe["from"] = MsgFromTooFar
	}
	switch {
	case p.To == "":
		fe["to"] = MsgToMissing
	case terr != nil:
		fe["to"] = MsgToFormat
	case ferr == nil && to.Before(from):
		fe["to"] = MsgToBeforeFrom
	case ferr == nil && to.Sub(from) >= MaxWeekDays*24*time.Hour: // what one page of times shows
		fe["to"] = MsgToSpan
	}
	vt, _ := c.VisitType(p.VisitType)
	if slices.ContainsFunc(p.Providers, func(id string) bool { return !vt.OfferedBy(id) }) {
		fe["providers"] = MsgProvidersUnknown
	}
	if len(p.Providers) > 0 && len(p.Locations) > 0 && fe["providers"] == "" && !c.anyWorksAt(p.Providers, p.Locations) {
		fe["locations"] = MsgLocationsNoneWork
	}
	return fe
}

func (c *Clinic) anyWorksAt(providers, locations []string) bool {
	for _, id := range providers {
		p, _ := c.Provider(id)
		if slices.ContainsFunc(locations, p.WorksAt) {
			return true
		}
	}
	return false
}

// civil is t's calendar date as midnight UTC, comparable with parsed YYYY-MM-DD dates.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
