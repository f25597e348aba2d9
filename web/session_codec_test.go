package web

import (
	"reflect"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// TestSessionCodecKeepsTheWizard: every field of a wizard in full survives a round trip, a
// stranger value is refused rather than dropped, and bytes of another codec do not decode.
func TestSessionCodecKeepsTheWizard(t *testing.T) {
	slot := booking.Slot{ID: "s1", Start: time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC), Minutes: 20,
		Provider: booking.ProviderRef{ID: "1000000001", IDType: "NPI"}, Location: booking.LocationRef{ID: "north", Department: "North FM"}}
	w := Wizard{
		Prefs:   booking.Preferences{ReasonID: "cold-flu", ReasonText: "and a cough", VisitType: "SICK", From: "2026-03-02", To: "2026-03-08", Days: []time.Weekday{1, 3}, Bands: []booking.Band{booking.Morning}, Providers: []string{"1000000001"}},
		Pending: &booking.ReasonChoice{Typed: "dizzy", Urgency: booking.Urgency{Doubt: true}},
		Held:    &slot, Alts: []booking.Slot{slot}, Notice: booking.MsgSlotTaken,
		Form:    booking.PatientForm{FirstName: "Ada", DOB: "1990-04-12"},
		Patient: &booking.Patient{FirstName: "Ada", LastName: "Lovell"},
		Key:     "k1", Booked: []string{"DW-1"}, Family: booking.PatientForm{Phone: "402-555-0100"},
	}
	data, err := SessionCodec{}.Encode(map[any]any{wizardKey: w, langKey: "es"})
	if err != nil {
		t.Fatal(err)
	}
	back, err := SessionCodec{}.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := back[wizardKey].(Wizard)
	got.Held.Start, got.Alts[0].Start = got.Held.Start.UTC(), got.Alts[0].Start.UTC()
	if !reflect.DeepEqual(got, w) || back[langKey] != "es" {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, w)
	}
	if _, err := (SessionCodec{}).Encode(map[any]any{"other": 1}); err == nil {
		t.Error("a value web does not keep was encoded (and would be lost)")
	}
	old, _ := store.Gob{}.Encode(map[any]any{"lang": "es"})
	if _, err := (SessionCodec{}).Decode(old); err == nil {
		t.Error("gob bytes decoded as a session")
	}
}
