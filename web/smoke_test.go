package web

import (
	"net/http"
	"net/url"
	"testing"
)

func TestSmokeBooking(t *testing.T) {
	a := newApp(t)
	a.throughWhen(nil)
	times := a.get("/times")
	wantStatus(t, times, http.StatusOK)
	slot := firstSlot(t, times)
	wantRedirect(t, a.post("/times", url.Values{"slot": {slot}}), "/details")
	wantStatus(t, a.get("/details"), http.StatusOK)
	wantRedirect(t, a.post("/details", validDetails()), "/review")
	review := a.get("/review")
	wantStatus(t, review, http.StatusOK)
	key, _ := review.doc.Find("input[name=key]").Attr("value")
	r := a.post("/confirm", url.Values{"key": {key}})
	wantStatus(t, r, http.StatusSeeOther)
	booked := a.get(r.Header.Get("Location"))
	wantStatus(t, booked, http.StatusOK)
	t.Log(booked.doc.Find("main").Text())
}
