package sandbox

import (
	"testing"
	"time"

	"doorway/booking/clinicfile"
)

// worldClinic has locations whose local days overlap in time (Tokyo's Tuesday morning is Los
// Angeles' Monday afternoon), a southern-hemisphere DST (Sydney), a 15-minute grid, late
// evenings and Sunday night hours across the DST changes: the cases the demo clinic, all in
// neighbouring US zones and closed on Sundays, cannot reach.
const worldClinic = `
name: World Clinic
lead_minutes: 0
slot_step_minutes: 15
horizon_days: 60
locations:
  - {id: tyo, department: Tokyo, facility: World, time_zone: Asia/Tokyo}
  - {id: lax, department: Los Angeles, facility: World, time_zone: America/Los_Angeles}
  - {id: syd, department: Sydney, facility: World, time_zone: Australia/Sydney}
providers:
  - {id: "1000000001", first_name: Aiko, last_name: Sato, credentials: [MD], locations: [tyo]}
  - {id: "1000000002", first_name: Luis, last_name: Ortega, credentials: [NP], locations: [lax, syd]}
  - {id: "1000000003", first_name: Mia, last_name: Brown, credentials: [DO], locations: [syd]}
visit_types:
  - {code: SHORT, description: Short visit, minutes: 20, self_book: true}
  - {code: LONG, description: Long visit, minutes: 45, self_book: true, providers: ["1000000001", "1000000003"]}
  - {code: DESK, description: Desk only, minutes: 30, self_book: false}
reasons:
  - {id: cough, label: Cough, visit_types: [SHORT]}
  - {id: checkup, label: Checkup, visit_types: [LONG, SHORT]}
  - {id: chest-pain, label: Chest pain, red_flag: true, urgent: Call emergency services.}
templates:
  - {provider: "1000000001", location: tyo, days: [Mon, Tue, Wed, Thu, Fri], start: "07:00", end: "22:00",
     breaks: [{start: "12:00", end: "13:00"}, {start: "18:00", end: "18:20"}]}
  - {provider: "1000000002", location: lax, days: [Sun], start: "00:00", end: "06:00"}
  - {provider: "1000000002", location: lax, days: [Mon, Wed, Fri], start: "12:00", end: "23:30"}
  - {provider: "1000000002", location: syd, days: [Sun], start: "09:00", end: "12:00"}
  - {provider: "1000000003", location: syd, days: [Sun, Mon, Tue, Wed, Thu, Sat], start: "00:30", end: "04:30"}
  - {provider: "1000000003", location: syd, days: [Mon, Tue, Thu], start: "08:00", end: "17:00"}
blocks:
  - {reason: Huddle, location: tyo, days: [Wed], start: "07:00", end: "07:50"}
  - {reason: Leave, provider: "1000000003", start: "00:00", end: "24:00", from: "2026-10-12", until: "2026-10-14"}
holidays:
  - {date: "2026-11-03", name: Culture Day, location: tyo}
  - {date: "2026-12-25", name: Christmas}
`

func TestEngineWorldProperties(t *testing.T) {
	def, err := clinicfile.Parse("world.yaml", []byte(worldClinic))
	if err != nil {
		t.Fatal(err)
	}
	runs := 150
	if testing.Short() {
		runs = 30
	}
	runProperties(t, def, runs, 7, []time.Time{
		time.Date(2026, 9, 25, 3, 0, 0, 0, time.UTC),   // Sydney springs forward on 4 October
		time.Date(2026, 10, 24, 20, 0, 0, 0, time.UTC), // Los Angeles falls back on 1 November
		time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),    // LA springs forward 14 March, Sydney falls back 4 April
	})
}
