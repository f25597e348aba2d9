// Command doorway is a patient self-booking web app for outpatient clinics. It speaks Redox
// Scheduling to the clinic's EHR; with no Redox credentials it starts an embedded sandbox EHR
// on loopback with a demo clinic, so `go run .` is a working clinic.
//
//	doorway [serve] [flags]   the booking app (default)
//	doorway ehr [flags]       the sandbox EHR alone
//	doorway migrate-db -from ./data/doorway.db -to postgres://...
//	                          copy a database into an empty one (SQLite to PostgreSQL)
//	doorway dead-letters [-all] [-replay ID] [flags]
//	                          list the EHR deliveries the webhook could not apply, or replay one
//	doorway email-failures [-since 168h] [-db ...]
//	                          list the emails to patients that failed for good
//
// Every flag has an environment twin DOORWAY_<NAME> (-redox-url / DOORWAY_REDOX_URL).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // clinic time zones must resolve on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "doorway:", err)
		os.Exit(1)
	}
}

// run is main without the process globals, so tests can start Doorway in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "serve" || args[0] == "ehr" || args[0] == "migrate-db" || args[0] == "dead-letters" ||
		args[0] == "email-failures" || args[0] == "staff") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "staff":
		cfg, err := parseStaffConfig(args, getenv)
		if err != nil {
			return err
		}
		return runStaff(ctx, cfg, stdout)
	case "dead-letters":
		cfg, err := parseDeadLettersConfig(args, getenv)
		if err != nil {
			return err
		}
		return runDeadLetters(ctx, cfg, stdout)
	case "email-failures":
		cfg, err := parseEmailFailuresConfig(args, getenv)
		if err != nil {
			return err
		}
		return runEmailFailures(ctx, cfg, stdout)
	case "migrate-db":
		cfg, err := parseMigrateConfig(args, getenv)
		if err != nil {
			return err
		}
		return runMigrateDB(ctx, cfg, stdout)
	case "ehr":
		cfg, err := parseEHRConfig(args, getenv)
		if err != nil {
			return err
		}
		return runEHR(ctx, cfg, stdout)
	default:
		cfg, err := parseServeConfig(args, getenv)
		if err != nil {
			return err
		}
		return runServe(ctx, cfg, stdout)
	}
}
