package web_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// The open-loop rush (issue 16): people arrive at a fixed rate, as they do
// when the registration opens, whether or not the server kept up. Each
// arrival's latency counts from its scheduled time, not from when a busy
// client got round to sending it, so a slow server cannot hide its queue
// (coordinated omission).

// openLoopFractions are the arrival rates as parts of the closed-loop
// capacity.
var openLoopFractions = []float64{0.25, 0.50, 0.75}

// openLoopArrivals is how many people arrive at a rate: about 10 s of
// arrivals, at least 500 for a p99, at most everyone.
func openLoopArrivals(rate float64, people int) int {
	return min(max(int(rate*10), 500), people)
}

type tail struct{ p50, p99 time.Duration }

func tailOf(lat []time.Duration) tail {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))] }
	return tail{p(0.50), p(0.99)}
}

// openLoopApp lets people arrive at rate per second for a fresh event and
// checks the rush's invariants afterwards.
func openLoopApp(b *testing.B, a *testenv.App, people []rushUser, capacity int, api *apiClient, rate float64) tail {
	ev := createEvent(b, a, func(in *app.EventInput) { in.Capacity = app.N(capacity) })
	url := a.URL + "/api/v1/events/" + itoa(ev.ID) + "/registrations"
	n := openLoopArrivals(rate, len(people))
	lat, statuses := make([]time.Duration, n), make([]int, n)
	mailsBefore := lastOutboxID(b, a)
	start := time.Now().Add(50 * time.Millisecond)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, body, err := api.do(http.MethodPost, url, people[i].Token, map[string]any{})
			lat[i], statuses[i] = time.Since(at), st
			if err != nil || st != http.StatusCreated {
				b.Errorf("user %d: %d %s %v", i, st, body, err)
			}
		}()
	}
	wg.Wait()
	checkRushInvariants(b, a, ev.ID, n, capacity, statuses)
	checkOneMailEach(b, a, mailsBefore, n, capacity)
	return tailOf(lat)
}

// openLoopPgbench is the same for pgbench --rate: with a rate, the time its
// per-transaction log gives counts from the scheduled start (the lag behind
// the schedule included, pgbench.c processXactStats).
func openLoopPgbench(b *testing.B, a *testenv.App, people []rushUser, capacity int, rate float64) tail {
	clients := min(50, freeConnections(b, a))
	n := openLoopArrivals(rate, len(people)) / clients * clients
	_, vars := pgbenchEvent(b, a, people, capacity, clients)
	dir := b.TempDir()
	runPgbench(b, a, append(vars, "-c", strconv.Itoa(clients), "-t", strconv.Itoa(n/clients),
		"--rate", strconv.FormatFloat(rate, 'f', 1, 64), "-l", "--log-prefix", filepath.Join(dir, "tx"))...)
	logs, _ := filepath.Glob(filepath.Join(dir, "tx*"))
	var lat []time.Duration
	for _, path := range logs {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// client_id transaction_no time script_no time_epoch time_us schedule_lag
			fields := strings.Fields(sc.Text())
			if len(fields) < 7 {
				continue
			}
			us, _ := strconv.ParseInt(fields[2], 10, 64)
			lat = append(lat, time.Duration(us)*time.Microsecond)
		}
		f.Close()
	}
	if len(lat) != n {
		b.Fatalf("pgbench logged %d of %d transactions", len(lat), n)
	}
	return tailOf(lat)
}

// openLoopTable prints p50/p99 at each fraction of the closed-loop
// capacities of the app and of pgbench.
func openLoopTable(b *testing.B, a *testenv.App, people []rushUser, capacity int, api *apiClient, appRate, pgRate float64) {
	fmt.Fprintf(os.Stdout, "  open loop (fixed arrival rate, latency from the scheduled arrival):\n")
	fmt.Fprintf(os.Stdout, "    %-9s %-22s %-22s %s\n", "capacity", "app arrivals/s p50 p99", "pgbench arrivals/s p50 p99", "load average")
	for _, f := range openLoopFractions {
		appTail := openLoopApp(b, a, people, capacity, api, f*appRate)
		line := fmt.Sprintf("    %3.0f %%     %4.0f/s %6.1f %7.1f ms", f*100, f*appRate, ms(appTail.p50), ms(appTail.p99))
		if pgRate > 0 {
			pgTail := openLoopPgbench(b, a, people, capacity, f*pgRate)
			line += fmt.Sprintf("   %4.0f/s %6.1f %7.1f ms", f*pgRate, ms(pgTail.p50), ms(pgTail.p99))
		}
		fmt.Fprintf(os.Stdout, "%s   %s\n", line, loadAverage())
	}
}
