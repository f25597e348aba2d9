package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"doorway/store/storetest"
)

// Several Doorway instances sharing one PostgreSQL database, as a clinic network runs them
// behind a load balancer. The harness starts them (real-Redox mode, against one sandbox EHR
// that notifies every instance, as Redox may deliver a notification to any or all), and a
// round-robin balancer in front; instances_test.go holds the proofs.

// cluster is n instances of `doorway serve` on one database, an EHR, and a balancer.
type cluster struct {
	DSN  string     // the shared database: a fresh schema of DOORWAY_TEST_PG
	EHR  *process   // `doorway ehr`, notifying every instance's webhook
	Apps []*process // the instances, started together on the empty database
	LB   *balancer
}

// startCluster starts the EHR, then n instances at the same moment on an empty database, and
// the balancer. extra flags go to every instance. Without DOORWAY_TEST_PG the test is
// skipped (failed under CI=true: storetest.PostgresDSN).
func startCluster(t testing.TB, n int, extra ...string) *cluster {
	t.Helper()
	needBinary(t) // skips with -short before a schema is made for nothing
	return startClusterOn(t, storetest.PostgresDSN(t), n, extra...)
}

// startClusterOn is startCluster on the database dsn ("" for a new SQLite file, with n 1).
func startClusterOn(t testing.TB, dsn string, n int, extra ...string) *cluster {
	t.Helper()
	c := &cluster{DSN: dsn}
	addrs, hooks := make([]string, n), make([]string, n)
	for i := range addrs {
		addrs[i] = freeAddr(t)
		hooks[i] = webhooksTo(addrs[i])
	}
	c.EHR = startEHR(t, launch{Args: []string{"-log-level", "error", "-webhooks", strings.Join(hooks, ",")}})
	found := make([]<-chan []string, n)
	for i, addr := range addrs {
		args := append([]string{"-log-level", "error", "-booking-rate", "1000000", "-holds-per-client", "-1"}, extra...)
		var p *process
		p, found[i] = spawnRedox(t, c.EHR.URL, launch{Addr: addr, DB: c.DSN, Args: args}) // "" DB: a SQLite file
		c.Apps = append(c.Apps, p)
	}
	urls := make([]string, n)
	for i, p := range c.Apps {
		p.URL = p.await(t, found[i])[0]
		urls[i] = p.URL
	}
	c.DSN = c.Apps[0].DB
	c.LB = newBalancer(t, urls)
	return c
}

// balancer sends each request to the next instance in turn, as a load balancer without
// sticky sessions does: one patient's requests land on every instance.
type balancer struct {
	URL     string
	proxies []*httputil.ReverseProxy
	next    atomic.Uint64
	mu      sync.Mutex
	served  []int // requests answered by each instance
}

func newBalancer(t testing.TB, backends []string) *balancer {
	t.Helper()
	b := &balancer{served: make([]int, len(backends))}
	tr := patientTransport()
	for _, raw := range backends {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		p := httputil.NewSingleHostReverseProxy(u)
		p.Transport = tr
		b.proxies = append(b.proxies, p)
	}
	srv := httptest.NewServer(b)
	t.Cleanup(func() { srv.Close(); tr.CloseIdleConnections() })
	b.URL = srv.URL
	return b
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(b.next.Add(1)-1) % len(b.proxies)
	b.mu.Lock()
	b.served[i]++
	b.mu.Unlock()
	b.proxies[i].ServeHTTP(w, r)
}

// Served describes how many requests each instance answered.
func (b *balancer) Served() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return fmt.Sprint(b.served)
}

// checkMigratedOnce fails the test unless every migration is recorded exactly once in the
// shared database, however many instances started on it at once.
func (c *cluster) checkMigratedOnce(t testing.TB) {
	t.Helper()
	rows := countRows(t, c.DSN, `SELECT count(*) FROM schema_migrations`)
	versions := countRows(t, c.DSN, `SELECT count(DISTINCT version) FROM schema_migrations`)
	if rows == 0 || rows != versions {
		t.Errorf("schema_migrations: %d rows for %d versions; want each version once", rows, versions)
	}
}
