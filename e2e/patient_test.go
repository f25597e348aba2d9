package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// patient is one scripted patient: a browser of its own (a cookie jar, redirects not
// followed, the CSRF token read from each page's form) walking the real HTTP booking wizard.
// Its methods return errors rather than failing a test, so hundreds can run in goroutines;
// every response's status is counted in codes.
type patient struct {
	n      int // patient number: names and contact details are made from it
	base   string
	client *http.Client
	codes  *codeCounter
	csrf   string // the _csrf field of the last page with a form
}

// newPatient returns a patient of the app at base. Patients of one test share transport,
// so hundreds of them do not open thousands of connections.
func newPatient(n int, base string, transport http.RoundTripper, codes *codeCounter) *patient {
	jar, _ := cookiejar.New(nil)
	return &patient{n: n, base: base, codes: codes, client: &http.Client{
		Jar: jar, Transport: transport, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// patientTransport is a loopback transport with room for many idle connections.
func patientTransport() *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     30 * time.Second,
	}
}

// codeCounter counts response statuses by code, and remembers what answered 5xx.
type codeCounter struct {
	mu     sync.Mutex
	byCode map[int]int
	bad    []string // "POST /confirm: 500"
}

func newCodeCounter() *codeCounter { return &codeCounter{byCode: map[int]int{}} }

func (c *codeCounter) add(method, path string, code int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byCode[code]++
	if code >= 500 {
		c.bad = append(c.bad, fmt.Sprintf("%s %s: %d", method, path, code))
	}
}

// unexpected returns the counts of codes other than the wizard's own 200 and 303.
func (c *codeCounter) unexpected() map[int]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[int]int{}
	for code, n := range c.byCode {
		if code != http.StatusOK && code != http.StatusSeeOther {
			out[code] = n
		}
	}
	return out
}

func (c *codeCounter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	codes := make([]int, 0, len(c.byCode))
	for code := range c.byCode {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	var parts []string
	for _, code := range codes {
		parts = append(parts, fmt.Sprintf("%d×%d", code, c.byCode[code]))
	}
	return strings.Join(parts, " ")
}

// page is one response, its body parsed.
type page struct {
	method, path string
	status       int
	location     string // of a redirect
	doc          *goquery.Document
	size         int // the body's length in bytes
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int
}

func (c *counter) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += n
	return n, err
}

func (p *page) String() string { return fmt.Sprintf("%s %s: %d", p.method, p.path, p.status) }

// errStatus reports a response the script did not expect.
func errStatus(p *page, want string) error {
	msg := ""
	if p.doc != nil {
		msg = strings.Join(strings.Fields(p.doc.Find("main").Text()), " ")
		if len(msg) > 300 {
			msg = msg[:300]
		}
	}
	if p.location != "" {
		msg = "-> " + p.location
	}
	return fmt.Errorf("%v, want %s (%s)", p, want, msg)
}

func (pt *patient) do(method, path string, form url.Values) (*page, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, pt.base+path, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := pt.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	pt.codes.add(method, path, res.StatusCode)
	p := &page{method: method, path: path, status: res.StatusCode, location: res.Header.Get("Location")}
	read := &counter{r: res.Body}
	defer func() { p.size = read.n }()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = goquery.NewDocumentFromReader(read); err != nil {
			return nil, fmt.Errorf("%s %s: parse: %w", method, path, err)
		}
		if tok, ok := p.doc.Find("input[name=_csrf]").First().Attr("value"); ok && tok != "" {
			pt.csrf = tok
		}
	} else {
		io.Copy(io.Discard, read)
	}
	return p, nil
}

// get fetches path and wants 200.
func (pt *patient) get(path string) (*page, error) {
	p, err := pt.do(http.MethodGet, path, nil)
	if err == nil && p.status != http.StatusOK {
		err = errStatus(p, "200")
	}
	return p, err
}

// submit posts form to path as the page's form would (with its CSRF field) and wants a 303;
// it returns where the redirect goes.
func (pt *patient) submit(path string, form url.Values) (string, error) {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", pt.csrf)
	p, err := pt.do(http.MethodPost, path, form)
	if err != nil {
		return "", err
	}
	if p.status != http.StatusSeeOther {
		return "", errStatus(p, "303")
	}
	return p.location, nil
}
