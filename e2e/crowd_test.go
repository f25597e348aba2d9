package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// Many scripted patients at once: the integrity, fault and load tests all run a crowd of them
// through the wizard of one app.

// newPatients returns patients 1..n of the app at base, sharing transport and codes.
func newPatients(n int, base string, transport http.RoundTripper, codes *codeCounter) []*patient {
	ps := make([]*patient, n)
	for i := range ps {
		ps[i] = newPatient(i+1, base, transport, codes)
	}
	return ps
}

// runAll runs fn for every patient at once and returns the errors, each prefixed with its
// patient's number.
func runAll(ps []*patient, fn func(*patient) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(ps))
	for i, p := range ps {
		wg.Go(func() {
			if err := fn(p); err != nil {
				errs[i] = fmt.Errorf("patient %d: %w", p.n, err)
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(errs, func(e error) bool { return e == nil })
}

// runLimited runs fn for every patient, at most limit at once, and returns the errors.
func runLimited(ps []*patient, limit int, fn func(*patient) error) []error {
	next := make(chan *patient)
	go func() {
		for _, p := range ps {
			next <- p
		}
		close(next)
	}()
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range limit {
		wg.Go(func() {
			for p := range next {
				if err := fn(p); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("patient %d: %w", p.n, err))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return errs
}

// failOn fails the test with the first few errors.
func failOn(t testing.TB, what string, errs []error) {
	t.Helper()
	if len(errs) == 0 {
		return
	}
	for _, e := range errs[:min(len(errs), 5)] {
		t.Error(e)
	}
	t.Fatalf("%s: %d patients failed", what, len(errs))
}

// holdAll walks every patient, all at once, to the review of its own time refs[p.n-1]
// (found by searching from..to with providers), and returns each one's idempotency key, also
// at p.n-1. The fault tests then confirm them all together, while the fault happens.
func holdAll(t testing.TB, ps []*patient, refs []string, from, to time.Time, providers ...string) []string {
	t.Helper()
	keys := make([]string, len(ps))
	failOn(t, "holding", runAll(ps, func(p *patient) error {
		if err := p.begin(); err != nil {
			return err
		}
		if err := p.search(from, to, providers...); err != nil {
			return err
		}
		if held, err := p.hold(refs[p.n-1]); err != nil || !held {
			return fmt.Errorf("hold %s: held %v, %v", refs[p.n-1], held, err)
		}
		if err := p.details(); err != nil {
			return err
		}
		var err error
		keys[p.n-1], err = p.review()
		return err
	}))
	return keys
}
