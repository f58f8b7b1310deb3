package selection

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// DefaultLegacyRuns is the number of Monte Carlo runs used to estimate the
// selection probabilities of the legacy algorithm. With 10,000 runs the
// standard error of a probability p is √(p(1−p)/10000) ≤ 0.005.
const DefaultLegacyRuns = 10000

// LegacyDeadEndError says that the greedy draw dead-ends so often under
// these quotas that its probabilities cannot be estimated.
type LegacyDeadEndError struct {
	Restarts, Completed int
}

func (e *LegacyDeadEndError) Error() string {
	return fmt.Sprintf("legacy: the greedy draw hit %d dead ends and completed only %d panels; its probabilities cannot be estimated for these quotas", e.Restarts, e.Completed)
}

// legacy estimates the distribution of the greedy stratified draw that was
// common before leximin (the Sortition Foundation's pre-2020 procedure):
// repeatedly take the category value whose unmet minimum is largest relative
// to the applicants still available with it, draw a random available person
// with that value (anyone, once all minima are met), then remove everybody
// who would break a maximum or shares a household with a selected person;
// start over on a dead end. Its probabilities are only known by simulation.
// The simulation is seeded from the pool hash, so it is reproducible.
func legacy(ctx context.Context, m *model, pool Pool, opts Options) (*Distribution, error) {
	inf, err := m.checkFeasible(ctx)
	if err != nil {
		return nil, err
	}
	if inf != nil {
		return nil, inf
	}
	runs := opts.LegacyRuns
	if runs <= 0 {
		runs = DefaultLegacyRuns
	}
	h := PoolHash(pool)
	seed := binary.BigEndian.Uint64(h[:8])
	rng := rand.New(rand.NewPCG(seed, uint64(m.k)))
	st := newLegacyState(m)
	index := map[string]int{}
	var panels [][]int
	var counts []int
	restarts := 0
	for r := 0; r < runs; r++ {
		if r%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if opts.Progress != nil {
				opts.Progress(Progress{Runs: runs, Done: r, Message: fmt.Sprintf("legacy: %d von %d Durchläufen", r, runs)})
			}
		}
		var panel []int
		for {
			panel = st.draw(rng)
			if panel != nil {
				break
			}
			restarts++
			if restarts > 1000+10*runs {
				return nil, &LegacyDeadEndError{Restarts: restarts, Completed: r}
			}
		}
		sort.Ints(panel)
		key := intsKey(panel)
		j, ok := index[key]
		if !ok {
			j = len(panels)
			index[key] = j
			panels = append(panels, panel)
			counts = append(counts, 0)
		}
		counts[j]++
	}
	probs := make([]float64, len(panels))
	for j, c := range counts {
		probs[j] = float64(c) / float64(runs)
	}
	d := &Distribution{}
	m.finish(d, panels, probs)
	mc := &MonteCarlo{Runs: runs, Restarts: restarts, Seed: seed}
	for i := range d.People {
		p := d.People[i].Probability
		se := math.Sqrt(p * (1 - p) / float64(runs))
		d.People[i].StdErr = se
		mc.MaxStdErr = math.Max(mc.MaxStdErr, se)
	}
	d.MonteCarlo = mc
	return d, nil
}

type legacyState struct {
	m         *model
	sel, rem  []int
	available []bool
	cand      []int
}

func newLegacyState(m *model) *legacyState {
	return &legacyState{m: m, sel: make([]int, len(m.values)), rem: make([]int, len(m.values)), available: make([]bool, m.n())}
}

// draw runs the greedy procedure once; nil means a dead end.
func (s *legacyState) draw(rng *rand.Rand) []int {
	m := s.m
	for v := range s.sel {
		s.sel[v] = 0
		s.rem[v] = m.values[v].count
	}
	for i := range s.available {
		s.available[i] = true
	}
	left := m.n()
	remove := func(i int) {
		if !s.available[i] {
			return
		}
		s.available[i] = false
		left--
		for _, v := range m.personVals[i] {
			s.rem[v]--
		}
	}
	panel := make([]int, 0, m.k)
	for len(panel) < m.k {
		if left < m.k-len(panel) {
			return nil
		}
		bestV, best := -1, 0.0
		for v, ref := range m.values {
			need := ref.min - s.sel[v]
			if need > s.rem[v] {
				return nil
			}
			if s.rem[v] == 0 || s.sel[v] >= ref.max || need <= 0 {
				continue
			}
			if r := float64(need) / float64(s.rem[v]); r > best {
				best, bestV = r, v
			}
		}
		s.cand = s.cand[:0]
		for i, ok := range s.available {
			if !ok {
				continue
			}
			if bestV >= 0 && m.personVals[i][m.values[bestV].cat] != bestV {
				continue
			}
			s.cand = append(s.cand, i)
		}
		if len(s.cand) == 0 {
			return nil
		}
		p := s.cand[rng.IntN(len(s.cand))]
		panel = append(panel, p)
		remove(p)
		for _, v := range m.personVals[p] {
			s.sel[v]++
		}
		for _, v := range m.personVals[p] {
			if s.sel[v] >= m.values[v].max {
				for i, ok := range s.available {
					if ok && m.personVals[i][m.values[v].cat] == v {
						remove(i)
					}
				}
			}
		}
		if g := m.household[p]; g >= 0 {
			for _, i := range m.households[g] {
				remove(i)
			}
		}
	}
	for v, ref := range m.values {
		if s.sel[v] < ref.min || s.sel[v] > ref.max {
			return nil
		}
	}
	return panel
}
