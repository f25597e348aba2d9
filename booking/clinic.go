package booking

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Clinic is the catalogue a patient chooses from: where, with whom, what kind of visit, and
// why. It comes from the clinic file (booking/clinicfile), which also carries what only the
// sandbox EHR needs (weekly templates, blocks). Call Prepare before use.
type Clinic struct {
	Name       string      `json:"name" yaml:"name"`
	Phone      string      `json:"phone,omitempty" yaml:"phone,omitempty"`
	Locations  []Location  `json:"locations" yaml:"locations"`
	Providers  []Provider  `json:"providers" yaml:"providers"`
	VisitTypes []VisitType `json:"visit_types" yaml:"visit_types"`
	Reasons    []Reason    `json:"reasons" yaml:"reasons"`
	// HorizonDays is the rolling booking horizon: nothing is booked later than now plus this
	// many days (the clinic file's default is 90).
	HorizonDays int `json:"horizon_days" yaml:"horizon_days"`
	// LeadMinutes is the lead time: patients book nothing that starts sooner than now plus
	// this many minutes (the clinic file's default is 120; 0: none). The front desk may
	// override it (see Rule).
	LeadMinutes int `json:"lead_minutes" yaml:"lead_minutes"`
	// CancelCutoffHours is the cancellation policy: within this many hours of the visit a
	// patient cannot cancel or move it online and is asked to call (0: until it starts).
	CancelCutoffHours int `json:"cancel_cutoff_hours,omitempty" yaml:"cancel_cutoff_hours,omitempty"`
	// ReminderHours is how long before a visit its reminder email goes (0: no reminders; the
	// clinic file's default is 24).
	ReminderHours int `json:"reminder_hours,omitempty" yaml:"reminder_hours,omitempty"`
}

// Location is one clinic site. Facility and Department are what Redox messages carry; ID is
// the seed's Locations[].ID.
type Location struct {
	ID         string  `json:"id" yaml:"id"`
	Name       string  `json:"name" yaml:"name"`
	Facility   string  `json:"facility" yaml:"facility"`
	Department string  `json:"department" yaml:"department"`
	Specialty  Coded   `json:"specialty,omitempty" yaml:"specialty,omitempty"`
	TimeZone   string  `json:"time_zone" yaml:"time_zone"`
	Address    Address `json:"address" yaml:"address"`
	Phone      string  `json:"phone" yaml:"phone"`
	loc        *time.Location
}

// Zone is the location's IANA time zone (loaded by Prepare; UTC when it cannot be).
func (l Location) Zone() *time.Location {
	if l.loc == nil {
		if z, err := time.LoadLocation(l.TimeZone); err == nil {
			return z
		}
		return time.UTC
	}
	return l.loc
}

// Ref is how a search or a slot names the location.
func (l Location) Ref() LocationRef {
	return LocationRef{ID: l.ID, Facility: l.Facility, Department: l.Department}
}

// Address is a postal address.
type Address struct {
	Street  string `json:"street" yaml:"street"`
	City    string `json:"city" yaml:"city"`
	State   string `json:"state" yaml:"state"`
	ZIP     string `json:"zip" yaml:"zip"`
	Country string `json:"country,omitempty" yaml:"country,omitempty"`
}

// OneLine is the address on one line, as US addresses are written in both languages.
func (a Address) OneLine() string {
	return strings.TrimSpace(fmt.Sprintf("%s, %s, %s %s", a.Street, a.City, a.State, a.ZIP))
}

// Coded is a code from a code set with its description (visit types, specialties), as the
// Redox wire carries it.
type Coded struct {
	Code        string `json:"code,omitempty" yaml:"code,omitempty"`
	Codeset     string `json:"codeset,omitempty" yaml:"codeset,omitempty"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

// Provider is a clinician patients can book with.
type Provider struct {
	ID          string   `json:"id" yaml:"id"`           // NPI
	IDType      string   `json:"id_type" yaml:"id_type"` // "NPI"
	FirstName   string   `json:"first_name" yaml:"first_name"`
	LastName    string   `json:"last_name" yaml:"last_name"`
	Credentials []string `json:"credentials" yaml:"credentials"`
	Specialty   Text     `json:"specialty" yaml:"specialty"`
	Languages   []string `json:"languages" yaml:"languages"` // ISO 639-1
	Locations   []string `json:"locations" yaml:"locations"` // Location IDs
	Bio         Text     `json:"bio,omitempty" yaml:"bio,omitempty"`
}

// DisplayName is "Maya Okafor, MD": name then credentials, the same in every language.
func (p Provider) DisplayName() string {
	n := strings.TrimSpace(p.FirstName + " " + p.LastName)
	if len(p.Credentials) > 0 {
		n += ", " + strings.Join(p.Credentials, ", ")
	}
	return n
}

// Ref is how a search or a slot names the provider.
func (p Provider) Ref() ProviderRef {
	return ProviderRef{ID: p.ID, IDType: p.IDType}
}

// WorksAt reports whether the provider works at location id.
func (p Provider) WorksAt(id string) bool { return slices.Contains(p.Locations, id) }

// PatientKind says whether a visit type is for new patients, returning ones, or both.
type PatientKind string

// Patient kinds.
const (
	PatientsAny         PatientKind = "any"
	PatientsNew         PatientKind = "new"
	PatientsEstablished PatientKind = "established"
)

// VisitType is a kind of appointment with a fixed length.
type VisitType struct {
	Code      string      `json:"code" yaml:"code"`
	Codeset   string      `json:"codeset,omitempty" yaml:"codeset,omitempty"`
	Name      Text        `json:"description" yaml:"description"` // "Sick visit"
	Minutes   int         `json:"minutes" yaml:"minutes"`
	Patients  PatientKind `json:"patients" yaml:"patients"`
	Providers []string    `json:"providers" yaml:"providers"` // Provider IDs; empty = all
	SelfBook  bool        `json:"self_book" yaml:"self_book"`
	// DoubleBook lets staff who may override book it on a time already booked (RuleDoubleBook):
	// a short visit squeezed in beside another, as clinics do for a sick child or a nurse check.
	DoubleBook bool `json:"double_book,omitempty" yaml:"double_book,omitempty"`
	// WalkIn offers its soonest times on the kiosk's first screen ("Next available today"):
	// the visits a person who walks in usually needs (a sick visit, a follow-up). See
	// Clinic.WalkInTypes for the default when no visit type says.
	WalkIn       bool  `json:"walk_in,omitempty" yaml:"walk_in,omitempty"`
	Summary      Text  `json:"summary,omitempty" yaml:"summary,omitempty"`
	Instructions Texts `json:"instructions,omitempty" yaml:"instructions,omitempty"`
}

// Coded is the visit type as the EHR knows it, named in DefaultLang.
func (v VisitType) Coded() Coded {
	return Coded{Code: v.Code, Codeset: v.Codeset, Description: v.Name.String()}
}

// Duration is the visit length.
func (v VisitType) Duration() time.Duration { return time.Duration(v.Minutes) * time.Minute }

// OfferedBy reports whether provider id offers this visit type.
func (v VisitType) OfferedBy(id string) bool {
	return len(v.Providers) == 0 || slices.Contains(v.Providers, id)
}

// Reason is a patient-friendly purpose ("knee pain") mapped to the visit types that fit it.
// A red-flag reason stops self-booking and shows Urgent instead.
type Reason struct {
	ID         string   `json:"id" yaml:"id"`
	Label      Text     `json:"label" yaml:"label"`
	VisitTypes []string `json:"visit_types,omitempty" yaml:"visit_types,omitempty"` // visit type codes
	RedFlag    bool     `json:"red_flag,omitempty" yaml:"red_flag,omitempty"`
	Urgent     Text     `json:"urgent,omitempty" yaml:"urgent,omitempty"` // what to do instead
}

// Prepare loads each location's time zone and fills in defaults (a visit type for any
// patient, providers identified by NPI). Checking the catalogue's cross references is the
// clinic file's job (booking/clinicfile); Prepare only refuses what would make the service
// misbehave: no location, or a zone that does not load.
func (c *Clinic) Prepare() error {
	if len(c.Locations) == 0 {
		return fmt.Errorf("booking: clinic %q has no location", c.Name)
	}
	for i := range c.Locations {
		l := &c.Locations[i]
		z, err := time.LoadLocation(l.TimeZone)
		if err != nil || l.TimeZone == "" {
			return fmt.Errorf("booking: location %q: time zone %q: %w", l.ID, l.TimeZone, err)
		}
		l.loc = z
	}
	for i := range c.Providers {
		if c.Providers[i].IDType == "" {
			c.Providers[i].IDType = "NPI"
		}
	}
	for i := range c.VisitTypes {
		if c.VisitTypes[i].Patients == "" {
			c.VisitTypes[i].Patients = PatientsAny
		}
	}
	return nil
}

// Home is the clinic's first location: its zone is the clinic's calendar (what "today" is).
func (c *Clinic) Home() Location { return c.Locations[0] }

// Location returns the location with id.
func (c *Clinic) Location(id string) (Location, bool) {
	for _, l := range c.Locations {
		if l.ID == id {
			return l, true
		}
	}
	return Location{}, false
}

// LocationByDepartment finds a location by its Redox Department (and Facility when given),
// which is how slots and visits from the EHR name it.
func (c *Clinic) LocationByDepartment(facility, department string) (Location, bool) {
	for _, l := range c.Locations {
		if strings.EqualFold(l.Department, department) && (facility == "" || strings.EqualFold(l.Facility, facility)) {
			return l, true
		}
	}
	return Location{}, false
}

// LocationOf finds the catalogue location a slot or visit names, by id or by department;
// the home location when it names none the catalogue knows.
func (c *Clinic) LocationOf(ref LocationRef) Location {
	if l, ok := c.Location(ref.ID); ok {
		return l
	}
	if l, ok := c.LocationByDepartment(ref.Facility, ref.Department); ok {
		return l
	}
	return c.Home()
}

// Provider returns the provider with id.
func (c *Clinic) Provider(id string) (Provider, bool) {
	for _, p := range c.Providers {
		if p.ID == id {
			return p, true
		}
	}
	return Provider{}, false
}

// VisitType returns the visit type with code.
func (c *Clinic) VisitType(code string) (VisitType, bool) {
	for _, v := range c.VisitTypes {
		if v.Code == code {
			return v, true
		}
	}
	return VisitType{}, false
}

// Reason returns the catalogue reason with id.
func (c *Clinic) Reason(id string) (Reason, bool) {
	for _, r := range c.Reasons {
		if r.ID == id {
			return r, true
		}
	}
	return Reason{}, false
}

// Horizon is how far ahead the clinic books: HorizonDays, or MaxAheadDays when not set.
func (c *Clinic) Horizon() time.Duration {
	return time.Duration(cmp.Or(c.HorizonDays, MaxAheadDays)) * 24 * time.Hour
}

// Lead is the lead time (see LeadMinutes).
func (c *Clinic) Lead() time.Duration { return time.Duration(c.LeadMinutes) * time.Minute }

// Today is the clinic's current date at now: midnight in the home location's zone.
func (c *Clinic) Today(now time.Time) time.Time {
	z := c.Home().Zone()
	n := now.In(z)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, z)
}
