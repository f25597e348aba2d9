package redox

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"doorway/booking"
)

// Decode reads a Redox message leniently, as Redox sends them: unknown fields are ignored
// (Redox adds fields over time), nulls become zero values (Dev Tools pads every object with
// nulls), and IDs may be strings or numbers. It does not validate; call Validate for that.
// Errors are *booking.Error with CodeInvalid; Field is the JSON path when one is known.
func Decode(data []byte) (*Message, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, booking.Malformed("", "message is empty")
	}
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, decodeError(err)
	}
	return &m, nil
}

// decodeError turns an encoding/json error into a CodeInvalid error a person can act on:
// where the JSON broke, or which field had the wrong type.
func decodeError(err error) *booking.Error {
	be := &booking.Error{Code: booking.CodeInvalid, Msg: booking.MsgMalformed, Err: err}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		if strings.Contains(syntax.Error(), "unexpected end") {
			be.Detail = "message is not valid JSON: it ends too early (truncated?)"
		} else {
			be.Detail = "message is not valid JSON: " + syntax.Error() + " at byte " + strconv.FormatInt(syntax.Offset, 10)
		}
	case errors.As(err, &typ):
		be.Field = jsonPath(typ.Field)
		if be.Field == "" {
			be.Detail = "message must be a JSON object, got " + typ.Value
		} else {
			be.Detail = be.Field + " has the wrong type: got " + typ.Value + ", want " + wireType(typ.Type.String())
		}
	default:
		be.Detail = "message is not valid JSON: " + err.Error()
	}
	return be
}

// jsonPath drops the Go-only segment encoding/json reports for the Visit embedded in
// BookedVisit, so the path reads as the wire does: "Visits.VisitNumber".
func jsonPath(field string) string {
	return strings.Replace(field, "Visits.Visit.", "Visits.", 1)
}

// wireType names a Go type the way the wire contract does.
func wireType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"), goType == "redox.TextList":
		return "array"
	case goType == "string", goType == "redox.FlexString":
		return "string"
	case goType == "bool", goType == "*bool":
		return "boolean"
	case strings.Contains(goType, "float"), strings.Contains(goType, "int"), strings.Contains(goType, "FlexNumber"):
		return "number"
	default:
		return "object"
	}
}
