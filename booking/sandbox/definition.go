package sandbox

import (
	"doorway/booking"
	"errors"
	"os"
)

// Definition is a clinic file: the booking.Clinic catalogue plus what only the EHR knows
// (weekly templates, blocks, holidays, the booking horizon). The format is documented in
// docs/CLINIC-FILE.md.
type Definition struct {
	booking.Clinic `yaml:",inline"`
	// HorizonDays is the rolling horizon: no slot starts later than now plus this many days.
	HorizonDays int `json:"horizon_days" yaml:"horizon_days"`
	// LeadMinutes is the lead time: no slot starts earlier than now plus this many minutes.
	LeadMinutes int `json:"lead_minutes" yaml:"lead_minutes"`
	// SlotStepMinutes is the slot grid step; 0 steps by each visit type's length.
	SlotStepMinutes int `json:"slot_step_minutes" yaml:"slot_step_minutes"`
	// Templates are the weekly working hours of each provider at each location.
	Templates []Template `json:"templates" yaml:"templates"`
	// Blocks are recurring unavailable times (meetings, admin time, leave).
	Blocks []Block `json:"blocks,omitempty" yaml:"blocks,omitempty"`
	// Holidays are dates the clinic (or one location) is closed.
	Holidays []Holiday `json:"holidays,omitempty" yaml:"holidays,omitempty"`
}

// Template is one provider's weekly working hours at one location, in the location's local
// clock time.
type Template struct {
	Provider string   `json:"provider" yaml:"provider"`
	Location string   `json:"location" yaml:"location"`
	Days     []string `json:"days" yaml:"days"`
	Start    string   `json:"start" yaml:"start"`
	End      string   `json:"end" yaml:"end"`
	Breaks   []Break  `json:"breaks,omitempty" yaml:"breaks,omitempty"`
}

// Break is a pause inside a template (lunch), in local clock time.
type Break struct {
	Start  string `json:"start" yaml:"start"`
	End    string `json:"end" yaml:"end"`
	Reason string `json:"reason,omitempty" yaml:"reason,omitempty"`
}

// Block is recurring unavailable time for one provider, one location, both, or the whole clinic.
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

// Holiday is a date the whole clinic, or one location, is closed.
type Holiday struct {
	Date     string `json:"date" yaml:"date"`
	Name     string `json:"name" yaml:"name"`
	Location string `json:"location,omitempty" yaml:"location,omitempty"`
}

// ParseDefinition decodes a clinic file (YAML or JSON) strictly and validates it.
func ParseDefinition(name string, data []byte) (*Definition, error) {
	return nil, errors.New("sandbox: not implemented")
}

// LoadDefinition reads and parses the clinic file at path.
func LoadDefinition(path string) (*Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseDefinition(path, data)
}

// DemoDefinition returns the embedded demo clinic.
func DemoDefinition() *Definition { return &Definition{} }
