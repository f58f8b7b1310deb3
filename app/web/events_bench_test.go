package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// BenchmarkRegistrationRush is the registration rush of issue 3: 2,000
// people with personal access tokens register for one 35-seat event over
// real HTTP with 100 concurrent connections, against the platform on the
// database of MITWIRKEN_TEST_DB (make bench: PostgreSQL). It prints
// throughput, p50 and p99 latency and checks the invariants afterwards.
// Run: .ci/bench events   (or see .ci/bench.d/30-events.sh)
func BenchmarkRegistrationRush(b *testing.B) {
	const users, conns, capacity = 2000, 100, 35
	a := testenv.StartApp(b, testenv.WithoutSMTP(), testenv.WithConfig(func(c *platform.Config) {
		c.DBMaxConns = 20 // the production default (MITWIRKEN_DB_MAX_CONNS)
		c.MailInterval = 5 * time.Second
	}))
	people := createRushUsers(b, a.Store, users, "Bench")
	api := newAPIClient(conns)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		ev := createEvent(b, a, func(in *app.EventInput) { in.Capacity = app.N(capacity) })
		url := a.URL + "/api/v1/events/" + itoa(ev.ID) + "/registrations"
		// Warm the HTTP connections and the database pool (with its prepared
		// statements), as a running server would have them: every connection
		// reads the event once.
		var warm sync.WaitGroup
		for i := 0; i < conns; i++ {
			warm.Add(1)
			go func() {
				defer warm.Done()
				api.do(http.MethodGet, a.URL+"/api/v1/events/"+itoa(ev.ID), people[i%users].Token, nil)
			}()
		}
		warm.Wait()
		b.StartTimer()

		latencies := make([]time.Duration, users)
		statuses := make([]int, users)
		work := make(chan int, users)
		for i := 0; i < users; i++ {
			work <- i
		}
		close(work)
		mailsBefore := lastOutboxID(b, a)
		stopProfile := startBenchProfile(b, n)
		appCPU0, pgTicks0 := processCPU(), pgBackendTicks()
		start := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < conns; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					t0 := time.Now()
					st, body, err := api.do(http.MethodPost, url, people[i].Token, map[string]any{})
					latencies[i] = time.Since(t0)
					statuses[i] = st
					if err != nil || st != http.StatusCreated {
						b.Errorf("user %d: %d %s %v", i, st, body, err)
					}
				}
			}()
		}
		wg.Wait()
		wall := time.Since(start)
		appCPU, pgCPU := processCPU()-appCPU0, postgresCPU(a, pgTicks0)
		stopProfile()
		b.StopTimer()

		sorted := append([]time.Duration(nil), latencies...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		p := func(q float64) time.Duration { return sorted[int(q*float64(len(sorted)-1))] }
		throughput := float64(users) / wall.Seconds()
		invariants := checkRushInvariants(b, a, ev.ID, users, capacity, statuses) + ", " + checkOneMailEach(b, a, mailsBefore, users, capacity)
		fmt.Fprintf(os.Stdout, "registration rush on %s: %d registrations, %d connections, %d seats\n", testenv.Kind(), users, conns, capacity)
		fmt.Fprintf(os.Stdout, "  wall %v, throughput %.0f registrations/s\n", wall.Round(time.Millisecond), throughput)
		fmt.Fprintf(os.Stdout, "  latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", ms(p(0.50)), ms(p(0.90)), ms(p(0.99)), ms(sorted[len(sorted)-1]))
		fmt.Fprintf(os.Stdout, "  CPU per registration: app %.2f ms (server, client, mail worker)", ms(appCPU/users))
		if pgCPU > 0 {
			fmt.Fprintf(os.Stdout, ", PostgreSQL backends of the test database %.2f ms", ms(pgCPU/users))
		}
		fmt.Fprintf(os.Stdout, "; machine load average: %s\n", loadAverage())
		if pgCPU > 0 {
			perReg := (appCPU + pgCPU) / users
			fmt.Fprintf(os.Stdout, "  CPU ceiling: %d cores / %.2f ms = %.0f registrations/s if nothing else ran on the machine\n",
				runtime.NumCPU(), ms(perReg), float64(runtime.NumCPU())/perReg.Seconds())
		}
		fmt.Fprintf(os.Stdout, "  invariants: %s\n", invariants)
		pgRate := 0.0
		if testenv.Postgres() && pgbenchPath() != "" {
			pgRate = pgbenchCeiling(b, a, people, capacity)
			fmt.Fprintf(os.Stdout, "  app %.0f registrations/s = %.0f %% of the best pgbench rate %.0f/s (target >= 85 %%)\n", throughput, 100*throughput/pgRate, pgRate)
			b.ReportMetric(100*throughput/pgRate, "%-of-pgbench")
		} else {
			fmt.Fprintf(os.Stdout, "  no pgbench ceiling: needs PostgreSQL and pgbench (Debian: postgresql-client)\n")
		}
		openLoopTable(b, a, people, capacity, api, throughput, pgRate)
		b.ReportMetric(throughput, "registrations/s")
		b.ReportMetric(ms(p(0.50)), "p50-ms")
		b.ReportMetric(ms(p(0.99)), "p99-ms")
		b.StartTimer()
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// checkRushInvariants verifies the state after a rush: every answer was
// 201, every registration is stored, no more confirmed than seats, the
// counter agrees, and the waiting list is contiguous in arrival order.
func checkRushInvariants(b testing.TB, a *testenv.App, eventID int64, users, capacity int, statuses []int) string {
	ctx := context.Background()
	for i, st := range statuses {
		if st != http.StatusCreated {
			b.Fatalf("user %d got %d", i, st)
		}
	}
	ev := reloadEvent(b, a, eventID)
	counts, err := a.Store.CountRegistrations(ctx, []int64{eventID})
	if err != nil {
		b.Fatal(err)
	}
	c := counts[eventID]
	if c.Confirmed+c.Offered > capacity || ev.SeatsTaken != c.Confirmed+c.Offered || c.Confirmed != capacity {
		b.Fatalf("seats: %d confirmed, %d offered, counter %d, capacity %d", c.Confirmed, c.Offered, ev.SeatsTaken, capacity)
	}
	if c.Confirmed+c.Waitlisted != users {
		b.Fatalf("%d confirmed + %d waitlisted stored for %d answers", c.Confirmed, c.Waitlisted, users)
	}
	checkWaitingCounter(b, a, eventID)
	waiting, err := a.Store.WaitingList(ctx, eventID)
	if err != nil {
		b.Fatal(err)
	}
	pos, err := a.Store.WaitPositions(ctx, waiting)
	if err != nil {
		b.Fatal(err)
	}
	for i, w := range waiting {
		if pos[w.ID] != i+1 || (i > 0 && waiting[i-1].WaitSeq >= w.WaitSeq) {
			b.Fatalf("waiting list not contiguous in arrival order at %d", i+1)
		}
	}
	out, _ := json.Marshal(map[string]int{"confirmed": c.Confirmed, "capacity": capacity, "waitlisted": c.Waitlisted, "stored": c.Confirmed + c.Waitlisted})
	return "hold " + string(out)
}

// lastOutboxID is the newest outbox entry's id (0 if none).
func lastOutboxID(b testing.TB, a *testenv.App) int64 {
	var id int64
	if err := a.Store.Gorm().Raw("SELECT COALESCE(MAX(id), 0) FROM outbox").Scan(&id).Error; err != nil {
		b.Fatal(err)
	}
	return id
}

// checkOneMailEach verifies the mails a rush queued after the outbox entry
// since: one per person, capacity of them confirmations, the rest
// waiting-list mails.
func checkOneMailEach(b testing.TB, a *testenv.App, since int64, users, capacity int) string {
	var row struct{ Mails, Recipients, Confirmed, Waitlisted int }
	err := a.Store.Gorm().Raw(`SELECT COUNT(*) AS mails, COUNT(DISTINCT to_addr) AS recipients,
		COUNT(CASE WHEN kind = 'event_confirmed' THEN 1 END) AS confirmed, COUNT(CASE WHEN kind = 'event_waitlisted' THEN 1 END) AS waitlisted
		FROM outbox WHERE id > ?`, since).Scan(&row).Error
	if err != nil {
		b.Fatal(err)
	}
	if row.Mails != users || row.Recipients != users || row.Confirmed != capacity || row.Waitlisted != users-capacity {
		b.Fatalf("mails of the rush: %+v for %d people and %d seats", row, users, capacity)
	}
	return fmt.Sprintf("one mail each (%d: %d confirmations, %d waiting-list mails)", row.Mails, row.Confirmed, row.Waitlisted)
}

// processCPU is the CPU time this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pgBackendTicks reads the CPU ticks of every postgres process (Linux, same
// machine).
func pgBackendTicks() map[int]int64 {
	out := map[int]int64{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil || !strings.Contains(string(stat), "(postgres)") {
			continue
		}
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		var ticks int64
		for _, i := range []int{11, 12} { // utime stime
			n, _ := strconv.ParseInt(f[i], 10, 64)
			ticks += n
		}
		out[pid] = ticks
	}
	return out
}

// postgresCPU is the CPU time the backends of this test database used
// since before (a snapshot of pgBackendTicks). The PostgreSQL server may be
// shared with other work; only this database's connections are counted.
// 0 when the processes cannot be read.
func postgresCPU(a *testenv.App, before map[int]int64) time.Duration {
	if !testenv.Postgres() || len(before) == 0 {
		return 0
	}
	var pids []int
	if err := a.Store.Gorm().Raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").Scan(&pids).Error; err != nil {
		return 0
	}
	now := pgBackendTicks()
	var ticks int64
	for _, pid := range pids {
		ticks += now[pid] - before[pid]
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// startBenchProfile writes a CPU profile of the rush alone (not the set-up)
// to $MITWIRKEN_BENCH_PROFILE.N when that is set.
func startBenchProfile(b *testing.B, n int) func() {
	path := os.Getenv("MITWIRKEN_BENCH_PROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", path, n))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
