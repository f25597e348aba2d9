package booking

import (
	"strings"
	"testing"
	"time"
)

func TestPatientFormValidate(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	ok := PatientForm{FirstName: " Ada ", LastName: "Lovell", DOB: "1990-04-12", Phone: "(555) 201-3344", Language: "en"}
	tests := []struct {
		name  string
		edit  func(*PatientForm)
		field string // "" = valid
	}{
		{"valid with phone", func(*PatientForm) {}, ""},
		{"valid with email only", func(f *PatientForm) { f.Phone, f.Email = "", "ada@example.org" }, ""},
		{"missing first name", func(f *PatientForm) { f.FirstName = "  " }, "first_name"},
		{"missing last name", func(f *PatientForm) { f.LastName = "" }, "last_name"},
		{"missing dob", func(f *PatientForm) { f.DOB = "" }, "dob"},
		{"dob not a date", func(f *PatientForm) { f.DOB = "1990-13-45" }, "dob"},
		{"dob as the US types it", func(f *PatientForm) { f.DOB = "4/12/1990" }, ""},
		{"first name only invisible characters", func(f *PatientForm) { f.FirstName = "\u200b\u202e\u2060" }, "first_name"},
		{"first name without a letter", func(f *PatientForm) { f.FirstName = "123 !!" }, "first_name"},
		{"last name too long in characters", func(f *PatientForm) { f.LastName = strings.Repeat("é", 61) }, "last_name"},
		{"a name of 60 accented letters", func(f *PatientForm) { f.LastName = strings.Repeat("é", 60) }, ""},
		{"email too long", func(f *PatientForm) { f.Email = strings.Repeat("a", 64) + "@" + strings.Repeat("b", 190) + ".org" }, "email"},
		{"email local part over 64", func(f *PatientForm) { f.Email = strings.Repeat("a", 65) + "@example.org" }, "email"},
		{"email domain without a dot", func(f *PatientForm) { f.Email = "ada@localhost" }, "email"},
		{"email domain label starting with a dash", func(f *PatientForm) { f.Email = "ada@-bad.org" }, "email"},
		{"email with a display name", func(f *PatientForm) { f.Email = "Ada <ada@example.org>" }, "email"},
		{"US phone with a 1xx area code", func(f *PatientForm) { f.Phone = "108-555-0123" }, "phone"},
		{"US phone with a 0xx exchange", func(f *PatientForm) { f.Phone = "308-055-0123" }, "phone"},
		{"international phone too short", func(f *PatientForm) { f.Phone = "+44 123" }, "phone"},
		{"international phone", func(f *PatientForm) { f.Phone = "+44 20 7946 0958" }, ""},
		{"language not offered", func(f *PatientForm) { f.Language = "xx" }, "language"},
		{"dob in the future", func(f *PatientForm) { f.DOB = "2030-01-01" }, "dob"},
		{"dob too old", func(f *PatientForm) { f.DOB = "1850-01-01" }, "dob"},
		{"no way to reach", func(f *PatientForm) { f.Phone = "" }, "phone"},
		{"bad phone", func(f *PatientForm) { f.Phone = "12345" }, "phone"},
		{"bad email", func(f *PatientForm) { f.Email = "ada@" }, "email"},
		{"bad language", func(f *PatientForm) { f.Language = "english" }, "language"},
		{"invisible characters in a name are taken out", func(f *PatientForm) { f.FirstName = "A\u200bd\u202ea" }, ""},
		{"bad mrn", func(f *PatientForm) { f.MRN = "12 34; drop" }, "mrn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.edit(&f)
			p, fe := f.Validate(today)
			if tt.field == "" {
				if len(fe) != 0 {
					t.Fatalf("errors %v, want none", fe)
				}
				if p.FirstName != "Ada" || p.DOB != "1990-04-12" {
					t.Errorf("patient %+v not cleaned", p)
				}
				return
			}
			if _, found := fe[tt.field]; !found {
				t.Errorf("errors %v, want one on %s", fe, tt.field)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{"555-201-3344": "+15552013344", "1 (555) 201 3344": "+15552013344", "+44 20 7946 0958": "+442079460958"} {
		if got, ok := NormalizePhone(in); !ok || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestBandsAndWeekdays(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	for _, tt := range []struct {
		hour int
		want Band
	}{{0, Morning}, {11, Morning}, {12, Afternoon}, {16, Afternoon}, {17, Evening}, {23, Evening}} {
		if got := BandOf(time.Date(2026, 3, 4, tt.hour, 59, 0, 0, chicago)); got != tt.want {
			t.Errorf("BandOf(%d:59) = %s, want %s", tt.hour, got, tt.want)
		}
	}
	for in, want := range map[string]time.Weekday{"Monday": time.Monday, "tue": time.Tuesday, "SATURDAY": time.Saturday} {
		if got, ok := ParseWeekday(in); !ok || got != want {
			t.Errorf("ParseWeekday(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := ParseWeekday("Mo"); ok {
		t.Error("ParseWeekday accepted a 2-letter name")
	}
}

func TestMatchesEvaluatesInLocationZone(t *testing.T) {
	denver, _ := time.LoadLocation("America/Denver")
	// 2026-12-02 16:30 UTC is Wednesday 09:30 in Denver.
	s := Slot{Start: time.Date(2026, 12, 2, 16, 30, 0, 0, time.UTC), Minutes: 20,
		Provider: ProviderRef{ID: "1", IDType: "NPI"}, Location: LocationRef{Department: "West FM", Facility: "C"}}
	q := SlotQuery{Start: s.Start.Add(-time.Hour), End: s.Start.Add(time.Hour)}
	tests := []struct {
		name string
		edit func(*SlotQuery)
		want bool
	}{
		{"no preferences", func(*SlotQuery) {}, true},
		{"wednesday morning", func(q *SlotQuery) { q.Days, q.Bands = []time.Weekday{time.Wednesday}, []Band{Morning} }, true},
		{"afternoon only", func(q *SlotQuery) { q.Bands = []Band{Afternoon} }, false},
		{"thursday only", func(q *SlotQuery) { q.Days = []time.Weekday{time.Thursday} }, false},
		{"other provider", func(q *SlotQuery) { q.Providers = []ProviderRef{{ID: "2", IDType: "NPI"}} }, false},
		{"provider with other id type", func(q *SlotQuery) { q.Providers = []ProviderRef{{ID: "1", IDType: "EPIC"}} }, false},
		{"by department", func(q *SlotQuery) { q.Locations = []LocationRef{{Department: "west fm"}} }, true},
		{"other department", func(q *SlotQuery) { q.Locations = []LocationRef{{Department: "North FM"}} }, false},
		{"longer than the slot", func(q *SlotQuery) { q.Minutes = 40 }, false},
		{"window ends at start", func(q *SlotQuery) { q.End = s.Start }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qq := q
			tt.edit(&qq)
			if got := qq.Matches(s, denver); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
}
