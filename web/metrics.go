package web

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
)

// durationBuckets are the histogram's upper bounds in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests and bookings for /metrics, written in the Prometheus text format by
// hand (a few counters do not need a client library). Labels are route templates, never raw
// paths, so visit numbers cannot blow up the label set.
type metrics struct {
	mu       sync.Mutex
	routes   map[string]bool
	requests map[requestLabels]uint64
	hist     map[string]*histogram // by route
	bookings map[string]uint64     // by appointment status at confirmation
	dead     map[deadLabels]uint64 // the webhook's dead letters
}

// deadLabels are a dead letter's labels: the event type from a fixed set and the reason
// class (booking.DeadLetter.Reason, itself a fixed set).
type deadLabels struct {
	event, reason string
}

// knownEvents are the event labels of dead letters; an event type the sender made up, or
// none, is counted as "other", so no delivery can add a label.
var knownEvents = map[string]bool{"New": true, "Modification": true, "Reschedule": true, "Cancel": true,
	"NoShow": true, "PushSlots": true, "AvailableSlots": true, "AvailableSlotsResponse": true, "Booked": true,
	"BookedResponse": true}

// knownReasons are the reason labels of dead letters.
var knownReasons = map[string]bool{booking.DeadInvalid: true, booking.DeadUnwanted: true, booking.DeadOutOfRange: true,
	booking.DeadNotFound: true, booking.DeadConflict: true, booking.DeadOther: true}

type requestLabels struct {
	route, method, status string
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{routes: map[string]bool{}, requests: map[requestLabels]uint64{},
		hist: map[string]*histogram{}, bookings: map[string]uint64{},
		dead: map[deadLabels]uint64{}}
}

// setRoutes records the registered route templates; anything else is labelled "unmatched".
func (m *metrics) setRoutes(rs []*echo.Route) {
	for _, r := range rs {
		m.routes[r.Path] = true
	}
}

// knownMethods are the method labels; any other method (a client may send anything) is
// counted as "other", so no request can add a label.
var knownMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true}

// knownStatuses are the status labels; any other status is counted by its class ("5xx").
var knownStatuses = map[int]bool{200: true, 303: true, 304: true, 400: true, 401: true, 403: true, 404: true,
	405: true, 409: true, 413: true, 422: true, 429: true, 499: true, 500: true, 502: true, 503: true}

// labels bounds a request's labels: route templates, known methods and statuses; anything
// else is "unmatched", "other" or the status class.
func (m *metrics) labels(route, method string, status int) requestLabels {
	if !m.routes[route] {
		route = "unmatched"
	}
	if !knownMethods[method] {
		method = "other"
	}
	code := strconv.Itoa(status)
	if !knownStatuses[status] {
		code = strconv.Itoa(min(max(status/100, 1), 5)) + "xx"
	}
	return requestLabels{route: route, method: method, status: code}
}

// observe records one request and returns the route label it used.
func (m *metrics) observe(route, method string, status int, d time.Duration) string {
	l := m.labels(route, method, status)
	route = l.route
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[l]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets))}
		m.hist[route] = h
	}
	sec := d.Seconds()
	if i, _ := slices.BinarySearch(durationBuckets, sec); i < len(durationBuckets) {
		h.counts[i]++
	}
	h.sum += sec
	h.count++
	return route
}

// booked counts a new booking by its status when confirmed (booked or requested).
func (m *metrics) booked(status string) {
	m.mu.Lock()
	m.bookings[status]++
	m.mu.Unlock()
}

// deadLetter counts a delivery the webhook kept as a dead letter, by bounded labels.
func (m *metrics) deadLetter(event, reason string) {
	if !knownEvents[event] {
		event = "other"
	}
	if !knownReasons[reason] {
		reason = booking.DeadOther
	}
	m.mu.Lock()
	m.dead[deadLabels{event, reason}]++
	m.mu.Unlock()
}

// writeEmails renders the mail worker's counts: every kind and outcome, both from fixed
// sets (booking.EmailKinds, booking.EmailOutcomes), zeros included, so a rate can be taken
// before the first failure.
func writeEmails(w io.Writer, counts []booking.EmailCount) {
	fmt.Fprintln(w, "# HELP doorway_emails_total Emails to patients by kind and outcome (sent, retried after a failed attempt, failed for good, skipped as no longer applying).")
	fmt.Fprintln(w, "# TYPE doorway_emails_total counter")
	for _, c := range counts {
		fmt.Fprintf(w, "doorway_emails_total{kind=%q,outcome=%q} %d\n", string(c.Kind), c.Outcome, c.N)
	}
}

// write renders every metric in the Prometheus text exposition format, sorted for stable
// output.
func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP doorway_http_requests_total HTTP requests by route, method and status.")
	fmt.Fprintln(w, "# TYPE doorway_http_requests_total counter")
	keys := make([]requestLabels, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestLabels) int {
		return strings.Compare(fmt.Sprint(a.route, a.method, a.status), fmt.Sprint(b.route, b.method, b.status))
	})
	for _, k := range keys {
		fmt.Fprintf(w, "doorway_http_requests_total{route=%q,method=%q,status=%q} %d\n", k.route, k.method, k.status, m.requests[k])
	}
	fmt.Fprintln(w, "# HELP doorway_http_request_duration_seconds Time to answer HTTP requests, by route.")
	fmt.Fprintln(w, "# TYPE doorway_http_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	for _, r := range routes {
		h := m.hist[r]
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "doorway_http_request_duration_seconds_bucket{route=%q,le=%q} %d\n", r, strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "doorway_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.count)
		fmt.Fprintf(w, "doorway_http_request_duration_seconds_sum{route=%q} %s\n", r, strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(w, "doorway_http_request_duration_seconds_count{route=%q} %d\n", r, h.count)
	}
	fmt.Fprintln(w, "# HELP doorway_bookings_total Appointments booked through the web flow, by status at confirmation.")
	fmt.Fprintln(w, "# TYPE doorway_bookings_total counter")
	statuses := make([]string, 0, len(m.bookings))
	for st := range m.bookings {
		statuses = append(statuses, st)
	}
	slices.Sort(statuses)
	for _, st := range statuses {
		fmt.Fprintf(w, "doorway_bookings_total{status=%q} %d\n", st, m.bookings[st])
	}
	fmt.Fprintln(w, "# HELP doorway_webhook_dead_letters_total EHR deliveries answered 200 but not applied, kept as dead letters, by event type and reason.")
	fmt.Fprintln(w, "# TYPE doorway_webhook_dead_letters_total counter")
	dead := make([]deadLabels, 0, len(m.dead))
	for k := range m.dead {
		dead = append(dead, k)
	}
	slices.SortFunc(dead, func(a, b deadLabels) int { return strings.Compare(a.event+" "+a.reason, b.event+" "+b.reason) })
	for _, k := range dead {
		fmt.Fprintf(w, "doorway_webhook_dead_letters_total{event=%q,reason=%q} %d\n", k.event, k.reason, m.dead[k])
	}
}
