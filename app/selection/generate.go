package selection

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// GeneratorConfig describes a synthetic pool for tests and benchmarks.
type GeneratorConfig struct {
	Seed       uint64
	People     int
	PanelSize  int
	Categories int
}

// GeneratePool builds a reproducible synthetic pool with realistic skew:
// every category has 2–5 values with random population shares, the quotas
// are the proportional seat numbers ± 1, and applicants are drawn with the
// first value of each category over-represented (×2) and the last one
// under-represented (×0.4), as in self-selected applicant pools. Pools whose
// quotas happen to be infeasible are redrawn with the next seed.
func GeneratePool(cfg GeneratorConfig) (Pool, error) {
	for attempt := uint64(0); attempt < 20; attempt++ {
		pool := generateOnce(cfg, cfg.Seed+attempt*0x9e3779b97f4a7c15)
		inf, err := CheckFeasible(context.Background(), pool, cfg.PanelSize)
		if err != nil {
			return Pool{}, err
		}
		if inf == nil {
			return pool, nil
		}
	}
	return Pool{}, fmt.Errorf("generator: no feasible pool for %+v", cfg)
}

func generateOnce(cfg GeneratorConfig, seed uint64) Pool {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var pool Pool
	weights := make([][]float64, cfg.Categories)
	for c := 0; c < cfg.Categories; c++ {
		nv := 2 + c%4
		share := make([]float64, nv)
		sum := 0.0
		for v := range share {
			share[v] = 0.5 + rng.Float64()
			sum += share[v]
		}
		cat := Category{Name: fmt.Sprintf("K%d", c+1)}
		w := make([]float64, nv)
		for v := range share {
			share[v] /= sum
			exp := math.Round(share[v] * float64(cfg.PanelSize))
			cat.Values = append(cat.Values, Quota{Value: fmt.Sprintf("k%dv%d", c+1, v+1),
				Min: int(math.Max(0, exp-1)), Max: int(exp + 1)})
			skew := 1.0
			if v == 0 {
				skew = 2
			} else if v == nv-1 {
				skew = 0.4
			}
			w[v] = share[v] * skew
		}
		weights[c] = w
		pool.Categories = append(pool.Categories, cat)
	}
	for i := 0; i < cfg.People; i++ {
		p := Person{ID: fmt.Sprintf("p%04d", i+1), Values: map[string]string{}}
		for c, cat := range pool.Categories {
			p.Values[cat.Name] = cat.Values[pick(rng, weights[c])].Value
		}
		pool.People = append(pool.People, p)
	}
	return pool
}

func pick(rng *rand.Rand, w []float64) int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	r := rng.Float64() * sum
	for i, x := range w {
		r -= x
		if r < 0 {
			return i
		}
	}
	return len(w) - 1
}
