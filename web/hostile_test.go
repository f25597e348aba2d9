package web

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// randomWord is n random upper-case letters: a valid HTTP method token, or a path segment.
func randomWord(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('A' + r.IntN(26))
	}
	return string(b)
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// TestHostileRequestsLeaveMetricsAndMemoryFlat sends 1,000 requests with made-up methods
// (some 64 KB long), random long paths, garbage cookies and request ids: /metrics keeps its
// labels to the known set and stays small, the heap does not grow with what was sent, and
// no log line carries more than a few hundred bytes of it.
func TestHostileRequestsLeaveMetricsAndMemoryFlat(t *testing.T) {
	var logs syncBuffer
	a := newApp(t, logTo(&logs))
	r := rand.New(rand.NewPCG(1, 2))
	a.get("/")
	before := heapInUse()
	for i := range 1000 {
		method := randomWord(r, 1+r.IntN(12))
		if i%50 == 0 {
			method = randomWord(r, 64<<10)
		}
		path := "/" + randomWord(r, 1+r.IntN(2000)) + "/" + randomWord(r, 8)
		req, _ := http.NewRequest(method, a.ts.URL+path, nil)
		req.Header.Set("Cookie", "doorway="+randomWord(r, 3000)+"; _csrf="+randomWord(r, 500))
		req.Header.Set("X-Request-Id", randomWord(r, 5000))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("request %d (%.20s %.40s): %d", i, method, path, res.StatusCode)
		}
	}
	grown := int64(heapInUse()) - int64(before)
	m := a.get("/metrics")
	if len(m.body) > 64<<10 {
		t.Errorf("/metrics is %d bytes after hostile requests", len(m.body))
	}
	for _, line := range strings.Split(m.body, "\n") {
		if strings.HasPrefix(line, "doorway_http_requests_total{") &&
			!strings.Contains(line, `method="GET"`) && !strings.Contains(line, `method="other"`) && !strings.Contains(line, `method="POST"`) {
			t.Errorf("an unbounded method label: %.200s", line)
		}
	}
	// 20 methods of 64 KB and 1,000 paths of up to 2 KB were sent: kept, they would be ~3 MB.
	if grown > 2<<20 {
		t.Errorf("the heap grew by %d KB over 1,000 hostile requests", grown>>10)
	}
	sc := bufio.NewScanner(bytes.NewReader(logs.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		if len(sc.Text()) > 1024 {
			t.Errorf("a %d-byte log line: %.200s", len(sc.Text()), sc.Text())
			break
		}
	}
}
