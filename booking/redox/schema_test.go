package redox

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"doorway/booking"
)

// compileSchemas loads the ten draft-04 Scheduling schemas, keyed by event type. The
// compiler reads "$schema" from each file, so draft-04 semantics apply.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	dir := sharedDir(t, "schemas")
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for _, event := range eventTypes {
		path := filepath.Join(dir, "Scheduling."+strings.ToLower(event)+".json")
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("schema for %s: %v", event, err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("parse %s: %v", path, err)
		}
		url := "file:///redox/" + filepath.Base(path)
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("add %s: %v", path, err)
		}
		if out[event], err = c.Compile(url); err != nil {
			t.Fatalf("compile %s: %v", path, err)
		}
	}
	return out
}

// TestBuildersMatchSchemas checks every message our builders emit against Redox's schema
// for its event, and against our own Validate.
func TestBuildersMatchSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	a, old := testAppointment(), testAppointment()
	old.Start = testStart.Add(-24 * 60 * 60 * 1e9)
	bare := booking.Appointment{VisitNumber: "SB-1", Start: testStart, Location: booking.LocationRef{Department: "Family Medicine"}}
	push := testMeta
	push.BatchID, push.CurrentBatch, push.TotalBatches = "b-2025-03-10", "1", "1"
	tests := []struct {
		name string
		msg  *Message
	}{
		{"New with patient", NewVisitMessage(EventNew, testMeta, a)},
		{"New hold without patient", NewVisitMessage(EventNew, testMeta, testHold())},
		{"Modification", NewVisitMessage(EventModification, testMeta, a)},
		{"Reschedule", NewReschedule(testMeta, a, old)},
		{"Cancel", NewCancel(testMeta, a, "Patient request")},
		{"Cancel without duration", NewCancel(testMeta, bare, "")},
		{"NoShow", NewNoShow(testMeta, a, "Did not arrive")},
		{"NoShow without duration", NewNoShow(testMeta, bare, "")},
		{"Booked full", NewBooked(testMeta, testBookedQuery())},
		{"Booked window only", NewBooked(testMeta, booking.BookedQuery{Start: testStart})},
		{"BookedResponse empty", NewBookedResponse(testMeta, nil, false)},
		{"BookedResponse with visits and a hold", NewBookedResponse(testMeta, []booking.Appointment{a, testHold()}, true)},
		{"AvailableSlots with every seed field", NewAvailableSlots(testMeta, testSlotQuery())},
		{"AvailableSlots window only", NewAvailableSlots(testMeta, booking.SlotQuery{Start: testStart})},
		{"AvailableSlotsResponse empty", NewAvailableSlotsResponse(testMeta, nil, false)},
		{"AvailableSlotsResponse with slots", NewAvailableSlotsResponse(testMeta, testSlots(), true)},
		{"PushSlots", NewPushSlots(push, testSlots())},
		{"PushSlots empty", NewPushSlots(push, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.msg)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("UnmarshalJSON: %v", err)
			}
			sch := schemas[tt.msg.Meta.EventType]
			if sch == nil {
				t.Fatalf("no schema for EventType %q", tt.msg.Meta.EventType)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("schema rejects %s:\n%v", b, err)
			}
			if err := tt.msg.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

// TestEmptyListsEncodeAsArrays pins the encoding the schemas require: an empty answer is
// [] (not a missing key), and a hold in a BookedResponse has "Identifiers":[].
func TestEmptyListsEncodeAsArrays(t *testing.T) {
	tests := []struct {
		name string
		msg  *Message
		want string
	}{
		{"AvailableSlotsResponse", NewAvailableSlotsResponse(testMeta, nil, false), `"AvailableSlots":[]`},
		{"PushSlots", NewPushSlots(testMeta, nil), `"Slots":[]`},
		{"BookedResponse", NewBookedResponse(testMeta, nil, false), `"Visits":[]`},
		{"BookedResponse hold", NewBookedResponse(testMeta, []booking.Appointment{testHold()}, false), `"Patient":{"Identifiers":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.msg)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if !bytes.Contains(b, []byte(tt.want)) {
				t.Errorf("got %s, want it to contain %s", b, tt.want)
			}
		})
	}
}

// TestSamplesMatchSchemas checks the Scheduling samples against the schemas, which keeps
// the test honest about what the schemas accept (Redox echoes "Booked" on responses, so
// the schema is picked by Kind).
func TestSamplesMatchSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	for name, data := range samples(t) {
		if !strings.HasPrefix(name, "Scheduling.") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			m, err := Decode(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("UnmarshalJSON: %v", err)
			}
			if err := schemas[m.Kind()].Validate(inst); err != nil {
				t.Errorf("schema rejects the sample: %v", err)
			}
		})
	}
}

// TestSchemasRejectMissingRequired proves the schema check is not vacuous: the compiled
// schemas do enforce what they require.
func TestSchemasRejectMissingRequired(t *testing.T) {
	schemas := compileSchemas(t)
	tests := []struct {
		name, event, path string
		msg               *Message
	}{
		{"New without Department", EventNew, "Visit.Location.Department", NewVisitMessage(EventNew, testMeta, testAppointment())},
		{"BookedResponse without Identifiers", EventBookedResponse, "Visits.0.Patient.Identifiers", NewBookedResponse(testMeta, []booking.Appointment{testAppointment()}, false)},
		{"AvailableSlotsResponse without AvailableSlots", EventAvailableSlotsResponse, "AvailableSlots", NewAvailableSlotsResponse(testMeta, nil, false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(edit(t, tt.msg, tt.path, del)))
			if err != nil {
				t.Fatal(err)
			}
			if err := schemas[tt.event].Validate(inst); err == nil {
				t.Errorf("schema accepted a message without %s", tt.path)
			}
		})
	}
}
