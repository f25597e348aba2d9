package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"doorway/booking"
	"doorway/store"
	"doorway/views/i18n"
)

// staffIn is where `doorway staff add` reads the password: standard input (tests swap it).
var staffIn io.Reader = os.Stdin

// staffConfig is `doorway staff add|list|disable`'s configuration.
type staffConfig struct {
	Action         string // add, list, disable, enable
	DB             string
	Email, Name    string
	Role, Location string
}

func parseStaffConfig(args []string, getenv func(string) string) (staffConfig, error) {
	var c staffConfig
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return c, errors.New("doorway staff: say add, list, disable or enable (doorway staff add -email E -name N -role desk)")
	}
	c.Action, args = args[0], args[1:]
	f := newFlags("doorway staff "+c.Action, getenv)
	fs := f.fs
	fs.StringVar(&c.DB, "db", "./data/doorway.db", "the database doorway serve uses: its SQLite file, or its postgres:// URL")
	switch c.Action {
	case "add":
		fs.StringVar(&c.Email, "email", "", "the staff member's email: the sign-in name")
		fs.StringVar(&c.Name, "name", "", "the staff member's name, as the desk shows it")
		fs.StringVar(&c.Role, "role", booking.RoleDesk, "desk (books and acts for patients) or admin (also overrides rules, reads the audit log)")
		fs.StringVar(&c.Location, "location", "", "the clinic location id the desk opens on (default: the first)")
	case "disable", "enable":
		fs.StringVar(&c.Email, "email", "", "the staff member's email")
	case "list":
	default:
		return c, fmt.Errorf("doorway staff %s: say add, list, disable or enable", c.Action)
	}
	if err := f.parse(args); err != nil {
		return c, err
	}
	switch {
	case c.Action != "list" && strings.TrimSpace(c.Email) == "":
		return c, fmt.Errorf("doorway staff %s: -email is required", c.Action)
	case c.Action == "add" && strings.TrimSpace(c.Name) == "":
		return c, errors.New("doorway staff add: -name is required")
	case c.Action == "add" && c.Role != booking.RoleDesk && c.Role != booking.RoleAdmin:
		return c, fmt.Errorf("doorway staff add: -role %q: want desk or admin", c.Role)
	}
	return c, nil
}

// runStaff manages staff accounts. The password of a new account is read from standard input
// (asked for without echo on a terminal), never from a flag, which would leave it in the
// shell's history and the process list.
func runStaff(ctx context.Context, cfg staffConfig, stdout io.Writer) error {
	if cfg.Action != "add" {
		if err := mustExist(cfg.DB, "-db"); err != nil {
			return err
		}
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	switch cfg.Action {
	case "add":
		pw, err := readPassword(stdout)
		if err != nil {
			return err
		}
		hash, err := booking.HashPassword(pw)
		if err != nil {
			return fmt.Errorf("the password: %s", words(err))
		}
		st, err := db.AddStaff(ctx, booking.Staff{Email: cfg.Email, Name: strings.TrimSpace(cfg.Name), Role: cfg.Role,
			Location: cfg.Location, CreatedAt: time.Now()}, hash)
		if err != nil {
			return fmt.Errorf("%s: %s", cfg.Email, words(err))
		}
		fmt.Fprintf(stdout, "added %s (%s) as %s\n", st.Email, st.Name, st.Role)
	case "disable", "enable":
		if err := db.SetStaffDisabled(ctx, cfg.Email, cfg.Action == "disable"); err != nil {
			return fmt.Errorf("%s: %s", cfg.Email, words(err))
		}
		fmt.Fprintf(stdout, "%sd %s\n", cfg.Action, booking.NormalizeEmail(cfg.Email))
	case "list":
		list, err := db.ListStaff(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "EMAIL\tNAME\tROLE\tLOCATION\tSTATE")
		for _, s := range list {
			state := "active"
			if s.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", s.Email, s.Name, s.Role, orDash(s.Location), state)
		}
		return w.Flush()
	}
	return nil
}

// readPassword reads a new password: twice, without echo, from a terminal; else the first
// line of standard input.
func readPassword(prompt io.Writer) (string, error) {
	if f, ok := staffIn.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		fmt.Fprint(prompt, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(staffIn).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// words is an error as the operator reads it: the English sentence when it names one.
func words(err error) string {
	if msg := booking.MsgOf(err); msg != "" {
		if s, ok := englishProblem(msg); ok {
			return s
		}
	}
	return err.Error()
}

// englishProblem is the English sentence of a domain message.
func englishProblem(m booking.Msg) (string, bool) {
	s, ok := i18n.English.Problems[m]
	return s, ok
}
