package patient

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/views/i18n"
)

// bigWeek is a health system's week: 12 clinics with 4 providers each, every provider free
// every 20 minutes from 8:00 to 17:00 for 7 days from March 2, 2026.
func bigWeek(t *testing.T) (*booking.Clinic, booking.Week) {
	t.Helper()
	c := &booking.Clinic{Name: "Big"}
	for l := range 12 {
		id := "loc" + strconv.Itoa(l)
		c.Locations = append(c.Locations, booking.Location{ID: id, Name: "Clinic " + strconv.Itoa(l), Facility: "Big",
			Department: id, TimeZone: "America/Chicago"})
		for p := range 4 {
			c.Providers = append(c.Providers, booking.Provider{ID: strconv.Itoa(1000000000 + l*10 + p), FirstName: "P" + strconv.Itoa(p),
				LastName: "L" + strconv.Itoa(l), Locations: []string{id}})
		}
	}
	zone, _ := time.LoadLocation("America/Chicago")
	var w booking.Week
	for d := range 7 {
		w.Dates = append(w.Dates, time.Date(2026, 3, 2+d, 0, 0, 0, 0, zone).Format(time.DateOnly))
		w.Days = append(w.Days, nil)
		for m := 8 * 60; m < 17*60; m += 20 {
			for _, p := range c.Providers {
				w.Days[d] = append(w.Days[d], booking.Slot{Start: time.Date(2026, 3, 2+d, m/60, m%60, 0, 0, zone), Minutes: 20,
					Provider: booking.ProviderRef{ID: p.ID, IDType: "NPI"}, Location: booking.LocationRef{ID: p.Locations[0]}})
			}
		}
	}
	return c, w
}

// count is the sections' groups and time buttons.
func count(secs []Section) (groups, times int) {
	for _, s := range secs {
		groups += len(s.Groups)
		for _, g := range s.Groups {
			times += len(g.Times)
		}
	}
	return groups, times
}

// TestSectionsStayShortAtScale: each arrangement of 48 providers' week shows a bounded number
// of times, pages through what it cannot show, and links every heading to the rest.
func TestSectionsStayShortAtScale(t *testing.T) {
	c, w := bigWeek(t)
	a := func(v TimesView) arranger {
		return arranger{m: i18n.English, c: c, view: v, ref: func(s booking.Slot) string { return s.Key() }}
	}

	secs, pg := a(TimesView{View: ByLocation}).sections(w)
	if len(secs) != LocationsPerPage || pg == nil || pg.Next != "/times?page=2&view=location" || pg.Prev != "" ||
		pg.Label != "Clinics 1 to 4 of 12" || pg.NextLabel != "More clinics" {
		t.Fatalf("by location: %d sections, paging %+v", len(secs), pg)
	}
	for _, s := range secs {
		if len(s.Groups) != GroupsShown || s.More == 0 || s.MoreURL != "/times?loc=loc"+strings.TrimPrefix(s.Title, "Clinic ")+"&view=day" ||
			s.MoreLabel != "Every open time at "+s.Title {
			t.Errorf("by location, %s: %d groups, %d more at %q (%q)", s.Title, len(s.Groups), s.More, s.MoreURL, s.MoreLabel)
		}
		for _, g := range s.Groups {
			if len(g.Times) != GroupTimes || g.More == 0 {
				t.Errorf("by location, %s: %d times, %d more", g.Label, len(g.Times), g.More)
			}
		}
	}
	if got := a(TimesView{View: ByDay, Location: "loc3"}).focus(w, booking.Preferences{}); got != "Every open time at Clinic 3" {
		t.Errorf("the heading of one clinic's times: %q", got)
	}
	last, pg := a(TimesView{View: ByLocation, Page: 2}).sections(w)
	if len(last) != 4 || last[0].Title != "Clinic 8" || pg.Next != "" || pg.Prev != "/times?page=2&view=location" {
		t.Errorf("by location, page 3: %d sections from %q, paging %+v", len(last), last[0].Title, pg)
	}

	secs, pg = a(TimesView{View: ByDay}).sections(w)
	if _, times := count(secs); len(secs) != 7 || pg != nil || times != 7*GroupsShown*GroupTimes {
		t.Errorf("by day: %d sections, %d times, paging %+v", len(secs), times, pg)
	}
	if s := secs[1]; s.More != 48-GroupsShown || s.MoreURL != "/times?day=2026-03-03&view=day" || s.MoreLabel != "42 more providers this day" {
		t.Errorf("by day, %s: %d more at %q (%q)", s.Title, s.More, s.MoreURL, s.MoreLabel)
	}

	// Every time of one day: the page has narrowed the week to it.
	oneDay := booking.Week{Dates: w.Dates[:1], Days: w.Days[:1]}
	secs, pg = a(TimesView{View: ByDay, Day: "2026-03-02"}).sections(oneDay)
	groups, times := count(secs)
	if len(secs) != 1 || groups != DayGroups || times != DayGroups*FocusTimes || pg == nil ||
		pg.Label != "Providers 1 to 10 of 48" || pg.Next != "/times?day=2026-03-02&page=2&view=day" {
		t.Fatalf("one day: %d sections, %d groups, %d times, paging %+v", len(secs), groups, times, pg)
	}
	if g := secs[0].Groups[0]; g.More != 27-FocusTimes || g.MoreURL != "/times?day=2026-03-02&p="+oneDay.Days[0][0].Provider.ID {
		t.Errorf("one day, %s: %d more at %q", g.Label, g.More, g.MoreURL)
	}
	secs, pg = a(TimesView{View: ByDay, Day: "2026-03-02", Page: 4}).sections(oneDay)
	if groups, _ := count(secs); groups != 8 || pg.Next != "" {
		t.Errorf("one day, last page: %d groups, paging %+v", groups, pg)
	}
}
