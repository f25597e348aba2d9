// Package redox is Doorway's Redox Scheduling wire model and client.
//
// The structs mirror the Redox Data Model JSON exactly (field names are the wire names).
// Decoding is lenient where Redox is: nulls anywhere become zero values, unknown fields are
// ignored, IDs may be strings or numbers. Encoding omits empty fields (omitempty for scalars
// and slices, omitzero for objects). Validation is separate (validate.go) and strict.
package redox

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// DataModel is the only data model Doorway speaks.
const DataModel = "Scheduling"

// Event types of the Scheduling data model.
const (
	EventNew                    = "New"
	EventModification           = "Modification"
	EventReschedule             = "Reschedule"
	EventCancel                 = "Cancel"
	EventNoShow                 = "NoShow"
	EventBooked                 = "Booked"
	EventBookedResponse         = "BookedResponse"
	EventAvailableSlots         = "AvailableSlots"
	EventAvailableSlotsResponse = "AvailableSlotsResponse"
	EventPushSlots              = "PushSlots"
)

// FlexString decodes a JSON string or number (Redox's Logs IDs are UUID strings in its docs
// and integers in real 2020 traffic) and encodes as a string.
type FlexString string

// UnmarshalJSON accepts a string, a number or null.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
		return nil
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = FlexString(n.String())
		return nil
	default:
		// An UnmarshalTypeError (not a plain error) lets encoding/json add the field path.
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[FlexString]()}
	}
}

// FlexNumber decodes a JSON number or a numeric string ("30"); the seed types
// VisitPreference.Duration as a string while visits use numbers.
type FlexNumber float64

// UnmarshalJSON accepts a number, a numeric string, an empty string or null.
func (f *FlexNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*f = 0
			return nil
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		// ParseFloat accepts "NaN" and "Inf", which json.Marshal cannot write back.
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeFor[FlexNumber]()}
		}
		*f = FlexNumber(v)
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[FlexNumber]()}
	}
	*f = FlexNumber(v)
	return nil
}

// jsonKind names the JSON type of raw value b for error messages.
func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "empty value"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case '"':
		return "string"
	default:
		return "number"
	}
}

// Message is the envelope shared by every Scheduling event: Meta plus every top-level key
// any event uses. Decode once into Message, read Meta.EventType, then Validate.
type Message struct {
	Meta Meta `json:"Meta"`

	// Notifications (New, Modification, Reschedule, Cancel, NoShow).
	Patient         *Patient          `json:"Patient,omitempty"`
	AppointmentInfo []AppointmentInfo `json:"AppointmentInfo,omitempty"`
	Visit           *Visit            `json:"Visit,omitempty"`

	// Queries (Booked, AvailableSlots).
	StartDateTime string `json:"StartDateTime,omitempty"`
	EndDateTime   string `json:"EndDateTime,omitempty"`

	// Query responses. Visits, AvailableSlots and Slots use omitzero, not omitempty: the
	// schemas require the key, so builders set an empty non-nil slice to send [].
	Visits         []BookedVisit `json:"Visits,omitzero"`
	AvailableSlots []Slot        `json:"AvailableSlots,omitzero"`

	// PushSlots.
	Slots []Slot `json:"Slots,omitzero"`
}

// Meta is Redox's message header.
type Meta struct {
	DataModel     string      `json:"DataModel"`
	EventType     string      `json:"EventType"`
	EventDateTime string      `json:"EventDateTime,omitempty"`
	Test          *bool       `json:"Test,omitempty"`
	Source        *Endpoint   `json:"Source,omitempty"`
	Destinations  []Endpoint  `json:"Destinations,omitempty"`
	Logs          []Log       `json:"Logs,omitempty"`
	Message       *NumericID  `json:"Message,omitempty"`
	Transmission  *NumericID  `json:"Transmission,omitempty"`
	FacilityCode  string      `json:"FacilityCode,omitempty"`
	IsIncomplete  *bool       `json:"IsIncomplete,omitempty"`
	BatchID       string      `json:"BatchID,omitempty"`
	CurrentBatch  FlexString  `json:"CurrentBatch,omitempty"`
	TotalBatches  FlexString  `json:"TotalBatches,omitempty"`
	Errors        []MetaError `json:"Errors,omitempty"`
}

// Endpoint is a Source or Destination.
type Endpoint struct {
	ID   string `json:"ID,omitempty"`
	Name string `json:"Name,omitempty"`
}

// Log is one Redox log reference; AttemptID distinguishes retries.
type Log struct {
	ID        FlexString `json:"ID,omitempty"`
	AttemptID FlexString `json:"AttemptID,omitempty"`
}

// NumericID is the deprecated Meta.Message / Meta.Transmission record.
type NumericID struct {
	ID FlexString `json:"ID,omitempty"`
}

// MetaError is one entry of Meta.Errors; any entry means the request failed.
type MetaError struct {
	ID     FlexString `json:"ID,omitempty"`
	Text   string     `json:"Text,omitempty"`
	Type   string     `json:"Type,omitempty"`
	Module string     `json:"Module,omitempty"`
}

// Identifier is a patient (or facility/department) identifier.
type Identifier struct {
	ID     string `json:"ID,omitempty"`
	IDType string `json:"IDType,omitempty"`
}

// Address is a postal address.
type Address struct {
	StreetAddress string `json:"StreetAddress,omitempty"`
	City          string `json:"City,omitempty"`
	State         string `json:"State,omitempty"`
	ZIP           string `json:"ZIP,omitempty"`
	County        string `json:"County,omitempty"`
	Country       string `json:"Country,omitempty"`
}

// Phone holds E.164 numbers.
type Phone struct {
	Home   string `json:"Home,omitempty"`
	Office string `json:"Office,omitempty"`
	Mobile string `json:"Mobile,omitempty"`
}

// Demographics of a patient. SSN is decoded (Redox sends it) but Doorway never sends it.
type Demographics struct {
	FirstName      string   `json:"FirstName,omitempty"`
	MiddleName     string   `json:"MiddleName,omitempty"`
	LastName       string   `json:"LastName,omitempty"`
	DOB            string   `json:"DOB,omitempty"`
	SSN            string   `json:"SSN,omitempty"`
	Sex            string   `json:"Sex,omitempty"`
	Race           string   `json:"Race,omitempty"`
	IsHispanic     *bool    `json:"IsHispanic,omitempty"`
	Religion       string   `json:"Religion,omitempty"`
	MaritalStatus  string   `json:"MaritalStatus,omitempty"`
	IsDeceased     *bool    `json:"IsDeceased,omitempty"`
	DeathDateTime  string   `json:"DeathDateTime,omitempty"`
	PhoneNumber    Phone    `json:"PhoneNumber,omitzero"`
	EmailAddresses TextList `json:"EmailAddresses,omitempty"`
	Language       string   `json:"Language,omitempty"`
	Citizenship    TextList `json:"Citizenship,omitempty"`
	Address        Address  `json:"Address,omitzero"`
}

// Diagnosis is a coded diagnosis.
type Diagnosis struct {
	Code               string `json:"Code,omitempty"`
	Codeset            string `json:"Codeset,omitempty"`
	Name               string `json:"Name,omitempty"`
	Type               string `json:"Type,omitempty"`
	DocumentedDateTime string `json:"DocumentedDateTime,omitempty"`
}

// Patient as it appears on notifications, queries and booked visits. Identifiers uses
// omitzero because a BookedResponse visit must carry the key even for a hold (empty list).
type Patient struct {
	Identifiers  []Identifier `json:"Identifiers,omitzero"`
	Demographics Demographics `json:"Demographics,omitzero"`
	Notes        TextList     `json:"Notes,omitempty"`
	Diagnoses    []Diagnosis  `json:"Diagnoses,omitempty"`
}

// Location is a visit, slot or query location. FacilityIdentifiers and DepartmentIdentifiers
// appear on a provider's location in the seed; SpecialtyDepartment and ID on query Locations[].
type Location struct {
	Type                  string       `json:"Type,omitempty"`
	Facility              string       `json:"Facility,omitempty"`
	FacilityIdentifiers   []Identifier `json:"FacilityIdentifiers,omitempty"`
	Department            string       `json:"Department,omitempty"`
	DepartmentIdentifiers []Identifier `json:"DepartmentIdentifiers,omitempty"`
	SpecialtyDepartment   Coded        `json:"SpecialtyDepartment,omitzero"`
	Room                  string       `json:"Room,omitempty"`
	ID                    string       `json:"ID,omitempty"`
}

// Coded is a code with its code set and description.
type Coded struct {
	Code        string `json:"Code,omitempty"`
	Codeset     string `json:"Codeset,omitempty"`
	Description string `json:"Description,omitempty"`
}

// Provider is Redox's provider object.
type Provider struct {
	ID             string   `json:"ID,omitempty"`
	IDType         string   `json:"IDType,omitempty"`
	FirstName      string   `json:"FirstName,omitempty"`
	LastName       string   `json:"LastName,omitempty"`
	Credentials    TextList `json:"Credentials,omitempty"`
	Address        Address  `json:"Address,omitzero"`
	EmailAddresses TextList `json:"EmailAddresses,omitempty"`
	PhoneNumber    Phone    `json:"PhoneNumber,omitzero"`
	Location       Location `json:"Location,omitzero"`
}

// Staff is an AdditionalStaff entry.
type Staff struct {
	Provider
	Role          Coded      `json:"Role,omitzero"`
	StartDateTime string     `json:"StartDateTime,omitempty"`
	Duration      FlexNumber `json:"Duration,omitempty"`
}

// Equipment is a scheduled resource.
type Equipment struct {
	Code          string     `json:"Code,omitempty"`
	Codeset       string     `json:"Codeset,omitempty"`
	Description   string     `json:"Description,omitempty"`
	StartDateTime string     `json:"StartDateTime,omitempty"`
	Duration      FlexNumber `json:"Duration,omitempty"`
}

// AppointmentInfo is a free-form extra attribute of an appointment.
type AppointmentInfo struct {
	Code        string `json:"Code,omitempty"`
	Codeset     string `json:"Codeset,omitempty"`
	Description string `json:"Description,omitempty"`
	Value       string `json:"Value,omitempty"`
}

// VisitPreference is the seed's scheduling preference: Duration (a string in the seed) with
// DurationUnit ("minutes"), preferred Day names and Time-of-day bands.
type VisitPreference struct {
	Duration     FlexString `json:"Duration,omitempty"`
	DurationUnit string     `json:"DurationUnit,omitempty"`
	Day          []string   `json:"Day,omitempty"`
	Time         []string   `json:"Time,omitempty"`
}

// Visit is the Visit object of notifications and (with the query-only fields) of queries.
type Visit struct {
	VisitNumber        string      `json:"VisitNumber,omitempty"`
	AccountNumber      string      `json:"AccountNumber,omitempty"`
	VisitDateTime      string      `json:"VisitDateTime,omitempty"`
	PatientClass       string      `json:"PatientClass,omitempty"`
	Status             string      `json:"Status,omitempty"`
	Duration           *FlexNumber `json:"Duration,omitempty"`
	Reason             string      `json:"Reason,omitempty"`
	Type               string      `json:"Type,omitempty"`
	Instructions       TextList    `json:"Instructions,omitempty"`
	AttendingProvider  *Provider   `json:"AttendingProvider,omitempty"`
	ConsultingProvider *Provider   `json:"ConsultingProvider,omitempty"`
	ReferringProvider  *Provider   `json:"ReferringProvider,omitempty"`
	VisitProvider      *Provider   `json:"VisitProvider,omitempty"`
	Location           *Location   `json:"Location,omitempty"`
	AdditionalStaff    []Staff     `json:"AdditionalStaff,omitempty"`
	Diagnoses          []Diagnosis `json:"Diagnoses,omitempty"`
	Equipment          []Equipment `json:"Equipment,omitempty"`

	// Reschedule.
	OldVisitNumber string `json:"OldVisitNumber,omitempty"`
	OldDateTime    string `json:"OldDateTime,omitempty"`
	// Cancel / NoShow.
	CancelReason string `json:"CancelReason,omitempty"`
	NoShowReason string `json:"NoShowReason,omitempty"`

	// Queries: AvailableSlots (seed) and Booked.
	Reasons            TextList          `json:"Reasons,omitempty"`
	AttendingProviders []Provider        `json:"AttendingProviders,omitempty"`
	Locations          []Location        `json:"Locations,omitempty"`
	VisitType          []Coded           `json:"VisitType,omitempty"`
	VisitPreference    []VisitPreference `json:"VisitPreference,omitempty"`
	Patients           []Patient         `json:"Patients,omitempty"`
}

// BookedVisit is one visit in a BookedResponse: a Visit plus its Patient and bookkeeping times.
type BookedVisit struct {
	Visit
	LastUpdated       string            `json:"LastUpdated,omitempty"`
	ScheduledDateTime string            `json:"ScheduledDateTime,omitempty"`
	CancelDateTime    string            `json:"CancelDateTime,omitempty"`
	Patient           *Patient          `json:"Patient,omitempty"`
	AppointmentInfo   []AppointmentInfo `json:"AppointmentInfo,omitempty"`
}

// Slot is one AvailableSlotsResponse or PushSlots entry: one provider, one location.
type Slot struct {
	ID       string     `json:"ID,omitempty"`
	DateTime string     `json:"DateTime"`
	Duration FlexNumber `json:"Duration"`
	Reason   string     `json:"Reason,omitempty"`
	Provider *Provider  `json:"Provider,omitempty"`
	Location *Location  `json:"Location,omitempty"`
	Notes    TextList   `json:"Notes,omitempty"`
}
