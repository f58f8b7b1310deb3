package selection

import (
	"context"
	"fmt"
	"math"
)

// ilp is a depth-first branch and bound on top of lpSolver. The integer
// variables are the per-type seat counts; because interchangeable applicants
// are aggregated into one bounded integer variable per type, the trees stay
// small even for pools of a thousand applicants. Consecutive nodes share the
// LP basis, so each node costs only a few warm-started pivots.
type ilp struct {
	lp        *lpSolver
	intVars   []int     // LP variable indices that must take integer values
	rootLo    []float64 // root bounds of intVars
	rootHi    []float64
	nodeLimit int

	totalNodes int // over all solves, for statistics
}

type ilpResult struct {
	found  bool      // an integer solution below the cutoff was found
	x      []float64 // values of all LP variables of the best solution
	obj    float64
	proven bool // the search completed: found==false means none exists below the cutoff
	nodes  int
}

const ilpIntTol = 1e-6

func newILP(lp *lpSolver, intVars []int) *ilp {
	b := &ilp{lp: lp, intVars: intVars, nodeLimit: 400000}
	for _, v := range intVars {
		b.rootLo = append(b.rootLo, lp.lo[v])
		b.rootHi = append(b.rootHi, lp.hi[v])
	}
	return b
}

type bbNode struct {
	lo, hi []float64
	depth  int
}

// solve minimises the LP objective over integer points. Only solutions with
// objective < cutoff are of interest; subtrees whose relaxation cannot beat
// min(cutoff, incumbent) are pruned. With stopAfter ≥ 0 the search ends that
// many nodes after the first solution below the cutoff was found (enough for
// column generation, which needs an improving column, not the best one).
func (b *ilp) solve(ctx context.Context, cutoff float64, stopAfter int) (ilpResult, error) {
	res := ilpResult{obj: math.Inf(1)}
	defer func() { b.totalNodes += res.nodes }()
	stack := []bbNode{{lo: append([]float64(nil), b.rootLo...), hi: append([]float64(nil), b.rootHi...)}}
	sinceFound := -1
	for len(stack) > 0 {
		if res.nodes%64 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
		}
		if res.nodes >= b.nodeLimit {
			b.restoreRoot()
			return res, nil
		}
		if sinceFound >= 0 {
			sinceFound++
			if stopAfter >= 0 && sinceFound > stopAfter {
				b.restoreRoot()
				return res, nil
			}
		}
		node := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		res.nodes++
		for i, v := range b.intVars {
			b.lp.setBounds(v, node.lo[i], node.hi[i])
		}
		st, err := b.lp.solve()
		if err != nil {
			return res, fmt.Errorf("branch and bound: %w", err)
		}
		if st == lpIterLimit {
			return res, fmt.Errorf("branch and bound: LP iteration limit at node %d", res.nodes)
		}
		if st != lpOptimal {
			continue // infeasible subtree (unbounded cannot happen: all variables are bounded)
		}
		obj := b.lp.objective()
		bound := math.Min(cutoff, res.obj)
		if obj >= bound-1e-9 {
			continue
		}
		// Branch on the most fractional integer variable.
		bi, bestFrac := -1, 0.0
		for i, v := range b.intVars {
			xv := b.lp.x[v]
			f := xv - math.Floor(xv)
			if f > ilpIntTol && f < 1-ilpIntTol {
				if d := math.Min(f, 1-f); d > bestFrac {
					bestFrac, bi = d, i
				}
			}
		}
		if bi < 0 {
			res.found = true
			res.obj = obj
			res.x = append(res.x[:0], b.lp.x...)
			for _, v := range b.intVars {
				res.x[v] = math.Round(res.x[v])
			}
			if sinceFound < 0 {
				sinceFound = 0
			}
			continue
		}
		xv := b.lp.x[b.intVars[bi]]
		down := bbNode{lo: append([]float64(nil), node.lo...), hi: append([]float64(nil), node.hi...), depth: node.depth + 1}
		down.hi[bi] = math.Floor(xv)
		up := bbNode{lo: node.lo, hi: node.hi, depth: node.depth + 1}
		up.lo = append([]float64(nil), node.lo...)
		up.lo[bi] = math.Ceil(xv)
		// Dive towards the nearer integer first.
		if xv-math.Floor(xv) < 0.5 {
			stack = append(stack, up, down)
		} else {
			stack = append(stack, down, up)
		}
	}
	res.proven = true
	b.restoreRoot()
	return res, nil
}

func (b *ilp) restoreRoot() {
	for i, v := range b.intVars {
		b.lp.setBounds(v, b.rootLo[i], b.rootHi[i])
	}
}
