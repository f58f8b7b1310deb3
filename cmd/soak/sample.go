package main

import (
	"bufio"
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// sample is what one look at the running system sees.
type sample struct {
	at         time.Duration // since the start of the load
	rss        []uint64      // per instance, bytes
	goroutines []int         // per instance, -1 when /metrics did not answer
	heapLive   []uint64      // per instance, bytes live after the last collection
	pgTotal    int           // connections to the soak's database
	pgActive   int           // of which running a statement
	load       string
}

// sampler looks every interval and keeps the series.
func sampler(ctx context.Context, every time.Duration, instances []*instance, db *sql.DB, dbName string, started time.Time, out chan<- []sample) {
	var series []sample
	tick := time.NewTicker(every)
	defer tick.Stop()
	take := func() {
		s := sample{at: time.Since(started), load: loadavg()}
		for _, in := range instances {
			s.rss = append(s.rss, in.rss())
			m := readMetrics(in.url)
			s.goroutines = append(s.goroutines, m.goroutines)
			s.heapLive = append(s.heapLive, m.heapLive)
		}
		_ = db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity WHERE datname = $1`, dbName).
			Scan(&s.pgTotal, &s.pgActive)
		series = append(series, s)
	}
	take()
	for {
		select {
		case <-ctx.Done():
			// No sample at the end: the sessions are leaving then, which
			// would make the last half look flatter than it was.
			out <- series
			return
		case <-tick.C:
			take()
		}
	}
}

// instanceMetrics is what the soak reads from an instance's /metrics.
type instanceMetrics struct {
	goroutines int    // go_goroutines, -1 when missing
	heapLive   uint64 // go_gc_heap_live_bytes, 0 when missing
}

func readMetrics(base string) instanceMetrics {
	out := instanceMetrics{goroutines: -1}
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_goroutines":
			out.goroutines = int(n)
		case "go_gc_heap_live_bytes":
			out.heapLive = uint64(n)
		}
	}
	return out
}
