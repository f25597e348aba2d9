package e2e

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The one harness: the doorway binary (built by needBinary) run as a subprocess in each of
// its modes. A test starts what it needs, reads the URLs the process printed, and drives it
// over HTTP; the process is killed at the end of the test whatever happened.

// launch says where one doorway process listens and keeps its data; zero fields take defaults.
type launch struct {
	Addr string   // -addr; "" is 127.0.0.1:0, a free port
	DB   string   // -db; "" is a new file in t.TempDir()
	Args []string // more flags, after the harness's own: the later flag wins, so these override
}

// process is one doorway binary running as a subprocess.
type process struct {
	URL        string // the app's URL; for `doorway ehr`, the EHR's
	SandboxURL string // the embedded sandbox EHR's URL (demo mode only)
	DB         string // its -db file
	Log        string // the file its stderr (the slog lines, race reports, panics) goes to
	name       string // "serve" or "ehr", for messages
	cmd        *exec.Cmd
	done       chan struct{} // closed once it has exited and been waited for
	mu         sync.Mutex
	printed    []string // its stdout so far, line by line
}

// Printed is the line of the process's stdout that starts with prefix ("" when none yet).
func (p *process) Printed(prefix string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.printed {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// The start of the lines that carry the URLs on stdout: `doorway serve` prints
// "Doorway (<clinic>): http://...", the sandbox (embedded or alone) "sandbox EHR...: http://...".
const (
	bannerApp     = "Doorway"
	bannerSandbox = "sandbox EHR"
)

// webhookToken is the verification token of a real-Redox app started by startRedox; an EHR
// started by startEHR sends its notifications with it when given -webhooks webhooksTo(addr).
const webhookToken = "e2e-webhook-token"

var urlPattern = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// startDemo runs `doorway serve` in demo mode, as `go run .` does: the app and its embedded
// sandbox EHR (on a free port; its database, sandbox.db, beside the app's), with an empty
// schedule unless l.Args asks for -demo-busy.
func startDemo(t testing.TB, l launch) *process {
	t.Helper()
	// An empty schedule (no -demo-busy seeding): tests count on the clinic's open times.
	p, urls := start(t, "serve", l, []string{"-sandbox-addr", "127.0.0.1:0", "-demo-busy", "0"}, bannerSandbox, bannerApp)
	p.SandboxURL, p.URL = urls[0], urls[1]
	return p
}

// startEHR runs `doorway ehr`: the sandbox EHR alone, to stand in for the clinic's EHR.
func startEHR(t testing.TB, l launch) *process {
	t.Helper()
	p, urls := start(t, "ehr", l, nil, bannerSandbox)
	p.URL = urls[0]
	return p
}

// startRedox runs `doorway serve` in real-Redox mode against the Redox API at ehrURL (an EHR
// from startEHR, or a proxy in front of one), with the sandbox's demo credentials and
// webhookToken for inbound notifications.
func startRedox(t testing.TB, ehrURL string, l launch) *process {
	t.Helper()
	p, found := spawnRedox(t, ehrURL, l)
	p.URL = p.await(t, found)[0]
	return p
}

// spawnRedox starts what startRedox starts without waiting for it (see spawn).
func spawnRedox(t testing.TB, ehrURL string, l launch) (*process, <-chan []string) {
	t.Helper()
	return spawn(t, "serve", l, []string{"-redox-url", ehrURL, "-redox-client-id", "demo",
		"-redox-client-secret", "demo-secret", "-redox-destination-id", "sandbox", "-webhook-token", webhookToken}, bannerApp)
}

// webhooksTo is the -webhooks value that makes an EHR from startEHR notify the real-Redox app
// listening on appAddr. The addresses are picked first (freeAddr) because each process needs
// the other's.
func webhooksTo(appAddr string) string {
	return "http://" + appAddr + "/redox/webhook=" + webhookToken
}

// start runs `doorway command` with the harness's flags, then modeArgs, then l.Args, and waits
// until it has printed a URL on a line starting with each banner; it returns them in order.
func start(t testing.TB, command string, l launch, modeArgs []string, banners ...string) (*process, []string) {
	t.Helper()
	p, found := spawn(t, command, l, modeArgs, banners...)
	return p, p.await(t, found)
}

// spawn starts `doorway command` as start does and returns at once, with the channel on which
// its URLs arrive (closed if it exits first): several processes can then start together.
func spawn(t testing.TB, command string, l launch, modeArgs []string, banners ...string) (*process, <-chan []string) {
	t.Helper()
	bin := needBinary(t)
	dir := t.TempDir()
	p := &process{DB: l.DB, Log: filepath.Join(dir, command+".log"), name: command, done: make(chan struct{})}
	if p.DB == "" {
		p.DB = filepath.Join(dir, map[string]string{"serve": "doorway.db", "ehr": "ehr.db"}[command])
	}
	// Quiet by default: under load, info logs a line per request. A test wanting them passes
	// -log-level in l.Args.
	argv := append([]string{command, "-addr", cmp.Or(l.Addr, "127.0.0.1:0"), "-db", p.DB, "-log-level", "warn"}, modeArgs...)
	p.cmd = exec.Command(bin, append(argv, l.Args...)...)
	// PATH and HOME only: DOORWAY_* from the developer's shell must not change the app under test.
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	logFile, err := os.Create(p.Log)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close() // the child has its own descriptor once started
	p.cmd.Stderr = logFile
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan []string, 1)
	go p.watch(out, banners, found)
	t.Cleanup(func() { p.cleanup(t) })
	return p, found
}

// await waits up to 60 s for the URLs of a process from spawn.
func (p *process) await(t testing.TB, found <-chan []string) []string {
	t.Helper()
	select {
	case urls, ok := <-found:
		if !ok {
			t.Fatalf("doorway %s exited before printing its URLs; log:\n%s", p.name, tail(p.Log))
		}
		return urls
	case <-time.After(60 * time.Second):
		p.Kill()
		t.Fatalf("doorway %s did not print its URLs within 60 s; log:\n%s", p.name, tail(p.Log))
		return nil
	}
}

// watch reads the process's stdout to the end (a full pipe would block it), sends the URLs of
// the banners once all have printed, then waits for the process and closes done.
func (p *process) watch(out io.Reader, banners []string, found chan<- []string) {
	urls, missing := make([]string, len(banners)), len(banners)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		p.mu.Lock()
		p.printed = append(p.printed, sc.Text())
		p.mu.Unlock()
		for i, b := range banners {
			if u := urlPattern.FindString(sc.Text()); urls[i] == "" && u != "" && strings.HasPrefix(sc.Text(), b) {
				urls[i] = u
				if missing--; missing == 0 {
					found <- urls
				}
			}
		}
	}
	io.Copy(io.Discard, out)
	close(found)
	p.cmd.Wait()
	close(p.done)
}

// Kill sends SIGKILL, as a crash or the OOM killer would, and waits for the process to end.
func (p *process) Kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop asks for a graceful shutdown (SIGTERM, as a service manager sends) and waits up to
// 15 s. A hang or a non-zero exit (an error from run, or 66 when the race detector found a
// race) is a test error; ok reports a clean exit.
func (p *process) Stop(t testing.TB) (ok bool) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if !p.cmd.ProcessState.Success() {
			t.Errorf("doorway %s exited with %v; log:\n%s", p.name, p.cmd.ProcessState, tail(p.Log))
			return false
		}
		return true
	case <-time.After(15 * time.Second):
		p.Kill()
		t.Errorf("doorway %s did not shut down within 15 s; log:\n%s", p.name, tail(p.Log))
		return false
	}
}

// cleanup kills the process if it still runs, then fails the test on a race report or a
// panic in its log (in-process, those failed the test by themselves), and shows the end of
// the log when the test failed for another reason.
func (p *process) cleanup(t testing.TB) {
	p.Kill()
	b, _ := os.ReadFile(p.Log)
	for _, bad := range []string{"WARNING: DATA RACE", "panic: "} {
		if i := bytes.Index(b, []byte(bad)); i >= 0 {
			t.Errorf("doorway %s logged %q:\n%s", p.name, bad, b[i:min(len(b), i+4000)])
			return
		}
	}
	if t.Failed() {
		t.Logf("end of the log of doorway %s:\n%s", p.name, tail(p.Log))
	}
}

// sandboxDB is the embedded sandbox's database, which demo mode keeps beside the app's.
func (p *process) sandboxDB() string { return filepath.Join(filepath.Dir(p.DB), "sandbox.db") }

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	// Below Linux's ephemeral range (32768-60999), so no outgoing connection of this or any
	// other process can be given the port between its check here and the binary (or a
	// restarted EHR) binding it; only another listener choosing the same number could, and
	// the numbers are drawn at random.
	for range 100 {
		addr := fmt.Sprintf("127.0.0.1:%d", 20000+rand.IntN(12000))
		if ln, err := net.Listen("tcp", addr); err == nil {
			ln.Close()
			return addr
		}
	}
	t.Fatal("no free port below the ephemeral range")
	return ""
}

// blackHole listens on addr and accepts connections it never answers: an EHR that hangs.
// stop closes the listener and every connection.
func blackHole(t testing.TB, addr string) (stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	stop = sync.OnceFunc(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	t.Cleanup(stop)
	return stop
}

// tail is the end of a log file, for failure messages.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
