package redox

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"doorway/booking"
)

// TestLooseTextListsDecode: Redox's schemas leave Notes, Instructions, Credentials and the
// like untyped, so numbers, objects, booleans and nulls arrive there and must not fail the
// message.
func TestLooseTextListsDecode(t *testing.T) {
	body := `{"Meta":{"DataModel":"Scheduling","EventType":"BookedResponse"},"Visits":[{
	  "VisitNumber":"SB-1","VisitDateTime":"2025-03-12T16:30:00.000Z","Duration":30,
	  "Instructions":["Fast", 12, null, {"Text":"Bring ID"}],
	  "AttendingProvider":{"ID":"1","Credentials":["MD", true]},
	  "Location":{"Department":"Family Medicine"},
	  "Patient":{"Identifiers":[{"ID":"0000000001","IDType":"MR"}],"Notes":[1.5, {"a":[1,2]}, null, "note"],
	    "Demographics":{"EmailAddresses":[7, "ada@example.org"],"Citizenship":["US", null]}}}]}`
	m, err := Decode([]byte(body))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	v := m.Visits[0]
	for _, c := range []struct {
		field string
		got   TextList
		want  []string
	}{
		{"Instructions", v.Instructions, []string{"Fast", "12", `{"Text":"Bring ID"}`}},
		{"Credentials", v.AttendingProvider.Credentials, []string{"MD", "true"}},
		{"Patient.Notes", v.Patient.Notes, []string{"1.5", `{"a":[1,2]}`, "note"}},
		{"Citizenship", v.Patient.Demographics.Citizenship, []string{"US"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	visits, err := VisitsOf(m)
	if err != nil {
		t.Fatalf("VisitsOf: %v", err)
	}
	if got := visits[0].Patient.Email; got != "ada@example.org" {
		t.Errorf("email = %q, want the entry that is an address", got)
	}

	slots := `{"Meta":{"DataModel":"Scheduling","EventType":"AvailableSlotsResponse"},"AvailableSlots":[
	  {"DateTime":"2025-03-10T14:00:00.000Z","Duration":30,"Notes":[3, {"Room":"4"}, false, null]}]}`
	sm, err := Decode([]byte(slots))
	if err != nil {
		t.Fatalf("Decode slots: %v", err)
	}
	if got, want := sm.AvailableSlots[0].Notes, (TextList{"3", `{"Room":"4"}`, "false"}); !slices.Equal(got, want) {
		t.Errorf("slot Notes = %q, want %q", got, want)
	}
	out, err := json.Marshal(sm.AvailableSlots[0].Notes)
	if err != nil || string(out) != `["3","{\"Room\":\"4\"}","false"]` {
		t.Errorf("Notes encode as %s (%v), want an array of strings", out, err)
	}
}

// TestTextListIsStillAList: the entries are loose, the list is not: a lone value where the
// schema wants an array is a wrong type, named by its path.
func TestTextListIsStillAList(t *testing.T) {
	for name, body := range map[string]string{
		"a number":  `7`,
		"a string":  `"Arrive early"`,
		"an object": `{"Text":"Arrive early"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(`{"Meta":{"DataModel":"Scheduling","EventType":"New"},"Visit":{"Instructions":` + body + `}}`))
			var be *booking.Error
			if !errors.As(err, &be) || be.Field != "Visit.Instructions" || !strings.Contains(be.Detail, "want array") {
				t.Errorf("Decode = %v, want a wrong-type error at Visit.Instructions wanting an array", err)
			}
		})
	}
}
