package redox

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"doorway/booking"
)

// FuzzDecode feeds arbitrary bytes through everything that reads the wire: Decode,
// Validate, every conversion and a re-encode. None may panic, and a message that decoded
// must encode and decode again (no NaN or other value encoding/json cannot write).
func FuzzDecode(f *testing.F) {
	// The recorded samples, when the shared directory is there; the builders' output always.
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "redox", "samples", "*.json"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	a := testAppointment()
	for _, m := range []*Message{
		NewVisitMessage(EventNew, testMeta, a), NewVisitMessage(EventNew, testMeta, testHold()),
		NewReschedule(testMeta, a, a), NewCancel(testMeta, a, "r"), NewNoShow(testMeta, a, "r"),
		NewBooked(testMeta, testBookedQuery()), NewBookedResponse(testMeta, []booking.Appointment{a, testHold()}, true),
		NewAvailableSlots(testMeta, testSlotQuery()), NewAvailableSlotsResponse(testMeta, testSlots(), false),
		NewPushSlots(testMeta, testSlots()), ErrorMessage(EventNew, 400, "bad"),
	} {
		b, err := json.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(nullPadded))
	f.Add([]byte(`{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"Visits":[{"Duration":"1e308"}]}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			if booking.ErrorCode(err) != booking.CodeInvalid {
				t.Fatalf("Decode error %v has code %q, want invalid", err, booking.ErrorCode(err))
			}
			return
		}
		valid := m.Validate() == nil
		_ = ErrorsOf(m)
		_, errA := AppointmentOf(m)
		_, errQ := SlotQueryOf(m)
		_, errS := SlotsOf(m)
		_, errB := BookedQueryOf(m)
		_, errV := VisitsOf(m)
		// A valid message converts with the one reader its event has.
		if valid && len(m.Meta.Errors) == 0 {
			errs := map[string]error{
				EventNew: errA, EventModification: errA, EventReschedule: errA, EventCancel: errA, EventNoShow: errA,
				EventAvailableSlots: errQ, EventAvailableSlotsResponse: errS, EventPushSlots: errS,
				EventBooked: errB, EventBookedResponse: errV,
			}
			if err := errs[m.Kind()]; err != nil {
				t.Fatalf("valid %s does not convert: %v", m.Kind(), err)
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("decoded message does not encode: %v", err)
		}
		if _, err := Decode(b); err != nil {
			t.Fatalf("re-encoded message does not decode: %v\n%s", err, b)
		}
	})
}
