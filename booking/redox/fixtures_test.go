// Shared fixtures for the client tests: configuration, domain values, a settable clock, keys.

package redox

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"sync"
	"testing"
	"time"

	"doorway/booking"
)

const (
	testClientID = "doorway-test"
	testSecret   = "a-shared-secret-long-enough-for-hs384-0123456789"
	testKID      = "doorway-key-1"
)

// testConfig is an HS384 configuration against d with a tiny backoff and d's clock.
func testConfig(t *testing.T, d *redoxDouble) Config {
	// The client logs from goroutines that may outlive the test (a token renewal others wait
	// on): into a buffer of its own, shown when the test fails, never into the test's output
	// after it has ended.
	logs := &syncLog{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	return Config{
		BaseURL:         d.srv.URL,
		ClientID:        testClientID,
		Secret:          testSecret,
		SourceID:        "7c0e8c3a-source",
		SourceName:      "Doorway",
		DestinationID:   "af394f14-b34a-464f-8d24-895f370af4c9",
		DestinationName: "Clinic EHR",
		Test:            true,
		BackoffBase:     time.Millisecond,
		Logger:          slog.New(slog.NewTextHandler(logs, nil)),
		Now:             d.now,
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func slotQuery() booking.SlotQuery {
	start := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	return booking.SlotQuery{
		Start: start, End: start.AddDate(0, 0, 5), Reasons: []string{"New patient visit"},
		Providers: []booking.ProviderRef{{ID: "4356789876", IDType: "NPI"}},
	}
}

func bookedQuery() booking.BookedQuery {
	return booking.BookedQuery{
		Start:   time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		End:     time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		Patient: []booking.Identifier{{ID: "0000000001", IDType: "MR"}},
	}
}

// appointment carries recognisable patient data so log tests can look for leaks.
func appointment() booking.Appointment {
	return booking.Appointment{
		VisitNumber: "SB-100045",
		Patient: booking.Patient{
			Identifiers: []booking.Identifier{{ID: "0000000001", IDType: "MR"}},
			FirstName:   "Ada", LastName: "Lovell", DOB: "1990-04-12",
			Phone: "+15555550100", Email: "ada@example.org",
		},
		Start:    time.Date(2025, 3, 10, 14, 0, 0, 0, time.UTC),
		Minutes:  30,
		Reason:   "New patient visit",
		Provider: booking.ProviderRef{ID: "4356789876", IDType: "NPI"},
		Location: booking.LocationRef{Facility: "Main Street Clinic", Department: "Family Medicine"},
		Status:   booking.StatusBooked,
	}
}

// calls are the seven EHR methods, by the name of the event each sends.
var calls = map[string]func(context.Context, *Client) error{
	EventAvailableSlots: func(ctx context.Context, c *Client) error {
		_, err := c.AvailableSlots(ctx, slotQuery())
		return err
	},
	EventBooked: func(ctx context.Context, c *Client) error {
		_, err := c.Booked(ctx, bookedQuery())
		return err
	},
	EventNew:          func(ctx context.Context, c *Client) error { return c.Book(ctx, appointment()) },
	EventModification: func(ctx context.Context, c *Client) error { return c.Modify(ctx, appointment()) },
	EventReschedule: func(ctx context.Context, c *Client) error {
		old := appointment()
		old.Start = old.Start.Add(-24 * time.Hour)
		return c.Reschedule(ctx, appointment(), old)
	},
	EventCancel: func(ctx context.Context, c *Client) error { return c.Cancel(ctx, appointment(), "Patient request") },
	EventNoShow: func(ctx context.Context, c *Client) error { return c.NoShow(ctx, appointment(), "Did not arrive") },
}

const errorBody = `{"Meta":{"DataModel":"Scheduling","EventType":"New","Errors":[{"ID":19511136,"Text":"Ada Lovell already has a visit then","Type":"message","Module":"Subscriptions"}]}}`

// testClock is a settable clock for token expiry tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock { return &testClock{t: time.Now().Truncate(time.Second)} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// rsaKey is generated once: 2048-bit generation is the slowest thing in these tests.
var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func pemOf(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func ecKey(t *testing.T, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// syncLog is a buffer safe for concurrent writers.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }
