package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Running Doorway for the integrity and load tests: in-process (run) for `doorway serve` in
// real-Redox mode and `doorway ehr`, which startApp (main_test.go) does not cover, and as a
// built binary in a subprocess for the SIGKILL test.

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
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

// startInProcess runs `doorway argv...` in-process (like startApp, which waits for the
// sandbox's line too and so cannot start a real-Redox app or the EHR alone) until the line
// starting with banner prints its URL. stop cancels it and waits for its graceful shutdown.
func startInProcess(t testing.TB, banner string, argv ...string) (url string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, argv, func(string) string { return "" }, pw); pw.Close() }()
	timer := time.AfterFunc(30*time.Second, func() { pw.CloseWithError(io.ErrUnexpectedEOF) })
	sc := bufio.NewScanner(pr)
	for url == "" && sc.Scan() {
		if strings.HasPrefix(sc.Text(), banner) {
			url = urlPattern.FindString(sc.Text())
		}
	}
	timer.Stop()
	go io.Copy(io.Discard, pr)
	if url == "" {
		cancel()
		t.Fatalf("%s did not print its URL: %v", banner, <-done)
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(15 * time.Second):
				err = fmt.Errorf("%s did not shut down within 15 s", banner)
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return url, stop
}

var urlPattern = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// buildDoorway builds the doorway binary into a temporary directory, with the race detector
// when the tests have it (the build then reuses the packages go test compiled).
func buildDoorway(t testing.TB) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go not found: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "doorway")
	args := []string{"build", "-o", bin}
	if raceEnabled() {
		args = append(args, "-race")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, goBin, append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// raceEnabled reports whether this test binary was built with -race.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	return ok && slices.ContainsFunc(info.Settings, func(s debug.BuildSetting) bool { return s.Key == "-race" && s.Value == "true" })
}

// process is a doorway binary running as a subprocess.
type process struct {
	cmd  *exec.Cmd
	url  string
	log  string
	done chan struct{}
}

// startBinary runs bin with args, its stderr in logFile, and waits for the app's URL. The
// process is killed at the end of the test if still running.
func startBinary(t testing.TB, bin, logFile string, args ...string) *process {
	t.Helper()
	f, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cmd := exec.Command(bin, args...)
	cmd.Stderr = f
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, log: logFile, done: make(chan struct{})}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "Doorway") {
				lines <- sc.Text()
			}
		}
		close(lines)
		cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.kill)
	select {
	case line, ok := <-lines:
		if p.url = urlPattern.FindString(line); !ok || p.url == "" {
			p.kill()
			t.Fatalf("doorway did not start; log:\n%s", tail(logFile))
		}
	case <-time.After(60 * time.Second):
		p.kill()
		t.Fatalf("doorway did not start within 60 s; log:\n%s", tail(logFile))
	}
	go func() {
		for range lines {
		}
	}()
	return p
}

// kill sends SIGKILL and waits for the process to end.
func (p *process) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop asks for a graceful shutdown (SIGTERM) and waits up to 15 s for it.
func (p *process) stop(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.cmd.ProcessState != nil && !p.cmd.ProcessState.Success() {
			t.Errorf("doorway exited with %v; log:\n%s", p.cmd.ProcessState, tail(p.log))
		}
	case <-time.After(15 * time.Second):
		p.kill()
		t.Errorf("doorway did not shut down within 15 s")
	}
}

// tail is the end of a log file, for failure messages.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
