package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestOps(t *testing.T) {
	ready := error(nil)
	a := newApp(t, func(c *Config) { c.ReadyCheck = func(context.Context) error { return ready } })
	wantStatus(t, a.get("/healthz"), http.StatusOK)
	r := a.get("/readyz")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, `"database":"ok"`) || !strings.Contains(r.body, `"ehr":"ok"`) {
		t.Errorf("readyz = %s", r.body)
	}
	ready = errors.New("ehr down")
	r = a.get("/readyz")
	wantStatus(t, r, http.StatusServiceUnavailable)
	if !strings.Contains(r.body, `"ehr":"unavailable"`) || strings.Contains(r.body, "ehr down") {
		t.Errorf("readyz = %s, want the failed check named without its error", r.body)
	}

	_, confirm := a.book()
	a.get(confirm.Header.Get("Location"))
	a.get("/booked/DW-SOMETHING")
	a.get("/no/such/page")
	m := a.get("/metrics")
	wantStatus(t, m, http.StatusOK)
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("metrics Content-Type = %q", ct)
	}
	for _, want := range []string{
		"# TYPE doorway_http_requests_total counter",
		`doorway_http_requests_total{route="/",method="POST",status="303"} 1`,
		`doorway_http_requests_total{route="/booked/:visit",method="GET",status="200"} 1`,
		`doorway_http_requests_total{route="/booked/:visit",method="GET",status="404"} 1`,
		`doorway_http_requests_total{route="unmatched",method="GET",status="404"} 1`,
		"# TYPE doorway_http_request_duration_seconds histogram",
		`doorway_http_request_duration_seconds_bucket{route="/times",le="+Inf"} `,
		`doorway_http_request_duration_seconds_count{route="/times"} `,
		`doorway_bookings_total{status="booked"} 1`,
	} {
		if !strings.Contains(m.body, want) {
			t.Errorf("metrics lack %q:\n%s", want, m.body)
		}
	}
	if strings.Contains(m.body, "DW-") {
		t.Error("metrics carry raw paths with visit numbers")
	}
}
