package selection

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Leximin by column generation, on the level of types.
//
// Applicants of the same type are interchangeable: every constraint treats
// them alike, so the (unique) leximin vector of probabilities gives them
// equal probability. We therefore optimise over distributions of
// compositions (seat counts per type); a type's probability is
// E[count]/size. Stage s solves
//
//	max z  s.t.  Σ_c p_c = 1,  Σ_c p_c·x_ct/n_t ≥ z (t not yet fixed),
//	             Σ_c p_c·x_ct/n_t ≥ f_t (t fixed in earlier stages),  p ≥ 0
//
// over the compositions found so far. Its duals y_t weigh the types; the
// pricing integer program looks for a composition with Σ_t y_t·x_t/n_t
// above the dual value of Σp=1. When none exists the stage is optimal;
// types with positive dual are at z in every optimal solution
// (complementary slackness) and are fixed. Then the next stage raises the
// rest. Finally the compositions are expanded into concrete panels
// (decompose.go).

const (
	cgTol      = 1e-7 // a column must improve the dual bound by more than this
	fixTol     = 1e-7 // duals above this fix their type
	maxColumns = 20000
)

func leximin(ctx context.Context, m *model, opts Options) (*Distribution, error) {
	inf, err := m.checkFeasible(ctx)
	if err != nil {
		return nil, err
	}
	if inf != nil {
		return nil, inf
	}
	d := &Distribution{}
	T := len(m.types)
	prog := newPanelProgram(m, false)

	lo := make([]float64, T+1)
	hi := make([]float64, T+1)
	lo[0], hi[0] = 1, 1
	for t := 1; t <= T; t++ {
		hi[t] = lpInf
	}
	master := newLPSolver(lo, hi)
	zEntries := func(fixed []bool) []lpEntry {
		var e []lpEntry
		for t := 0; t < T; t++ {
			if !fixed[t] {
				e = append(e, lpEntry{t + 1, -1})
			}
		}
		return e
	}
	fixed := make([]bool, T)
	z := master.addColumn(-1, 0, 1, zEntries(fixed))

	var comps [][]int
	var compVar []int
	seen := map[string]bool{}
	addComp := func(c []int) bool {
		key := compKey(c)
		if seen[key] {
			return false
		}
		seen[key] = true
		entries := []lpEntry{{0, 1}}
		for t, x := range c {
			if x > 0 {
				entries = append(entries, lpEntry{t + 1, float64(x) / float64(len(m.types[t].members))})
			}
		}
		comps = append(comps, c)
		compVar = append(compVar, master.addColumn(0, 0, lpInf, entries))
		return true
	}
	// Initial columns: for every type a panel containing it. This seeds the
	// column generation with diverse panels and identifies applicants who
	// are in no quota-satisfying panel at all; their probability is 0 and
	// they are fixed right away (otherwise every pricing problem would have
	// to re-prove that they cannot be seated).
	covered := make([]bool, T)
	zero := make([]bool, T)
	nFixed := 0
	for t := 0; t < T; t++ {
		if covered[t] {
			continue
		}
		c, proven, err := prog.findContaining(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("leximin: initial panels: %w", err)
		}
		if c == nil {
			if proven {
				fixed[t] = true
				zero[t] = true
				nFixed++
			}
			continue
		}
		addComp(c)
		for t2, x := range c {
			if x > 0 {
				covered[t2] = true
			}
		}
	}
	if len(comps) == 0 {
		return nil, fmt.Errorf("leximin: no feasible panel found")
	}
	master.setColumn(z, zEntries(fixed))
	d.Info.Zero = nFixed
	for t := range zero {
		if zero[t] {
			for _, i := range m.types[t].members {
				d.Info.Unselectable = append(d.Info.Unselectable, m.ids[i])
			}
		}
	}
	sort.Strings(d.Info.Unselectable)

	w := make([]float64, T)
	fixedVal := make([]float64, T)
	margin := 1e-9
	for stage := 1; nFixed < T; stage++ {
		d.Info.Stages = stage
		var y []float64
		for {
			st, err := master.solve()
			// Rounding error can make the fixed levels of earlier stages
			// very slightly unattainable; lower them by a growing margin
			// (at most 1e-6) rather than give up.
			for err == nil && st == lpInfeasible && margin < 1e-6 {
				margin *= 10
				for t := 0; t < T; t++ {
					if fixed[t] && !zero[t] {
						master.setBounds(t+1, fixedVal[t]-margin, lpInf)
					}
				}
				st, err = master.solve()
			}
			if err != nil {
				return nil, fmt.Errorf("leximin stage %d: master LP: %w", stage, err)
			}
			if st != lpOptimal {
				return nil, fmt.Errorf("leximin stage %d: master LP %v", stage, st)
			}
			y = master.duals()
			yhat := -y[0]
			for t := range w {
				w[t] = math.Max(y[t+1], 0) / float64(len(m.types[t].members))
			}
			if opts.Progress != nil {
				opts.Progress(Progress{Stage: stage, Columns: len(comps), MinProbability: master.x[z],
					Message: fmt.Sprintf("Stufe %d: %d Panels, kleinste Wahrscheinlichkeit ≥ %.6f", stage, len(comps), master.x[z])})
			}
			d.Info.PricingCalls++
			c, val, proven, err := prog.maximise(ctx, w, yhat+cgTol, 30)
			if err != nil {
				return nil, fmt.Errorf("leximin stage %d: pricing: %w", stage, err)
			}
			if c == nil || val <= yhat+cgTol {
				if !proven {
					d.Info.Unproven++
				}
				break
			}
			if !addComp(c) {
				// Numerical noise re-proposed a known column: the LP is optimal
				// up to tolerance.
				break
			}
			if len(comps) > maxColumns {
				return nil, fmt.Errorf("leximin: more than %d panels generated without convergence", maxColumns)
			}
		}
		zval := master.x[z]
		if stage == 1 {
			cert, err := m.certificate(ctx, prog, y, zval)
			if err != nil {
				return nil, err
			}
			d.Certificate = cert
		}
		// Fix the types that are at the minimum in every optimal solution.
		newly, best, bestT := 0, -1.0, -1
		for t := 0; t < T; t++ {
			if fixed[t] {
				continue
			}
			if y[t+1] > fixTol {
				fixed[t] = true
				newly++
				fixedVal[t] = zval
				master.setBounds(t+1, zval-margin, lpInf)
			}
			if y[t+1] > best {
				best, bestT = y[t+1], t
			}
		}
		if newly == 0 {
			fixed[bestT] = true
			newly = 1
			fixedVal[bestT] = zval
			master.setBounds(bestT+1, zval-margin, lpInf)
		}
		nFixed += newly
		master.setColumn(z, zEntries(fixed))
	}
	d.Info.Columns = len(comps)
	d.Info.Nodes = prog.bb.totalNodes

	// Final composition distribution from the last master solution.
	var cs [][]int
	var ps []float64
	total := 0.0
	for c, v := range compVar {
		if p := master.x[v]; p > 1e-12 {
			cs = append(cs, comps[c])
			ps = append(ps, p)
			total += p
		}
	}
	for i := range ps {
		ps[i] /= total
	}
	panels, probs, err := m.decompose(ctx, cs, ps)
	if err != nil {
		return nil, err
	}
	m.finish(d, panels, probs)
	if d.Certificate != nil {
		// The certificate speaks about applicants who can be selected at all.
		minSel := math.Inf(1)
		for i, p := range d.People {
			if !zero[m.typeOf[i]] {
				minSel = math.Min(minSel, p.Probability)
			}
		}
		d.Certificate.MinProbability = minSel
	}
	return d, nil
}

// certificate runs one complete branch and bound with the stage-1 duals to
// get a proven upper bound on the smallest probability of any distribution.
func (m *model) certificate(ctx context.Context, prog *panelProgram, y []float64, zval float64) (*Certificate, error) {
	T := len(m.types)
	w := make([]float64, T)
	sum := 0.0
	for t := range w {
		yt := math.Max(y[t+1], 0)
		sum += yt
		w[t] = yt
	}
	cert := &Certificate{Weights: map[string]float64{}, MinProbability: zval}
	if sum <= 0 {
		return cert, nil
	}
	for t := range w {
		w[t] /= sum * float64(len(m.types[t].members))
		for _, i := range m.types[t].members {
			if w[t] > 0 {
				cert.Weights[m.ids[i]] = w[t]
			}
		}
	}
	_, val, proven, err := prog.maximise(ctx, w, math.Inf(-1), -1)
	if err != nil {
		return nil, fmt.Errorf("leximin certificate: %w", err)
	}
	cert.Bound = val
	cert.Proven = proven
	return cert, nil
}

func compKey(c []int) string {
	var b strings.Builder
	for _, x := range c {
		b.WriteString(strconv.Itoa(x))
		b.WriteByte(',')
	}
	return b.String()
}
