package redox

import (
	"encoding/json"
	"slices"
	"testing"
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
	    "Demographics":{"EmailAddresses":[7, "ada@example.org"],"Citizenship":"US"}}}]}`
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
		{"Citizenship (a lone string)", v.Patient.Demographics.Citizenship, []string{"US"}},
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
