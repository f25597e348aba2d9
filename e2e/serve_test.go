package e2e

import (
	"net/http"
	"testing"
)

// TestServeStartsBothAndShutsDown: `doorway serve` with no Redox settings is a working demo
// clinic (the app and its sandbox EHR both answer) and exits cleanly on SIGTERM.
func TestServeStartsBothAndShutsDown(t *testing.T) {
	a := startDemo(t, launch{})
	for _, u := range []string{a.URL + "/healthz", a.SandboxURL + "/healthz", a.URL + "/"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", u, resp.StatusCode)
		}
	}
	a.Stop(t)
}
