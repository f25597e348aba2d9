package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doorway/booking"
	"doorway/views"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
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

func TestTimesPageSizeWith300Slots(t *testing.T) {
	a := newApp(t)
	a.ehr.set(func(f *fakeEHR) { f.slots = manySlots(f.clinic) })
	a.throughWhen(nil)
	for _, view := range []string{"day", "provider", "location"} {
		r := a.get("/times?view=" + view)
		wantStatus(t, r, http.StatusOK)
		if n := r.doc.Find(".times button").Length(); n != patient.MaxShown {
			t.Errorf("%s: %d times on the page, want %d", view, n, patient.MaxShown)
		}
		if got := r.doc.Find("[data-testid=incomplete]").Text(); !strings.Contains(got, "Showing the first 300") {
			t.Errorf("%s: no 'narrow your search' note: %q", view, got)
		}
		if len(r.body) > 30*1024 {
			t.Errorf("%s: %d bytes of HTML with 300 times, want under 30 KB", view, len(r.body))
		}
		t.Logf("times page by %s with 300 slots: %d bytes", view, len(r.body))
	}
	t.Run("the EHR's own cap is reported", func(t *testing.T) {
		a.ehr.set(func(f *fakeEHR) { f.slots, f.incomplete = nil, true })
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

// timesPage300 builds the open-times view model for 300 slots over two weeks.
func timesPage300(tb testing.TB) (*app, patient.TimesPage) {
	tb.Helper()
	a := newApp(tb)
	prefs, slots := slots300(tb, a)
	return a, build300(a, prefs, slots)
}

// slots300 are the preferences of a two-week search for a sick visit and the slots it finds.
func slots300(tb testing.TB, a *app) (booking.Preferences, []booking.Slot) {
	prefs := booking.Preferences{ReasonID: "cold-flu", VisitType: "SICK", From: "2026-03-02", To: "2026-03-15"}
	q, err := prefs.Query(a.srv.clinic)
	if err != nil {
		tb.Fatal(err)
	}
	slots := manySlots(a.srv.clinic)(q)
	for i := range slots {
		l, _ := a.srv.clinic.LocationByDepartment("", slots[i].Location.Department)
		slots[i].Location.ID = l.ID
	}
	return prefs, slots
}

func build300(a *app, prefs booking.Preferences, slots []booking.Slot) patient.TimesPage {
	return patient.NewTimesPage(patient.Page{}, i18n.English, a.srv.clinic, prefs, booking.SearchResult{Slots: slots},
		patient.TimesOf{View: patient.ByDay, Ref: a.srv.refs.ref})
}

func BenchmarkTimesPageRender(b *testing.B) {
	_, p := timesPage300(b)
	ctx := views.WithCSRF(context.Background(), strings.Repeat("t", 32))
	comp := patient.Times(p)
	var buf bytes.Buffer
	comp.Render(ctx, &buf)
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := comp.Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTimesPageBuildAndRender(b *testing.B) {
	a := newApp(b)
	prefs, slots := slots300(b, a)
	ctx := views.WithCSRF(context.Background(), strings.Repeat("t", 32))
	b.ReportAllocs()
	for b.Loop() {
		p := build300(a, prefs, slots)
		if err := patient.Times(p).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTimesPageGET(b *testing.B) {
	a := newApp(b)
	a.ehr.set(func(f *fakeEHR) { f.slots = manySlots(f.clinic) })
	a.get("/")
	a.post("/", url.Values{"reason": {"cold-flu"}})
	a.post("/when", url.Values{"from": {"2026-03-02"}, "to": {"2026-03-15"}})
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/times", nil)
	b.ResetTimer()
	for b.Loop() {
		res, err := a.client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}
