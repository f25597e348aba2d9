package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// patient is one scripted patient: a browser of its own (a cookie jar, redirects not
// followed, the CSRF token read from each page's form) walking the real HTTP booking wizard.
// Its methods return errors rather than failing a test, so hundreds can run in goroutines;
// every response's status is counted in codes.
type patient struct {
	n      int // patient number: names and contact details are made from it
	base   string
	client *http.Client
	codes  *codeCounter
	csrf   string // the _csrf field of the last page with a form
}

// newPatient returns a patient of the app at base. Patients of one test share transport,
// so hundreds of them do not open thousands of connections.
func newPatient(n int, base string, transport http.RoundTripper, codes *codeCounter) *patient {
	jar, _ := cookiejar.New(nil)
	return &patient{n: n, base: base, codes: codes, client: &http.Client{
		Jar: jar, Transport: transport, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// patientTransport is a loopback transport with room for many idle connections.
func patientTransport() *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     30 * time.Second,
	}
}

// codeCounter counts response statuses by code, and remembers what answered 5xx.
type codeCounter struct {
	mu     sync.Mutex
	byCode map[int]int
	bad    []string // "POST /confirm: 500"
}

func newCodeCounter() *codeCounter { return &codeCounter{byCode: map[int]int{}} }

func (c *codeCounter) add(method, path string, code int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byCode[code]++
	if code >= 500 {
		c.bad = append(c.bad, fmt.Sprintf("%s %s: %d", method, path, code))
	}
}

// unexpected returns the counts of codes other than the wizard's own 200 and 303.
func (c *codeCounter) unexpected() map[int]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[int]int{}
	for code, n := range c.byCode {
		if code != http.StatusOK && code != http.StatusSeeOther {
			out[code] = n
		}
	}
	return out
}

func (c *codeCounter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	codes := make([]int, 0, len(c.byCode))
	for code := range c.byCode {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	var parts []string
	for _, code := range codes {
		parts = append(parts, fmt.Sprintf("%d×%d", code, c.byCode[code]))
	}
	return strings.Join(parts, " ")
}

// page is one response, its body parsed.
type page struct {
	method, path string
	status       int
	location     string // of a redirect
	doc          *goquery.Document
}

func (p *page) String() string { return fmt.Sprintf("%s %s: %d", p.method, p.path, p.status) }

// errStatus reports a response the script did not expect.
func errStatus(p *page, want string) error {
	msg := ""
	if p.doc != nil {
		msg = strings.Join(strings.Fields(p.doc.Find("main").Text()), " ")
		if len(msg) > 300 {
			msg = msg[:300]
		}
	}
	if p.location != "" {
		msg = "-> " + p.location
	}
	return fmt.Errorf("%v, want %s (%s)", p, want, msg)
}

func (pt *patient) do(method, path string, form url.Values) (*page, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, pt.base+path, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := pt.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	pt.codes.add(method, path, res.StatusCode)
	p := &page{method: method, path: path, status: res.StatusCode, location: res.Header.Get("Location")}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = goquery.NewDocumentFromReader(res.Body); err != nil {
			return nil, fmt.Errorf("%s %s: parse: %w", method, path, err)
		}
		if tok, ok := p.doc.Find("input[name=_csrf]").First().Attr("value"); ok && tok != "" {
			pt.csrf = tok
		}
	} else {
		io.Copy(io.Discard, res.Body)
	}
	return p, nil
}

// get fetches path and wants 200.
func (pt *patient) get(path string) (*page, error) {
	p, err := pt.do(http.MethodGet, path, nil)
	if err == nil && p.status != http.StatusOK {
		err = errStatus(p, "200")
	}
	return p, err
}

// submit posts form to path as the page's form would (with its CSRF field) and wants a 303;
// it returns where the redirect goes.
func (pt *patient) submit(path string, form url.Values) (string, error) {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", pt.csrf)
	p, err := pt.do(http.MethodPost, path, form)
	if err != nil {
		return "", err
	}
	if p.status != http.StatusSeeOther {
		return "", errStatus(p, "303")
	}
	return p.location, nil
}

// begin answers steps 1 and 2: a cold (the sick visit is the only visit type that fits, so
// the wizard skips the visit-type step).
func (pt *patient) begin() error {
	if _, err := pt.get("/"); err != nil {
		return err
	}
	to, err := pt.submit("/", url.Values{"reason": {"cold-flu"}})
	if err == nil && to != "/when" {
		err = fmt.Errorf("POST /: redirect to %q, want /when", to)
	}
	return err
}

// search answers step 3: the days from and to (clinic-local, inclusive) with the given
// providers (none = anyone).
func (pt *patient) search(from, to time.Time, providers ...string) error {
	if _, err := pt.get("/when"); err != nil {
		return err
	}
	form := url.Values{"from": {from.Format(time.DateOnly)}, "to": {to.Format(time.DateOnly)}, "providers": providers}
	next, err := pt.submit("/when", form)
	if err == nil && next != "/times" {
		err = fmt.Errorf("POST /when: redirect to %q, want /times", next)
	}
	return err
}

// timesView is what the open-times page offers.
type timesView struct {
	Refs   []string // every open time's slot reference, in page order
	Notice string   // the "that time was just taken" message, if shown
	Alts   []string // the nearest alternatives offered with it
}

// times fetches the open-times page.
func (pt *patient) times() (timesView, error) {
	p, err := pt.get("/times")
	if err != nil {
		return timesView{}, err
	}
	var v timesView
	p.doc.Find(".times button[name=slot]").Each(func(_ int, s *goquery.Selection) {
		v.Refs = append(v.Refs, s.AttrOr("value", ""))
	})
	alt := p.doc.Find("[data-testid=alternatives]")
	v.Notice = strings.TrimSpace(alt.Find("p").First().Text())
	alt.Find("button[name=slot]").Each(func(_ int, s *goquery.Selection) {
		v.Alts = append(v.Alts, s.AttrOr("value", ""))
	})
	return v, nil
}

// hold picks the time with slot reference ref, as a click on its button would (the page the
// patient saw may be stale: the reference need not be on the latest one). It reports whether
// the time is now held; false means the wizard sent the patient back to the open times.
func (pt *patient) hold(ref string) (bool, error) {
	to, err := pt.submit("/times", url.Values{"slot": {ref}})
	switch {
	case err != nil:
		return false, err
	case to == "/details":
		return true, nil
	case to == "/times":
		return false, nil
	}
	return false, fmt.Errorf("POST /times: redirect to %q", to)
}

// details answers step 5 with made-up details (phone numbers in the fictional 555-01xx
// range), with a medical record number "T-<n>" so the EHR can be asked for this patient.
func (pt *patient) details() error {
	if _, err := pt.get("/details"); err != nil {
		return err
	}
	form := url.Values{
		"first_name": {"Pat"}, "last_name": {"Tester" + strconv.Itoa(pt.n)}, "dob": {"1980-01-02"},
		"phone": {fmt.Sprintf("308-555-01%02d", pt.n%100)}, "email": {fmt.Sprintf("patient%d@example.org", pt.n)},
		"mrn": {pt.mrn()},
	}
	to, err := pt.submit("/details", form)
	if err == nil && to != "/review" {
		err = fmt.Errorf("POST /details: redirect to %q, want /review", to)
	}
	return err
}

// mrn is the patient's medical record number.
func (pt *patient) mrn() string { return "T-" + strconv.Itoa(pt.n) }

// review fetches step 6 and returns the confirm form's idempotency key.
func (pt *patient) review() (string, error) {
	p, err := pt.get("/review")
	if err != nil {
		return "", err
	}
	key := p.doc.Find("input[name=key]").AttrOr("value", "")
	if key == "" {
		return "", errors.New("GET /review: no idempotency key in the form")
	}
	return key, nil
}

// confirmation is what a confirmation page showed.
type confirmation struct {
	VisitNumber string
	Status      string // data-status: booked, requested, failed
	Heading     string
}

// confirm posts the review form with key, follows the redirect and reads the confirmation.
// sent reports whether the POST was answered with a redirect to a confirmation page (the
// booking was committed), even if fetching that page then failed.
func (pt *patient) confirm(key string) (c confirmation, sent bool, err error) {
	to, err := pt.submit("/confirm", url.Values{"key": {key}})
	if err != nil {
		return c, false, err
	}
	if !strings.HasPrefix(to, "/booked/") {
		return c, false, fmt.Errorf("POST /confirm: redirect to %q, want /booked/...", to)
	}
	vn, _ := url.PathUnescape(strings.TrimPrefix(to, "/booked/"))
	if c, err = pt.booked(to); err != nil {
		c.VisitNumber = vn // committed: the page was not seen, but the number is known
	}
	return c, true, err
}

// booked fetches a confirmation page (path /booked/<visit number>).
func (pt *patient) booked(path string) (confirmation, error) {
	p, err := pt.get(path)
	if err != nil {
		return confirmation{}, err
	}
	c := confirmation{
		VisitNumber: strings.TrimSpace(p.doc.Find("[data-testid=visit-number]").Text()),
		Status:      p.doc.Find("[data-testid=status]").AttrOr("data-status", ""),
		Heading:     strings.TrimSpace(p.doc.Find("h1").First().Text()),
	}
	if c.VisitNumber == "" || c.Status == "" {
		return c, fmt.Errorf("GET %s: no visit number or status on the page", path)
	}
	if want, _ := url.PathUnescape(strings.TrimPrefix(path, "/booked/")); c.VisitNumber != want {
		return c, fmt.Errorf("GET %s: page shows visit number %q", path, c.VisitNumber)
	}
	return c, nil
}

// book holds ref and, when that worked, gives the details, reviews and confirms. held is
// false when the time was taken: the patient is back on the open times.
func (pt *patient) book(ref string) (c confirmation, held bool, err error) {
	if held, err = pt.hold(ref); err != nil || !held {
		return c, held, err
	}
	if err := pt.details(); err != nil {
		return c, true, err
	}
	key, err := pt.review()
	if err != nil {
		return c, true, err
	}
	c, _, err = pt.confirm(key)
	return c, true, err
}

// slotRef is a decoded slot reference: "provider index.location index.start unix" (see
// web/slotref.go).
type slotRef struct {
	Provider, Location int
	Start              time.Time
}

func parseRef(ref string) (slotRef, error) {
	parts := strings.Split(ref, ".")
	if len(parts) != 3 {
		return slotRef{}, fmt.Errorf("slot reference %q: want 3 parts", ref)
	}
	p, err1 := strconv.Atoi(parts[0])
	l, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return slotRef{}, fmt.Errorf("slot reference %q: %w", ref, err)
	}
	return slotRef{Provider: p, Location: l, Start: time.Unix(sec, 0).UTC()}, nil
}

// refsByDay groups slot references by their clinic-local date (YYYY-MM-DD) in zone, keeping
// page order within each day, and returns the dates in order.
func refsByDay(refs []string, zone *time.Location) (days []string, byDay map[string][]string, err error) {
	byDay = map[string][]string{}
	for _, r := range refs {
		s, err := parseRef(r)
		if err != nil {
			return nil, nil, err
		}
		d := s.Start.In(zone).Format(time.DateOnly)
		if byDay[d] == nil {
			days = append(days, d)
		}
		byDay[d] = append(byDay[d], r)
	}
	sort.Strings(days)
	return days, byDay, nil
}

// dayWith returns the first clinic-local date among refs with at least n open times, and
// those times.
func dayWith(refs []string, zone *time.Location, n int) (time.Time, []string, error) {
	days, byDay, err := refsByDay(refs, zone)
	if err != nil {
		return time.Time{}, nil, err
	}
	for _, d := range days {
		if len(byDay[d]) >= n {
			t, _ := time.ParseInLocation(time.DateOnly, d, zone)
			return t, byDay[d], nil
		}
	}
	return time.Time{}, nil, fmt.Errorf("no day among %d open times has %d of them", len(refs), n)
}
