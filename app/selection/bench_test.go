package selection

import (
	"context"
	"fmt"
	"testing"
)

// Benchmark pools (GeneratePool with fixed seeds, see generate.go). Run:
//
//	go test -run x -bench . -benchtime 1x ./app/selection/
var benchPools = []GeneratorConfig{
	{Seed: 1, People: 200, PanelSize: 20, Categories: 2},
	{Seed: 2, People: 300, PanelSize: 35, Categories: 6},
	{Seed: 3, People: 1000, PanelSize: 35, Categories: 4},
}

func benchName(c GeneratorConfig) string {
	return fmt.Sprintf("%dx%dx%d", c.People, c.PanelSize, c.Categories)
}

func benchAlgorithm(b *testing.B, alg Algorithm) {
	for _, c := range benchPools {
		b.Run(benchName(c), func(b *testing.B) {
			pool, err := GeneratePool(c)
			if err != nil {
				b.Fatal(err)
			}
			var d *Distribution
			for i := 0; i < b.N; i++ {
				d, err = Compute(context.Background(), pool, c.PanelSize, Options{Algorithm: alg})
				if err != nil && alg == Legacy {
					// The greedy draw can dead-end on every attempt with
					// tight quotas; that is a finding, not a failure.
					b.Skip(err)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			list, err := Round(d, 1000)
			if err != nil {
				b.Fatal(err)
			}
			minSel := d.Stats.Min
			if d.Certificate != nil {
				minSel = d.Certificate.MinProbability
			}
			b.ReportMetric(d.Stats.Min, "min")
			b.ReportMetric(minSel, "min_selectable")
			b.ReportMetric(d.Stats.Gini, "gini")
			b.ReportMetric(float64(len(d.Panels)), "panels")
			b.ReportMetric(list.MaxIndividualDeviation, "list_dev")
			if d.MonteCarlo != nil {
				b.ReportMetric(d.MonteCarlo.MaxStdErr, "max_se")
			}
		})
	}
}

func BenchmarkLeximin(b *testing.B) { benchAlgorithm(b, Leximin) }
func BenchmarkLegacy(b *testing.B)  { benchAlgorithm(b, Legacy) }
