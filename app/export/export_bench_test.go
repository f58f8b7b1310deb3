package export_test

import (
	"context"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
	"github.com/mitwirken/mitwirken/views"
)

// benchStore is a database with MITWIRKEN_BENCH_ROWS (default 100,000)
// synthetic contributions, or the already seeded MITWIRKEN_BENCH_DATABASE_URL.
func benchStore(b *testing.B) *store.Store {
	ctx := context.Background()
	if u := os.Getenv("MITWIRKEN_BENCH_DATABASE_URL"); u != "" {
		s, err := store.Open(ctx, store.Options{URL: u})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("MITWIRKEN_BENCH_ROWS")); err == nil && v > 0 {
		n = v
	}
	s := testenv.OpenStore(b, nil)
	if err := seed.Demo(ctx, s, seed.Options{}); err != nil {
		b.Fatal(err)
	}
	if err := seed.Contributions(ctx, s, n, nil); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchExport(b *testing.B, format string) {
	s := benchStore(b)
	bundle, err := i18n.Load(views.FS)
	if err != nil {
		b.Fatal(err)
	}
	svc := &export.Service{Store: s, T: bundle.Localizer("de").T}
	ctx := context.Background()
	b.ResetTimer()
	var rows int64
	for i := 0; i < b.N; i++ {
		rows, err = svc.Run(ctx, nil, export.Request{Kind: export.KindContributions, Format: format}, io.Discard, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
}

func BenchmarkExportCSV(b *testing.B)  { benchExport(b, export.FormatCSV) }
func BenchmarkExportXLSX(b *testing.B) { benchExport(b, export.FormatXLSX) }
func BenchmarkExportJSON(b *testing.B) { benchExport(b, export.FormatJSON) }
