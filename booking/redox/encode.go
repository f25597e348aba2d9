package redox

import (
	"encoding/json"
	"strconv"
)

// numberOrString encodes an ID that Redox types as a number (Meta.Message.ID,
// Meta.Transmission.ID, Meta.Errors[].ID) as a JSON number when it is one, so messages we
// re-encode keep the schema's type; anything else stays a string rather than being lost.
func numberOrString(id FlexString) json.RawMessage {
	s := string(id)
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s) // marshalling a string cannot fail
	return b
}

// MarshalJSON writes ID as a number (the schema types Message.ID and Transmission.ID as
// numbers; FlexString alone would write a string).
func (n NumericID) MarshalJSON() ([]byte, error) {
	if n.ID == "" {
		return []byte("{}"), nil
	}
	return json.Marshal(struct {
		ID json.RawMessage `json:"ID"`
	}{numberOrString(n.ID)})
}

// MarshalJSON writes ID as a number, as Redox does in its error bodies (19511136), so the
// sandbox's errors look like the real ones.
func (e MetaError) MarshalJSON() ([]byte, error) {
	type plain MetaError // same fields, no MarshalJSON: avoids recursion
	out := struct {
		ID json.RawMessage `json:"ID,omitempty"`
		plain
	}{plain: plain(e)}
	out.plain.ID = ""
	if e.ID != "" {
		out.ID = numberOrString(e.ID)
	}
	return json.Marshal(out)
}
