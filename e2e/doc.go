// Package e2e holds Doorway's system tests: the built doorway binary run as a subprocess
// (demo mode, the sandbox EHR alone, real-Redox mode against that EHR), driven over HTTP by
// scripted patients and in Chromium, under load and through faults (the EHR down, SIGKILL).
//
// They go through the binary rather than package main's run so they test what ships: the
// flags, the environment, the printed URLs, signals and the process's exit code. The binary
// is built once per test process, with -race when the tests have it. `go test -short ./...`
// builds nothing and skips them all; `make test` runs them.
//
// The package has only tests; this file is its documentation.
package e2e
