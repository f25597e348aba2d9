package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// queued writes a booking for Jane Doe at start straight into the store (as the patient's
// flow would, without delivering it) and records one delivery attempt with errText, final
// or not; it returns the visit number.
func (a *app) queued(session string, start time.Time, errText string, final bool) string {
	a.t.Helper()
	sl := booking.Slot{Start: start, Minutes: 20, Provider: booking.ProviderRef{ID: "1000000001", IDType: "NPI"},
		Location: booking.LocationRef{ID: "east", Facility: "Prairie", Department: "East Family Medicine"}}
	if err := a.db.PutHold(t0ctx, booking.Hold{ID: booking.NewID("H"), SessionID: session, Slot: sl, CreatedAt: a.now,
		ExpiresAt: a.now.Add(10 * time.Minute)}, a.now); err != nil {
		a.t.Fatal(err)
	}
	appt := booking.Appointment{VisitNumber: booking.NewID("DW"), Code: booking.NewCode(), Start: sl.Start, Minutes: 20,
		Provider: sl.Provider, Location: sl.Location, VisitType: booking.Coded{Code: "SICK"}, Status: booking.StatusRequested,
		Patient: booking.Patient{FirstName: "Jane", LastName: "Doe", DOB: "1984-07-21", Phone: "+15552013344",
			Identifiers: []booking.Identifier{{ID: "P-1", IDType: "DoorwayPatientID"}}}}
	if _, _, err := a.db.CreateAppointment(t0ctx, booking.Booking{Key: session, SessionID: session, Appointment: appt}, a.now); err != nil {
		a.t.Fatal(err)
	}
	msgs, err := a.db.DueMessages(t0ctx, a.now, 1)
	if err != nil || len(msgs) != 1 || msgs[0].VisitNumber != appt.VisitNumber {
		a.t.Fatalf("due = %+v, %v", msgs, err)
	}
	if err := a.db.RecordAttempt(t0ctx, msgs[0].ID, errText, final, a.now.Add(time.Minute), a.now); err != nil {
		a.t.Fatal(err)
	}
	return appt.VisitNumber
}

// item finds the list's item of visit (or, visit "", of kind).
func item(r response, kind, visit string) string {
	sel := `[data-testid=attention-item][data-kind="` + kind + `"]`
	if visit != "" {
		sel += `[data-visit="` + visit + `"]`
	}
	return r.doc.Find(sel).First().AttrOr("data-id", "")
}

// TestDeskAttention: a refused booking, a stuck one and a delivery the webhook could not
// apply are listed with what to do and whom to call; the count is in the navigation; a note
// is required (the error beside the field); a retry sends the booking and it leaves the
// list; a resolution with a note leaves it too, audited under the staff member; Spanish
// reads Spanish.
func TestDeskAttention(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	empty := a.get("/desk/attention")
	wantStatus(t, empty, http.StatusOK)
	checkPage(t, "attention, empty", empty)
	if empty.doc.Find("[data-testid=attention-empty]").Length() != 1 || empty.doc.Find("[data-testid=nav-attention]").AttrOr("data-count", "") != "0" {
		t.Fatalf("the empty list: %s", empty.doc.Find("main").Text())
	}

	refused := a.queued("s1", testNow.Add(48*time.Hour), "rejected: Scheduling.New: the time is taken at the clinic", true)
	stuck := a.queued("s2", testNow.Add(72*time.Hour), "unavailable: connection refused", false)
	if _, _, err := deadLetterStore(t, a.db).AddDeadLetter(t0ctx, booking.DeadLetter{Key: "d1", Received: a.now, Event: "Modification",
		Code: booking.CodeInvalid, Msg: booking.MsgMalformed, Field: "Visit.VisitDateTime", Detail: "not a time", Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // 20 minutes of work: the second booking is stuck now
		a.now = a.now.Add(10 * time.Minute)
		a.get("/desk")
	}

	page := a.get("/desk/attention")
	wantStatus(t, page, http.StatusOK)
	checkPage(t, "attention", page)
	if n := page.doc.Find("[data-testid=nav-attention]").AttrOr("data-count", ""); n != "3" {
		t.Errorf("the navigation counts %s items, want 3", n)
	}
	for _, kind := range []string{"failed", "stuck", "inbound"} {
		g := page.doc.Find("[data-testid=attention-" + kind + "]")
		if g.Find("h2").Length() != 1 || strings.TrimSpace(g.Find(".att-todo").Text()) == "" || g.Find("[data-testid=attention-item]").Length() != 1 {
			t.Errorf("group %s: no heading, sentence or item", kind)
		}
	}
	id := item(page, "failed", refused)
	it := page.doc.Find("#" + id)
	if id == "" || !strings.Contains(it.Text(), "Jane Doe") || it.Find(`a[href="tel:+15552013344"]`).Length() != 1 ||
		!strings.Contains(it.Find("samp").Text(), "the time is taken at the clinic") || it.Find(`a[href="/desk/visit/`+refused+`"]`).Length() != 1 ||
		it.Find("[data-testid=retry]").Length() != 1 {
		t.Errorf("the refused booking's item: %q", it.Text())
	}
	if it := page.doc.Find("#" + item(page, "inbound", "")); it.Find("[data-testid=retry]").Length() != 0 || !strings.Contains(it.Text(), "Visit.VisitDateTime") {
		t.Errorf("the dead letter's item: %q (no retry, the field at fault)", it.Text())
	}

	// A note is required, and at most 500 characters: the list comes back with the error
	// beside that item's note and what was typed.
	resolve := "/desk/attention/" + id + "/resolve"
	for _, note := range []string{" ", strings.Repeat("x", 501)} {
		r := a.post(resolve, url.Values{"note": {note}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		checkPage(t, "attention, note refused", r)
		field := r.doc.Find("#note-" + id)
		if r.doc.Find("#note-"+id+"-error").Length() != 1 || field.AttrOr("aria-invalid", "") != "true" ||
			r.doc.Find(`[data-testid=error-summary] a[href="#note-`+id+`"]`).Length() != 1 || strings.TrimSpace(field.Text()) != strings.TrimSpace(note) {
			t.Errorf("note %.10q: the error is not beside the field", note)
		}
	}

	// Send the refused booking again: the EHR takes it now.
	wantRedirect(t, a.post("/desk/attention/"+id+"/retry", nil), "/desk/attention?done=delivered")
	if got, _ := a.svc.Appointment(t0ctx, refused); got.Status != booking.StatusBooked || len(a.ehr.books) != 1 {
		t.Errorf("after the retry: %s, %d bookings at the EHR; want booked, 1", got.Status, len(a.ehr.books))
	}
	after := a.get("/desk/attention?done=delivered")
	if item(after, "failed", refused) != "" || after.doc.Find("[data-testid=notice]").Length() != 1 {
		t.Error("the delivered booking is still listed, or no notice says so")
	}

	// Resolve the stuck one with a note.
	stuckID := item(after, "stuck", stuck)
	note := "Called Jane: she will call back\nafter work"
	wantRedirect(t, a.post("/desk/attention/"+stuckID+"/resolve", url.Values{"note": {note}}), "/desk/attention?done=resolved")
	done := a.get("/desk/attention?done=resolved")
	if item(done, "stuck", stuck) != "" || done.doc.Find("[data-testid=nav-attention]").AttrOr("data-count", "") != "1" {
		t.Error("the resolved item is still listed")
	}
	var kept string
	if err := a.db.QueryRow(`SELECT note FROM attention_resolved`).Scan(&kept); err != nil || kept != "Called Jane: she will call back after work" {
		t.Errorf("note kept %q, %v", kept, err)
	}
	staff := "staff:" + strconv.FormatInt(staffOf0(t, a).ID, 10)
	for visit, action := range map[string]string{refused: booking.AuditRetry, stuck: booking.AuditResolve} {
		entries, _ := a.db.AuditEntries(t0ctx, visit)
		if len(entries) != 1 || entries[0].Action != action || entries[0].Actor.Session != staff {
			t.Errorf("audit of %s: %+v; want %s by %s", visit, entries, action, staff)
		}
	}
	// Resolved already (by someone else, in another tab): the list says so.
	again := a.post("/desk/attention/"+stuckID+"/resolve", url.Values{"note": {"again"}})
	wantStatus(t, again, http.StatusNotFound)
	if again.doc.Find("[data-testid=problem]").Length() != 1 {
		t.Error("resolving a resolved item: no problem shown")
	}

	wantRedirect(t, a.get("/desk/attention?lang=es"), "/desk/attention")
	es := a.get("/desk/attention")
	if h := es.doc.Find("h1").Text(); h != "Requiere atención" || !strings.Contains(es.doc.Find("[data-testid=attention-inbound] h2").Text(), "sistema de la clínica") {
		t.Errorf("Spanish page: %q", h)
	}
}

// staffOf0 is the test's signed-in staff member.
func staffOf0(t *testing.T, a *app) booking.Staff {
	t.Helper()
	st, _, err := a.db.StaffByEmail(t0ctx, "dana@clinic.example")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDeskAttentionRefusesPatients: a patient's session is sent to sign in, for the list and
// for its forms, and changes nothing.
func TestDeskAttentionRefusesPatients(t *testing.T) {
	a := newApp(t)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	refused := a.queued("s1", testNow.Add(48*time.Hour), "rejected: no", true)
	a.throughWhen(nil) // a patient's session, with its CSRF token
	wantRedirect(t, a.get("/desk/attention"), "/desk/login?next=%2Fdesk%2Fattention")
	wantRedirect(t, a.post("/desk/attention/outbox-1/retry", nil), "/desk/login")
	wantRedirect(t, a.post("/desk/attention/outbox-1/resolve", url.Values{"note": {"done"}}), "/desk/login")
	if got, _ := a.svc.Appointment(t0ctx, refused); got.Status != booking.StatusFailed || len(a.ehr.books) != 0 {
		t.Errorf("a patient's POSTs changed the booking: %s, %d sent", got.Status, len(a.ehr.books))
	}
	if n := a.svc.AttentionCount(t0ctx); n != 1 {
		t.Errorf("%d items after a patient's POSTs, want the one still", n)
	}
}
