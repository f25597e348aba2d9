// Package clinicfile is Doorway's clinic file: the catalogue patients choose from (locations,
// providers, visit types, reasons, in one or more languages) and, for the sandbox EHR, the
// weekly templates, blocks and holidays that make its schedule. The format is documented in
// docs/CLINIC-FILE.md. serve reads a clinic's file with Load (or uses Demo); the sandbox EHR
// reads the same file.
package clinicfile

import (
	_ "embed"
	"fmt"
	"os"
	"reflect"
	"sync"

	"gopkg.in/yaml.v3"

	"doorway/booking"
)

// Defaults for the keys a clinic file may leave out.
const (
	DefaultHorizonDays = 90  // rolling horizon: slots up to 90 days ahead
	DefaultLeadMinutes = 120 // lead time: nothing bookable within the next 2 hours
	// DefaultReminderHours is when the reminder email goes: a day before the visit.
	DefaultReminderHours = 24
)

// File is a clinic file: the booking.Clinic catalogue plus what only the EHR knows (weekly
// templates, blocks, holidays, the booking horizon). Build one with Parse or, in code, fill it
// in and call Validate.
type File struct {
	booking.Clinic `yaml:",inline"`
	// SlotStepMinutes is the slot grid: slots start at each free stretch's start and step by
	// this many minutes. 0 steps by the visit type's own length, so an empty day packs fully.
	SlotStepMinutes int `json:"slot_step_minutes" yaml:"slot_step_minutes"`
	// Templates are the weekly working hours of each provider at each location.
	Templates []Template `json:"templates" yaml:"templates"`
	// Blocks are recurring unavailable times (meetings, admin time, leave).
	Blocks []Block `json:"blocks,omitempty" yaml:"blocks,omitempty"`
	// Holidays are dates the clinic (or one location) is closed.
	Holidays []Holiday `json:"holidays,omitempty" yaml:"holidays,omitempty"`
}

// Template is one provider's weekly working hours at one location, in the location's local
// clock time, so 08:00 stays 08:00 across DST changes.
type Template struct {
	Provider string   `json:"provider" yaml:"provider"` // provider id (NPI)
	Location string   `json:"location" yaml:"location"` // location id
	Days     []string `json:"days" yaml:"days"`         // Monday.. or Mon..
	Start    string   `json:"start" yaml:"start"`       // "08:00"
	End      string   `json:"end" yaml:"end"`           // "17:00", after Start
	Breaks   []Break  `json:"breaks,omitempty" yaml:"breaks,omitempty"`
}

// Break is a pause inside a template (lunch), in local clock time.
type Break struct {
	Start  string `json:"start" yaml:"start"`
	End    string `json:"end" yaml:"end"`
	Reason string `json:"reason,omitempty" yaml:"reason,omitempty"`
}

// Block is recurring unavailable time. Provider and Location narrow it (both empty: the whole
// clinic); Days narrows the weekdays (empty: every day); From and Until (dates, inclusive)
// bound it in time, which also expresses one-off leave.
type Block struct {
	Reason   string   `json:"reason" yaml:"reason"`
	Provider string   `json:"provider,omitempty" yaml:"provider,omitempty"`
	Location string   `json:"location,omitempty" yaml:"location,omitempty"`
	Days     []string `json:"days,omitempty" yaml:"days,omitempty"`
	Start    string   `json:"start" yaml:"start"`
	End      string   `json:"end" yaml:"end"`
	From     string   `json:"from,omitempty" yaml:"from,omitempty"`
	Until    string   `json:"until,omitempty" yaml:"until,omitempty"`
}

// Holiday is a date ("2026-12-25") the whole clinic, or one location, is closed.
type Holiday struct {
	Date     string `json:"date" yaml:"date"`
	Name     string `json:"name" yaml:"name"`
	Location string `json:"location,omitempty" yaml:"location,omitempty"`
}

// Parse decodes a clinic file and validates it. YAML and JSON are both accepted
// (yaml.v3 reads JSON, so both get the same line numbers). Decoding is strict: unknown or
// duplicate keys and mistyped values are errors. Every error is a *Error naming
// the file, line and field ("clinic.yaml:42: templates[3].start: ..."); name is the file name
// used in those messages.
func Parse(name string, data []byte) (*File, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, syntaxError(name, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: name, Message: "the clinic file is empty"}
	}
	doc := root.Content[0]
	c := &checker{file: name, pos: positions{}}
	if err := c.check(doc, reflect.TypeFor[File](), ""); err != nil {
		return nil, err
	}
	var def File
	if err := doc.Decode(&def); err != nil {
		return nil, syntaxError(name, err) // the checker should have caught it; keep the line anyway
	}
	if _, set := c.pos["lead_minutes"]; !set {
		def.LeadMinutes = DefaultLeadMinutes
	}
	if _, set := c.pos["reminder_hours"]; !set {
		def.ReminderHours = DefaultReminderHours
	}
	if err := def.Validate(); err != nil {
		return nil, c.pos.locate(name, err)
	}
	return &def, nil
}

// Load reads and parses the clinic file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("clinicfile: read: %w", err)
	}
	return Parse(path, data)
}

//go:embed demo_clinic.yaml
var demoClinic []byte

// demo parses the embedded file once: every caller shares the result.
var demo = sync.OnceValue(func() *File {
	def, err := Parse("demo_clinic.yaml", demoClinic)
	if err != nil {
		panic("clinicfile: embedded demo clinic is broken: " + err.Error())
	}
	return def
})

// Demo returns the embedded demo clinic (Riverbend Family Health), parsed once. The value is
// shared: treat it as read-only. It panics only if the embedded file is broken, which
// TestDemo guards against.
func Demo() *File { return demo() }
