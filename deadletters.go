package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"doorway/booking"
	"doorway/booking/redox"
	"doorway/store"
)

// deadLettersConfig is `doorway dead-letters`' configuration: the database and keys of the
// doorway serve whose dead letters they are, and what to do.
type deadLettersConfig struct {
	serveConfig       // DB, DataDir, SessionKeys and Clinic, as serve has them
	All         bool  // list replayed dead letters too
	Replay      int64 // the dead letter to replay; 0 lists
}

func parseDeadLettersConfig(args []string, getenv func(string) string) (deadLettersConfig, error) {
	var c deadLettersConfig
	f := newFlags("doorway dead-letters", getenv)
	fs := f.fs
	fs.StringVar(&c.DB, "db", "./data/doorway.db", "the database doorway serve uses: its SQLite file, or its postgres:// URL")
	fs.StringVar(&c.DataDir, "data-dir", "", "where doorway serve keeps its generated session keys (default: the SQLite database's directory); -replay needs them")
	fs.StringVar(&c.SessionKeys, "session-keys", "", "the session keys doorway serve is given, if it is given them; -replay needs them")
	fs.StringVar(&c.Clinic, "clinic", "", "the clinic file doorway serve uses (default: the embedded demo clinic); -replay checks against it")
	fs.BoolVar(&c.All, "all", false, "list the dead letters already replayed too")
	fs.Int64Var(&c.Replay, "replay", 0, "replay the dead letter with this id: apply it as if the EHR had sent it again")
	fs.StringVar(&c.LogLevel, "log-level", "warn", "debug, info, warn or error")
	if err := f.parse(args); err != nil {
		return c, err
	}
	switch {
	case c.Replay < 0:
		return c, fmt.Errorf("-replay %d: a dead letter's id is a positive number, as the list shows it", c.Replay)
	case c.Replay > 0 && c.All:
		return c, errors.New("give -replay or -all, not both")
	}
	return c, nil
}

// runDeadLetters lists the webhook's dead letters (deliveries from the EHR that Doorway read
// but could not apply) or replays one. The list never shows a body: it holds PHI and stays
// sealed; a replay opens it with the session keys and applies it through the same path as the
// webhook (booking.Service.Replay), once.
func runDeadLetters(ctx context.Context, cfg deadLettersConfig, stdout io.Writer) error {
	if err := mustExist(cfg.DB, "-db"); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Replay == 0 {
		dl, err := store.NewDeadLetterStore(db) // listing opens no body: no key
		if err != nil {
			return err
		}
		return listDeadLetters(ctx, dl, cfg.All, stdout)
	}
	keys, err := storeKeys(ctx, db, cfg.serveConfig, false)
	if err != nil {
		return fmt.Errorf("dead-letters -replay: %w", err)
	}
	dl, err := store.NewDeadLetterStore(db, deadLetterSecrets(keys)...)
	if err != nil {
		return err
	}
	def, err := loadClinic(cfg.Clinic)
	if err != nil {
		return err
	}
	svc := booking.NewService(booking.Config{Clinic: &def.Clinic, Mirror: db, SlotCache: db, DeadLetters: dl,
		Logger: newLogger(cfg.LogLevel).With("component", "booking")})
	r, err := svc.Replay(ctx, cfg.Replay, redox.ParseInbound)
	if err != nil {
		return fmt.Errorf("dead letter %d not replayed: %s", cfg.Replay, explainError(err))
	}
	switch {
	case r.Slots > 0:
		fmt.Fprintf(stdout, "dead letter %d replayed: %d pushed slots stored\n", cfg.Replay, r.Slots)
	case r.Applied:
		fmt.Fprintf(stdout, "dead letter %d replayed: applied\n", cfg.Replay)
	default:
		fmt.Fprintf(stdout, "dead letter %d replayed: it had been applied already (the EHR sent it again), nothing changed\n", cfg.Replay)
	}
	return nil
}

// listDeadLetters prints one line per dead letter: id, when it came, its event type, the
// reason's class, the field at fault, when it was replayed, and the reason in words.
func listDeadLetters(ctx context.Context, dl *store.DeadLetterStore, all bool, stdout io.Writer) error {
	letters, err := dl.DeadLetters(ctx, all)
	if err != nil {
		return err
	}
	if len(letters) == 0 {
		fmt.Fprintln(stdout, "no dead letters waiting")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tRECEIVED\tEVENT\tREASON\tFIELD\tREPLAYED\tDETAIL")
	for _, d := range letters {
		replayed := "-"
		if !d.Replayed.IsZero() {
			replayed = d.Replayed.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Received.Format(time.RFC3339), orDash(d.Event),
			d.Reason(), orDash(d.Field), replayed, d.Detail)
	}
	return w.Flush()
}

// mustExist refuses a SQLite database file that is not there: store.Open would create an
// empty database at a mistyped path, and show nothing.
func mustExist(dsn, flag string) error {
	if store.IsPostgres(dsn) {
		return nil
	}
	if _, err := os.Stat(dsn); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// explainError says why a replay failed: the field and the reason for a domain error,
// the error itself otherwise.
func explainError(err error) string {
	if e, ok := errors.AsType[*booking.Error](err); ok && e.Code != booking.CodeInternal {
		if e.Field != "" {
			return e.Field + ": " + booking.DetailOf(err)
		}
		return booking.DetailOf(err)
	}
	return err.Error()
}
