// Package components holds the pieces pages share: form fields with their errors, the error
// summary, the CSRF field and the hold notice.
package components

import (
	"strconv"
	"strings"
)

// Field is one labelled text-like input and what the patient typed into it.
type Field struct {
	Name         string // form name, also the element id
	Label        string
	Hint         string
	Type         string // text, date, tel, email
	Value        string
	Error        string // shown beside the field; sets aria-invalid
	Autocomplete string
	InputMode    string
	Min, Max     string // for date inputs
	MaxLength    int
	Required     bool
}

// DescribedBy is the field's aria-describedby: its hint and its error.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.Name+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// MaxLen is MaxLength as an attribute value ("" when unset).
func (f Field) MaxLen() string {
	if f.MaxLength <= 0 {
		return ""
	}
	return strconv.Itoa(f.MaxLength)
}

// FieldError is one entry of the error summary: the message and the id of the field it is
// about, so the summary can link to it.
type FieldError struct {
	Field   string
	Message string
}

// Option is one entry of a select.
type Option struct {
	Value, Label string
}

// Select is a labelled select with its chosen value.
type Select struct {
	Name, Label, Hint, Value, Error, Autocomplete string
	Options                                       []Option
}

// DescribedBy is the select's aria-describedby.
func (s Select) DescribedBy() string {
	return Field{Name: s.Name, Hint: s.Hint, Error: s.Error}.DescribedBy()
}

// Hold is the notice shown while the patient's time is held.
type Hold struct {
	Clock   string // "9:30 AM"
	Day     string // "Tuesday, March 4"
	Zone    string // "Central time"
	Minutes int    // whole minutes left, rounded up
	Seconds int    // seconds left, for the countdown script
}

// DateParts is a date typed in three labelled fields in the order of the page's language
// (month, day, year in English; day, month, year in Spanish): no date picker, whose format
// follows the browser rather than the page, so the hint and the fields always agree.
type DateParts struct {
	Name, Legend, Hint, Error string
	Parts                     []DatePart
}

// DatePart is one of a date's fields.
type DatePart struct {
	Name, Label, Value, Autocomplete string
	Size                             int // digits
}

// ID is the part's element id: "dob-month".
func (p DatePart) ID() string { return strings.ReplaceAll(p.Name, "_", "-") }

// DescribedBy is the fieldset's aria-describedby: its hint and its error.
func (d DateParts) DescribedBy() string {
	return Field{Name: d.Name, Hint: d.Hint, Error: d.Error}.DescribedBy()
}
