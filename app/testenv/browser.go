package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
)

// Browser is a headless Chromium for the test.
type Browser struct {
	root context.Context
}

// ChromiumPath finds the browser: MITWIRKEN_CHROMIUM, then Debian's
// /usr/bin/chromium, then chromium or google-chrome on PATH.
func ChromiumPath() (string, error) {
	if p := os.Getenv("MITWIRKEN_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("Chromium not found: `make test` installs Debian's chromium package; " +
		"otherwise install it (apt-get install chromium) or set MITWIRKEN_CHROMIUM")
}

// StartBrowser launches headless Chromium; it is closed when the test ends.
// A missing browser fails the test (never a silent skip).
func StartBrowser(t testing.TB) *Browser {
	t.Helper()
	path, err := ChromiumPath()
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
		// German first, as the platform's audience: pages are scanned in the
		// default language unless a test asks for another.
		chromedp.Flag("lang", "de-DE"),
		chromedp.Flag("accept-lang", "de-DE,de"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &Browser{root: root}
}

// Tab opens a tab in a fresh browser context (its own cookies, like a
// private window), closed when the test ends.
func (b *Browser) Tab(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

// LoginAs puts a session cookie for u into the tab.
func LoginAs(t testing.TB, ctx context.Context, a *App, u *app.User) {
	t.Helper()
	token, err := a.Platform.Auth.StartSession(context.Background(), u, "chromium")
	if err != nil {
		t.Fatalf("start session: %v", err)
	}
	setCookie(t, ctx, a, "mw_session", token)
}

// UseLanguage makes the tab ask for pages in lang ("de" or "en"), as the
// language switcher's cookie does.
func UseLanguage(t testing.TB, ctx context.Context, a *App, lang string) {
	t.Helper()
	setCookie(t, ctx, a, "mw_lang", lang)
}

func setCookie(t testing.TB, ctx context.Context, a *App, name, value string) {
	t.Helper()
	host := strings.TrimPrefix(a.URL, "http://")
	host = host[:strings.IndexByte(host, ':')]
	httpOnly := true
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{
			Name: name, Value: value, Domain: host, Path: "/", HTTPOnly: &httpOnly,
		})
		return err
	}))
	if err != nil {
		t.Fatalf("set cookie %s: %v", name, err)
	}
}

// PageHTML is the document as the tab shows it now, with its doctype, for
// the HTML checker.
func PageHTML(t testing.TB, ctx context.Context) string {
	t.Helper()
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + "\n" : "") + document.documentElement.outerHTML`))
	if err != nil {
		t.Fatalf("read page: %v", err)
	}
	return html
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript reads axe-core from node_modules (installed by `make test` from
// package.json, pinned by package-lock.json).
func axeScript() (string, error) {
	axeOnce.Do(func() {
		p, err := findNodeModule(filepath.Join("axe-core", "axe.min.js"))
		if err != nil {
			axeErr = err
			return
		}
		b, err := os.ReadFile(p)
		axeSource, axeErr = string(b), err
	})
	return axeSource, axeErr
}

// AxeViolation is one rule axe-core found broken.
type AxeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// Axe runs axe-core with the WCAG 2.1 A and AA rules on the page currently
// shown in the tab and returns the violations.
func Axe(ctx context.Context) ([]AxeViolation, error) {
	src, err := axeScript()
	if err != nil {
		return nil, err
	}
	run := `(async () => {
		const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']});
		return JSON.stringify(r.violations);
	})()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return nil, err
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	var out []AxeViolation
	return out, json.Unmarshal([]byte(raw), &out)
}

// CheckAxe navigates to url and fails the test on any WCAG 2.1 AA violation.
func CheckAxe(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
	ReportAxe(t, tctx, url)
}

// ReportAxe scans the page as it is now (after interactions) and reports.
func ReportAxe(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	violations, err := Axe(ctx)
	if err != nil {
		t.Fatalf("axe on %s: %v", label, err)
	}
	for _, v := range violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("%v %s", n.Target, n.HTML))
		}
		t.Errorf("%s: axe %s (%s): %s\n    %s", label, v.ID, v.Impact, v.Help, strings.Join(nodes, "\n    "))
	}
}
