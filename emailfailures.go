package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"doorway/store"
)

// emailFailuresConfig is `doorway email-failures`' configuration.
type emailFailuresConfig struct {
	DB    string
	Since time.Duration
}

func parseEmailFailuresConfig(args []string, getenv func(string) string) (emailFailuresConfig, error) {
	var c emailFailuresConfig
	f := newFlags("doorway email-failures", getenv)
	f.fs.StringVar(&c.DB, "db", "./data/doorway.db", "the database doorway serve uses: its SQLite file, or its postgres:// URL")
	f.fs.DurationVar(&c.Since, "since", 7*24*time.Hour, "list the emails that failed within this long")
	if err := f.parse(args); err != nil {
		return c, err
	}
	if c.Since <= 0 {
		return c, fmt.Errorf("-since %v: want a positive duration", c.Since)
	}
	return c, nil
}

// runEmailFailures lists the emails to patients that failed for good (the SMTP server
// refused them, or they ran out of attempts), resolved at the desk or not: the front desk's
// "Needs attention" lists those still to deal with; this is for scripts and for looking back.
// It prints the visit and the SMTP stage and code, never an address.
func runEmailFailures(ctx context.Context, cfg emailFailuresConfig, stdout io.Writer) error {
	if err := mustExist(cfg.DB, "-db"); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	fails, err := db.EmailFailures(ctx, time.Now().Add(-cfg.Since))
	if err != nil {
		return err
	}
	if len(fails) == 0 {
		fmt.Fprintf(stdout, "no email failed in the last %v\n", cfg.Since)
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "FAILED\tVISIT\tEMAIL\tATTEMPTS\tERROR")
	for _, f := range fails {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", f.FailedAt.Local().Format(time.DateTime), f.VisitNumber, f.Kind, f.Attempts, f.Error)
	}
	return w.Flush()
}
