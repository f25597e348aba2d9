package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// browser is one headless Chromium tab for a test.
type browser struct {
	t    *testing.T
	ctx  context.Context
	shot int
	dir  string
}

// chromiumPath finds Debian's Chromium. Outside CI a missing browser skips the test; with
// CI=true it fails, so CI can never pass by running no browser test. Every browser test
// starts with it, so it also skips them in -short mode, as needBinary does the others.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e: browser test; skipped with -short")
	}
	for _, p := range []string{os.Getenv("DOORWAY_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium not found (CI=true): install Debian's chromium package (make browser-deps)")
	}
	t.Skip("Chromium not found; skipping browser test")
	return ""
}

// newBrowser starts Chromium with the flags this machine needs, a fresh profile, and the
// given viewport; jsOff turns JavaScript off for the tab before any navigation.
func newBrowser(t *testing.T, width, height int64, jsOff bool) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(int(width), int(height)),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first call starts the browser: no timeout on this context (it would stop Chromium).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if jsOff {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turn JavaScript off: %v", err)
		}
	}
	dir := filepath.Join(t.TempDir(), "screens")
	os.MkdirAll(dir, 0o755)
	if d := os.Getenv("DOORWAY_SCREENSHOTS"); d != "" {
		dir = filepath.Join(d, t.Name())
		os.MkdirAll(dir, 0o755)
	}
	return &browser{t: t, ctx: ctx, dir: dir}
}

// run runs actions with a per-step timeout derived from the already-started browser context.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs an action that makes the page navigate (a form submit) and waits for the new
// document, failing on a 5xx answer; without this a check could read the old page.
func (b *browser) navigate(what string, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.navigateWithin(what, 20*time.Second, action)
}

// navigateWithin is navigate with its own time limit: a staff sign-in checks a bcrypt hash
// of cost 12, which takes seconds in the race-enabled binary on a busy machine.
func (b *browser) navigateWithin(what string, within time.Duration, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, within)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp != nil && resp.Status >= 500 {
		b.t.Fatalf("%s: HTTP %d", what, resp.Status)
	}
}

// get runs one action that returns a value, with the same per-step timeout.
func get[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// screenshot saves a full-page PNG (quality 100 makes chromedp capture PNG) named after the step into the test's folder.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png := get(b, "screenshot "+name, chromedp.FullScreenshot(100))
	b.shot++
	f := filepath.Join(b.dir, fmt.Sprintf("%02d-%s.png", b.shot, name))
	if err := os.WriteFile(f, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	// The first screenful too: what a patient sees before scrolling.
	top := get(b, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.WriteFile(strings.TrimSuffix(f, ".png")+"-top.png", top, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// axeSource reads axe-core. It is required (a missing copy fails the test) under CI and
// when make named its folder (DOORWAY_AXE_DIR); a plain `go test` without it skips the
// accessibility check, and says so, rather than pass it unchecked.
func axeSource(t *testing.T) (src []byte, ok bool) {
	t.Helper()
	dir := os.Getenv("DOORWAY_AXE_DIR")
	required := dir != "" || os.Getenv("CI") == "true"
	if dir == "" {
		// make browser-deps installs it in the module root's .tools/; go test runs in e2e/.
		dir = filepath.Join("..", ".tools", "axe")
	}
	src, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	switch {
	case err == nil:
		return src, true
	case required:
		t.Fatalf("axe-core missing (run make browser-deps): %v", err)
	}
	t.Logf("axe-core missing (make browser-deps installs it): accessibility NOT checked: %v", err)
	return nil, false
}

// axeViolations runs axe-core (WCAG 2.0, 2.1 A and AA and 2.2 AA rules) on the current page.
// axe is injected through the DevTools protocol, where the page's CSP does not apply.
func (b *browser) axeViolations() []map[string]any {
	b.t.Helper()
	src, ok := axeSource(b.t)
	if !ok {
		return nil
	}
	b.run("inject axe", chromedp.Evaluate[chromedp.Void](string(src)))
	return get(b, "axe", chromedp.Evaluate[[]map[string]any](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})
	   .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))`,
		chromedp.EvalAwaitPromise))
}
