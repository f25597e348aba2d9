package e2e

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// The booking wizard's steps as the scripted patient (patient_test.go) walks them. Each
// returns an error instead of failing the test, so hundreds of patients can run at once.

// step answers one step as a patient does: it loads the step's page at path (which carries
// the CSRF token), posts form there and wants a redirect to next, the following step.
func (pt *patient) step(path string, form url.Values, next string) error {
	if _, err := pt.get(path); err != nil {
		return err
	}
	to, err := pt.submit(path, form)
	if err == nil && to != next {
		err = fmt.Errorf("POST %s: redirect to %q, want %s", path, to, next)
	}
	return err
}

// begin answers step 1: a cold (the sick visit is the only visit type that fits, so the
// wizard skips the visit-type step and shows the open times).
func (pt *patient) begin() error {
	return pt.step("/", url.Values{"reason": {"cold-flu"}}, "/times")
}

// search filters the open times as the form above them does: the days from and to
// (clinic-local, inclusive) with the given providers (none = anyone).
func (pt *patient) search(from, to time.Time, providers ...string) error {
	return pt.filter(url.Values{"from": {from.Format(time.DateOnly)}, "to": {to.Format(time.DateOnly)}, "providers": providers})
}

// filter sends the times page's filter form and wants the times page back.
func (pt *patient) filter(form url.Values) error {
	if _, err := pt.get("/times"); err != nil {
		return err
	}
	to, err := pt.submit("/times/filter", form)
	if err == nil && to != "/times" {
		err = fmt.Errorf("POST /times/filter: redirect to %q, want /times", to)
	}
	return err
}

// timesView is what the open-times page offers.
type timesView struct {
	Refs   []string // every open time's slot reference, in page order
	Notice string   // the "that time was just taken" message, if shown
	Alts   []string // the nearest alternatives offered with it
}

// times fetches the open-times page: the week at a glance, a few times a day per provider.
func (pt *patient) times() (timesView, error) { return pt.timesAt("/times") }

// timesAt fetches one view of the open times.
func (pt *patient) timesAt(path string) (timesView, error) {
	p, err := pt.get(path)
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
