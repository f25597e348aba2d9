package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"testing"
	"time"
)

// The doorway binary every test of this process runs. It is built on first use rather than in
// TestMain, so `go test -short` (where every test skips) and a run of the browser-only
// TestAxeFindsViolations pay nothing for it; building it once, not per test, keeps the
// whole-binary tests about as fast as they were in-process.
var (
	buildOnce sync.Once
	buildDir  string // removed by TestMain
	binPath   string
	errBuild  error
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() {
		startMailpitBuild() // minutes the first time: in the background while the tests run
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// needBinary skips the test in -short mode; otherwise it returns the doorway binary, building
// it on the first call. Every test and benchmark here starts with it (the start functions call
// it), so -short stays fast.
func needBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e: runs the built doorway binary; skipped with -short")
	}
	buildOnce.Do(func() { binPath, errBuild = buildDoorway() })
	if errBuild != nil {
		t.Fatal(errBuild)
	}
	return binPath
}

// buildDoorway builds the module root (the parent of e2e/) into a temporary directory, with
// the race detector when these tests have it, so a race in the app fails them as it did when
// the app ran in-process (the build then reuses the packages go test compiled).
func buildDoorway() (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("go not found: %w", err)
	}
	if buildDir, err = os.MkdirTemp("", "doorway-e2e-"); err != nil {
		return "", err
	}
	bin := filepath.Join(buildDir, "doorway")
	args := []string{"build", "-o", bin}
	if raceEnabled() {
		args = append(args, "-race")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, append(args, ".")...)
	cmd.Dir = ".." // go test runs in e2e/: the module root is its parent
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// raceEnabled reports whether this test binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	return ok && slices.ContainsFunc(info.Settings, func(s debug.BuildSetting) bool { return s.Key == "-race" && s.Value == "true" })
}
