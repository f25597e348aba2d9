package booking

import (
	"context"
	"slices"
	"testing"
	"time"
)

// ruleClinic is the test clinic with a 2-hour lead time, a 30-day horizon and a visit type
// only staff may book.
func ruleService(t *testing.T, ehr *fakeEHR) (*Service, *memStore) {
	t.Helper()
	c := testClinic(t)
	c.LeadMinutes, c.HorizonDays = 120, 30
	c.VisitTypes = append(c.VisitTypes, VisitType{Code: "PROC", Codeset: "T", Name: En("Procedure"), Minutes: 20})
	st := newMemStore()
	return NewService(Config{Clinic: c, EHR: ehr, Holds: st, Appointments: st, Now: func() time.Time { return testNow }, CacheFor: -1}), st
}

// The lead time and the horizon are Doorway's rules for patients: the EHR answers every open
// time, patients see those inside the rules, and the desk sees the rest only when it lifts them.
func TestSearchAppliesThePatientRulesUnlessLifted(t *testing.T) {
	soon := slotAt("1111111111", "North FM", testNow.Add(90*time.Minute))           // inside the 2-hour lead
	fine := slotAt("1111111111", "North FM", testNow.Add(3*time.Hour))              // inside the rules
	far := slotAt("1111111111", "North FM", testNow.Add(30*24*time.Hour+time.Hour)) // past the 30-day horizon
	ehr := &fakeEHR{slots: []Slot{soon, fine, far}}
	svc, _ := ruleService(t, ehr)
	ctx := context.Background()
	p := Preferences{VisitType: "FU", From: testNow.Format(time.DateOnly), To: testNow.Format(time.DateOnly)}
	keys := func(lift ...Rule) []string {
		t.Helper()
		var out []string
		for _, d := range []time.Time{testNow, far.Start} {
			p := p
			p.From, p.To = d.Format(time.DateOnly), d.Format(time.DateOnly)
			res, err := svc.Search(ctx, p, "s", lift...)
			if err != nil {
				t.Fatal(err)
			}
			for _, sl := range res.Slots {
				out = append(out, sl.Key())
			}
		}
		return out
	}
	if got := keys(); !slices.Equal(got, []string{fine.Key()}) {
		t.Errorf("patient sees %v, want only %s", got, fine.Key())
	}
	if got := keys(RuleLeadTime); !slices.Equal(got, []string{soon.Key(), fine.Key()}) {
		t.Errorf("lead time lifted: %v, want the soon and fine times", got)
	}
	if got := keys(RuleHorizon); !slices.Equal(got, []string{fine.Key(), far.Key()}) {
		t.Errorf("horizon lifted: %v, want the fine and far times", got)
	}
	if got := svc.Bends(soon, VisitType{SelfBook: true}); !slices.Equal(got, []Rule{RuleLeadTime}) {
		t.Errorf("Bends(soon) = %v", got)
	}
	if got := svc.Bends(far, VisitType{}); !slices.Equal(got, []Rule{RuleHorizon, RuleSelfBook}) {
		t.Errorf("Bends(far, staff-only type) = %v", got)
	}
	// A visit type patients cannot book: refused unless the desk lifts the rule.
	p.VisitType = "PROC"
	if _, err := svc.Search(ctx, p, "s"); MsgOf(err) != MsgVisitTypeUnknown {
		t.Errorf("patient search of a staff-only type: %v, want refused", err)
	}
	if _, err := svc.Week(ctx, p, "s", WeekView{}); MsgOf(err) != MsgVisitTypeUnknown {
		t.Errorf("patient week of a staff-only type: %v, want refused", err)
	}
	if _, err := svc.Search(ctx, p, "s", RuleSelfBook); err != nil {
		t.Errorf("desk search of a staff-only type: %v", err)
	}
}

// A booking that bends a rule names it, with a reason, by a staff member; it is kept with the
// appointment and audit-logged with the booking.
func TestConfirmRequiresAnOverrideForWhatItBends(t *testing.T) {
	soon := slotAt("1111111111", "North FM", testNow.Add(30*time.Minute))
	ehr := &fakeEHR{slots: []Slot{soon}}
	svc, st := ruleService(t, ehr)
	ctx := context.Background()
	p := Preferences{VisitType: "FU", From: testNow.Format(time.DateOnly), To: testNow.Format(time.DateOnly)}
	if _, _, err := svc.Hold(ctx, "patient", p, soon.Key()); MsgOf(err) != MsgSlotTaken {
		t.Fatalf("a patient holds a time inside the lead time: %v", err)
	}
	if _, _, err := svc.Hold(ctx, "desk", p, soon.Key(), RuleLeadTime); err != nil {
		t.Fatalf("desk hold with the lead time lifted: %v", err)
	}
	vt, _ := svc.Clinic().VisitType("FU")
	staff := &Actor{Kind: "staff", Session: "staff:1"}
	req := ConfirmRequest{Key: "k", SessionID: "desk", By: staff, VisitType: vt,
		Patient: Patient{FirstName: "A", LastName: "B", DOB: "1990-01-01"}}
	for _, tt := range []struct {
		name string
		by   *Actor
		o    *Override
		want Msg
	}{
		{"no override", staff, nil, MsgOverrideNeeded},
		{"another rule named", staff, &Override{Rules: []Rule{RuleHorizon}, Reason: "urgent"}, MsgOverrideNeeded},
		{"not staff", &Actor{Kind: "patient"}, &Override{Rules: []Rule{RuleLeadTime}, Reason: "urgent"}, MsgOverrideNeeded},
		{"no reason", staff, &Override{Rules: []Rule{RuleLeadTime}}, MsgOverrideReasonMissing},
		{"unknown reason", staff, &Override{Rules: []Rule{RuleLeadTime}, Reason: "because"}, MsgOverrideReasonMissing},
		{"other without words", staff, &Override{Rules: []Rule{RuleLeadTime}, Reason: "other", Note: " \u200b "}, MsgOverrideNoteMissing},
	} {
		r := req
		r.By, r.Override = tt.by, tt.o
		if _, err := svc.Confirm(ctx, r); MsgOf(err) != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	if len(st.appts) != 0 {
		t.Fatalf("refused confirms wrote %d appointments", len(st.appts))
	}
	req.Override = &Override{Rules: []Rule{RuleLeadTime, RuleHorizon}, Reason: "other", Note: "  seen today, Dr Ruiz  "}
	a, err := svc.Confirm(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := Override{Rules: []Rule{RuleLeadTime}, Reason: "other", Note: "seen today, Dr Ruiz"}
	if !slices.Equal(a.Override.Rules, want.Rules) || a.Override.Reason != want.Reason || a.Override.Note != want.Note {
		t.Errorf("appointment override %+v, want %+v (only the rule bent, words cleaned)", a.Override, want)
	}
	if len(ehr.booked) != 1 || ehr.booked[0].Override.String() != want.String() {
		t.Errorf("the EHR got %+v, want the override with the New", ehr.booked)
	}
	var actions []string
	for _, e := range st.audit {
		actions = append(actions, e.Action+" "+e.Detail)
	}
	if !slices.Equal(actions, []string{"book ", "override lead_time: other (seen today, Dr Ruiz)"}) {
		t.Errorf("audit %q, want the booking and the override", actions)
	}
}

// The rules are judged when the time was held: a patient's time that slips inside the lead
// time while they type is booked as held, with no override.
func TestPatientHoldSlippingIntoTheLeadTimeStillBooks(t *testing.T) {
	at := slotAt("1111111111", "North FM", testNow.Add(125*time.Minute))
	ehr := &fakeEHR{slots: []Slot{at}}
	c := testClinic(t)
	c.LeadMinutes = 120
	st := newMemStore()
	now := testNow
	svc := NewService(Config{Clinic: c, EHR: ehr, Holds: st, Appointments: st, Now: func() time.Time { return now }, CacheFor: -1})
	ctx := context.Background()
	p := Preferences{VisitType: "FU", From: testNow.Format(time.DateOnly), To: testNow.Format(time.DateOnly)}
	if _, _, err := svc.Hold(ctx, "s", p, at.Key()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(8 * time.Minute) // the hold lasts; the time is now 117 minutes away
	vt, _ := c.VisitType("FU")
	a, err := svc.Confirm(ctx, ConfirmRequest{Key: "k", SessionID: "s", VisitType: vt, Patient: Patient{FirstName: "A", LastName: "B", DOB: "1990-01-01"}})
	if err != nil || !a.Override.IsZero() {
		t.Errorf("confirm: %+v, %v; want booked without an override", a.Override, err)
	}
}

func TestOverrideStringRoundTrips(t *testing.T) {
	for _, o := range []Override{
		{Rules: []Rule{RuleLeadTime}, Reason: "urgent"},
		{Rules: []Rule{RuleHorizon, RuleSelfBook}, Reason: "other", Note: "per Dr Lee (cardiology): ok"},
	} {
		got, ok := ParseOverride(o.String())
		if !ok || got.String() != o.String() || got.Note != o.Note {
			t.Errorf("ParseOverride(%q) = %+v, %v", o.String(), got, ok)
		}
	}
	if _, ok := ParseOverride("Arrive early"); ok {
		t.Error("an unrelated text parsed as an override")
	}
}
