package redox

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// TextList is a list of free text the Redox schemas leave untyped ("items": {}): Notes,
// Instructions, Credentials, Reasons, Citizenship, EmailAddresses. EHRs put numbers, objects
// and nulls there, and a 2021 schema allows it, so one odd entry must not make a whole
// message unreadable. It decodes any JSON and encodes as an array of strings.
type TextList []string

// UnmarshalJSON accepts an array of any JSON values, or null. Strings are kept as they are;
// numbers and booleans as written; objects and arrays as their compact JSON text; null
// entries are dropped, since they carry no text. The schemas do type the list itself as an
// array, so a lone value in its place is still a wrong type, reported with its path.
func (l *TextList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*l = nil
		return nil
	}
	if len(b) == 0 || b[0] != '[' {
		// An UnmarshalTypeError (not a plain error) lets encoding/json add the field path.
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeFor[TextList]()}
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		return err
	}
	out := make(TextList, 0, len(raws))
	for _, r := range raws {
		if s, ok := textOf(r); ok {
			out = append(out, s)
		}
	}
	*l = out
	return nil
}

// textOf renders one JSON value as text; false for null (or nothing).
func textOf(raw []byte) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return "", false
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	case raw[0] == '{' || raw[0] == '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return "", false
		}
		return buf.String(), true
	default:
		return string(raw), true // a number or a boolean, as the EHR wrote it
	}
}
