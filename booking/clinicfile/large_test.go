package clinicfile

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/clinic-200.yaml from its generator")

// largeClinicPath is the health-system-sized clinic file the web and e2e tests load: 200
// providers in 12 locations.
const largeClinicPath = "../../testdata/clinic-200.yaml"

// TestLargeClinicFile keeps testdata/clinic-200.yaml what largeClinic generates (run with
// -update after changing the generator) and checks it parses to its advertised size.
func TestLargeClinicFile(t *testing.T) {
	want := largeClinic(t)
	if *update {
		if err := os.WriteFile(largeClinicPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(largeClinicPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what its generator makes: run go test ./booking/clinicfile -run LargeClinic -update", largeClinicPath)
	}
	f, err := Parse(filepath.Base(largeClinicPath), got)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Providers) != 200 || len(f.Locations) != 12 {
		t.Errorf("%d providers in %d locations, want 200 in 12", len(f.Providers), len(f.Locations))
	}
	names := map[string]bool{}
	for _, p := range f.Providers {
		names[p.FirstName+" "+p.LastName] = true
	}
	if len(names) != 200 {
		t.Errorf("%d distinct provider names, want 200", len(names))
	}
}

// largeClinic generates a health system: 12 clinics across Nebraska (two on Mountain time),
// 200 providers of 7 specialties, a fifth of them at two clinics, a quarter speaking Spanish;
// the demo clinic's visit types, reasons and holidays. Names, NPIs, addresses and phone
// numbers are invented.
func largeClinic(t *testing.T) []byte {
	demo, err := os.ReadFile("demo_clinic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	section := func(from, to string) string {
		s := string(demo)
		i, j := strings.Index(s, from), strings.Index(s, to)
		if i < 0 || j < i {
			t.Fatalf("demo_clinic.yaml has no %q..%q section", from, to)
		}
		return s[i:j]
	}

	towns := []struct{ id, name, street, zip, zone string }{
		{"kearney", "Kearney", "3104 Second Avenue", "68847", "America/Chicago"},
		{"north-platte", "North Platte", "611 East Fourth Street", "69101", "America/Chicago"},
		{"scottsbluff", "Scottsbluff", "1900 Broadway", "69361", "America/Denver"},
		{"grand-island", "Grand Island", "2210 North Webb Road", "68803", "America/Chicago"},
		{"hastings", "Hastings", "715 North Saint Joseph Avenue", "68901", "America/Chicago"},
		{"lincoln", "Lincoln", "4600 Valley Road", "68510", "America/Chicago"},
		{"omaha", "Omaha", "8303 Dodge Street", "68114", "America/Chicago"},
		{"norfolk", "Norfolk", "1500 Koenigstein Avenue", "68701", "America/Chicago"},
		{"columbus", "Columbus", "3020 18th Street", "68601", "America/Chicago"},
		{"fremont", "Fremont", "450 East 23rd Street", "68025", "America/Chicago"},
		{"mccook", "McCook", "1301 East H Street", "69001", "America/Chicago"},
		{"sidney", "Sidney", "1000 Pole Creek Crossing", "69162", "America/Denver"},
	}
	type specialty struct{ code, en, es, cred string }
	specialties := []specialty{
		{"207Q00000X", "Family Medicine", "Medicina familiar", "MD"},
		{"207Q00000X", "Family Medicine", "Medicina familiar", "DO"},
		{"363LF0000X", "Family Nurse Practitioner", "Enfermera practicante familiar", "NP"},
		{"208000000X", "Pediatrics", "Pediatría", "MD"},
		{"207R00000X", "Internal Medicine", "Medicina interna", "MD"},
		{"207QS0010X", "Sports Medicine", "Medicina deportiva", "PA-C"},
		{"363A00000X", "Family Medicine", "Medicina familiar", "PA-C"},
	}
	first := []string{"Maya", "Daniel", "Linh", "Priya", "Sarah", "Tomás", "James", "Ana", "Robert", "Grace",
		"Samuel", "Fatima", "Elena", "Marcus", "Aiko", "David", "Lucia", "Omar", "Hannah", "Kwame",
		"Ingrid", "Rafael", "Mei", "Thomas", "Nadia", "Carlos", "Emily", "Yusuf", "Sofia", "Peter",
		"Amara", "Jonah", "Rosa", "Viktor", "Leila", "Ethan", "Camila", "Hiro", "Olivia", "Mateo"}
	last := []string{"Okafor", "Reyes", "Tran", "Natarajan", "Lindqvist", "Herrera", "Whitehorse", "Morales", "Chen", "Novak",
		"Abara", "Kowalski", "Haddad", "Jensen", "Nakamura", "Ortiz", "Fischer", "Mensah", "Rossi", "Petrov",
		"Sato", "Gallagher", "Banerjee", "Duarte", "Eriksen", "Yilmaz", "Moreau", "Castillo", "Kim", "Olsen",
		"Asante", "Varga", "Hughes", "Quintero", "Lindgren", "Mbeki", "Park", "Salazar", "Weber", "Begay"}

	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Prairie Health Network: a generated health system of 200 providers in 12 clinics, for the\n")
	p("# tests that check Doorway at scale (booking/clinicfile/large_test.go writes it; run\n")
	p("# go test ./booking/clinicfile -run LargeClinic -update after changing the generator).\n")
	p("# People, NPIs, addresses and phone numbers are invented (555-01xx numbers are fiction).\n")
	p("name: Prairie Health Network\nphone: \"(402) 555-0100\"\nhorizon_days: 90\nlead_minutes: 120\nslot_step_minutes: 0\n\nlocations:\n")
	for i, l := range towns {
		p("  - id: %s\n    name: Prairie Health %s\n    facility: Prairie Health Network\n    department: %s Primary Care\n", l.id, l.name, l.name)
		p("    specialty: {code: 207Q00000X, codeset: NUCC, description: Family Medicine}\n    time_zone: %s\n", l.zone)
		p("    address: {street: %s, city: %s, state: NE, zip: \"%s\", country: US}\n    phone: \"(402) 555-01%02d\"\n", l.street, l.name, l.zip, 10+i)
	}

	type provider struct {
		npi       string
		spec      specialty
		locations []string
	}
	var providers []provider
	p("\nproviders:\n")
	for i := range 200 {
		s := specialties[i%len(specialties)]
		locs := []string{towns[i%len(towns)].id}
		if i%5 == 0 {
			locs = append(locs, towns[(i+1)%len(towns)].id)
		}
		langs := []string{"en"}
		switch {
		case i%4 == 1:
			langs = append(langs, "es")
		case i%11 == 3:
			langs = append(langs, "vi")
		case i%13 == 6:
			langs = append(langs, "ar")
		}
		pr := provider{npi: fmt.Sprintf("%d", 1300000000+i*4637), spec: s, locations: locs}
		providers = append(providers, pr)
		p("  - {id: \"%s\", id_type: NPI, first_name: %s, last_name: %s, credentials: [%s],\n", pr.npi, first[i%len(first)], last[(i/len(first)*7+i)%len(last)], s.cred)
		p("     specialty: {en: %s, es: %s}, languages: [%s], locations: [%s]}\n", s.en, s.es, strings.Join(langs, ", "), strings.Join(locs, ", "))
	}

	// The demo's visit types, offered by the providers whose specialty fits.
	offers := func(fit ...string) string {
		var npis []string
		for _, pr := range providers {
			if slices.Contains(fit, pr.spec.en) {
				npis = append(npis, `"`+pr.npi+`"`)
			}
		}
		return "[" + strings.Join(npis, ", ") + "]"
	}
	p("\nvisit_types:\n")
	p("  - {code: NEW, codeset: DoorwayVisitType, description: {en: New patient visit, es: Consulta de paciente nuevo}, minutes: 40,\n")
	p("     patients: new, self_book: true, providers: %s}\n", offers("Family Medicine", "Family Nurse Practitioner", "Pediatrics", "Internal Medicine"))
	p("  - {code: FOLLOWUP, codeset: DoorwayVisitType, description: {en: Follow-up visit, es: Consulta de seguimiento}, minutes: 20,\n")
	p("     patients: established, self_book: true}\n")
	p("  - {code: PHYSICAL, codeset: DoorwayVisitType, description: {en: Annual physical, es: Examen físico anual}, minutes: 40,\n")
	p("     patients: any, self_book: true, providers: %s}\n", offers("Family Medicine", "Family Nurse Practitioner", "Internal Medicine"))
	p("  - {code: SICK, codeset: DoorwayVisitType, description: {en: Sick visit, es: Consulta por enfermedad}, minutes: 20,\n")
	p("     patients: any, self_book: true, providers: %s}\n", offers("Family Medicine", "Family Nurse Practitioner", "Pediatrics", "Internal Medicine"))
	p("  - {code: INJURY, codeset: DoorwayVisitType, description: {en: \"Joint, back or sports injury\", es: \"Lesión de articulaciones, espalda o deportiva\"}, minutes: 30,\n")
	p("     patients: any, self_book: true, providers: %s}\n", offers("Sports Medicine", "Family Medicine"))
	p("  - {code: WELLCHILD, codeset: DoorwayVisitType, description: {en: Well-child visit, es: Control del niño sano}, minutes: 30,\n")
	p("     patients: any, self_book: true, providers: %s}\n", offers("Pediatrics", "Family Nurse Practitioner"))
	p("  - {code: PROC, codeset: DoorwayVisitType, description: {en: Minor skin procedure, es: Procedimiento menor de la piel}, minutes: 60,\n")
	p("     patients: established, self_book: false, providers: %s}\n", offers("Internal Medicine"))

	p("\n%s", section("reasons:", "# Weekly hours"))
	p("templates:\n")
	weeks := [][]string{{"Mon", "Tue", "Wed", "Thu", "Fri"}, {"Mon", "Wed", "Fri"}, {"Tue", "Thu"}, {"Mon", "Tue", "Thu", "Fri"}}
	for i, pr := range providers {
		for j, l := range pr.locations {
			k := (i + i/len(towns)) % len(weeks) // each clinic gets every pattern
			days := weeks[k]
			if j == 1 { // the second clinic gets the days the first leaves
				days = weeks[2]
				if len(weeks[k]) != 3 {
					days = []string{"Sat"}
				}
			}
			start, end := []string{"08:00", "09:00", "07:30", "10:00"}[k], []string{"17:00", "17:30", "16:00", "19:00"}[k]
			p("  - {provider: \"%s\", location: %s, days: [%s], start: \"%s\", end: \"%s\",\n", pr.npi, l, strings.Join(days, ", "), start, end)
			p("     breaks: [{start: \"12:00\", end: \"13:00\", reason: Lunch}]}\n")
		}
	}
	p("\nblocks:\n  - {reason: Wednesday team meeting, days: [Wed], start: \"08:00\", end: \"09:00\"}\n\n")
	p("%s", section("holidays:", "  - {date: \"2027-02-12\""))
	return []byte(b.String())
}
