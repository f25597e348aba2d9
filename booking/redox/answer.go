package redox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"doorway/booking"
)

// decodeAnswer reads the answer to a query (AvailableSlotsResponse, BookedResponse) entry by
// entry. A slot or visit that does not decode or does not validate (no DateTime, a Duration
// of "thirty", a visit without patient identifiers) is left out and reported in skipped,
// so one entry the EHR got wrong does not hide every other open time from the patient. The
// envelope must still be right: a broken Meta, or AvailableSlots or Visits that is not an
// array, fails the whole answer as Decode would.
//
// The returned message holds only the entries that passed, so it validates; skipped names
// each left-out entry by JSON path and problem. Problem messages may quote values from the
// answer (patient data): log the paths, never the messages.
func decodeAnswer(data []byte) (m *Message, skipped []Problem, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, booking.Malformed("", "message is empty")
	}
	// Only the keys query answers carry; entries stay raw until each is read on its own.
	var env struct {
		Meta           Meta              `json:"Meta"`
		Visits         []json.RawMessage `json:"Visits"`
		AvailableSlots []json.RawMessage `json:"AvailableSlots"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, nil, decodeError(err)
	}
	m = &Message{Meta: env.Meta}
	var bad []Problem
	m.Visits, bad = keepValid("Visits", env.Visits, (*checker).bookedVisit)
	skipped = append(skipped, bad...)
	m.AvailableSlots, bad = keepValid("AvailableSlots", env.AvailableSlots, (*checker).slot)
	skipped = append(skipped, bad...)
	return m, skipped, nil
}

// keepValid decodes and checks each raw entry of the array at key, returning the good ones
// and one Problem per entry left out. A nil raws (key absent or null) stays nil and an empty
// one stays empty, because Message.Kind tells an echoed answer from a query by that.
func keepValid[T any](key string, raws []json.RawMessage, check func(*checker, string, *T)) ([]T, []Problem) {
	if raws == nil {
		return nil, nil
	}
	out := make([]T, 0, len(raws))
	var skipped []Problem
	for i, raw := range raws {
		path := fmt.Sprintf("%s[%d]", key, i)
		var item T
		if p := decodeEntry(path, raw, &item); p != nil {
			skipped = append(skipped, *p)
			continue
		}
		c := &checker{}
		check(c, path, &item)
		if len(c.problems) > 0 {
			skipped = append(skipped, c.problems[0])
			continue
		}
		out = append(out, item)
	}
	return out, skipped
}

// decodeEntry decodes one entry, naming the field that broke it when encoding/json says.
func decodeEntry(path string, raw json.RawMessage, v any) *Problem {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field != "" {
			// BookedVisit embeds Visit; the wire has no "Visit." segment.
			path += "." + strings.TrimPrefix(typ.Field, "Visit.")
		}
		return &Problem{Path: path, Message: path + " has the wrong type: got " + typ.Value + ", want " + wireType(typ.Type.String())}
	}
	return &Problem{Path: path, Message: path + " cannot be read: " + err.Error()}
}

// skippedPaths lists the JSON paths of skipped entries for a log line: paths only, since
// the problems' messages may quote patient data.
func skippedPaths(skipped []Problem) []string {
	const most = 10 // enough to find the pattern; the count says how many in all
	paths := make([]string, 0, min(len(skipped), most))
	for _, p := range skipped[:min(len(skipped), most)] {
		paths = append(paths, p.Path)
	}
	return paths
}
