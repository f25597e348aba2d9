package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// funnelCell is the text of column col in the row of the funnel table testID whose first
// cell's date (or label) is row.
func funnelCell(t *testing.T, r response, testID, row, col string) string {
	t.Helper()
	var got string
	found := false
	sel := r.doc.Find("[data-testid=" + testID + "] tr")
	for i := range sel.Length() {
		tr := sel.Eq(i)
		head := tr.Find("th")
		if tr.AttrOr("data-day", "") == row || strings.TrimSpace(head.Text()) == row {
			got, found = strings.TrimSpace(tr.Find("[data-col="+col+"]").Text()), true
			break
		}
	}
	if !found {
		t.Fatalf("no row %q in %s:\n%s", row, testID, r.doc.Find("[data-testid="+testID+"]").Text())
	}
	return got
}

// TestFunnelCountsASearchAndABooking: a patient searches (looking at the times four ways,
// one provider's among them),
// searches again for a Saturday and finds nothing, goes back to the first search and
// books; the admin's numbers for the day say two searches, one without a fitting time, one
// hold and one booking (50% of searches), under the reason the patient chose, and the CSV
// has the same rows.
func TestFunnelCountsASearchAndABooking(t *testing.T) {
	a := newApp(t)
	patient := a.browser()
	patient.throughWhen(nil)
	week := patient.get("/times")
	focus := week.doc.Find(`[data-testid=week] a[href*="p="]`).First().AttrOr("href", "")
	if !strings.HasPrefix(focus, "/times?") {
		t.Fatalf("no link to one provider's times on the week: %q", focus)
	}
	for _, view := range []string{"/times?view=day", focus, "/times"} {
		wantStatus(t, patient.get(view), http.StatusOK)
	}
	wantRedirect(t, patient.post("/times/filter", url.Values{"from": {"2026-03-07"}, "to": {"2026-03-07"}}), "/times")
	if r := patient.get("/times"); r.doc.Find("[data-testid=slots] .times button[name=slot]").Length() != 0 {
		t.Fatal("times on Saturday 7 March: the search was meant to find none")
	}
	wantRedirect(t, patient.post("/times/filter", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}}), "/times")
	_, confirm := patient.book()
	if !strings.HasPrefix(confirm.Header.Get("Location"), "/booked/") {
		t.Fatalf("booking: %d %s", confirm.StatusCode, confirm.Header.Get("Location"))
	}

	a.addStaff("ada@clinic.example", booking.RoleAdmin)
	wantRedirect(t, a.signIn("ada@clinic.example", deskPassword), "/desk")
	page := a.get("/desk/funnel")
	wantStatus(t, page, http.StatusOK)
	checkPage(t, "funnel", page)
	if page.doc.Find(`.desk-nav a[href="/desk/funnel"][aria-current]`).Length() != 1 {
		t.Error("the desk's navigation does not show the numbers page as current")
	}
	for col, want := range map[string]string{"searches": "2", "no-fit": "1 50%", "holds": "1", "bookings": "1", "conversion": "50%", "cancels": "0"} {
		if got := funnelCell(t, page, "funnel-days", "2026-03-02", col); got != want {
			t.Errorf("2 March, %s: %q, want %q", col, got, want)
		}
	}
	if got := funnelCell(t, page, "funnel-days", "2026-02-17", "searches"); got != "0" {
		t.Errorf("17 February (the first of the 14 days) shows %q searches, want 0", got)
	}
	if got := funnelCell(t, page, "funnel-reasons", "Cold or flu symptoms", "bookings"); got != "1" {
		t.Errorf("bookings for a cold: %q, want 1", got)
	}
	if strings.Contains(page.body, "Jane") || strings.Contains(page.body, "Doe") || strings.Contains(page.body, "1984-07-21") {
		t.Error("the numbers page shows a patient's details")
	}

	csv := a.get("/desk/funnel.csv")
	wantStatus(t, csv, http.StatusOK)
	lines := strings.Split(strings.TrimSpace(csv.body), "\n")
	if csv.Header.Get("Content-Type") != "text/csv; charset=utf-8" || len(lines) != 1+14+1 ||
		lines[0] != "day,searches,no_fit,holds,bookings,bookings_per_search_pct,cancellations,reschedules" {
		t.Fatalf("CSV %q, %d lines:\n%s", csv.Header.Get("Content-Type"), len(lines), csv.body)
	}
	if lines[1] != "2026-03-02,2,1,1,1,50.0,0,0" || lines[15] != "total,2,1,1,1,50.0,0,0" || lines[2] != "2026-03-01,0,0,0,0,,0,0" {
		t.Errorf("CSV rows:\n%s", csv.body)
	}
	if byReason := a.get("/desk/funnel.csv?by=reason"); !strings.Contains(byReason.body, "\ncold-flu,2,1,1,1,50.0,0,0") {
		t.Errorf("CSV by reason:\n%s", byReason.body)
	}
}

// TestFunnelFilters: the dates, the reason and who acted narrow the numbers; a filter the
// service refuses comes back with its message beside the field.
func TestFunnelFilters(t *testing.T) {
	a := signedIn(t, booking.RoleAdmin)
	desk := a.get("/desk/book?visit_type=SICK&location=north&from=2026-03-02") // a search by the desk
	wantStatus(t, desk, http.StatusOK)
	patient := a.browser()
	patient.throughWhen(nil) // and one by a patient
	wantStatus(t, patient.get("/times"), http.StatusOK)

	day := a.get("/desk/funnel?from=2026-03-02&to=2026-03-02")
	if n := day.doc.Find("[data-testid=funnel-days] tbody tr").Length(); n != 1 {
		t.Errorf("one day asked for, %d rows", n)
	}
	if got := funnelCell(t, day, "funnel-days", "2026-03-02", "searches"); got != "2" {
		t.Errorf("searches on 2 March: %q, want the desk's and the patient's", got)
	}
	for _, tc := range []struct{ query, want string }{
		{"channel=desk", "1"}, {"channel=web", "1"}, {"channel=clinic", "0"}, {"reason=none", "1"}, {"reason=cold-flu", "1"},
		{"visit_type=NEW", "0"}, {"from=2026-03-03&to=2026-03-05", ""},
	} {
		r := a.get("/desk/funnel?" + tc.query)
		wantStatus(t, r, http.StatusOK)
		if tc.want == "" {
			if r.doc.Find("[data-testid=funnel-days] tr[data-day=2026-03-02]").Length() != 0 || r.doc.Find("[data-testid=funnel-empty]").Length() != 1 {
				t.Errorf("%s: 2 March listed, or no word that nothing was counted", tc.query)
			}
			continue
		}
		if got := funnelCell(t, r, "funnel-days", "2026-03-02", "searches"); got != tc.want {
			t.Errorf("%s: %q searches, want %s", tc.query, got, tc.want)
		}
	}
	bad := a.get("/desk/funnel?from=2026-03-05&to=2026-03-01")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	checkPage(t, "funnel with a bad filter", bad)
	if bad.doc.Find("#to-error").Length() != 1 || bad.doc.Find("[data-testid=funnel-days]").Length() != 0 {
		t.Error("a last day before the first: no message beside it, or numbers shown anyway")
	}
	if r := a.get("/desk/funnel.csv?from=nope"); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
		t.Errorf("CSV of a bad filter: %d", r.StatusCode)
	}
}

// TestFunnelIsForAdmins: a desk account gets what the audit page gives it; a patient's
// browser is sent to sign in (TestEveryRoute walks it too).
func TestFunnelIsForAdmins(t *testing.T) {
	d := signedIn(t, booking.RoleDesk)
	for _, path := range []string{"/desk/funnel", "/desk/funnel.csv"} {
		got, audit := d.get(path), d.get("/desk/audit")
		if got.StatusCode != http.StatusForbidden || got.StatusCode != audit.StatusCode {
			t.Errorf("GET %s as the desk: %d, want %d as the audit page", path, got.StatusCode, audit.StatusCode)
		}
	}
	if d.get("/desk").doc.Find(`a[href="/desk/funnel"]`).Length() != 0 {
		t.Error("the desk's navigation offers the numbers to a desk account")
	}
	p := newApp(t)
	p.throughWhen(nil)
	wantRedirect(t, p.get("/desk/funnel"), "/desk/login?next=%2Fdesk%2Ffunnel")
}

// TestFunnelCountsSearchesServedFromThePageCache: patients making the same search get the
// page built for the first of them (from the page cache) and are each counted all the same,
// as searches that found times; a reload is not another search.
func TestFunnelCountsSearchesServedFromThePageCache(t *testing.T) {
	a := newAppCaching(t, time.Hour)
	patients := []*app{a.browser(), a.browser(), a.browser()}
	for _, p := range patients {
		p.throughWhen(nil)
	}
	wantStatus(t, patients[0].get("/times"), http.StatusOK)
	wantStatus(t, patients[1].get("/times"), http.StatusOK) // built again: the EHR's answer came in meanwhile
	built := a.srv.pages.newest()
	wantStatus(t, patients[2].get("/times"), http.StatusOK)
	wantStatus(t, patients[2].get("/times"), http.StatusOK) // a reload: the same search
	if a.srv.pages.newest() != built {
		t.Fatal("the third patient's page was built anew: this test needs it from the page cache")
	}
	a.addStaff("ada@clinic.example", booking.RoleAdmin)
	wantRedirect(t, a.signIn("ada@clinic.example", deskPassword), "/desk")
	numbers := a.get("/desk/funnel")
	if got, noFit := funnelCell(t, numbers, "funnel-days", "2026-03-02", "searches"), funnelCell(t, numbers, "funnel-days", "2026-03-02", "no-fit"); got != "3" || noFit != "0 0%" {
		t.Errorf("searches: %q, no fitting time: %q; want 3, one for each patient, each finding times", got, noFit)
	}
}
