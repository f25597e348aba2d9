package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// app is a Doorway started in-process exactly as `go run .` starts it, on free loopback ports.
type app struct {
	URL, SandboxURL string
	DB              string // the app's database file
	stop            func() error
}

// startApp runs `doorway serve` with extra args and waits for it to print its URLs.
func startApp(t *testing.T, args ...string) *app {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	argv := append([]string{"serve", "-addr", "127.0.0.1:0", "-sandbox-addr", "127.0.0.1:0",
		"-db", filepath.Join(dir, "doorway.db"), "-log-level", "warn"}, args...)
	go func() { done <- run(ctx, argv, func(string) string { return "" }, pw); pw.Close() }()
	a := &app{DB: filepath.Join(dir, "doorway.db")}
	urlRe := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	sc := bufio.NewScanner(pr)
	deadline := time.AfterFunc(30*time.Second, func() { pw.CloseWithError(io.ErrUnexpectedEOF) })
	for (a.URL == "" || a.SandboxURL == "") && sc.Scan() {
		line := sc.Text()
		switch u := urlRe.FindString(line); {
		case u == "":
		case strings.HasPrefix(line, "sandbox"):
			a.SandboxURL = u
		default:
			a.URL = u
		}
	}
	deadline.Stop()
	go io.Copy(io.Discard, pr)
	if a.URL == "" {
		cancel()
		t.Fatalf("doorway did not print its URLs: %v", <-done)
	}
	var once bool
	a.stop = func() error {
		if once {
			return nil
		}
		once = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			t.Error("doorway did not shut down within 15 s")
			return nil
		}
	}
	t.Cleanup(func() { a.stop() })
	return a
}

func TestServeStartsBothAndShutsDown(t *testing.T) {
	a := startApp(t)
	for _, u := range []string{a.URL + "/healthz", a.SandboxURL + "/healthz", a.URL + "/"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", u, resp.StatusCode)
		}
	}
	if err := a.stop(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(serveConfig) bool
	}{
		{name: "defaults are the demo clinic", check: func(c serveConfig) bool {
			return c.demo() && c.Addr == "127.0.0.1:8080" && c.SandboxAddr == "127.0.0.1:8081" && c.WebhookToken == "demo-webhook-token"
		}},
		{name: "env twin sets a flag", env: map[string]string{"DOORWAY_ADDR": "127.0.0.1:9999"},
			check: func(c serveConfig) bool { return c.Addr == "127.0.0.1:9999" }},
		{name: "flag beats env", args: []string{"-addr", "127.0.0.1:7000"}, env: map[string]string{"DOORWAY_ADDR": "127.0.0.1:9999"},
			check: func(c serveConfig) bool { return c.Addr == "127.0.0.1:7000" }},
		{name: "real Redox without webhook token refuses", args: []string{"-redox-client-id", "x", "-redox-client-secret", "s", "-redox-destination-id", "d"},
			wantErr: "webhook-token"},
		{name: "real Redox without destination refuses", env: map[string]string{"DOORWAY_REDOX_CLIENT_ID": "x", "DOORWAY_REDOX_CLIENT_SECRET": "s", "DOORWAY_WEBHOOK_TOKEN": "t"},
			wantErr: "destination"},
		{name: "client id needs a key", args: []string{"-redox-client-id", "x", "-webhook-token", "t", "-redox-destination-id", "d"},
			wantErr: "key-file"},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: "nope"},
		{name: "bad env value", env: map[string]string{"DOORWAY_HOLD": "soon"}, wantErr: "DOORWAY_HOLD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseServeConfig(tt.args, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("config %+v does not hold", c)
			}
		})
	}
}

func TestSessionKeysGeneratedOnceAndParsed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.keys")
	k1, err := sessionKeys("", file)
	if err != nil || len(k1) != 2 {
		t.Fatalf("generate: %v, %d keys", err, len(k1))
	}
	k2, err := sessionKeys("", file)
	if err != nil || string(k1[0]) != string(k2[0]) {
		t.Fatalf("second read gave other keys (%v)", err)
	}
	if _, err := sessionKeys("zz", file); err == nil {
		t.Error("bad hex accepted")
	}
	if _, err := sessionKeys(strings.Repeat("ab", 32), file); err == nil {
		t.Error("odd number of keys accepted")
	}
}
