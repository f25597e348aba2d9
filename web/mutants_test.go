package web

// Tests added for mutants of doorway/web that the other tests let live (make mutate
// PKG=./web/, docs/TESTING.md).

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/mail/mailtest"
)

// TestSignInReturnsToThePageAsked: a staff member sent to sign in from a desk page sees the
// form (not a redirect); a wrong password shows the form again, still going back there; signing
// in takes them back to that page; once signed in, the sign-in page sends them to the desk.
func TestSignInReturnsToThePageAsked(t *testing.T) {
	a := newApp(t)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	wantRedirect(t, a.get(pathDeskAttention), pathDeskLogin+"?next="+url.QueryEscape(pathDeskAttention))
	form := a.get(pathDeskLogin + "?next=" + url.QueryEscape(pathDeskAttention))
	wantStatus(t, form, http.StatusOK)
	next, _ := form.doc.Find("[data-testid=sign-in-form] input[name=next]").Attr("value")
	if next != pathDeskAttention {
		t.Fatalf("the form's next is %q, want %q", next, pathDeskAttention)
	}
	wrong := a.post(pathDeskLogin, url.Values{"email": {"dana@clinic.example"}, "password": {"not it"}, "next": {next}})
	wantStatus(t, wrong, http.StatusUnauthorized)
	if again, _ := wrong.doc.Find("[data-testid=sign-in-form] input[name=next]").Attr("value"); again != pathDeskAttention {
		t.Errorf("after a wrong password the form's next is %q, want %q", again, pathDeskAttention)
	}
	wantRedirect(t, a.post(pathDeskLogin, url.Values{"email": {"dana@clinic.example"}, "password": {deskPassword}, "next": {next}}), pathDeskAttention)
	wantRedirect(t, a.get(pathDeskLogin), pathDesk)
}

// TestSignOutAudited: signing out is in the audit log under the staff member; being signed
// out because the account was disabled is not a sign-out they made.
func TestSignOutAudited(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	signOuts := func() int {
		t.Helper()
		rows, err := a.db.SearchAudit(t0ctx, booking.AuditFilter{Action: booking.AuditSignOut, Limit: 10}, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	wantRedirect(t, a.post("/desk/logout", nil), pathDeskLogin)
	if n := signOuts(); n != 1 {
		t.Fatalf("%d sign-outs audited after signing out, want 1", n)
	}
	wantRedirect(t, a.signIn("dana@clinic.example", deskPassword), pathDesk)
	if err := a.db.SetStaffDisabled(t0ctx, "dana@clinic.example", true); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, a.get(pathDesk), pathDeskLogin)
	if n := signOuts(); n != 1 {
		t.Errorf("%d sign-outs audited after the account was disabled, want still 1", n)
	}
}

// TestDeskBookShowsTheWeekAsked: the desk's booking screen searches the week from the date
// asked for, and from today when the date is not one or its week would end past what may be
// booked.
func TestDeskBookShowsTheWeekAsked(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	today := a.svc.Today()
	next := today.AddDate(0, 0, 7).Format(time.DateOnly)
	tooFar := today.AddDate(0, 0, booking.MaxAheadDays).Format(time.DateOnly)
	for from, want := range map[string]string{next: next, "soon": today.Format(time.DateOnly), tooFar: today.Format(time.DateOnly)} {
		page := a.get("/desk/book?visit_type=SICK&location=north&from=" + url.QueryEscape(from))
		wantStatus(t, page, http.StatusOK)
		action := page.doc.Find("[data-testid=desk-book]").AttrOr("action", "")
		if !strings.Contains(action, "from="+want) {
			t.Errorf("from %q: the screen's form goes to %q, want the week from %s", from, action, want)
		}
	}
}

// TestDeskMarksAStaffOnlyVisitTypeAsAnOverride: an admin booking a visit type patients may
// not book is told so once, and asked for the override's reason.
func TestDeskMarksAStaffOnlyVisitTypeAsAnOverride(t *testing.T) {
	a := signedIn(t, booking.RoleAdmin)
	page, _, _, _ := deskForm(t, a, "/desk/book?visit_type=PROC&location=east&from=2026-03-02")
	if n := page.doc.Find("[data-testid=desk-book] .badge.override").Length(); n != 1 {
		t.Errorf("the staff-only visit type marked %d times, want once", n)
	}
	if page.doc.Find("[data-testid=override] input[name=override_reason]").Length() != len(booking.OverrideReasons) {
		t.Error("the override's reasons are not asked")
	}
}

// TestDayViewOpensAtTheStaffMembersLocation: the day view shows the staff member's own
// location unless another is asked for.
func TestDayViewOpensAtTheStaffMembersLocation(t *testing.T) {
	a := newApp(t)
	if _, err := a.db.AddStaff(t0ctx, booking.Staff{Email: "eve@clinic.example", Name: "Eve East", Role: booking.RoleDesk, Location: "east", CreatedAt: a.now}, deskHash()); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, a.signIn("eve@clinic.example", deskPassword), pathDesk)
	for path, want := range map[string]string{pathDesk: "east", pathDesk + "?location=west": "west"} {
		day := a.get(path)
		wantStatus(t, day, http.StatusOK)
		if got := day.doc.Find("[data-testid=day-form] select[name=location] option[selected]").AttrOr("value", ""); got != want {
			t.Errorf("%s shows location %q, want %q", path, got, want)
		}
	}
}

// TestCanceledVisitOffersNoCancel: the desk's page of a canceled visit offers no cancel.
func TestCanceledVisitOffersNoCancel(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	_, slot, key, action := deskForm(t, a, "/desk/book?visit_type=SICK&location=east&from=2026-03-03")
	form := validDetails()
	form.Set("slot", slot)
	form.Set("key", key)
	to := a.post(action, form).Header.Get("Location")
	vn, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(to, "/desk/visit/"), "?booked=1"))
	if a.get("/desk/visit/"+vn).doc.Find("[data-testid=desk-cancel]").Length() != 1 {
		t.Fatal("a booked visit's page offers no cancel")
	}
	wantRedirect(t, a.post("/desk/visit/"+vn+"/cancel", url.Values{"reason": {"conflict"}}), "/desk/visit/"+vn+"?canceled=1")
	if a.get("/desk/visit/"+vn).doc.Find("[data-testid=desk-cancel]").Length() != 0 {
		t.Error("a canceled visit's page offers to cancel it")
	}
}

// TestNotFoundOffersNoRetry: an address that does not exist is not offered "Try again".
func TestNotFoundOffersNoRetry(t *testing.T) {
	a := newApp(t)
	r := a.get("/no-such-page")
	wantStatus(t, r, http.StatusNotFound)
	if r.doc.Find("[data-testid=retry]").Length() != 0 {
		t.Error("a page that does not exist offers 'Try again'")
	}
}

// metricsOf fetches /metrics and returns each sample's value by its name and labels.
func metricsOf(t *testing.T, a *app) map[string]string {
	t.Helper()
	m := a.get("/metrics")
	wantStatus(t, m, http.StatusOK)
	out := map[string]string{}
	for line := range strings.Lines(m.body) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.LastIndexByte(line, ' '); i > 0 {
			out[line[:i]] = strings.TrimSpace(line[i+1:])
		}
	}
	return out
}

// TestMetricsCountExactly: the request counter, the duration histogram (by route, every
// quick request in the 10-second bucket, cumulatively, and in the count) and the bookings
// counter say exactly how many there were.
func TestMetricsCountExactly(t *testing.T) {
	a := newApp(t)
	a.get("/")
	a.get("/")
	before := metricsOf(t, a)
	if got := before[`doorway_http_requests_total{route="/",method="GET",status="200"}`]; got != "2" {
		t.Errorf("GET / counted %q times, want 2", got)
	}
	a.book()
	got := metricsOf(t, a)
	var toRoot int
	for sample, v := range got {
		if strings.HasPrefix(sample, `doorway_http_requests_total{route="/",`) {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("%s = %q", sample, v)
			}
			toRoot += n
		}
	}
	want := strconv.Itoa(toRoot)
	for sample, want := range map[string]string{
		`doorway_http_request_duration_seconds_count{route="/"}`:            want,
		`doorway_http_request_duration_seconds_bucket{route="/",le="+Inf"}`: want,
		`doorway_http_request_duration_seconds_bucket{route="/",le="10"}`:   want,
		`doorway_bookings_total{status="booked"}`:                           "1",
	} {
		if got[sample] != want {
			t.Errorf("%s = %q, want %s", sample, got[sample], want)
		}
	}
}

// TestCancelPage: the manage page says nothing of a cancel until there was one; its cancel
// page asks why; once canceled, the cancel page leads back to the manage page.
func TestCancelPage(t *testing.T) {
	a := newApp(t)
	appt := a.booked()
	base := "/manage/" + appt.VisitNumber
	page := a.get(base)
	wantStatus(t, page, http.StatusOK)
	if n := page.doc.Find("[data-testid=notice]").Length(); n != 0 {
		t.Errorf("the manage page of a visit just booked shows %d notices: %s", n, page.doc.Find("[data-testid=notice]").Text())
	}
	ask := a.get(base + "/cancel")
	wantStatus(t, ask, http.StatusOK)
	if ask.doc.Find("[data-testid=cancel-form] input[name=reason]").Length() != len(booking.CancelReasons) {
		t.Errorf("the cancel page does not ask why: %s", ask.doc.Find("main").Text())
	}
	wantRedirect(t, a.post(base+"/cancel", url.Values{"reason": {"conflict"}}), base+"?canceled=1")
	wantRedirect(t, a.get(base+"/cancel"), base)
}

// TestRequestLogKeepsTheManageLinksTokenOut: the token of a manage link is a credential: the
// request's log line names the route, never the token; and a request the server fails is
// logged as a warning, one that went well as information.
func TestRequestLogKeepsTheManageLinksTokenOut(t *testing.T) {
	var logs syncBuffer
	a := newApp(t, logTo(&logs))
	first := a.booked()
	link, _ := a.get("/booked/" + first.VisitNumber).doc.Find("[data-testid=manage-link]").Attr("href")
	i := strings.Index(link, "/m/")
	if i < 0 {
		t.Fatalf("no manage link: %q", link)
	}
	token := link[i+len("/m/"):]
	wantRedirect(t, a.browser().get(link[i:]), "/manage/"+first.VisitNumber)
	logged := string(logs.Bytes())
	if strings.Contains(logged, token) {
		t.Errorf("the manage link's token is in the log:\n%s", logged)
	}
	if !strings.Contains(logged, "level=INFO msg=request") || !strings.Contains(logged, "route="+pathManageLink) {
		t.Errorf("the link's request is not logged by its route at INFO:\n%s", logged)
	}
	if strings.Contains(logged, "level=WARN msg=request") {
		t.Errorf("a request that went well is logged as a warning:\n%s", logged)
	}
	a.db.Close() // the server's own failure: its database is gone
	a.post("/", url.Values{"reason": {"cold-flu"}})
	if !strings.Contains(string(logs.Bytes()), "level=WARN msg=request") {
		t.Errorf("a request the server failed is not logged as a warning:\n%s", logs.Bytes())
	}
}

// TestMetricsBucketsNamedExactly: the duration histogram's buckets are named by their exact
// bounds, as Prometheus reads them.
func TestMetricsBucketsNamedExactly(t *testing.T) {
	a := newApp(t)
	a.get("/")
	got := metricsOf(t, a)
	for _, le := range []string{"0.005", "0.025", "2.5", "10"} {
		if _, ok := got[`doorway_http_request_duration_seconds_bucket{route="/",le="`+le+`"}`]; !ok {
			t.Errorf("no bucket le=%q", le)
		}
	}
}

// TestReadyzSaysReady: /readyz's body says ready exactly when every check passed, as its
// status does.
func TestReadyzSaysReady(t *testing.T) {
	ready := error(nil)
	a := newApp(t, func(c *Config) { c.ReadyCheck = func(context.Context) error { return ready } })
	if r := a.get("/readyz"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"ready":true`) {
		t.Errorf("all checks passing: %d %s, want 200 and ready", r.StatusCode, r.body)
	}
	ready = errors.New("ehr down")
	if r := a.get("/readyz"); r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.body, `"ready":false`) {
		t.Errorf("the EHR's check failing: %d %s, want 503 and not ready", r.StatusCode, r.body)
	}
}

// TestNoReminderPromisedPastItsTime: a visit booked within the reminder's lead (today) gets no
// reminder, and its manage page does not promise one.
func TestNoReminderPromisedPastItsTime(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	a := mailApp(t, srv)
	a.throughWhen(url.Values{"from": {a.svc.Today().Format(time.DateOnly)}})
	slot := firstSlot(t, a.get("/times"))
	wantRedirect(t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	details := validDetails()
	details.Set("email", "jane.doe@example.org")
	wantRedirect(t, a.post("/details", details), "/review")
	key, _ := a.get("/review").doc.Find("input[name=key]").Attr("value")
	r := a.post("/confirm", url.Values{"key": {key}})
	wantStatus(t, r, http.StatusSeeOther)
	visit := strings.TrimPrefix(r.Header.Get("Location"), "/booked/")
	appt, err := a.svc.Appointment(t0ctx, visit)
	if err != nil || !appt.Start.Before(a.now.Add(24*time.Hour)) {
		t.Fatalf("booked %+v %v, want a visit within 24 hours", appt.Start, err)
	}
	page := a.get("/manage/" + visit)
	wantStatus(t, page, http.StatusOK)
	if got := page.doc.Find("main").Text(); strings.Contains(got, "reminder 24 hours before") {
		t.Errorf("a visit within the reminder's lead promises one: %q", page.doc.Find("[data-testid=reminders]").Text())
	}
}

// TestLanguageSwitchStaysOnThePage: the other language's link on a page leads to the same
// page, its query kept, in that language.
func TestLanguageSwitchStaysOnThePage(t *testing.T) {
	a := newApp(t)
	page := a.get("/manage?code=ABC")
	wantStatus(t, page, http.StatusOK)
	if href := page.doc.Find(`a[hreflang=es]`).AttrOr("href", ""); href != "/manage?code=ABC&lang=es" {
		t.Errorf("the Spanish link on the find page is %q, want /manage?code=ABC&lang=es", href)
	}
}

// TestFindIsLimitedByDefault: without a configured rate, a client gets 10 lookups in a row,
// then waits (one a minute).
func TestFindIsLimitedByDefault(t *testing.T) {
	a := newApp(t)
	for range 10 {
		wantStatus(t, a.find("XXX-XXX", "Doe", "1984-07-21"), http.StatusUnprocessableEntity)
	}
	if r := a.find("XXX-XXX", "Doe", "1984-07-21"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the 11th lookup in a row: %d, want 429", r.StatusCode)
	}
	time.Sleep(100 * time.Millisecond) // the limiter's clock is the real one; a minute is far off
	if r := a.find("XXX-XXX", "Doe", "1984-07-21"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a lookup a tenth of a second later: %d, want 429", r.StatusCode)
	}
}

// TestInstancesSharingASecretShareLinks: two Doorway instances given the same secret (one
// database behind a load balancer) open each other's manage links.
func TestInstancesSharingASecretShareLinks(t *testing.T) {
	a := newApp(t, func(c *Config) { c.Secret = []byte("the secret every instance is given") })
	first := a.booked()
	link, _ := a.get("/booked/" + first.VisitNumber).doc.Find("[data-testid=manage-link]").Attr("href")
	i := strings.Index(link, "/m/")
	if i < 0 {
		t.Fatalf("no manage link: %q", link)
	}
	cfg := a.srv.cfg
	cfg.LinkKeys = nil // derived from the secret, as the other instance's own
	other, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	other.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, link[i:], nil))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/manage/"+first.VisitNumber {
		t.Errorf("the other instance answers the link with %d to %q, want 303 to the visit", rec.Code, rec.Header().Get("Location"))
	}
}

// TestMetricsKeepSlowRequestsAndExactSums: a request slower than the largest bucket (10 s)
// counts in +Inf, the sum and the count only; the sum is written exactly, as Prometheus
// computes means from it.
func TestMetricsKeepSlowRequestsAndExactSums(t *testing.T) {
	m := newMetrics()
	m.observe("/", http.MethodGet, 200, 20*time.Second)
	m.observe("/", http.MethodGet, 200, 375*time.Millisecond)
	var b strings.Builder
	m.write(&b)
	for _, want := range []string{
		`doorway_http_request_duration_seconds_bucket{route="unmatched",le="0.25"} 0`,
		`doorway_http_request_duration_seconds_bucket{route="unmatched",le="0.5"} 1`,
		`doorway_http_request_duration_seconds_bucket{route="unmatched",le="10"} 1`,
		`doorway_http_request_duration_seconds_bucket{route="unmatched",le="+Inf"} 2`,
		`doorway_http_request_duration_seconds_sum{route="unmatched"} 20.375`,
		`doorway_http_request_duration_seconds_count{route="unmatched"} 2`,
	} {
		if !strings.Contains(b.String(), want+"\n") {
			t.Errorf("no line %q in\n%s", want, b.String())
		}
	}
}

// TestPageCacheExpiresAtItsTTL: a page is shared for less than its time to live, never at it.
func TestPageCacheExpiresAtItsTTL(t *testing.T) {
	now := testNow
	pc := newPageCache(2*time.Second, 4, func() time.Time { return now })
	pc.put("a", pc.page([]byte("page")))
	now = now.Add(2*time.Second - time.Nanosecond)
	if _, ok := pc.get("a"); !ok {
		t.Error("a page younger than its time to live was not served")
	}
	now = now.Add(time.Nanosecond)
	if _, ok := pc.get("a"); ok {
		t.Error("a page as old as its time to live was served")
	}
}

// TestPageCacheStaysWithinItsSize: the cache never keeps more than its size; when full, the
// stale pages go first and the fresh ones stay.
func TestPageCacheStaysWithinItsSize(t *testing.T) {
	now := testNow
	pc := newPageCache(2*time.Second, 3, func() time.Time { return now })
	for i := range 10 {
		pc.put(strconv.Itoa(i), pc.page([]byte("page")))
		if len(pc.pages) > 3 {
			t.Fatalf("%d pages kept after %d puts, want at most 3", len(pc.pages), i+1)
		}
	}
	clear(pc.pages)
	pc.put("old1", pc.page([]byte("page")))
	pc.put("old2", pc.page([]byte("page")))
	now = now.Add(3 * time.Second)
	pc.put("new1", pc.page([]byte("page")))
	pc.put("new2", pc.page([]byte("page"))) // full: the two stale pages go
	if _, ok := pc.get("new1"); !ok || len(pc.pages) != 2 {
		t.Errorf("%d pages kept (new1 kept: %v), want the 2 fresh ones", len(pc.pages), ok)
	}
}

// TestDeskSavesTheSessionAtMostOnceAMinute: a desk page restarts the staff member's idle
// minutes by saving the session, but at most once a minute, so a busy desk does not write
// the session on every page.
func TestDeskSavesTheSessionAtMostOnceAMinute(t *testing.T) {
	a := newApp(t)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	wantRedirect(t, a.signIn("dana@clinic.example", deskPassword), "/desk")
	saved := func(r response) bool {
		wantStatus(t, r, http.StatusOK)
		for _, c := range r.Cookies() {
			if c.Name == "doorway" {
				return true
			}
		}
		return false
	}
	a.now = a.now.Add(time.Minute)
	if !saved(a.get("/desk")) {
		t.Error("a desk page a minute after sign-in did not save the session")
	}
	a.now = a.now.Add(59 * time.Second)
	if saved(a.get("/desk")) {
		t.Error("a desk page 59 s after the last save saved the session again")
	}
	a.now = a.now.Add(time.Second)
	if !saved(a.get("/desk")) {
		t.Error("a desk page a minute after the last save did not save the session")
	}
}

// TestWebhookAnswersPushSlotsWithTheirCount: a PushSlots batch is answered with how many
// slots were kept; a notification of one visit says nothing of slots.
func TestWebhookAnswersPushSlotsWithTheirCount(t *testing.T) {
	ts, _ := hookServer(t)
	c := testClinic()
	slots := gridSlots(c, booking.SlotQuery{Start: testNow, End: testNow.Add(24 * time.Hour), Minutes: 20})
	meta := redox.Meta{DataModel: "Scheduling", Logs: []redox.Log{{ID: "log-push", AttemptID: "a1"}},
		BatchID: "b1", CurrentBatch: "1", TotalBatches: "1"}
	body, err := json.Marshal(redox.NewPushSlots(meta, slots))
	if err != nil {
		t.Fatal(err)
	}
	var push hookAnswer
	code, b := postHook(t, ts.URL, "s3cret", string(body))
	if err := json.Unmarshal([]byte(b), &push); err != nil || code != 200 || push.Applied == nil || !*push.Applied ||
		push.Slots == nil || *push.Slots != len(slots) {
		t.Errorf("PushSlots of %d slots answered %d %s", len(slots), code, b)
	}
	var answer hookAnswer
	code, b = postHook(t, ts.URL, "s3cret", hookNew)
	if err := json.Unmarshal([]byte(b), &answer); err != nil || code != 200 || answer.Applied == nil || !*answer.Applied || answer.Slots != nil {
		t.Errorf("a New answered %d %s, want applied and no slots", code, b)
	}
}

// TestStartingAMoveLetsGoOfAHeldTime: a patient holding a time for a new booking who then
// moves an appointment they have lets go of that time: another patient can hold it at once.
func TestStartingAMoveLetsGoOfAHeldTime(t *testing.T) {
	a := newApp(t)
	appt := a.booked()
	a.throughWhen(nil)
	slot := firstSlot(t, a.get("/times"))
	wantRedirect(t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	base := "/manage/" + appt.VisitNumber
	a.get(base)
	wantRedirect(t, a.post(base+"/move", nil), "/times")
	other := a.browser()
	other.throughWhen(nil)
	wantRedirect(t, other.post("/times", url.Values{"slot": {slot}}), "/details")
}

// TestRequestLogTimesInMilliseconds: the request log's ms is the time taken in milliseconds
// (a page of the test server takes well under 5 s).
func TestRequestLogTimesInMilliseconds(t *testing.T) {
	var logs syncBuffer
	a := newApp(t, logTo(&logs))
	a.get("/")
	for line := range strings.Lines(string(logs.Bytes())) {
		if !strings.Contains(line, "msg=request") {
			continue
		}
		_, after, _ := strings.Cut(line, " ms=")
		field, _, _ := strings.Cut(after, " ")
		ms, err := strconv.ParseFloat(field, 64)
		if err != nil || ms <= 0 || ms > 5000 {
			t.Errorf("ms=%q (%v) in %q: want the milliseconds taken", field, err, line)
		}
		return
	}
	t.Fatalf("no request log line:\n%s", logs.Bytes())
}

// TestClipCutsAtARuneBoundary: a value clipped for a log line is cut before a rune it would
// split, and a value of nothing but continuation bytes is cut to nothing.
func TestClipCutsAtARuneBoundary(t *testing.T) {
	if got := clip("aé", 2); got != "a…" {
		t.Errorf("clip(aé, 2) = %q, want a…", got)
	}
	if got := clip(strings.Repeat("\x80", 300), 256); got != "…" {
		t.Errorf("clip(300 continuation bytes, 256) = %q, want …", got)
	}
}

// TestJSONErrorsAddADetailOnlyWhenThereIsOne: an API client's error message is the sentence,
// then ": " and the detail for the integrator when there is one, and nothing after it when
// there is none.
func TestJSONErrorsAddADetailOnlyWhenThereIsOne(t *testing.T) {
	a := newApp(t)
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/no-such-page", nil)
	req.Header.Set(echo.HeaderAccept, echo.MIMEApplicationJSON)
	r := a.do(req)
	var got hookAnswer
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || r.StatusCode != http.StatusNotFound ||
		got.Error.Message == "" || strings.Contains(got.Error.Message, ":") {
		t.Errorf("unknown address, JSON: %d %s; want 404 and a sentence alone", r.StatusCode, r.body)
	}
	ts, _ := hookServer(t)
	_, b := postHook(t, ts.URL, "s3cret", `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"StartDateTime":"2026-03-01T00:00:00Z"}`)
	if err := json.Unmarshal([]byte(b), &got); err != nil || !strings.HasSuffix(got.Error.Message, ": the webhook accepts Scheduling notifications, not Booked") {
		t.Errorf("a query sent to the webhook: %s; want the sentence, then the detail", b)
	}
}

// TestDeskBookRefusesATimeOutsideItsWeekOnTheForm: a time posted to the booking screen of
// another week (a second tab, a stale page) is refused beside the times with a 409, the
// caller's details kept, not with an error page.
func TestDeskBookRefusesATimeOutsideItsWeekOnTheForm(t *testing.T) {
	a := signedIn(t, booking.RoleDesk)
	_, slot, key, _ := deskForm(t, a, "/desk/book?visit_type=SICK&location=east&from=2026-03-03")
	_, _, _, later := deskForm(t, a, "/desk/book?visit_type=SICK&location=east&from=2026-03-10")
	form := validDetails()
	form.Set("slot", slot)
	form.Set("key", key)
	r := a.post(later, form)
	wantStatus(t, r, http.StatusConflict)
	if r.doc.Find("#slot-error").Length() != 1 || r.doc.Find("#last_name").AttrOr("value", "") != "Doe" {
		t.Errorf("a time of another week: the error is not beside the times, or the details were lost:\n%s", excerpt(r.body))
	}
}

// TestKioskFirstScreenSaysATappedTimeWasTaken: a time taken by someone else between the
// screen and the tap brings the first screen back with a notice, once; the first screen has
// no notice otherwise, and no "Start over" (it is the start), which every other screen has.
func TestKioskFirstScreenSaysATappedTimeWasTaken(t *testing.T) {
	a := newApp(t)
	k, code := a.newKiosk("Lobby")
	a.enroll(code)
	start := a.get("/kiosk")
	if start.doc.Find("[data-testid=notice]").Length() != 0 || start.doc.Find("[data-testid=start-over] button").Length() != 0 {
		t.Errorf("the first screen shows a notice or a Start over button:\n%s", excerpt(start.body))
	}
	ref := start.doc.Find(`[data-testid=walk-in] form:has(input[name=visit_type][value=SICK]) [data-testid=time]`).First().AttrOr("value", "")
	key, ok := a.srv.refs.key(ref)
	if !ok {
		t.Fatalf("no SICK time on the first screen:\n%s", excerpt(start.body))
	}
	p := booking.Preferences{VisitType: "SICK", Locations: []string{k.Location}}.WithDefaultDates(a.svc.Today())
	if _, _, err := a.svc.Hold(t0ctx, "someone-else", p, key); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, a.post("/kiosk/next", url.Values{"visit_type": {"SICK"}, "slot": {ref}}), "/kiosk")
	again := a.get("/kiosk")
	if again.doc.Find("[data-testid=notice]").Length() != 1 || again.doc.Find("[data-testid=walk-in] [data-testid=time]").Length() == 0 {
		t.Errorf("back at the first screen after a taken time: no notice, or no times:\n%s", excerpt(again.body))
	}
	if r := a.get("/kiosk"); r.doc.Find("[data-testid=notice]").Length() != 0 {
		t.Error("the notice is shown again")
	}
	if r := a.get("/kiosk/reason"); r.doc.Find("[data-testid=start-over] button").Length() != 1 {
		t.Error("the reason screen offers no Start over")
	}
}

// TestWeekButtonsMoveTheSearch: without JS, "Next week" moves the search seven days on (the
// times are that week's) and "Earlier" back, never before today, where it is not offered.
func TestWeekButtonsMoveTheSearch(t *testing.T) {
	a := newApp(t)
	a.get("/")
	wantRedirect(t, a.post("/", url.Values{"reason": {"cold-flu"}}), "/times") // the next 7 days
	firstDay := func(r response) string {
		t.Helper()
		key, ok := a.srv.refs.key(firstSlot(t, r))
		if !ok {
			t.Fatal("the first time's reference does not read back")
		}
		unix, _ := strconv.ParseInt(key[strings.LastIndexByte(key, '|')+1:], 10, 64)
		return time.Unix(unix, 0).In(chicago).Format(time.DateOnly)
	}
	nav := func(r response) (prev, next bool) {
		f := r.doc.Find("[data-testid=week-nav]")
		return f.Find("button[value=prev]").Length() == 1, f.Find("button[value=next]").Length() == 1
	}
	first := a.get("/times")
	if prev, next := nav(first); prev || !next || firstDay(first) != "2026-03-02" {
		t.Errorf("this week: earlier %v, next %v, first time on %s", prev, next, firstDay(first))
	}
	wantRedirect(t, a.post("/times/week", url.Values{"go": {"next"}}), "/times")
	second := a.get("/times")
	if prev, next := nav(second); !prev || !next || firstDay(second) != "2026-03-09" {
		t.Errorf("next week: earlier %v, next %v, first time on %s", prev, next, firstDay(second))
	}
	wantRedirect(t, a.post("/times/week", url.Values{"go": {"prev"}}), "/times")
	wantRedirect(t, a.post("/times/week", url.Values{"go": {"prev"}}), "/times") // not before today
	if back := a.get("/times"); firstDay(back) != "2026-03-02" {
		t.Errorf("back twice: first time on %s, want today", firstDay(back))
	}
}
