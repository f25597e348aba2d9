package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestStaffCommand adds accounts (the password read from standard input, never a flag), lists
// and disables them, and refuses what is wrong with a sentence.
func TestStaffCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "doorway.db")
	staff := func(stdin string, args ...string) (string, error) {
		staffIn = strings.NewReader(stdin)
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"staff"}, args...), func(string) string { return "" }, &out)
		return out.String(), err
	}
	if out, err := staff("correct horse battery\n", "add", "-db", db, "-email", "Ada@Clinic.example", "-name", "Ada Lovelace", "-role", "admin"); err != nil || !strings.Contains(out, "ada@clinic.example") {
		t.Fatalf("add: %q %v", out, err)
	}
	for name, tc := range map[string]struct {
		stdin string
		args  []string
		want  string
	}{
		"short password":  {"short\n", []string{"add", "-db", db, "-email", "bo@clinic.example", "-name", "Bo"}, "at least 10"},
		"long password":   {strings.Repeat("x", 73) + "\n", []string{"add", "-db", db, "-email", "bo@clinic.example", "-name", "Bo"}, "72 bytes"},
		"taken email":     {"correct horse battery\n", []string{"add", "-db", db, "-email", "ADA@clinic.example", "-name", "Ada"}, "exists already"},
		"unknown role":    {"", []string{"add", "-db", db, "-email", "c@clinic.example", "-name", "C", "-role", "boss"}, "desk or admin"},
		"no email":        {"", []string{"disable", "-db", db}, "-email is required"},
		"unknown account": {"", []string{"disable", "-db", db, "-email", "nobody@clinic.example"}, "no such staff account"},
		"password flag":   {"", []string{"add", "-db", db, "-email", "d@clinic.example", "-name", "D", "-password", "x"}, "password"},
		"no action":       {"", nil, "add, list, disable or enable"},
	} {
		if out, err := staff(tc.stdin, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %q %v, want an error saying %q", name, out, err, tc.want)
		}
	}
	if out, err := staff("", "disable", "-db", db, "-email", "ada@clinic.example"); err != nil || !strings.Contains(out, "disabled") {
		t.Errorf("disable: %q %v", out, err)
	}
	out, err := staff("", "list", "-db", db)
	if err != nil || !strings.Contains(out, "ada@clinic.example") || !strings.Contains(out, "admin") || !strings.Contains(out, "disabled") || strings.Contains(out, "$2a$") {
		t.Errorf("list:\n%s%v", out, err)
	}
}

// The demo account's stored hash is the printed password's, at the cost real accounts get.
func TestDemoStaffHash(t *testing.T) {
	if cost, err := bcrypt.Cost([]byte(demoStaffHash)); err != nil || cost != 12 {
		t.Errorf("cost %d, %v; want 12", cost, err)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(demoStaffHash), []byte(demoStaffPassword)); err != nil {
		t.Errorf("the demo hash does not match the printed password: %v", err)
	}
}
