package main

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// recorder collects the latency of every request by kind and every
// unexpected answer, from all sessions.
type recorder struct {
	mu       sync.Mutex
	lat      map[string][]time.Duration
	errs     map[string]int
	examples []string // the first unexpected answers, for the report
}

func newRecorder() *recorder {
	return &recorder{lat: map[string][]time.Duration{}, errs: map[string]int{}}
}

func (r *recorder) ok(kind string, d time.Duration) {
	r.mu.Lock()
	r.lat[kind] = append(r.lat[kind], d)
	r.mu.Unlock()
}

func (r *recorder) fail(kind, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs[kind]++
	if len(r.examples) < 20 {
		r.examples = append(r.examples, fmt.Sprintf("%s %s: %s", time.Now().UTC().Format("15:04:05"), kind, fmt.Sprintf(format, args...)))
	}
}

// kindStats is one row of the report's request table.
type kindStats struct {
	kind          string
	n, errors     int
	p50, p99, max time.Duration
}

func (r *recorder) stats() (rows []kindStats, errors int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kinds := map[string]bool{}
	for k := range r.lat {
		kinds[k] = true
	}
	for k := range r.errs {
		kinds[k] = true
	}
	for k := range kinds {
		l := append([]time.Duration(nil), r.lat[k]...)
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		row := kindStats{kind: k, n: len(l), errors: r.errs[k]}
		if len(l) > 0 {
			row.p50, row.p99, row.max = l[(len(l)-1)/2], l[int(float64(len(l)-1)*0.99)], l[len(l)-1]
		}
		rows = append(rows, row)
		errors += r.errs[k]
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].kind < rows[j].kind })
	return rows, errors
}
