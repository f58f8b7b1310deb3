package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// BenchmarkPageCacheVsStatic is the reader benchmark of issue 16: the
// chapter page with 500 comments for readers without a session, from the
// real server over HTTP, against a static file server (net/http FileServer)
// delivering the same bytes, and against an instance with the page cache
// off. The same client (cmd/httpload, 10 keep-alive connections) loads each
// in turn for MITWIRKEN_BENCH_SECONDS (default 5), MITWIRKEN_BENCH_ROUNDS
// rounds (default 3), so that the rates are measured side by side. Then it
// times how long a new comment on one instance takes to reach readers of
// another. Target: cached ≥ 25 % of static. Run: .ci/bench pagecache.
func BenchmarkPageCacheVsStatic(b *testing.B) {
	seconds := envInt(b, "MITWIRKEN_BENCH_SECONDS", 5)
	rounds := envInt(b, "MITWIRKEN_BENCH_ROUNDS", 3)
	a := testenv.StartApp(b, testenv.WithoutSMTP())
	other, uncached := a, a
	if testenv.Postgres() {
		other = testenv.StartApp(b, testenv.WithoutSMTP(), testenv.WithDatabase(a.DatabaseURL))
		uncached = testenv.StartApp(b, testenv.WithoutSMTP(), testenv.WithDatabase(a.DatabaseURL),
			testenv.WithConfig(func(c *platform.Config) { c.PageCacheSize = "0" }))
		for !(a.Platform.Hub.Listening() && other.Platform.Hub.Listening()) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	big := seedBigChapter(b, a, "lesen", 500)
	path := "/entwurf/" + big.slug
	page := anonymousPage(b, a.URL+path)
	if got := anonymousPage(b, uncached.URL+path); got.Header.Get("X-Page-Cache") != "" && uncached != a {
		b.Fatal("the instance without page cache answered from a cache")
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kapitel.html"), page.body, 0o644); err != nil {
		b.Fatal(err)
	}
	static := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer static.Close()
	load := buildHTTPLoad(b)

	targets := []struct{ name, url string }{
		{"static file server", static.URL + "/kapitel.html"},
		{"page cache", a.URL + path},
		{"no page cache", uncached.URL + path},
	}
	rates := make([][]float64, len(targets))
	var ratios []float64
	fmt.Printf("chapter page, 500 comments, %d KiB, readers without a session, 10 connections, %d s per run\n", len(page.body)/1024, seconds)
	for r := 1; r <= rounds; r++ {
		for i, tg := range targets {
			res := runHTTPLoad(b, load, tg.url, seconds)
			rates[i] = append(rates[i], res.PerSecond)
			fmt.Printf("round %d  %-20s %9.0f requests/s  (%d errors, %d bytes each, load %s)\n", r, tg.name, res.PerSecond, res.Errors, res.Bytes, loadAverage())
		}
		ratios = append(ratios, rates[1][r-1]/rates[0][r-1]*100)
	}
	fmt.Printf("median: static %.0f/s, page cache %.0f/s, no page cache %.0f/s\n", median(rates[0]), median(rates[1]), median(rates[2]))
	fmt.Printf("page cache / static: %.1f %% (median of rounds %s; target ≥ 25 %%); page cache / no cache: %.0f×\n",
		median(ratios), percents(ratios), median(rates[1])/median(rates[2]))

	// A new comment on instance A, read by readers of instance B.
	ch, err := a.Store.ChapterBySlug(context.Background(), big.slug)
	if err != nil {
		b.Fatal(err)
	}
	var worst time.Duration
	for i := 0; i < 5; i++ {
		anonymousPage(b, other.URL+path) // cached before the change
		text := fmt.Sprintf("Neuer Beitrag %d für die Messung der Verteilung", i)
		author := testenv.CreateUser(b, a.Store, fmt.Sprintf("leserin-%d@example.org", i), fmt.Sprintf("Leserin %d", i), app.RoleCitizen)
		if _, err := a.Platform.Draft.Comment(context.Background(), author, ch.ID, draft.CommentInput{Body: text}); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for !strings.Contains(string(anonymousPage(b, other.URL+path).body), text) {
			if time.Since(start) > 30*time.Second {
				b.Fatal("the new comment did not reach the other instance")
			}
			time.Sleep(time.Millisecond)
		}
		worst = max(worst, time.Since(start))
	}
	where := "the other instance"
	if other == a {
		where = "the same instance (SQLite)"
	}
	fmt.Printf("a new comment reached readers of %s after at most %v (5 comments; target < 1 s)\n", where, worst.Round(100*time.Microsecond))
	b.ReportMetric(median(ratios), "%static")
	b.ReportMetric(median(rates[1]), "cached/s")
}

type fetched struct {
	body   []byte
	Header http.Header
}

func anonymousPage(tb testing.TB, url string) fetched {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return fetched{body: body, Header: resp.Header}
}

func buildHTTPLoad(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "httpload")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/httpload").CombinedOutput(); err != nil {
		tb.Fatalf("build cmd/httpload: %v\n%s", err, out)
	}
	return bin
}

type httpLoadResult struct {
	Requests  int64   `json:"requests"`
	Errors    int64   `json:"errors"`
	PerSecond float64 `json:"per_second"`
	Bytes     int64   `json:"bytes_per_response"`
}

func runHTTPLoad(tb testing.TB, bin, url string, seconds int) httpLoadResult {
	tb.Helper()
	out, err := exec.Command(bin, "-url", url, "-c", "10", "-d", strconv.Itoa(seconds)+"s").Output()
	if err != nil {
		tb.Fatalf("httpload %s: %v", url, err)
	}
	var res httpLoadResult
	if err := json.Unmarshal(out, &res); err != nil {
		tb.Fatalf("httpload: %v: %s", err, out)
	}
	return res
}

func envInt(tb testing.TB, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			tb.Fatalf("%s=%q", name, v)
		}
		return n
	}
	return def
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func percents(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.1f %%", x)
	}
	return strings.Join(parts, ", ")
}
