package web_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// BenchmarkLoginBurst: 40 people log in through the form at the same moment
// (a registration opening at a fixed hour), against one instance with the
// production pool of 20 connections. It reports the logins per second and
// the process's peak resident memory during the burst (VmHWM, reset before
// each burst), which the password checks' 19 MiB each dominate.
// Run: .ci/bench auth
func BenchmarkLoginBurst(b *testing.B) {
	const people = 40
	a := testenv.StartApp(b, testenv.WithoutSMTP(), testenv.WithConfig(func(c *platform.Config) {
		c.DBMaxConns = 20 // the production default (MITWIRKEN_DB_MAX_CONNS)
	}))
	emails := make([]string, people)
	for i := range emails {
		emails[i] = fmt.Sprintf("burst%02d@example.org", i)
		a.CreateUser(b, emails[i], fmt.Sprintf("Burst %d", i), app.RoleCitizen)
	}
	var peakMiB, rate float64
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		clients := make([]*testenv.Client, people)
		for i := range clients {
			clients[i] = a.Client(b)
		}
		runtime.GC()
		resetPeakRSS(b)
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for i := range clients {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if res := clients[i].Login(emails[i], testenv.DefaultPassword); res.Status != 200 || clients[i].Cookie("mw_session") == "" {
					b.Errorf("login %d: %d", i, res.Status)
				}
			}(i)
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		peak := float64(peakRSS(b)) / (1 << 20)
		fmt.Printf("login burst: %d logins at once in %.2f s (%.0f/s), peak RSS of the process %.0f MiB, GOMAXPROCS %d\n",
			people, elapsed.Seconds(), people/elapsed.Seconds(), peak, runtime.GOMAXPROCS(0))
		peakMiB = max(peakMiB, peak)
		rate += people / elapsed.Seconds()
		b.StartTimer()
	}
	b.ReportMetric(peakMiB, "peak-RSS-MiB")
	b.ReportMetric(rate/float64(b.N), "logins/s")
}

// resetPeakRSS starts VmHWM anew (Linux: writing 5 to clear_refs).
func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Fatalf("reset the peak RSS: %v", err)
	}
}

// peakRSS is VmHWM of this process in bytes.
func peakRSS(b *testing.B) uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
