package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"doorway/views/pages/patient"
)

// wantFieldError asserts that the control with id is marked invalid and described by an
// error beside it containing want.
func wantFieldError(t *testing.T, r response, id, want string) {
	t.Helper()
	ctl := r.doc.Find("#" + id)
	if ctl.Length() != 1 {
		t.Fatalf("no #%s on the page", id)
	}
	if v, _ := ctl.Attr("aria-invalid"); v != "true" {
		t.Errorf("#%s aria-invalid = %q, want true", id, v)
	}
	if d, _ := ctl.Attr("aria-describedby"); !strings.Contains(d, id+"-error") {
		t.Errorf("#%s aria-describedby = %q, want it to name %s-error", id, d, id)
	}
	if got := r.doc.Find("#" + id + "-error").Text(); !strings.Contains(got, want) {
		t.Errorf("#%s-error = %q, want it to contain %q", id, got, want)
	}
	if r.doc.Find("[data-testid=error-summary] a[href='#"+id+"']").Length() != 1 {
		t.Errorf("error summary has no link to #%s", id)
	}
}

func TestReasonValidation(t *testing.T) {
	tests := []struct {
		name      string
		form      url.Values
		field     string // "" for the reason group
		want      string
		keptOther string
	}{
		{"nothing chosen", url.Values{}, "", "Choose a reason", ""},
		{"something else without words", url.Values{"reason": {"other"}}, "other", "Tell us in a few words", ""},
		{"too long", url.Values{"reason": {"other"}, "other": {strings.Repeat("ache ", 41)}}, "other", "200 characters", strings.TrimSpace(strings.Repeat("ache ", 41))},
		{"not in the catalogue", url.Values{"reason": {"free-pony"}}, "", "from the list", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			a.get("/")
			r := a.post("/", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			checkPage(t, tt.name, r)
			if tt.field != "" {
				wantFieldError(t, r, tt.field, tt.want)
			} else {
				if got := r.doc.Find("#reason-error").Text(); !strings.Contains(got, tt.want) {
					t.Errorf("#reason-error = %q, want %q", got, tt.want)
				}
				if d, _ := r.doc.Find("fieldset").First().Attr("aria-describedby"); d != "reason-error" {
					t.Errorf("reason fieldset aria-describedby = %q, want reason-error", d)
				}
			}
			if got, _ := r.doc.Find("#other").Attr("value"); got != tt.keptOther {
				t.Errorf("typed reason not kept: %q, want %q", got, tt.keptOther)
			}
		})
	}
}

func TestRedFlagsStopTheFlow(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want string // text of the urgent message
	}{
		{"catalogue red flag", url.Values{"reason": {"chest-pain"}}, "Chest pain can be a heart attack"},
		{"typed chest pain", url.Values{"reason": {"other"}, "other": {"I have CHEST PAIN since this morning"}}, "911"},
		{"typed can't breathe with a curly apostrophe", url.Values{"other": {"I can\u2019t breathe well"}}, "911"},
		{"typed stroke signs", url.Values{"reason": {"other"}, "other": {"maybe a stroke, face drooping"}}, "911"},
		{"typed crisis", url.Values{"reason": {"other"}, "other": {"I've been feeling suicidal"}}, "988"},
		{"red flag typed beside a listed reason", url.Values{"reason": {"cold-flu"}, "other": {"and chest pain"}}, "911"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			a.get("/")
			wantRedirect(t, a.post("/", tt.form), "/urgent")
			r := a.get("/urgent")
			wantStatus(t, r, http.StatusOK)
			checkPage(t, tt.name, r)
			if got := r.doc.Find("[data-testid=urgent] .big").Text(); !strings.Contains(got, tt.want) {
				t.Errorf("urgent message = %q, want %q", got, tt.want)
			}
			// The flow has not moved on: the next steps send the patient back to the start.
			wantRedirect(t, a.get("/times"), "/")
			wantRedirect(t, a.get("/times"), "/")
		})
	}
	t.Run("ordinary typed reason goes on", func(t *testing.T) {
		a := newApp(t)
		a.get("/")
		wantRedirect(t, a.post("/", url.Values{"reason": {"other"}, "other": {"follow-up about my thyroid"}}), "/visit-type")
	})
}

func TestVisitTypeStep(t *testing.T) {
	t.Run("one fitting visit type skips the step", func(t *testing.T) {
		a := newApp(t)
		a.get("/")
		wantRedirect(t, a.post("/", url.Values{"reason": {"cold-flu"}}), "/times")
	})
	t.Run("only self-bookable types with durations", func(t *testing.T) {
		a := newApp(t)
		a.get("/")
		wantRedirect(t, a.post("/", url.Values{"reason": {"knee-pain"}}), "/visit-type")
		r := a.get("/visit-type")
		if n := r.doc.Find("input[name=visit_type]").Length(); n != 2 {
			t.Errorf("%d visit types offered, want 2 (injury, sick)", n)
		}
		if !strings.Contains(r.doc.Find("[data-testid=visit-types]").Text(), "30 minutes") {
			t.Error("duration not shown")
		}
		if r.doc.Find("input[name=seen]").Length() != 0 {
			t.Error("asked new-or-returning although every option fits both")
		}
		a.get("/")
		wantRedirect(t, a.post("/", url.Values{"reason": {"mole"}}), "/times") // PROC is not self-bookable: only SICK left
	})
	t.Run("nothing self-bookable asks the patient to call", func(t *testing.T) {
		a := newApp(t)
		a.get("/")
		wantRedirect(t, a.post("/", url.Values{"reason": {"skin-procedure"}}), "/visit-type")
		r := a.get("/visit-type")
		wantStatus(t, r, http.StatusOK)
		checkPage(t, "call to book", r)
		if got := r.doc.Find("[data-testid=call-to-book]").Text(); !strings.Contains(got, "(308) 555-0100") {
			t.Errorf("call-to-book note = %q", got)
		}
		wantStatus(t, a.post("/visit-type", url.Values{"visit_type": {"PROC"}}), http.StatusUnprocessableEntity)
	})
	tests := []struct {
		name     string
		form     url.Values
		status   int
		to       string
		field    string
		wantText string
	}{
		{"returning patient, type implied", url.Values{"seen": {"yes"}}, http.StatusSeeOther, "/times", "", ""},
		{"new patient, type implied", url.Values{"seen": {"no"}}, http.StatusSeeOther, "/times", "", ""},
		{"question unanswered", url.Values{"visit_type": {"NEW"}}, http.StatusUnprocessableEntity, "", "seen", "seen here in the last 3 years"},
		{"new patient picks a returning visit", url.Values{"seen": {"no"}, "visit_type": {"FOLLOWUP"}}, http.StatusUnprocessableEntity, "", "visit_type", "for patients we've seen before"},
		{"unknown visit type", url.Values{"seen": {"yes"}, "visit_type": {"PROC"}}, http.StatusUnprocessableEntity, "", "visit_type", "from the list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			a.get("/")
			wantRedirect(t, a.post("/", url.Values{"reason": {"mood"}}), "/visit-type")
			page := a.get("/visit-type")
			if !strings.Contains(page.doc.Find("legend").First().Text(), "Have you been seen at Prairie Test Clinic in the last 3 years?") {
				t.Errorf("new-or-returning question missing: %q", page.doc.Find("legend").First().Text())
			}
			r := a.post("/visit-type", tt.form)
			wantStatus(t, r, tt.status)
			if tt.to != "" {
				wantRedirect(t, r, tt.to)
				return
			}
			checkPage(t, tt.name, r)
			if got := r.doc.Find("#" + tt.field + "-error").Text(); !strings.Contains(got, tt.wantText) {
				t.Errorf("#%s-error = %q, want %q", tt.field, got, tt.wantText)
			}
			if v := tt.form.Get("visit_type"); v != "" && r.doc.Find("#vt-"+v+"[checked]").Length() != 1 && v != "PROC" {
				t.Errorf("choice %s not kept", v)
			}
		})
	}
}

func TestFilterValidation(t *testing.T) {
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"no start", url.Values{"from": {""}, "to": {"2026-03-15"}}, "from", "first date"},
		{"start in the past", url.Values{"from": {"2026-02-20"}, "to": {"2026-03-15"}}, "from", "today or a later date"},
		{"not a date", url.Values{"from": {"next week"}, "to": {"2026-03-15"}}, "from", "Enter a date like 2026-03-04 (year, month, day)"},
		{"end before start", url.Values{"from": {"2026-03-10"}, "to": {"2026-03-05"}}, "to", "on or after the first date"},
		{"too long a range", url.Values{"from": {"2026-03-02"}, "to": {"2026-07-01"}}, "to", "at most 14 days apart"},
		{"a name nobody has", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-08"}, "who": {"Zzyzx"}}, "who", "No provider who offers this visit matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			a.get("/")
			a.post("/", url.Values{"reason": {"cold-flu"}})
			tt.form.Set("days", "wed")
			tt.form.Set("bands", "evening")
			r := a.post("/times/filter", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			checkPage(t, tt.name, r)
			wantFieldError(t, r, tt.field, tt.want)
			if r.doc.Find("details#filters[open]").Length() != 1 {
				t.Error("the filters with errors are folded away")
			}
			for _, f := range []string{"from", "to", "who"} {
				if got, _ := r.doc.Find("#" + f).Attr("value"); got != tt.form.Get(f) {
					t.Errorf("%s not kept: %q, want %q", f, got, tt.form.Get(f))
				}
			}
			for _, id := range []string{"d-wed", "b-evening"} {
				if r.doc.Find("#"+id+"[checked]").Length() != 1 {
					t.Errorf("#%s not kept checked", id)
				}
			}
		})
	}
	t.Run("providers who work elsewhere", func(t *testing.T) {
		a := newApp(t)
		a.get("/")
		a.post("/", url.Values{"reason": {"cold-flu"}})
		r := a.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}, "providers": {"1000000001"}, "locations": {"west"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := r.doc.Find("#locations-error").Text(); !strings.Contains(got, "work at these clinics") {
			t.Errorf("#locations-error = %q", got)
		}
	})
	t.Run("the first look is the next week, anyone, anywhere", func(t *testing.T) {
		a := newApp(t)
		a.get("/")
		a.post("/", url.Values{"reason": {"cold-flu"}})
		r := a.get("/times")
		from, _ := r.doc.Find("#from").Attr("value")
		to, _ := r.doc.Find("#to").Attr("value")
		if from != "2026-03-02" || to != "2026-03-08" {
			t.Errorf("default range %s to %s, want 2026-03-02 to 2026-03-08", from, to)
		}
		if got := r.doc.Find("[data-testid=week]").Text(); !strings.Contains(got, "Daniel Reyes, DO") || !strings.Contains(got, "Speaks English and Spanish") {
			t.Errorf("providers lack credentials or languages: %q", got)
		}
		if got := r.doc.Find("#speaks option").Length(); got < 2 {
			t.Errorf("%d languages to filter by", got)
		}
		if got := r.doc.Find("#locations option").Text(); !strings.Contains(got, "West Clinic") {
			t.Errorf("locations to filter by: %q", got)
		}
	})
}

func TestStepsOutOfOrderRedirect(t *testing.T) {
	a := newApp(t)
	for _, path := range []string{"/visit-type", "/times", "/details", "/review"} {
		wantRedirect(t, a.get(path), "/")
	}
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"mood"}}), "/visit-type") // two visit types fit
	wantRedirect(t, a.get("/times"), "/visit-type")
	wantRedirect(t, a.get("/details"), "/visit-type")
	wantRedirect(t, a.post("/", url.Values{"reason": {"cold-flu"}}), "/times") // one fits: straight to the times
	wantStatus(t, a.get("/times"), http.StatusOK)
	wantRedirect(t, a.get("/details"), "/times")
	wantRedirect(t, a.get("/review"), "/times")
	wantRedirect(t, a.get("/when"), "/times") // the old step's address
}

// TestDoubtfulSignAdvisesThenGoesOn: typed words that might be an emergency show the urgent
// advice with a way to go on; going on keeps the typed reason. Words that are one give no
// way on, even hidden behind a zero-width space.
func TestDoubtfulSignAdvisesThenGoesOn(t *testing.T) {
	a := newApp(t)
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"other"}, "other": {"feeling dizzy when I stand"}}), "/urgent")
	r := a.get("/urgent")
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find("[data-testid=go-on-form]").Length() != 1 || !strings.Contains(r.doc.Find("[data-testid=urgent]").Text(), "911") {
		t.Fatalf("no advice with a way on:\n%s", excerpt(r.body))
	}
	wantRedirect(t, a.get("/times"), "/") // nothing is booked past the advice without saying so
	wantRedirect(t, a.post("/urgent", nil), "/visit-type")
	if got := a.get("/visit-type").doc.Find("[data-testid=visit-types] input").Length(); got == 0 {
		t.Error("going on did not keep the typed reason")
	}
	wantRedirect(t, a.post("/", url.Values{"reason": {"other"}, "other": {"chest\u200bpain"}}), "/urgent")
	if r := a.get("/urgent"); r.doc.Find("[data-testid=go-on-form]").Length() != 0 {
		t.Error("an emergency offers a way on")
	}
	wantRedirect(t, a.post("/urgent", nil), "/") // nothing pending after an emergency
}

// TestNewReasonAsksNewOrReturningAfresh: the new-or-returning answer given for one reason is
// not carried to another reason whose visit types it would decide: the question is asked
// again, unanswered.
func TestNewReasonAsksNewOrReturningAfresh(t *testing.T) {
	a := newApp(t)
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"mood"}}), "/visit-type")
	wantRedirect(t, a.post("/visit-type", url.Values{"seen": {"yes"}}), "/times")
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {patient.OtherReason}, "other": {"thyroid check"}}), "/visit-type")
	r := a.get("/visit-type")
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find("input[name=seen]").Length() == 0 {
		t.Fatal("new-or-returning not asked for a typed reason that every visit type fits")
	}
	if r.doc.Find("input[name=seen][checked]").Length() != 0 {
		t.Error("the answer given for the last reason is already checked")
	}
}

// wantStep checks the page's "Step n of m" and its back link ("" for none).
func wantStep(t *testing.T, r response, step, back string) {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	if got := r.doc.Find("[data-testid=step]").Text(); !strings.HasPrefix(got, step) {
		t.Errorf("%s: step %q, want %q", r.Request.URL.Path, got, step)
	}
	got, ok := r.doc.Find("a.back").Attr("href")
	if got != back || ok != (back != "") {
		t.Errorf("%s: back link %q, want %q", r.Request.URL.Path, got, back)
	}
}

// TestStepsCountAndLeadBack: each step says where the patient is among the steps they take
// (the visit-type step only when their reason leaves a choice; two steps when moving an
// appointment) and links back to the step before.
func TestStepsCountAndLeadBack(t *testing.T) {
	t.Run("one visit type: four steps", func(t *testing.T) {
		a := newApp(t)
		a.throughWhen(nil)
		wantStep(t, a.get("/"), "Step 1 of 4", "")
		times := a.get("/times")
		wantStep(t, times, "Step 2 of 4", "/")
		wantRedirect(t, a.post("/times", url.Values{"slot": {firstSlot(t, times)}}), "/details")
		wantStep(t, a.get("/details"), "Step 3 of 4", "/times")
		wantRedirect(t, a.post("/details", validDetails()), "/review")
		wantStep(t, a.get("/review"), "Step 4 of 4", "/details")
	})
	t.Run("a choice of visit types: five steps", func(t *testing.T) {
		a := newApp(t)
		a.get("/")
		wantRedirect(t, a.post("/", url.Values{"reason": {"knee-pain"}}), "/visit-type")
		wantStep(t, a.get("/visit-type"), "Step 2 of 5", "/")
		wantRedirect(t, a.post("/visit-type", url.Values{"visit_type": {"INJURY"}}), "/times")
		wantStep(t, a.get("/times"), "Step 3 of 5", "/visit-type")
	})
	t.Run("moving an appointment: two steps", func(t *testing.T) {
		a := newApp(t)
		appt := a.booked()
		base := "/manage/" + appt.VisitNumber
		a.get(base)
		wantRedirect(t, a.post(base+"/move", nil), "/times")
		times := a.get("/times")
		wantStep(t, times, "Step 1 of 2", base)
		var pick string
		times.doc.Find("[data-testid=slots] button[name=slot]").EachWithBreak(func(_ int, b *goquery.Selection) bool {
			if v := b.AttrOr("value", ""); v != refOf(a, appt.Slot()) {
				pick = v
				return false
			}
			return true
		})
		wantRedirect(t, a.post("/times", url.Values{"slot": {pick}}), "/review")
		wantStep(t, a.get("/review"), "Step 2 of 2", "/times")
	})
}

// TestAnotherVisitTypeLetsGoOfTheHeldTime: the held time's length was for the old visit
// type: choosing another visit type lets it go, for others to take.
func TestAnotherVisitTypeLetsGoOfTheHeldTime(t *testing.T) {
	a := newApp(t)
	b := a.browser()
	for _, p := range []*app{a, b} {
		p.get("/")
		wantRedirect(t, p.post("/", url.Values{"reason": {"knee-pain"}}), "/visit-type")
		wantRedirect(t, p.post("/visit-type", url.Values{"visit_type": {"SICK"}}), "/times")
		p.get("/times")
	}
	slot := firstSlot(t, a.get("/times"))
	wantRedirect(t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	wantRedirect(t, b.post("/times", url.Values{"slot": {slot}}), "/times") // held by a
	wantRedirect(t, a.post("/visit-type", url.Values{"visit_type": {"INJURY"}}), "/times")
	wantRedirect(t, b.post("/times", url.Values{"slot": {slot}}), "/details")
}
