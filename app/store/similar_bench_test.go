package store_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// BenchmarkSimilarContributions: the suggestions for one contribution (the
// query behind the section "Ähnliche Beiträge" and the API) among
// MITWIRKEN_BENCH_CONTRIBUTIONS (default 100,000) synthetic contributions,
// on the database of MITWIRKEN_TEST_DB. The target is < 100 ms. Besides
// ns/op it reports the median and the 99th percentile over the runs, how
// many suggestions came back on average, and the CPU time of this process
// per query (all of the work on SQLite, the client's part on PostgreSQL)
// and, when PostgreSQL runs on the same host, the CPU time of its server
// process per query. The CPU figures are the work itself; wall times grow
// with whatever else runs on the machine.
func BenchmarkSimilarContributions(b *testing.B) {
	ctx := context.Background()
	s := benchInstallation(b)
	var ids []int64
	if err := s.Gorm().Table("contributions").Order("id").Pluck("id", &ids).Error; err != nil {
		b.Fatal(err)
	}
	// One connection, so that on PostgreSQL one server process does all the
	// queries and its CPU time can be read.
	s, err := store.Open(ctx, store.Options{URL: s.URL(), MaxOpenConns: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	backend := 0
	if testenv.Postgres() {
		if err := s.Gorm().Raw("SELECT pg_backend_pid()").Scan(&backend).Error; err != nil {
			b.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	var took []time.Duration
	found := 0
	cpu0, server0 := cpuTime(), processCPU(backend)
	for b.Loop() {
		id := ids[r.IntN(len(ids))]
		t0 := time.Now()
		got, err := s.SimilarContributions(ctx, id, 5)
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
		found += len(got)
	}
	cpu, server := cpuTime()-cpu0, processCPU(backend)-server0
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
	b.ReportMetric(float64(found)/float64(len(took)), "suggestions/op")
	b.ReportMetric(ms(cpu)/float64(len(took)), "cpu-ms/op")
	if backend != 0 && server > 0 {
		b.ReportMetric(ms(server)/float64(len(took)), "server-cpu-ms/op")
	}
}

// cpuTime is the CPU time the process has used (user and system): with
// SQLite the database works in the process, so this is the work of a
// query without the waiting a loaded machine adds.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the CPU time (user and system) of another process of this
// host, read from /proc (clock ticks of 10 ms); 0 when unknown.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces) start at
	// state; utime and stime are the 12th and 13th of them.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
