package booking

import "testing"

// ruleClinic has visit types for new, returning and any patients, reasons leading to one or
// several of them, a red-flag reason, and providers in two zones.
func ruleClinic(t *testing.T) *Clinic {
	t.Helper()
	c := &Clinic{
		Name: "Rule Clinic",
		Locations: []Location{
			{ID: "north", Name: "North", Department: "North FM", TimeZone: "America/Chicago"},
			{ID: "west", Name: "West", Department: "West FM", TimeZone: "America/Denver"},
		},
		Providers: []Provider{
			{ID: "1111111111", FirstName: "Ana", Locations: []string{"north"}},
			{ID: "2222222222", FirstName: "Ben", Locations: []string{"west"}},
			{ID: "3333333333", FirstName: "Cy", Locations: []string{"north", "west"}},
		},
		VisitTypes: []VisitType{
			{Code: "NEW", Name: En("New patient"), Minutes: 40, Patients: PatientsNew, SelfBook: true},
			{Code: "FU", Name: En("Follow-up"), Minutes: 20, Patients: PatientsEstablished, SelfBook: true},
			{Code: "SICK", Name: En("Sick"), Minutes: 20, SelfBook: true, Providers: []string{"1111111111", "2222222222"}},
			{Code: "PROC", Name: En("Procedure"), Minutes: 60, Patients: PatientsEstablished},
		},
		Reasons: []Reason{
			{ID: "knee", Label: En("Knee pain"), VisitTypes: []string{"SICK"}},
			{ID: "mood", Label: En("Mood"), VisitTypes: []string{"FU", "NEW"}},
			{ID: "mole", Label: En("Mole"), VisitTypes: []string{"PROC", "SICK"}},
			{ID: "newbie", Label: En("I'm new"), VisitTypes: []string{"NEW"}},
			{ID: "skin", Label: En("Skin procedure"), VisitTypes: []string{"PROC"}},
			{ID: "chest", Label: En("Chest pain"), RedFlag: true},
		},
	}
	if err := c.Prepare(); err != nil {
		t.Fatal(err)
	}
	return c
}
