package web

import (
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"doorway/booking"
)

// manySlots offers every 15 minutes from 8:00 to 17:45 local on weekdays for every provider
// asked for at each of their locations: far more than one page shows.
func manySlots(c *booking.Clinic) func(booking.SlotQuery) []booking.Slot {
	return func(q booking.SlotQuery) []booking.Slot {
		var out []booking.Slot
		for _, p := range c.Providers {
			for _, lid := range p.Locations {
				l, _ := c.Location(lid)
				for d := q.Start.In(l.Zone()); d.Before(q.End); d = d.AddDate(0, 0, 1) {
					if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
						continue
					}
					for m := 8 * 60; m < 18*60; m += 15 {
						start := time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, l.Zone())
						out = append(out, booking.Slot{Start: start.UTC(), Minutes: q.Minutes,
							Provider: booking.ProviderRef{ID: p.ID, IDType: "NPI"}, Location: booking.LocationRef{Facility: l.Facility, Department: l.Department}})
					}
				}
			}
		}
		return out
	}
}

// TestTimesPagesStaySmall: with every provider offering a time every 15 minutes, each view of
// the open times (the week at a glance, by day, by location, and every time of one provider
// or one day) stays under 30 KB, asking the EHR one day at a time.
func TestTimesPagesStaySmall(t *testing.T) {
	a := newApp(t)
	a.ehr.set(func(f *fakeEHR) { f.slots = manySlots(f.clinic) })
	a.throughWhen(nil)
	for _, path := range []string{"/times", "/times?view=day", "/times?view=location", "/times?p=1000000002", "/times?view=day&day=2026-03-03"} {
		r := a.get(path)
		wantStatus(t, r, http.StatusOK)
		if n := r.doc.Find("[data-testid=slots] button[name=slot]").Length(); n == 0 {
			t.Errorf("%s: no times", path)
		}
		if len(r.body) > 30*1024 {
			t.Errorf("%s: %d bytes of HTML, want under 30 KB", path, len(r.body))
		}
		t.Logf("%s: %d bytes, %d times", path, len(r.body), r.doc.Find("button[name=slot]").Length())
	}
	a.ehr.mu.Lock()
	day := a.ehr.queries[len(a.ehr.queries)-1]
	a.ehr.mu.Unlock()
	if day.End.Sub(day.Start) > 25*time.Hour {
		t.Errorf("the EHR was asked for %v at once, want a day", day.End.Sub(day.Start))
	}
	t.Run("the EHR's own cap is reported", func(t *testing.T) {
		a.ehr.set(func(f *fakeEHR) { f.incomplete = true })
		if a.get("/times").doc.Find("[data-testid=incomplete]").Length() != 1 {
			t.Error("Meta.IsIncomplete not shown")
		}
	})
}

func TestEveryPageUnder30KB(t *testing.T) {
	a := newApp(t)
	for _, p := range []string{"/", "/urgent"} {
		if r := a.get(p); len(r.body) > 30*1024 {
			t.Errorf("%s: %d bytes", p, len(r.body))
		}
	}
	_, confirm := a.book()
	if r := a.get(confirm.Header.Get("Location")); len(r.body) > 30*1024 {
		t.Errorf("confirmation: %d bytes", len(r.body))
	}
}

// BenchmarkTimesPageGET is the open-times page end to end, a week of every provider's times
// every 15 minutes, against the fake EHR, with the production search cache (the EHR's answer
// is reused, as it is for a patient reloading the page or patients searching alike).
func BenchmarkTimesPageGET(b *testing.B) {
	a := newAppCaching(b, time.Hour)
	a.ehr.set(func(f *fakeEHR) { f.slots = manySlots(f.clinic) })
	a.get("/")
	a.post("/", url.Values{"reason": {"cold-flu"}})
	a.get("/times")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// A new request each time: the client adds the jar's cookies to the one it is given.
		req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/times", nil)
		res, err := a.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
