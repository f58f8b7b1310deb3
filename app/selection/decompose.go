package selection

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// decompose turns a distribution over compositions (seat counts per type)
// into a distribution over concrete panels in which every member of a type
// has exactly the type's probability.
//
// For one composition and one type with n members of which x are seated,
// the blocks of x cyclically consecutive members starting at positions
// j·x mod n (j = 0 … R−1, R = n/gcd(n,x)) cover every member exactly x/n of
// the time. Running all types' rotations "in step" over the composition's
// probability mass (type t switches block at multiples of 1/R_t) gives
// concrete panels with exact marginals. The resulting support can be large,
// so an LP then picks a basic solution – at most n+1 panels – with the same
// marginals (Carathéodory). If that LP fails numerically the exact
// expansion is used as is.
func (m *model) decompose(ctx context.Context, comps [][]int, probs []float64) ([][]int, []float64, error) {
	var panels [][]int
	var pp []float64
	index := map[string]int{}
	add := func(panel []int, p float64) {
		sort.Ints(panel)
		key := intsKey(panel)
		if j, ok := index[key]; ok {
			pp[j] += p
			return
		}
		index[key] = len(panels)
		panels = append(panels, panel)
		pp = append(pp, p)
	}
	for c, counts := range comps {
		type frac struct{ num, den int64 }
		bps := []frac{{0, 1}}
		for t, x := range counts {
			n := len(m.types[t].members)
			if x > 0 && x < n {
				r := int64(n / gcd(n, x))
				for j := int64(1); j < r; j++ {
					g := gcd64(j, r)
					bps = append(bps, frac{j / g, r / g})
				}
			}
		}
		sort.Slice(bps, func(a, b int) bool { return bps[a].num*bps[b].den < bps[b].num*bps[a].den })
		uniq := bps[:1]
		for _, f := range bps[1:] {
			last := uniq[len(uniq)-1]
			if f.num*last.den != last.num*f.den {
				uniq = append(uniq, f)
			}
		}
		uniq = append(uniq, frac{1, 1})
		for s := 0; s+1 < len(uniq); s++ {
			a, b := uniq[s], uniq[s+1]
			length := float64(b.num)/float64(b.den) - float64(a.num)/float64(a.den)
			panel := make([]int, 0, m.k)
			for t, x := range counts {
				mem := m.types[t].members
				n := len(mem)
				if x == 0 {
					continue
				}
				if x == n {
					panel = append(panel, mem...)
					continue
				}
				r := int64(n / gcd(n, x))
				j := a.num * r / a.den // rotation index: floor(a·R)
				start := int(j*int64(x)) % n
				for i := 0; i < x; i++ {
					panel = append(panel, mem[(start+i)%n])
				}
			}
			add(panel, probs[c]*length)
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
	}
	// The dense LP costs O(n³); for large pools the exact expansion is kept.
	if len(panels) <= m.n()+1 || m.n() > maxReduceSupport {
		return panels, pp, nil
	}
	rp, rprobs, err := m.reduceSupport(panels, pp)
	if err != nil {
		// The exact expansion is still a valid, exact distribution.
		return panels, pp, nil
	}
	return rp, rprobs, nil
}

// reduceSupport finds a basic solution of {p ≥ 0 : Σp = 1, marginals equal
// to those of the given distribution}.
func (m *model) reduceSupport(panels [][]int, probs []float64) ([][]int, []float64, error) {
	n := m.n()
	marg := make([]float64, n)
	for c, p := range panels {
		for _, i := range p {
			marg[i] += probs[c]
		}
	}
	lo := make([]float64, n+1)
	hi := make([]float64, n+1)
	copy(lo, marg)
	copy(hi, marg)
	lo[n], hi[n] = 1, 1
	lp := newLPSolver(lo, hi)
	// The reduction only makes the published distribution smaller, so it
	// gets a budget: near-degenerate inputs needed 15,000–60,000 pivots
	// (4–15 s for 300 applicants) where typical ones need under 1,000.
	// Over budget, the exact expansion is kept.
	lp.maxIter = reduceSupportPivots * (n + 1)
	vars := make([]int, len(panels))
	for c, p := range panels {
		e := make([]lpEntry, 0, len(p)+1)
		for _, i := range p {
			e = append(e, lpEntry{i, 1})
		}
		e = append(e, lpEntry{n, 1})
		vars[c] = lp.addColumn(0, 0, lpInf, e)
	}
	st, err := lp.solve()
	if err != nil {
		return nil, nil, err
	}
	if st != lpOptimal {
		return nil, nil, fmt.Errorf("support reduction: %v", st)
	}
	var out [][]int
	var op []float64
	total := 0.0
	for c, v := range vars {
		if p := lp.x[v]; p > 1e-13 {
			out = append(out, panels[c])
			op = append(op, p)
			total += p
		}
	}
	got := make([]float64, n)
	for c, p := range out {
		op[c] /= total
		for _, i := range p {
			got[i] += op[c]
		}
	}
	for i := range got {
		if math.Abs(got[i]-marg[i]) > 1e-8 {
			return nil, nil, fmt.Errorf("support reduction: marginal of %s off by %g", m.ids[i], got[i]-marg[i])
		}
	}
	return out, op, nil
}

// maxReduceSupport is the largest pool for which the support is reduced.
const maxReduceSupport = 400

// reduceSupportPivots times the number of rows is the pivot budget of the
// support reduction.
const reduceSupportPivots = 10

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func gcd64(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func intsKey(xs []int) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteString(strconv.Itoa(x))
		b.WriteByte(',')
	}
	return b.String()
}
