package booking

import (
	"context"
	"testing"
	"time"
)

// A returning patient is found by last name (accents, case and spacing aside) and date of
// birth among Doorway's appointments and the EHR's, once each, their latest details first;
// the first name narrows; nothing else matches.
func TestReturningPatients(t *testing.T) {
	ehr := &fakeEHR{}
	svc, st := newTestService(t, ehr)
	ada := Patient{Identifiers: []Identifier{{ID: "P-1", IDType: "DoorwayPatientID"}}, FirstName: "Ada", LastName: "Núñez", DOB: "1990-04-12", Phone: "+15552013344"}
	moved := ada
	moved.Phone = "+15552019999" // her latest visit has her new phone
	ben := Patient{Identifiers: []Identifier{{ID: "P-2", IDType: "DoorwayPatientID"}}, FirstName: "Ben", LastName: "Nunez", DOB: "1990-04-12"}
	other := Patient{FirstName: "Ada", LastName: "Nunez", DOB: "1990-04-13"}
	for i, p := range []Patient{ada, moved, ben, other} {
		vn := "DW-" + string(rune('A'+i))
		st.appts[vn] = Appointment{VisitNumber: vn, Patient: p, Start: testNow.Add(time.Duration(i) * time.Hour)}
	}
	ehr.visits = []Appointment{
		{VisitNumber: "E-1", Start: testNow, Patient: Patient{Identifiers: []Identifier{{ID: "MRN9", IDType: "MR"}}, FirstName: "ADA", LastName: "nuñez ", DOB: "1990-04-12"}},
		{VisitNumber: "E-2", Start: testNow, Patient: ada}, // one Doorway already knows
	}
	ctx := context.Background()
	got, err := svc.ReturningPatients(ctx, PatientQuery{Last: "  NUNEZ", DOB: "4/12/1990"})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range got {
		keys = append(keys, k.Patient.FirstName+" "+k.Patient.Phone)
	}
	if len(got) != 3 || got[0].Patient.FirstName != "Ben" || got[1].Patient.Phone != "+15552019999" || !got[2].FromEHR {
		t.Errorf("found %q, want Ben, Ada (latest phone), then the EHR's Ada", keys)
	}
	if f := FormOf(got[2].Patient); f.MRN != "MRN9" || f.DOB != "1990-04-12" {
		t.Errorf("the EHR's patient as a form: %+v", f)
	}
	if got, _ := svc.ReturningPatients(ctx, PatientQuery{Last: "Núñez", First: "be", DOB: "1990-04-12"}); len(got) != 1 || got[0].Patient.FirstName != "Ben" {
		t.Errorf("narrowed by first name: %+v", got)
	}
	if _, fe := (PatientQuery{Last: " ", DOB: "12 April"}).Validate(); fe["find_last"] == "" || fe["find_dob"] == "" {
		t.Errorf("no name and no date: %v, want both fields named", fe)
	}
	if _, err := svc.ReturningPatients(ctx, PatientQuery{Last: "Nunez", DOB: "1990-13-45"}); FieldOf(err) != "find_dob" {
		t.Errorf("a bad date: %v", err)
	}
}
