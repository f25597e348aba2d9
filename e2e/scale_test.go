package e2e

import (
	"testing"

	"doorway/store/storetest"
)

// BenchmarkInstances is the load of BenchmarkHoldConfirm and BenchmarkSearch (everyone, 14
// days) against Doorway in the several-instance setup of cluster_test.go: real-Redox mode
// against one sandbox EHR process, the database shared, each patient pinned to instance
// n % instances (a balancer in this process would take CPU from the instances). sqlite-1 is
// the same setup on a SQLite file, to compare the backends; postgres-1 and postgres-2 need
// DOORWAY_TEST_PG. Figures and the command: docs/PERFORMANCE.md ("Several instances").
func BenchmarkInstances(b *testing.B) {
	setups := []struct {
		name      string
		instances int
		dsn       func(testing.TB) string
	}{
		{"sqlite-1", 1, nil},
		{"postgres-1", 1, storetest.PostgresDSN},
		{"postgres-2", 2, storetest.PostgresDSN},
	}
	for _, st := range setups {
		bases := func(b *testing.B) []string {
			var c *cluster
			if st.dsn == nil {
				c = startClusterOn(b, "", 1)
			} else {
				c = startClusterOn(b, st.dsn(b), st.instances)
			}
			var urls []string
			for _, a := range c.Apps {
				urls = append(urls, a.URL)
			}
			return urls
		}
		b.Run(st.name+"/hold-confirm", func(b *testing.B) {
			if b.N > maxBookings {
				b.Fatalf("b.N = %d: run with -benchtime Nx, N at most %d", b.N, maxBookings)
			}
			benchHoldConfirm(b, bases(b))
		})
		b.Run(st.name+"/search-everyone-14-days", func(b *testing.B) { benchSearch(b, bases(b), 14, nil) })
	}
}
