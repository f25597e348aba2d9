package booking

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEndIsStartPlusMinutes: the end of a visit and of a slot is what overlap checks, the
// EHR's busy time and the calendar file use.
func TestEndIsStartPlusMinutes(t *testing.T) {
	start := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	want := start.Add(40 * time.Minute)
	if got := (Appointment{Start: start, Minutes: 40}).End(); !got.Equal(want) {
		t.Errorf("Appointment.End = %v, want %v", got, want)
	}
	if got := (Slot{Start: start, Minutes: 40}).End(); !got.Equal(want) {
		t.Errorf("Slot.End = %v, want %v", got, want)
	}
}

func TestProviderDisplayName(t *testing.T) {
	tests := []struct {
		name string
		p    Provider
		want string
	}{
		{"with credentials", Provider{FirstName: "Maya", LastName: "Okafor", Credentials: []string{"MD", "FAAOS"}}, "Maya Okafor, MD, FAAOS"},
		{"without credentials", Provider{FirstName: "Maya", LastName: "Okafor"}, "Maya Okafor"},
		{"last name only", Provider{LastName: "Okafor"}, "Okafor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.DisplayName(); got != tt.want {
				t.Errorf("DisplayName = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestZoneWithoutPrepare: a location that did not go through Prepare still answers in its own
// zone, and in UTC when the zone is unknown.
func TestZoneWithoutPrepare(t *testing.T) {
	if got := (Location{TimeZone: "America/Chicago"}).Zone().String(); got != "America/Chicago" {
		t.Errorf("Zone = %s, want America/Chicago", got)
	}
	if got := (Location{TimeZone: "Nowhere/Atlantis"}).Zone(); got != time.UTC {
		t.Errorf("Zone of an unknown zone = %s, want UTC", got)
	}
}

// TestTextFallsBack: a clinic that wrote only English still shows something in Spanish.
func TestTextFallsBack(t *testing.T) {
	tests := []struct {
		name string
		text Text
		want string
	}{
		{"the language asked for", Text{"en": "Knee pain", "es": "Dolor de rodilla"}, "Dolor de rodilla"},
		{"the default language when it is missing", Text{"en": "Knee pain", "fr": "Douleur au genou"}, "Knee pain"},
		{"the default language when it is empty", Text{"en": "Knee pain", "es": ""}, "Knee pain"},
		{"any language when neither is there", Text{"fr": "Douleur au genou"}, "Douleur au genou"},
		{"nothing", Text{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.text.In("es"); got != tt.want {
				t.Errorf("In(es) = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNewCodeIsGroupedForReadingAloud: "K7M-4QX", from an alphabet without look-alikes.
func TestNewCodeIsGroupedForReadingAloud(t *testing.T) {
	form := regexp.MustCompile(`^[` + codeAlphabet + `]{3}-[` + codeAlphabet + `]{3}$`)
	for range 50 {
		if c := NewCode(); !form.MatchString(c) {
			t.Fatalf("NewCode = %q, want three and three characters of %s around a dash", c, codeAlphabet)
		}
	}
}

// TestErrorTextAndDetail: the error's text (logs, dead letters) names each part that is set,
// and DetailOf (what an integrator is told) prefers the Detail.
func TestErrorTextAndDetail(t *testing.T) {
	tests := []struct {
		name       string
		err        *Error
		text, deta string
	}{
		{"code only", &Error{Code: CodeConflict}, "conflict", "conflict"},
		{"every part", &Error{Code: CodeInvalid, Field: "dob", Msg: MsgDOBFormat, Detail: "not a date", Err: errors.New("parse")},
			"invalid dob (" + string(MsgDOBFormat) + "): not a date: parse", "not a date"},
		{"a message without detail", &Error{Code: CodeSlotTaken, Msg: MsgSlotHeld},
			"slot_taken (" + string(MsgSlotHeld) + ")", "slot_taken (" + string(MsgSlotHeld) + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.text {
				t.Errorf("Error() = %q, want %q", got, tt.text)
			}
			if got := DetailOf(tt.err); got != tt.deta {
				t.Errorf("DetailOf = %q, want %q", got, tt.deta)
			}
		})
	}
	if got := DetailOf(errors.New("plain")); got != "plain" {
		t.Errorf("DetailOf(plain error) = %q, want its text", got)
	}
}

// TestCutKeepsWholeRunes: what a sender wrote is shortened on a rune boundary, and text that
// fits, to the byte, is kept whole.
func TestCutKeepsWholeRunes(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abcdef", 6, "abcdef"},
		{"abcdef", 10, "abcdef"},
		{"abcdef", 4, "abcd"},
		{"aé", 2, "a"}, // é is two bytes: not cut in half
		{"aé", 3, "aé"},
	}
	for _, tt := range tests {
		if got := cut(tt.s, tt.n); got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestDatesSpanAtMostAWeekAtAGlance: MaxWeekDays dates make one page; one more is refused.
func TestDatesSpanAtMostAWeekAtAGlance(t *testing.T) {
	p := Preferences{From: "2026-12-01", To: "2026-12-14"}
	if d, err := p.dates(); err != nil || len(d) != MaxWeekDays || d[0] != p.From || d[len(d)-1] != p.To {
		t.Errorf("dates of %d days = %v, %v; want them all", MaxWeekDays, d, err)
	}
	p.To = "2026-12-15"
	if d, err := p.dates(); !errors.Is(err, ErrInvalid) {
		t.Errorf("dates of %d days = %v, %v; want refused", MaxWeekDays+1, d, err)
	}
}

// TestRowsShowCellSlotsAndCountTheRest: with room for cell times a day, the rest of a day's
// times are counted as "more", not shown.
func TestRowsShowCellSlotsAndCountTheRest(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	var day SearchResult
	for i := range 3 {
		day.Slots = append(day.Slots, slotAt("P1", "North FM", at.Add(time.Duration(i)*20*time.Minute)))
	}
	for _, tt := range []struct{ cell, shown, more int }{{2, 2, 1}, {3, 3, 0}, {0, 3, 0}} {
		r := rows([]string{"2026-12-02"}, []string{"P1"}, []SearchResult{day}, tt.cell)
		if len(r) != 1 || len(r[0].Days[0]) != tt.shown || r[0].More[0] != tt.more {
			t.Errorf("cell %d: %d shown, %d more; want %d and %d", tt.cell, len(r[0].Days[0]), r[0].More[0], tt.shown, tt.more)
		}
	}
}

// TestMatchesLengthAndLocation: a slot exactly as long as the visit fits; a location filter
// naming an id does not match another location that shares its department's name.
func TestMatchesLengthAndLocation(t *testing.T) {
	at := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	sl := Slot{Start: at, Minutes: 20, Provider: ProviderRef{ID: "P1"}, Location: LocationRef{ID: "north", Department: "FM"}}
	tests := []struct {
		name string
		q    SlotQuery
		want bool
	}{
		{"exactly the visit's length", SlotQuery{Start: at, Minutes: 20}, true},
		{"shorter than the visit", SlotQuery{Start: at, Minutes: 21}, false},
		{"the location by id and department", SlotQuery{Start: at, Locations: []LocationRef{{ID: "north", Department: "FM"}}}, true},
		{"another location with the same department", SlotQuery{Start: at, Locations: []LocationRef{{ID: "south", Department: "FM"}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.Matches(sl, time.UTC); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPatientFormDOBInThreeFields: the date of birth typed in three boxes becomes YYYY-MM-DD;
// three empty boxes are "missing", not "not a date".
func TestPatientFormDOBInThreeFields(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		y, m, d string
		want    string // the patient's DOB, when valid
		msg     Msg
	}{
		{"all three", "1990", "4", "12", "1990-04-12", ""},
		{"all empty", "", "", "", "", MsgDOBMissing},
		{"only the year", "1990", "", "", "", MsgDOBFormat},
		{"only the day", "", "", "12", "", MsgDOBFormat},
		{"a two-digit year", "90", "4", "12", "", MsgDOBFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := PatientForm{FirstName: "Ada", LastName: "Lovell", Phone: "(555) 201-3344", DOBYear: tt.y, DOBMonth: tt.m, DOBDay: tt.d}
			p, fe := f.Validate(today)
			if fe["dob"] != tt.msg || (tt.msg == "" && p.DOB != tt.want) {
				t.Errorf("DOB %q, error %q; want %q, %q", p.DOB, fe["dob"], tt.want, tt.msg)
			}
		})
	}
}

// TestEmailAtItsLimits: the RFC 5321 lengths are limits, not one past them.
func TestEmailAtItsLimits(t *testing.T) {
	domain := strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".org"
	for _, e := range []string{
		"a@example.org",                          // a one-letter local part
		strings.Repeat("a", 64) + "@example.org", // the longest local part
		strings.Repeat("a", 64) + "@" + domain,   // MaxEmailBytes exactly
	} {
		if len(e) > MaxEmailBytes || !validEmail(e) {
			t.Errorf("validEmail(%d bytes, %q...) = false, want true", len(e), e[:min(len(e), 20)])
		}
	}
	if e := strings.Repeat("a", 64) + "@x" + domain; validEmail(e) {
		t.Errorf("validEmail of %d bytes = true, want false", len(e))
	}
}
