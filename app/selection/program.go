package selection

import (
	"context"
	"math"
)

// panelProgram is the integer program whose feasible points are the panels
// (as seat counts per type): one row per category value with bounds
// [min, max], one row fixing the panel size, and one row per multi-person
// household allowing at most one of its members. With relax set, every value
// row also gets two continuous variables that lower its minimum or raise its
// maximum at cost 1 each; minimising their sum finds the smallest quota
// change that makes the problem feasible.
type panelProgram struct {
	m       *model
	lp      *lpSolver
	bb      *ilp
	typeVar []int // LP variable of each type
	lower   []int // relaxation variable per value lowering its minimum (relax only)
	raise   []int // relaxation variable per value raising its maximum (relax only)
}

func newPanelProgram(m *model, relax bool) *panelProgram {
	nv := len(m.values)
	rows := nv + 1 + len(m.households)
	lo := make([]float64, rows)
	hi := make([]float64, rows)
	for v, ref := range m.values {
		lo[v], hi[v] = float64(ref.min), float64(ref.max)
	}
	lo[nv], hi[nv] = float64(m.k), float64(m.k)
	for h := range m.households {
		lo[nv+1+h], hi[nv+1+h] = 0, 1
	}
	p := &panelProgram{m: m, lp: newLPSolver(lo, hi)}
	for _, t := range m.types {
		entries := make([]lpEntry, 0, len(t.vals)+2)
		for _, v := range t.vals {
			entries = append(entries, lpEntry{v, 1})
		}
		entries = append(entries, lpEntry{nv, 1})
		if t.hh >= 0 {
			entries = append(entries, lpEntry{nv + 1 + t.hh, 1})
		}
		p.typeVar = append(p.typeVar, p.lp.addColumn(0, 0, float64(len(t.members)), entries))
	}
	if relax {
		for v, ref := range m.values {
			p.lower = append(p.lower, p.lp.addColumn(1, 0, float64(ref.min), []lpEntry{{v, 1}}))
			p.raise = append(p.raise, p.lp.addColumn(1, 0, float64(m.n()), []lpEntry{{v, -1}}))
		}
	}
	p.bb = newILP(p.lp, p.typeVar)
	return p
}

// counts extracts the seat count per type from an ILP solution.
func (p *panelProgram) counts(x []float64) []int {
	c := make([]int, len(p.typeVar))
	for t, v := range p.typeVar {
		c[t] = int(math.Round(x[v]))
	}
	return c
}

// maximise finds type counts maximising Σ w_t·x_t. It reports a solution
// only if its value exceeds threshold; proven tells whether the search
// completed (so that no better panel exists).
func (p *panelProgram) maximise(ctx context.Context, w []float64, threshold float64, stopAfter int) ([]int, float64, bool, error) {
	for t, v := range p.typeVar {
		p.lp.setCost(v, -w[t])
	}
	res, err := p.bb.solve(ctx, -threshold, stopAfter)
	if err != nil {
		return nil, 0, false, err
	}
	if !res.found {
		return nil, math.Inf(-1), res.proven, nil
	}
	return p.counts(res.x), -res.obj, res.proven, nil
}

// findAny returns some feasible panel (as type counts), or nil if none exists.
func (p *panelProgram) findAny(ctx context.Context) ([]int, bool, error) {
	for _, v := range p.typeVar {
		p.lp.setCost(v, 0)
	}
	res, err := p.bb.solve(ctx, 1, 0)
	if err != nil {
		return nil, false, err
	}
	if !res.found {
		return nil, res.proven, nil
	}
	return p.counts(res.x), true, nil
}

// findContaining returns a feasible panel with at least one member of type
// t, or nil; proven reports whether "nil" is a proof that none exists.
func (p *panelProgram) findContaining(ctx context.Context, t int) ([]int, bool, error) {
	v := p.typeVar[t]
	lo, hi := p.bb.rootLo[t], p.bb.rootHi[t]
	p.bb.rootLo[t] = 1
	p.lp.setBounds(v, 1, hi)
	defer func() {
		p.bb.rootLo[t] = lo
		p.lp.setBounds(v, lo, hi)
	}()
	return p.findAny(ctx)
}

// compositionPanel turns type counts into a concrete panel by taking the
// first members of each type; used where any representative will do.
func (m *model) compositionPanel(counts []int) []int {
	var panel []int
	for t, c := range counts {
		panel = append(panel, m.types[t].members[:c]...)
	}
	return panel
}
