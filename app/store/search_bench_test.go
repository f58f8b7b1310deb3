package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app/search"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// searchBenchQueries are what people type: one word found in a few percent
// of the contributions or in thousands, two words, place names, rare words,
// transliterations and inflected forms, and words found nowhere.
var searchBenchQueries = []string{
	"Radwege", "Straßenbäume", "Strassenbaeume", "bezahlbare Wohnungen", "Familien", "Kinder", "Spielplatz sanieren",
	"Straßenbahn Abend", "Connewitz", "Grünau-Mitte", "Trinkbrunnen", "öffentliche Toilette", "Tempo 30 Grundschule",
	"Mittagessen", "Hundewiese", "Kleingärten Bebauung", "Fernwärme", "Zebrastreifen", "Sommer", "Nachbarschaft",
	"Gemeinschaftsgarten Brache", "Wohnungen Familien Connewitz", "Quartiersgarage", "Klimaschutz", "Leipzig",
}

// BenchmarkSearch: one search of the search page (the best five of every
// kind with their counts: six queries) among MITWIRKEN_BENCH_CONTRIBUTIONS
// (default 100,000) synthetic contributions plus the demo installation, on
// the database of MITWIRKEN_TEST_DB, cycling through searchBenchQueries.
// The target is < 50 ms at the 95th percentile. Reports p50 and p95 of the
// wall time, the CPU time of this process per search and, when PostgreSQL
// runs on this host, of its server process.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s := benchInstallation(b)
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
	queries := make([]search.Query, len(searchBenchQueries))
	for i, q := range searchBenchQueries {
		queries[i] = search.Parse(q)
	}
	var took []time.Duration
	found, i := 0, 0
	cpu0, server0 := cpuTime(), processCPU(backend)
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		t0 := time.Now()
		for _, kind := range store.SearchKinds {
			hits, total, err := s.Search(ctx, kind, q, store.SearchFilter{}, 0, 5)
			if err != nil {
				b.Fatal(err)
			}
			for _, h := range hits {
				_ = search.Snippet(h.Text, q)
			}
			found += total
		}
		took = append(took, time.Since(t0))
	}
	cpu, server := cpuTime()-cpu0, processCPU(backend)-server0
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[len(took)*95/100]), "p95-ms")
	b.ReportMetric(ms(took[len(took)-1]), "max-ms")
	b.ReportMetric(float64(found)/float64(len(took)), "results/op")
	b.ReportMetric(ms(cpu)/float64(len(took)), "cpu-ms/op")
	if backend != 0 && server > 0 {
		b.ReportMetric(ms(server)/float64(len(took)), "server-cpu-ms/op")
	}
}
