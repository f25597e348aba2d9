package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ceilingConcurrency is how many requests are in flight at once against either server.
const ceilingConcurrency = 8

// BenchmarkTimesPageCeiling compares the open-times page served by Doorway in demo mode (the
// built binary, its sandbox EHR on loopback, a patient's default search: the week at a
// glance) with the ceiling on this machine: a bare net/http handler, in a process of its own,
// serving the same page's exact bytes. Both are loaded alternately in four rounds by the same
// client, ceilingConcurrency requests at a time over kept-alive connections, b.N requests
// each. It reports both rates and Doorway's as a percentage of the ceiling (the target is at
// least 25%; docs/PERFORMANCE.md has the figures). Run it without -race:
//
//	go test -run '^$' -bench TimesPageCeiling -benchtime 20000x -count 3 ./e2e/
func BenchmarkTimesPageCeiling(b *testing.B) {
	app := startDemo(b, launch{})
	tr := patientTransport()
	tr.MaxIdleConnsPerHost = ceilingConcurrency
	defer tr.CloseIdleConnections()
	p := newPatient(1, app.URL, tr, newCodeCounter())
	if err := p.begin(); err != nil {
		b.Fatal(err)
	}
	page, cookies := pageBytes(b, p, app.URL+"/times")
	if !strings.Contains(string(page), `data-testid="week"`) {
		b.Fatal("the times page shows no week")
	}
	file := filepath.Join(b.TempDir(), "times.html")
	if err := os.WriteFile(file, page, 0o600); err != nil {
		b.Fatal(err)
	}
	bare := startBare(b, file)

	client := &http.Client{Transport: tr}
	load := func(url string, n int) time.Duration {
		var next atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range ceilingConcurrency {
			wg.Go(func() {
				for next.Add(1) <= int64(n) {
					req, _ := http.NewRequest(http.MethodGet, url, nil)
					req.Header.Set("Cookie", cookies)
					res, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					got, _ := io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK || got < int64(len(page))/2 {
						b.Errorf("GET %s: %d, %d bytes", url, res.StatusCode, got)
						return
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	load(app.URL+"/times", 50) // warm both up: connections, caches
	load(bare+"/times", 50)
	var inDoorway, inBare time.Duration
	b.ResetTimer()
	for round := range 4 {
		n := b.N / 4
		if round == 3 {
			n = b.N - 3*(b.N/4)
		}
		inDoorway += load(app.URL+"/times", n)
		inBare += load(bare+"/times", n)
	}
	b.StopTimer()
	doorway, ceiling := float64(b.N)/inDoorway.Seconds(), float64(b.N)/inBare.Seconds()
	b.ReportMetric(doorway, "doorway-req/s")
	b.ReportMetric(ceiling, "bare-req/s")
	b.ReportMetric(100*doorway/ceiling, "%-of-ceiling")
	b.ReportMetric(float64(len(page)), "page-bytes")
}

// pageBytes fetches url as patient p and returns the body and the Cookie header it sent.
func pageBytes(tb testing.TB, p *patient, url string) ([]byte, string) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	res, err := p.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	var parts []string
	for _, c := range p.client.Jar.Cookies(req.URL) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return body, strings.Join(parts, "; ")
}

// startBare runs this test binary again as the bare server (TestBareServer) serving file, and
// returns its URL; it stops at the end of the benchmark.
func startBare(tb testing.TB, file string) string {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestBareServer$")
	cmd.Env = append(os.Environ(), "DOORWAY_BARE_PAGE="+file)
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if url, ok := strings.CutPrefix(lines.Text(), "bare: "); ok {
			go io.Copy(io.Discard, out)
			return url
		}
	}
	tb.Fatal("the bare server did not start")
	return ""
}

// TestBareServer is the bare server of BenchmarkTimesPageCeiling when DOORWAY_BARE_PAGE names
// a file (it skips otherwise): a net/http handler writing that file's bytes as text/html,
// until killed.
func TestBareServer(t *testing.T) {
	file := os.Getenv("DOORWAY_BARE_PAGE")
	if file == "" {
		t.Skip("the bare server of BenchmarkTimesPageCeiling; runs only as its subprocess")
	}
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("bare: http://%s\n", l.Addr())
	http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
}
