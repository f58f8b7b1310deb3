package selection

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Algorithm names a selection algorithm.
type Algorithm string

const (
	// Leximin maximises the smallest selection probability, then the second
	// smallest, and so on (Flanigan et al. 2021). The default.
	Leximin Algorithm = "leximin"
	// Legacy is the greedy stratified draw used before leximin; its
	// probabilities are estimated by Monte Carlo. For comparison only.
	Legacy Algorithm = "legacy"
	// Uniform is a plain lottery without quotas: every applicant has k/n.
	Uniform Algorithm = "uniform"
)

// AlgorithmVersion is recorded in every draw; bump it whenever a change
// could alter a computed distribution for the same input.
const AlgorithmVersion = "mitwirken-selection/1"

// ParseAlgorithm accepts "leximin", "legacy" and "uniform" ("" = leximin).
func ParseAlgorithm(s string) (Algorithm, error) {
	switch Algorithm(strings.ToLower(strings.TrimSpace(s))) {
	case "", Leximin:
		return Leximin, nil
	case Legacy:
		return Legacy, nil
	case Uniform:
		return Uniform, nil
	}
	return "", fmt.Errorf("selection: unknown algorithm %q (leximin, legacy, uniform)", s)
}

// WeightedPanel is one panel (sorted ids) with its probability.
type WeightedPanel struct {
	IDs         []string `json:"ids"`
	Probability float64  `json:"probability"`
}

// PersonProbability is an applicant's selection probability.
type PersonProbability struct {
	ID          string  `json:"id"`
	Probability float64 `json:"probability"`
	// StdErr is the Monte Carlo standard error (legacy only).
	StdErr float64 `json:"std_err,omitempty"`
}

// Stats summarises the selection probabilities.
type Stats struct {
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	// Gini coefficient of the probabilities: 0 = everybody equal.
	Gini float64 `json:"gini"`
}

// Certificate proves the leximin minimum probability optimal: Weights are
// non-negative, sum to 1, and no quota-satisfying panel has total weight
// above Bound. For any distribution, min_i p_i ≤ Σ_i w_i·p_i =
// E[weight of the drawn panel] ≤ Bound, so MinProbability ≥ Bound − gap is
// within gap of the best possible.
type Certificate struct {
	Weights        map[string]float64 `json:"weights"`
	Bound          float64            `json:"bound"`
	MinProbability float64            `json:"min_probability"`
	// Proven is true when Bound comes from a completed branch and bound.
	Proven bool `json:"proven"`
}

// MonteCarlo describes how legacy probabilities were estimated.
type MonteCarlo struct {
	Runs      int     `json:"runs"`
	Restarts  int     `json:"restarts"`
	MaxStdErr float64 `json:"max_std_err"`
	Seed      uint64  `json:"seed"`
}

// ComputeInfo reports on the computation, for logs and benchmarks.
type ComputeInfo struct {
	Types int `json:"types"`
	Zero  int `json:"zero_types"` // types that no quota-satisfying panel contains
	// Unselectable lists the applicants of those types (sorted ids): no
	// panel that keeps all quotas has room for them.
	Unselectable []string      `json:"unselectable,omitempty"`
	Stages       int           `json:"stages"`
	Columns      int           `json:"columns"`
	PricingCalls int           `json:"pricing_calls"`
	Nodes        int           `json:"nodes"`
	Unproven     int           `json:"unproven"` // pricing searches cut off by the node limit
	Duration     time.Duration `json:"duration_ns"`
}

// Distribution is a probability distribution over quota-satisfying panels.
type Distribution struct {
	Algorithm        Algorithm           `json:"algorithm"`
	AlgorithmVersion string              `json:"algorithm_version"`
	PanelSize        int                 `json:"panel_size"`
	Panels           []WeightedPanel     `json:"panels"`
	People           []PersonProbability `json:"people"` // sorted by id
	Stats            Stats               `json:"stats"`
	Certificate      *Certificate        `json:"certificate,omitempty"`
	MonteCarlo       *MonteCarlo         `json:"monte_carlo,omitempty"`
	Info             ComputeInfo         `json:"info"`
}

// Probability returns the selection probability of id (0 if unknown).
func (d *Distribution) Probability(id string) float64 {
	i := sort.Search(len(d.People), func(i int) bool { return d.People[i].ID >= id })
	if i < len(d.People) && d.People[i].ID == id {
		return d.People[i].Probability
	}
	return 0
}

// Progress is reported during long computations.
type Progress struct {
	Stage          int     // leximin stage (1 = maximin)
	Columns        int     // panels generated so far
	MinProbability float64 // current lower bound on the smallest probability
	Runs, Done     int     // legacy: Monte Carlo runs planned and done
	Message        string
}

// Options configure Compute.
type Options struct {
	Algorithm Algorithm
	// Progress, if set, is called from the computing goroutine.
	Progress func(Progress)
	// LegacyRuns is the number of Monte Carlo runs for Legacy (default 10000).
	LegacyRuns int
}

// Compute finds the selection distribution for panels of size k. It returns
// an *Infeasibility error when the quotas cannot be met and honours ctx
// cancellation.
func Compute(ctx context.Context, pool Pool, k int, opts Options) (*Distribution, error) {
	alg, err := ParseAlgorithm(string(opts.Algorithm))
	if err != nil {
		return nil, err
	}
	m, err := compile(pool, k)
	if err != nil {
		return nil, err
	}
	if k > m.n() {
		return nil, &Infeasibility{PanelSize: k, Changes: []QuotaChange{{Kind: "panel_size", Current: k, Suggested: m.n(), Available: m.n(),
			Message: fmt.Sprintf("Panelgröße %d verlangt, aber nur %d Bewerbungen – Panelgröße auf %d senken", k, m.n(), m.n())}}}
	}
	start := time.Now()
	var d *Distribution
	switch alg {
	case Uniform:
		d, err = uniform(m)
	case Legacy:
		d, err = legacy(ctx, m, pool, opts)
	default:
		d, err = leximin(ctx, m, opts)
	}
	if err != nil {
		return nil, err
	}
	d.Algorithm = alg
	d.AlgorithmVersion = AlgorithmVersion
	d.PanelSize = k
	d.Info.Types = len(m.types)
	d.Info.Duration = time.Since(start)
	return d, nil
}

// finish fills panels (sorted ids, sorted panels), marginals and stats from
// concrete panels given as person indices.
func (m *model) finish(d *Distribution, panels [][]int, probs []float64) {
	marg := make([]float64, m.n())
	d.Panels = d.Panels[:0]
	for c, p := range panels {
		for _, i := range p {
			marg[i] += probs[c]
		}
		d.Panels = append(d.Panels, WeightedPanel{IDs: m.panelIDs(p), Probability: probs[c]})
	}
	sort.Slice(d.Panels, func(a, b int) bool { return lessIDs(d.Panels[a].IDs, d.Panels[b].IDs) })
	d.People = make([]PersonProbability, m.n())
	for i, id := range m.ids {
		d.People[i] = PersonProbability{ID: id, Probability: marg[i]}
	}
	d.Stats = computeStats(marg)
}

func lessIDs(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func computeStats(p []float64) Stats {
	if len(p) == 0 {
		return Stats{}
	}
	s := append([]float64(nil), p...)
	sort.Float64s(s)
	sum, weighted := 0.0, 0.0
	for i, v := range s {
		sum += v
		weighted += float64(i+1) * v
	}
	n := float64(len(s))
	st := Stats{Min: s[0], Max: s[len(s)-1], Mean: sum / n}
	if sum > 0 {
		st.Gini = 2*weighted/(n*sum) - (n+1)/n
		if math.Abs(st.Gini) < 1e-12 {
			st.Gini = 0
		}
	}
	return st
}
