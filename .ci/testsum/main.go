// Command testsum summarises `go test -json` output for CI: one line per package, the full
// output of every failed test (and of packages that failed to build or panicked), the skipped
// tests with their reasons, and which PostgreSQL tests ran. It exits non-zero when a test
// failed or when none of the PostgreSQL tests ran, so CI cannot pass on SQLite alone.
//
//	go test -json ./... > test.json; go run ./.ci/testsum test.json
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// event is one line of test2json output.
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
	Elapsed    float64
}

// postgresTests are the tests that need DOORWAY_TEST_PG: package, and test name prefix.
func postgresTests() [][2]string {
	return [][2]string{
		{"doorway/store/postgres", "TestStore/"},
		{"doorway/e2e", "TestTwoInstances"},
		{"doorway", "TestMigrateDB/postgres"},
	}
}

type summary struct {
	output   map[string][]string // package+"\x00"+test -> output lines
	results  map[string]string   // package+"\x00"+test -> pass, fail, skip
	packages []event             // package-level results, in order
	other    []string            // lines that were not JSON (build errors on stderr)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: testsum FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	s := summary{output: map[string][]string{}, results: map[string]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		s.add(sc.Text())
	}
	os.Exit(s.report())
}

func (s *summary) add(line string) {
	var e event
	if json.Unmarshal([]byte(line), &e) != nil || e.Action == "" {
		s.other = append(s.other, line)
		return
	}
	pkg := e.Package
	if pkg == "" {
		pkg = e.ImportPath
	}
	key := pkg + "\x00" + e.Test
	switch e.Action {
	case "output", "build-output":
		s.output[key] = append(s.output[key], e.Output)
	case "pass", "fail", "skip":
		s.results[key] = e.Action
		if e.Test == "" {
			e.Package = pkg
			s.packages = append(s.packages, e)
		}
	case "build-fail":
		s.results[key] = "fail"
	}
}

// report prints the summary and returns the exit code.
func (s *summary) report() int {
	code := 0
	for _, l := range s.other {
		fmt.Println(l)
	}
	for _, p := range s.packages {
		fmt.Printf("%-4s %-40s %6.1fs\n", map[string]string{"pass": "ok", "fail": "FAIL", "skip": "?"}[p.Action], p.Package, p.Elapsed)
	}
	var keys []string
	for k := range s.results {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	counts := map[string]int{}
	var skipped []string
	for _, k := range keys {
		pkg, test, _ := strings.Cut(k, "\x00")
		res := s.results[k]
		if test != "" {
			counts[res]++
		}
		switch {
		case res == "fail":
			code = 1
			fmt.Printf("\n=== FAIL %s %s\n%s", pkg, test, strings.Join(s.output[k], ""))
		case res == "skip" && test != "":
			skipped = append(skipped, fmt.Sprintf("  %s %s: %s", pkg, test, reason(s.output[k])))
		}
	}
	fmt.Printf("\ntests: %d passed, %d skipped, %d failed\n", counts["pass"], counts["skip"], counts["fail"])
	if len(skipped) > 0 {
		fmt.Printf("skipped:\n%s\n", strings.Join(skipped, "\n"))
	}
	if !s.reportPostgres() && code == 0 {
		code = 1
	}
	return code
}

// reportPostgres prints how many PostgreSQL tests passed and were skipped, and reports
// whether any ran at all.
func (s *summary) reportPostgres() bool {
	fmt.Println("PostgreSQL (DOORWAY_TEST_PG):")
	ran := false
	for _, pt := range postgresTests() {
		n := map[string]int{}
		for k, res := range s.results {
			pkg, test, _ := strings.Cut(k, "\x00")
			if pkg == pt[0] && strings.HasPrefix(test, pt[1]) {
				n[res]++
			}
		}
		fmt.Printf("  %s %s* (tests and subtests): %d passed, %d skipped, %d failed\n", pt[0], pt[1], n["pass"], n["skip"], n["fail"])
		ran = ran || n["pass"] > 0
	}
	if !ran {
		fmt.Println("  none of the PostgreSQL tests ran: is DOORWAY_TEST_PG set (make test sets it via .ci/pg.sh)?")
	}
	return ran
}

// reason is the last line a skipped test printed: its t.Skip message.
func reason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "---") && !strings.HasPrefix(l, "===") {
			return l
		}
	}
	return "(no reason given)"
}
