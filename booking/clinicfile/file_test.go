package clinicfile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"doorway/booking"
)

// smallClinic is a valid clinic file; the table below breaks one line of it at a time.
const smallClinic = `name: Small Clinic
locations:
  - id: main
    department: Main Street
    facility: Small Clinic
    time_zone: America/Chicago
  - id: west
    department: West Side
    time_zone: America/Denver
providers:
  - id: "1234567893"
    first_name: Ada
    locations: [main, west]
  - id: "1234567901"
    first_name: Ben
    locations: [west]
visit_types:
  - {code: SHORT, description: Short visit, minutes: 20, self_book: true}
reasons:
  - {id: cough, label: Cough, visit_types: [SHORT]}
templates:
  - provider: "1234567893"
    location: main
    days: [Mon, Tue]
    start: "08:00"
    end: "12:00"
  - provider: "1234567893"
    location: west
    days: [Wed]
    start: "08:00"
    end: "12:00"
    breaks: [{start: "10:00", end: "10:15"}]
blocks:
  - {reason: Meeting, location: main, days: [Mon], start: "08:00", end: "09:00"}
holidays:
  - {date: "2026-12-25", name: Christmas}
`

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, old, new string
		want           string // the error must contain this
	}{
		{"unknown top-level key", "name: Small Clinic", "name: Small Clinic\nhorizon: 90", "clinic.yaml:2: horizon: unknown key"},
		{"misspelt nested key", "    start: \"08:00\"\n    end: \"12:00\"\n  - provider", "    strat: \"08:00\"\n    end: \"12:00\"\n  - provider", `clinic.yaml:25: templates[0].strat: unknown key "strat" (did you mean "start"?)`},
		{"bad time", `start: "08:00"` + "\n    end: \"12:00\"\n  - provider", `start: "8am"` + "\n    end: \"12:00\"\n  - provider", `clinic.yaml:25: templates[0].start: "8am" is not a clock time`},
		{"end before start", "    end: \"12:00\"\n  - provider", "    end: \"07:00\"\n  - provider", "clinic.yaml:26: templates[0].end: end 07:00 is not after start 08:00"},
		{"break outside hours", `{start: "10:00", end: "10:15"}`, `{start: "11:50", end: "12:15"}`, "clinic.yaml:32: templates[1].breaks[0].start: break"},
		{"unknown provider", "  - provider: \"1234567893\"\n    location: west", "  - provider: \"9999999999\"\n    location: west", `clinic.yaml:27: templates[1].provider: unknown provider "9999999999"`},
		{"provider not at location", "blocks:\n", "  - {provider: \"1234567901\", location: main, days: [Fri], start: \"08:00\", end: \"09:00\"}\nblocks:\n", `clinic.yaml:33: templates[2].location: provider 1234567901 does not work at location "main"`},
		{"bad weekday", "days: [Mon, Tue]", "days: [Mon, Tues]", `clinic.yaml:24: templates[0].days[1]: "Tues" is not a weekday`},
		{"overlapping templates", "    days: [Wed]", "    days: [Tue]\n    # 08:00 Denver is 09:00 Chicago, inside the main template", "clinic.yaml:27: templates[1]: provider 1234567893 is already working then (templates[0], Tuesday)"},
		{"bad zone", "time_zone: America/Denver", "time_zone: America/Atlantis", `clinic.yaml:9: locations[1].time_zone: unknown time zone "America/Atlantis"`},
		{"missing department", "    department: West Side\n", "", "clinic.yaml:7: locations[1].department: department is required"},
		{"not a number", "minutes: 20", "minutes: twenty", `clinic.yaml:18: visit_types[0].minutes: expected a whole number, got "twenty"`},
		{"not a bool", "self_book: true", "self_book: yes", `clinic.yaml:18: visit_types[0].self_book: expected true or false, got "yes"`},
		{"double_book not a bool", "self_book: true", "self_book: true, double_book: 2", `clinic.yaml:18: visit_types[0].double_book: expected true or false, got "2"`},
		{"double_book on a long visit", "minutes: 20, self_book: true", "minutes: 40, self_book: true, double_book: true", `clinic.yaml:18: visit_types[0].double_book: a visit of 40 minutes cannot be double-booked: at most 30`},
		{"walk_in not self-bookable", "minutes: 20, self_book: true", "minutes: 20, self_book: false, walk_in: true", `clinic.yaml:18: visit_types[0].walk_in: a walk-in visit type must be self-bookable`},
		{"list expected", "locations: [west]", "locations: west", "clinic.yaml:16: providers[1].locations: expected a list"},
		{"duplicate key", "    first_name: Ben", "    first_name: Ben\n    first_name: Bo", `clinic.yaml:16: providers[1].first_name: duplicate key "first_name" (first at line 15)`},
		{"bad NPI", `id: "1234567901"`, `id: "12345"`, `clinic.yaml:14: providers[1].id: NPI "12345" must be 10 digits`},
		{"block at unknown location", "location: main, days: [Mon]", "location: east, days: [Mon]", `clinic.yaml:34: blocks[0].location: unknown location "east"`},
		{"block with a bad date", `days: [Mon], start: "08:00", end: "09:00"}`, `days: [Mon], start: "08:00", end: "09:00", from: "2026-02-30"}`, `clinic.yaml:34: blocks[0].from: "2026-02-30" is not a date`},
		{"text in an unknown language", "label: Cough", "label: {en: Cough, spanish: Tos}", `clinic.yaml:20: reasons[0].label.spanish: "spanish" is not a two-letter language code`},
		{"text that is a list", "label: Cough", "label: [Cough]", `clinic.yaml:20: reasons[0].label: expected text`},
		{"the reserved reason id", "id: cough", "id: other", `clinic.yaml:20: reasons[0].id: reason id "other" is reserved`},
		{"holiday with a bad date", `date: "2026-12-25"`, `date: "25/12/2026"`, `clinic.yaml:36: holidays[0].date: "25/12/2026" is not a date`},
		{"reason with unknown visit type", "visit_types: [SHORT]}", "visit_types: [LONG]}", `clinic.yaml:20: reasons[0].visit_types[0]: unknown visit type "LONG"`},
		{"unclosed list", "  - {id: cough, label: Cough, visit_types: [SHORT]}", "  - {id: cough, label: Cough, visit_types: [SHORT}", "clinic.yaml:20: did not find expected ',' or ']'"},
		{"bad indentation", "    first_name: Ben", "    first_name: Ben\n      last_name: Bo", "clinic.yaml:16: mapping values are not allowed"},
		{"stray list item", "blocks:\n", "- stray\nblocks:\n", "clinic.yaml:33: did not find expected key"},
		{"horizon too long", "name: Small Clinic", "name: Small Clinic\nhorizon_days: 1000", "clinic.yaml:2: horizon_days: horizon_days must be between 1 and 731"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if strings.Count(smallClinic, c.old) != 1 {
				t.Fatalf("test case: %q occurs %d times in smallClinic", c.old, strings.Count(smallClinic, c.old))
			}
			_, err := Parse("clinic.yaml", []byte(strings.Replace(smallClinic, c.old, c.new, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v\nwant it to contain %q", err, c.want)
			}
			var de *Error
			if !errors.As(err, &de) || !errors.Is(err, booking.ErrInvalid) {
				t.Errorf("error %T is not a *Error matching booking.ErrInvalid", err)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	var v any
	if err := yaml.Unmarshal([]byte(smallClinic), &v); err != nil {
		t.Fatal(err)
	}
	data, _ := json.MarshalIndent(v, "", "\t")
	def, err := Parse("clinic.json", data)
	if err != nil {
		t.Fatalf("the JSON form of a valid clinic: %v", err)
	}
	if len(def.Templates) != 2 || def.LeadMinutes != DefaultLeadMinutes || def.HorizonDays != DefaultHorizonDays {
		t.Errorf("parsed %d templates, lead %d, horizon %d; want 2, defaults", len(def.Templates), def.LeadMinutes, def.HorizonDays)
	}
	bad := strings.Replace(string(data), `"end": "12:00"`, `"ned": "12:00"`, 1)
	line := strings.Count(bad[:strings.Index(bad, `"ned"`)], "\n") + 1
	_, err = Parse("clinic.json", []byte(bad))
	if want := "clinic.json:" + strconv.Itoa(line) + ": templates"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want it to contain %q", err, want)
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.yaml")
	if err := os.WriteFile(path, []byte(smallClinic), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path + ".missing"); err == nil {
		t.Error("loading a missing file succeeded")
	}
}

// TestDemoSpeaksSpanish: every text of the demo clinic a patient reads has its Spanish, and
// it is not the English.
func TestDemoSpeaksSpanish(t *testing.T) {
	def := Demo()
	check := func(what string, tx booking.Text) {
		if tx.String() == "" {
			return
		}
		if es := tx["es"]; es == "" || es == tx.String() {
			t.Errorf("%s: Spanish %q for %q", what, es, tx.String())
		}
	}
	for _, r := range def.Reasons {
		check("reason "+r.ID, r.Label)
		check("urgent advice "+r.ID, r.Urgent)
	}
	for _, v := range def.VisitTypes {
		check("visit type "+v.Code, v.Name)
		check("summary "+v.Code, v.Summary)
		for _, in := range v.Instructions {
			check("instructions "+v.Code, in)
		}
	}
	for _, p := range def.Providers {
		check("specialty "+p.ID, p.Specialty)
		check("bio "+p.ID, p.Bio)
	}
}

// TestDemo guards the embedded demo clinic: Demo panics if it breaks.
func TestDemo(t *testing.T) {
	def := Demo()
	if Demo() != def {
		t.Error("DemoDefinition parsed the file twice")
	}
	if def.HorizonDays != 90 || def.LeadMinutes != 120 {
		t.Errorf("horizon %d days, lead %d minutes; want 90, 120", def.HorizonDays, def.LeadMinutes)
	}
	zones := map[string]bool{}
	for _, l := range def.Locations {
		zones[l.TimeZone] = true
		if l.Address.Street == "" || l.Phone == "" || l.Facility == "" || l.Department == "" {
			t.Errorf("location %s lacks an address, phone, facility or department", l.ID)
		}
	}
	if len(zones) < 2 {
		t.Errorf("demo locations span %d time zones, want 2 or more", len(zones))
	}
	creds, langs, scheduled := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, tp := range def.Templates {
		scheduled[tp.Provider] = true
	}
	for _, p := range def.Providers {
		for _, c := range p.Credentials {
			creds[c] = true
		}
		for _, l := range p.Languages {
			langs[l] = true
		}
		if !isNPI(p.ID) || p.Specialty.String() == "" || len(p.Languages) == 0 || !scheduled[p.ID] {
			t.Errorf("provider %s lacks an NPI, specialty, language or template", p.DisplayName())
		}
	}
	if len(def.Providers) < 8 || !creds["MD"] || !creds["DO"] || !creds["NP"] || !creds["PA-C"] || !langs["es"] || !langs["vi"] {
		t.Errorf("%d providers with credentials %v and languages %v", len(def.Providers), creds, langs)
	}
	selfBook, double := 0, 0
	for _, v := range def.VisitTypes {
		if v.SelfBook {
			selfBook++
		}
		if v.DoubleBook {
			double++
		}
		if v.Codeset == "" || v.Name.String() == "" {
			t.Errorf("visit type %s lacks a codeset or description", v.Code)
		}
	}
	if len(def.VisitTypes) < 6 || selfBook == len(def.VisitTypes) {
		t.Errorf("%d visit types, %d self-bookable; want 6 or more, not all", len(def.VisitTypes), selfBook)
	}
	if double == 0 || double > 2 {
		t.Errorf("%d visit types may be double-booked; want one or two short ones", double)
	}
	var plain int
	var urgent []string
	for _, r := range def.Reasons {
		if r.RedFlag {
			if r.Urgent.String() == "" {
				t.Errorf("red-flag reason %s has no urgent message", r.ID)
			}
			urgent = append(urgent, r.ID)
		} else {
			plain++
		}
	}
	for _, want := range []string{"chest-pain", "trouble-breathing", "stroke-signs", "severe-bleeding", "suicidal-thoughts"} {
		if !slices.Contains(urgent, want) {
			t.Errorf("red-flag reason %s missing", want)
		}
	}
	if plain < 15 {
		t.Errorf("%d patient-friendly reasons, want 15 or more", plain)
	}
	for _, d := range []string{"2026-11-26", "2026-12-25", "2027-01-01", "2027-05-31", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"} {
		if !slices.ContainsFunc(def.Holidays, func(h Holiday) bool { return h.Date == d && h.Location == "" }) {
			t.Errorf("holiday %s missing", d)
		}
	}
	if _, err := Parse("demo_clinic.yaml", demoClinic); err != nil {
		t.Errorf("the embedded file does not parse: %v", err)
	}
}
