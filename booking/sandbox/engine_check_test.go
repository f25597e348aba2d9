package sandbox

import (
	"errors"
	"testing"
	"time"

	"doorway/booking"
	"doorway/booking/clinicfile"
)

func TestEngineCheck(t *testing.T) {
	e := NewEngine(clinicfile.Demo())
	chicago, _ := time.LoadLocation("America/Chicago")
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, chicago) }
	const okafor, kearney = "1487203956", "Kearney Family Medicine"
	cases := []struct {
		name, provider, department string
		start                      time.Time
		minutes                    int
		want                       booking.Code // "" = bookable
	}{
		{"template start", okafor, kearney, at(2026, 11, 30, 8, 0), 20, ""},
		{"department in another case", okafor, "KEARNEY family medicine", at(2026, 11, 30, 8, 0), 20, ""},
		{"off the slot grid is fine", okafor, kearney, at(2026, 11, 30, 8, 7), 20, ""},
		{"ends at lunch", okafor, kearney, at(2026, 11, 30, 11, 40), 20, ""},
		{"runs into lunch", okafor, kearney, at(2026, 11, 30, 11, 50), 20, booking.CodeOutsideWindow},
		{"before opening", okafor, kearney, at(2026, 11, 30, 7, 40), 20, booking.CodeOutsideWindow},
		{"after closing", okafor, kearney, at(2026, 11, 30, 16, 50), 20, booking.CodeOutsideWindow},
		{"Sunday", okafor, kearney, at(2026, 11, 29, 9, 0), 20, booking.CodeOutsideWindow},
		{"Thanksgiving", okafor, kearney, at(2026, 11, 26, 9, 0), 20, booking.CodeOutsideWindow},
		{"Tuesday rounds block", okafor, kearney, at(2026, 12, 1, 9, 0), 20, booking.CodeSlotTaken},
		{"Wednesday team meeting", okafor, kearney, at(2026, 12, 2, 8, 40), 30, booking.CodeSlotTaken},
		{"conference leave", okafor, kearney, at(2027, 1, 21, 10, 0), 20, booking.CodeSlotTaken},
		{"after the conference", okafor, kearney, at(2027, 1, 25, 10, 0), 20, ""},
		{"Saturday hours", "1598274631", kearney, at(2026, 12, 5, 12, 40), 20, ""},
		{"Mountain time location", "1145987321", "Scottsbluff Family Medicine", time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), 20, ""},
		{"Mountain 8:00 is 9:00 Central", "1145987321", "Scottsbluff Family Medicine", at(2026, 11, 30, 8, 0), 20, booking.CodeOutsideWindow},
		{"unknown provider", "1111111111", kearney, at(2026, 11, 30, 8, 0), 20, booking.CodeInvalid},
		{"unknown department", okafor, "Cardiology", at(2026, 11, 30, 8, 0), 20, booking.CodeInvalid},
		{"provider not at that location", okafor, "Scottsbluff Family Medicine", at(2026, 11, 30, 9, 0), 20, booking.CodeInvalid},
		{"no duration", okafor, kearney, at(2026, 11, 30, 8, 0), 0, booking.CodeInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := e.Check(c.provider, c.department, c.start, c.minutes)
			if got := booking.ErrorCode(err); got != c.want {
				t.Fatalf("Check = %v (code %q), want code %q", err, got, c.want)
			}
			var be *booking.Error
			if err != nil && (!errors.As(err, &be) || be.Detail == "") {
				t.Errorf("error %v is not a *booking.Error with a message", err)
			}
		})
	}
}

func TestEngineLimit(t *testing.T) {
	e := NewEngine(clinicfile.Demo())
	q := booking.SlotQuery{Start: engineNow, End: engineNow.AddDate(0, 0, 30)}
	all, incomplete := e.Open(q, nil, engineNow, 100000)
	if incomplete || len(all) <= DefaultLimit {
		t.Fatalf("30 days of the demo clinic: %d slots, incomplete %v; want more than %d, complete", len(all), incomplete, DefaultLimit)
	}
	for _, limit := range []int{1, 10, DefaultLimit, len(all) - 1, len(all), len(all) + 1} {
		got, incomplete := e.Open(q, nil, engineNow, limit)
		if want := min(limit, len(all)); len(got) != want || incomplete != (limit < len(all)) {
			t.Errorf("limit %d: %d slots, incomplete %v; want %d, %v", limit, len(got), incomplete, want, limit < len(all))
		}
		for i := range got {
			if got[i].ID != all[i].ID {
				t.Fatalf("limit %d: slot %d is %s, want %s (the same prefix as the full answer)", limit, i, got[i].ID, all[i].ID)
			}
		}
	}
	if got, incomplete := e.Open(q, nil, engineNow, 0); len(got) != DefaultLimit || !incomplete {
		t.Errorf("limit 0: %d slots, incomplete %v; want DefaultLimit (%d), true", len(got), incomplete, DefaultLimit)
	}
}

// The EHR offers every open time from now (the lead time is Doorway's rule, for patients) to
// the end of its schedule, ScheduleAheadDays past the patients' horizon.
func TestEngineScheduleWindowAndDefaultWindow(t *testing.T) {
	e := NewEngine(clinicfile.Demo())
	slots, _ := e.Open(booking.SlotQuery{Start: engineNow.Add(-time.Hour)}, nil, engineNow, 100000)
	if len(slots) == 0 {
		t.Fatal("no slots")
	}
	if first := slots[0].Start; first.Before(engineNow) || !first.Before(engineNow.Add(2*time.Hour)) {
		t.Errorf("first slot %s: want the first open time from now (%s), inside what patients' lead time hides", first, engineNow)
	}
	if last := slots[len(slots)-1].Start; !last.Before(engineNow.Add(-time.Hour + DefaultWindow)) {
		t.Errorf("last slot %s is past the default 14-day window", last)
	}
	far, _ := e.Open(booking.SlotQuery{Start: engineNow.AddDate(0, 0, 170), End: engineNow.AddDate(0, 0, 210)}, nil, engineNow, 100000)
	if len(far) == 0 || far[len(far)-1].Start.After(engineNow.AddDate(0, 0, 90+ScheduleAheadDays)) {
		t.Errorf("a window past the schedule: %d slots, want some, none after %d days", len(far), 90+ScheduleAheadDays)
	}
}

func TestEngineReasons(t *testing.T) {
	e := NewEngine(clinicfile.Demo())
	count := func(q booking.SlotQuery) (int, map[string]bool) {
		q.Start, q.End = engineNow, engineNow.AddDate(0, 0, 7)
		slots, _ := e.Open(q, nil, engineNow, 100000)
		reasons := map[string]bool{}
		for _, s := range slots {
			reasons[s.Reason] = true
		}
		return len(slots), reasons
	}
	for _, r := range [][]string{{"Chest pain or pressure"}, {"knee pain", "TROUBLE-BREATHING"}, {"suicidal-thoughts"}} {
		if n, _ := count(booking.SlotQuery{Reasons: r}); n != 0 {
			t.Errorf("red-flag reasons %q: %d slots, want none", r, n)
		}
	}
	if _, got := count(booking.SlotQuery{Reasons: []string{"Knee Pain"}}); len(got) != 2 || !got["Joint, back or sports injury"] || !got["Sick visit"] {
		t.Errorf("knee pain gives visit types %v, want the injury and sick visits", got)
	}
	if _, got := count(booking.SlotQuery{Reasons: []string{"my elbow itches"}}); got["Minor skin procedure"] || len(got) != 6 {
		t.Errorf("free text gives visit types %v, want the 6 self-bookable ones", got)
	}
	if _, got := count(booking.SlotQuery{VisitType: booking.Coded{Code: "proc"}}); len(got) != 1 || !got["Minor skin procedure"] {
		t.Errorf("visit type PROC gives %v, want only the procedure (the EHR offers what is asked)", got)
	}
	if n, _ := count(booking.SlotQuery{VisitType: booking.Coded{Code: "NOPE"}}); n != 0 {
		t.Errorf("unknown visit type: %d slots, want none", n)
	}
	if n, _ := count(booking.SlotQuery{Bands: []booking.Band{booking.Evening}}); n == 0 {
		t.Error("no evening slots in a week of the demo clinic")
	}
}
