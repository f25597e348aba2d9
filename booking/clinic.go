package booking

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Clinic is the catalogue a patient chooses from: where, with whom, what kind of visit, and
// why. It comes from the clinic definition file (see booking/sandbox for the format); the
// sandbox EHR adds weekly templates and blocks to the same file.
type Clinic struct {
	Name       string      `json:"name" yaml:"name"`
	Phone      string      `json:"phone,omitempty" yaml:"phone,omitempty"`
	Locations  []Location  `json:"locations" yaml:"locations"`
	Providers  []Provider  `json:"providers" yaml:"providers"`
	VisitTypes []VisitType `json:"visit_types" yaml:"visit_types"`
	Reasons    []Reason    `json:"reasons" yaml:"reasons"`
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

// Zone is the location's IANA time zone (UTC until the clinic is validated).
func (l Location) Zone() *time.Location {
	if l.loc == nil {
		if z, err := time.LoadLocation(l.TimeZone); err == nil {
			return z
		}
		return time.UTC
	}
	return l.loc
}

// Address is a postal address.
type Address struct {
	Street  string `json:"street" yaml:"street"`
	City    string `json:"city" yaml:"city"`
	State   string `json:"state" yaml:"state"`
	ZIP     string `json:"zip" yaml:"zip"`
	Country string `json:"country,omitempty" yaml:"country,omitempty"`
}

// OneLine renders the address for a confirmation line.
func (a Address) OneLine() string {
	return strings.TrimSpace(fmt.Sprintf("%s, %s, %s %s", a.Street, a.City, a.State, a.ZIP))
}

// Coded is a code from a code set with its description (visit types, specialties).
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
	Specialty   string   `json:"specialty" yaml:"specialty"`
	Languages   []string `json:"languages" yaml:"languages"` // ISO 639-1
	Locations   []string `json:"locations" yaml:"locations"` // Location IDs
	Bio         string   `json:"bio,omitempty" yaml:"bio,omitempty"`
}

// DisplayName is "Dr. Maya Okafor, MD" style: name then credentials.
func (p Provider) DisplayName() string {
	n := strings.TrimSpace(p.FirstName + " " + p.LastName)
	if len(p.Credentials) > 0 {
		n += ", " + strings.Join(p.Credentials, ", ")
	}
	return n
}

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
	Coded        `yaml:",inline"`
	Minutes      int         `json:"minutes" yaml:"minutes"`
	Patients     PatientKind `json:"patients" yaml:"patients"`
	Providers    []string    `json:"providers" yaml:"providers"` // Provider IDs; empty = all
	SelfBook     bool        `json:"self_book" yaml:"self_book"`
	Summary      string      `json:"summary,omitempty" yaml:"summary,omitempty"`
	Instructions []string    `json:"instructions,omitempty" yaml:"instructions,omitempty"`
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
	Label      string   `json:"label" yaml:"label"`
	VisitTypes []string `json:"visit_types,omitempty" yaml:"visit_types,omitempty"` // visit type codes
	RedFlag    bool     `json:"red_flag,omitempty" yaml:"red_flag,omitempty"`
	Urgent     string   `json:"urgent,omitempty" yaml:"urgent,omitempty"` // what to do instead
}

// Validate checks the catalogue's cross references and loads time zones. Errors name the
// offending entry.
func (c *Clinic) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return Invalid("name", "clinic name is required")
	}
	if len(c.Locations) == 0 {
		return Invalid("locations", "at least one location is required")
	}
	locs := map[string]bool{}
	for i := range c.Locations {
		l := &c.Locations[i]
		f := fmt.Sprintf("locations[%d]", i)
		switch {
		case l.ID == "":
			return Invalid(f+".id", "location id is required")
		case locs[l.ID]:
			return Invalid(f+".id", "duplicate location id %q", l.ID)
		case l.Department == "":
			return Invalid(f+".department", "department is required (Redox Visit.Location.Department)")
		case l.TimeZone == "":
			return Invalid(f+".time_zone", "IANA time zone is required")
		}
		z, err := time.LoadLocation(l.TimeZone)
		if err != nil {
			return Invalid(f+".time_zone", "unknown time zone %q", l.TimeZone)
		}
		l.loc = z
		locs[l.ID] = true
	}
	provs := map[string]bool{}
	for i, p := range c.Providers {
		f := fmt.Sprintf("providers[%d]", i)
		if p.ID == "" {
			return Invalid(f+".id", "provider id is required")
		}
		if provs[p.ID] {
			return Invalid(f+".id", "duplicate provider id %q", p.ID)
		}
		provs[p.ID] = true
		if len(p.Locations) == 0 {
			return Invalid(f+".locations", "provider %s works at no location", p.ID)
		}
		for j, l := range p.Locations {
			if !locs[l] {
				return Invalid(fmt.Sprintf("%s.locations[%d]", f, j), "unknown location %q", l)
			}
		}
	}
	vts := map[string]bool{}
	for i, v := range c.VisitTypes {
		f := fmt.Sprintf("visit_types[%d]", i)
		switch {
		case v.Code == "":
			return Invalid(f+".code", "visit type code is required")
		case vts[v.Code]:
			return Invalid(f+".code", "duplicate visit type code %q", v.Code)
		case v.Minutes <= 0 || v.Minutes > 480:
			return Invalid(f+".minutes", "minutes must be between 1 and 480")
		}
		switch v.Patients {
		case PatientsAny, PatientsNew, PatientsEstablished:
		case "":
			c.VisitTypes[i].Patients = PatientsAny
		default:
			return Invalid(f+".patients", "patients must be any, new or established")
		}
		for j, p := range v.Providers {
			if !provs[p] {
				return Invalid(fmt.Sprintf("%s.providers[%d]", f, j), "unknown provider %q", p)
			}
		}
		vts[v.Code] = true
	}
	reasons := map[string]bool{}
	for i, r := range c.Reasons {
		f := fmt.Sprintf("reasons[%d]", i)
		if r.ID == "" || r.Label == "" {
			return Invalid(f, "reason id and label are required")
		}
		if reasons[r.ID] {
			return Invalid(f+".id", "duplicate reason id %q", r.ID)
		}
		reasons[r.ID] = true
		if !r.RedFlag && len(r.VisitTypes) == 0 {
			return Invalid(f+".visit_types", "reason %q maps to no visit type", r.ID)
		}
		for j, v := range r.VisitTypes {
			if !vts[v] {
				return Invalid(fmt.Sprintf("%s.visit_types[%d]", f, j), "unknown visit type %q", v)
			}
		}
	}
	return nil
}

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
