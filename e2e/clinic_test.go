package e2e

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// What the tests know about the demo clinic, and how they find its open times.

// okafor is Dr Maya Okafor of the demo clinic: a full weekday of sick visits at one location.
const okafor = "1487203956"

// clinicZone is the demo clinic's home time zone (Kearney): the wizard's dates are its dates.
func clinicZone(t testing.TB) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// tomorrow is the clinic's next date: every time on it is past the demo clinic's 2-hour lead.
func tomorrow(zone *time.Location) time.Time {
	n := time.Now().In(zone)
	return time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 0, 0, zone)
}

// scout searches like a patient (the sick visit, days from..from+span-1, the providers) and
// returns the open times' references day by day, as each day's page lists them (every time
// of the day when one provider is given).
func scout(t testing.TB, base string, from time.Time, span int, providers ...string) []string {
	t.Helper()
	tr := patientTransport()
	defer tr.CloseIdleConnections()
	p := newPatient(0, base, tr, newCodeCounter())
	if err := p.begin(); err != nil {
		t.Fatal(err)
	}
	if err := p.search(from, from.AddDate(0, 0, span-1), providers...); err != nil {
		t.Fatal(err)
	}
	var refs []string
	for d := range span {
		day := "/times?day=" + from.AddDate(0, 0, d).Format(time.DateOnly)
		if len(providers) == 1 { // every time of the provider's day; a day's view shows a dozen each
			day += "&p=" + providers[0]
		}
		v, err := p.timesAt(day)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, v.Refs...)
	}
	return refs
}

// openTimes returns at least n distinct open times from day from on, searching one day at a
// time (every provider of a day fits on one page).
func openTimes(t testing.TB, base string, from time.Time, n int) []string {
	t.Helper()
	var refs []string
	for day := from; len(refs) < n; day = day.AddDate(0, 0, 1) {
		if day.Sub(from) > 80*24*time.Hour {
			t.Fatalf("found only %d open times in 80 days, want %d", len(refs), n)
		}
		refs = append(refs, scout(t, base, day, 1)...)
	}
	return refs[:n]
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
