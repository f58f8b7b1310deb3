package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// benchInstallation is the demo installation plus MITWIRKEN_BENCH_CONTRIBUTIONS
// (default 100,000) synthetic contributions, on the database of
// MITWIRKEN_TEST_DB: what the search and similarity benchmarks measure on.
// MITWIRKEN_BENCH_DATABASE_URL names an installation seeded before instead.
func benchInstallation(b *testing.B) *store.Store {
	b.Helper()
	ctx := context.Background()
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("MITWIRKEN_BENCH_CONTRIBUTIONS")); err == nil && v > 0 {
		n = v
	}
	if u := os.Getenv("MITWIRKEN_BENCH_DATABASE_URL"); u != "" {
		// A database seeded before (`mitwirken seed --demo --contributions N`)
		// saves the minutes of seeding when a benchmark is rerun.
		s, err := store.Open(ctx, store.Options{URL: u})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	s := testenv.OpenStore(b, nil)
	if err := seed.Demo(ctx, s, seed.Options{}); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := seed.Contributions(ctx, s, n, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded and indexed %d contributions in %s", testenv.Kind(), n, time.Since(start).Round(time.Second))
	return s
}
