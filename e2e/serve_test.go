package e2e

import (
	"net/http"
	"os"
	"path/filepath"
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

// TestDataFilesArePrivate: the databases (with their -wal and -shm) and the session keys
// are readable by the service user only, in a directory only it can enter.
func TestDataFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	a := startDemo(t, launch{DB: filepath.Join(dir, "doorway.db")})
	p := newPatient(1, a.URL, patientTransport(), newCodeCounter())
	if err := p.begin(); err != nil { // writes a session: the WAL files exist
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700}
	for _, f := range []string{"doorway.db", "doorway.db-wal", "doorway.db-shm", "sandbox.db", "sandbox.db-wal", "session.keys"} {
		want[filepath.Join(dir, f)] = 0o600
	}
	for path, mode := range want {
		fi, err := os.Stat(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", filepath.Base(path), fi.Mode().Perm(), mode)
		}
	}
	a.Stop(t)
}
