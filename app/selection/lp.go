package selection

import (
	"errors"
	"math"
)

// This file implements a small bounded revised simplex method with a dense
// explicit basis inverse. It is written for the LPs of this package: the
// leximin master problem (a few hundred rows, columns added one at a time),
// the LP relaxations inside branch and bound (a few dozen rows, bounds
// changed between nodes) and the support reduction of a distribution.
//
// Problem form:
//
//	minimise  c·x   subject to  rowLo ≤ A·x ≤ rowHi,  colLo ≤ x ≤ colHi.
//
// Every row i gets a "logical" variable r_i = A_i·x with bounds
// [rowLo_i, rowHi_i]; internally the constraints are A·x − r = 0. Logical i
// has variable index i, structural column j has index m+j. The all-logical
// basis (B = −I) is always a valid starting point, which makes warm starts
// robust: any basis can be repaired by falling back to logicals.
//
// Infeasible starting points are handled by a composite phase 1 that
// minimises the sum of bound violations, so a warm start after bound or row
// changes never needs artificial variables. Harris' two-pass ratio test and a
// switch to Bland's rule after long runs of degenerate pivots protect against
// the heavy degeneracy of leximin LPs.

const (
	lpFeasTol  = 1e-9  // primal feasibility tolerance
	lpOptTol   = 1e-9  // reduced-cost tolerance
	lpPivotTol = 1e-8  // smallest usable pivot element
	lpCrashTol = 1e-7  // smallest pivot accepted when rebuilding a basis
	lpInf      = 1e300 // "infinite" bound
)

type lpStatus int

const (
	lpOptimal lpStatus = iota
	lpInfeasible
	lpUnbounded
	lpIterLimit
)

func (s lpStatus) String() string {
	switch s {
	case lpOptimal:
		return "optimal"
	case lpInfeasible:
		return "infeasible"
	case lpUnbounded:
		return "unbounded"
	default:
		return "iteration limit"
	}
}

var debugLP = false

var errLPNumerics = errors.New("lp: numerical trouble")

type lpEntry struct {
	row int
	val float64
}

type lpSolver struct {
	m    int
	cols [][]lpEntry // structural columns; logical i has column −e_i
	cost []float64   // per variable (logicals 0)
	lo   []float64   // per variable
	hi   []float64   // per variable
	x    []float64   // per variable

	head []int     // head[r] = variable basic in row r
	pos  []int     // pos[v] = basis row of v, or −1
	binv []float64 // dense m×m inverse, row-major

	updates  int  // eta updates since the last refactorisation
	dirty    bool // basis matrix or nonbasic values changed: refactor before solving
	maxIter  int
	iters    int // iterations in the last solve
	refactor int // refactorisation interval

	// scratch
	alpha, y, rhs, cb []float64
}

func newLPSolver(rowLo, rowHi []float64) *lpSolver {
	m := len(rowLo)
	s := &lpSolver{m: m}
	s.cost = make([]float64, m)
	s.lo = append([]float64(nil), rowLo...)
	s.hi = append([]float64(nil), rowHi...)
	s.x = make([]float64, m)
	s.head = make([]int, m)
	s.pos = make([]int, m)
	for i := 0; i < m; i++ {
		s.head[i] = i
		s.pos[i] = i
	}
	s.binv = make([]float64, m*m)
	s.alpha = make([]float64, m)
	s.y = make([]float64, m)
	s.rhs = make([]float64, m)
	s.cb = make([]float64, m)
	s.refactor = 100
	if m > s.refactor {
		s.refactor = m
	}
	s.maxIter = 50000 + 50*m
	s.dirty = true
	return s
}

func (s *lpSolver) numVars() int { return len(s.x) }

// addColumn appends a structural column (nonbasic at its bound nearest zero)
// and returns its variable index.
func (s *lpSolver) addColumn(cost, lo, hi float64, entries []lpEntry) int {
	s.cols = append(s.cols, entries)
	s.cost = append(s.cost, cost)
	s.lo = append(s.lo, lo)
	s.hi = append(s.hi, hi)
	v := s.nonbasicValue(lo, hi, 0)
	s.x = append(s.x, v)
	s.pos = append(s.pos, -1)
	if v != 0 {
		s.dirty = true
	}
	return len(s.x) - 1
}

func (s *lpSolver) nonbasicValue(lo, hi, prefer float64) float64 {
	switch {
	case lo > -lpInf && hi < lpInf:
		if math.Abs(prefer-hi) < math.Abs(prefer-lo) {
			return hi
		}
		return lo
	case lo > -lpInf:
		return lo
	case hi < lpInf:
		return hi
	}
	return 0
}

// column returns the constraint column of variable v.
func (s *lpSolver) column(v int) []lpEntry {
	if v < s.m {
		return []lpEntry{{v, -1}}
	}
	return s.cols[v-s.m]
}

// setBounds changes the bounds of variable v (row logicals have index < m).
func (s *lpSolver) setBounds(v int, lo, hi float64) {
	s.lo[v], s.hi[v] = lo, hi
	if s.pos[v] < 0 {
		nv := s.nonbasicValue(lo, hi, s.x[v])
		if nv != s.x[v] {
			s.x[v] = nv
			s.dirty = true
		}
	}
}

func (s *lpSolver) setCost(v int, c float64) { s.cost[v] = c }

// setColumn replaces the entries of structural variable v.
func (s *lpSolver) setColumn(v int, entries []lpEntry) {
	s.cols[v-s.m] = entries
	s.dirty = true
}

// rebuild refactorises the current basis from scratch. Basic structural
// columns are pivoted into the all-logical basis one at a time; a column that
// has become linearly dependent is dropped (made nonbasic at a bound) and its
// row keeps a logical. This never fails, which is what makes warm starts safe.
func (s *lpSolver) rebuild() {
	m := s.m
	want := make([]int, 0, m)
	for r := 0; r < m; r++ {
		if s.head[r] >= m {
			want = append(want, s.head[r])
		}
	}
	wantLogical := make([]bool, m)
	for r := 0; r < m; r++ {
		if s.head[r] < m {
			wantLogical[s.head[r]] = true
		}
	}
	for v := range s.pos {
		s.pos[v] = -1
	}
	for i := range s.binv {
		s.binv[i] = 0
	}
	for r := 0; r < m; r++ {
		s.head[r] = r
		s.pos[r] = r
		s.binv[r*m+r] = -1
	}
	for _, v := range want {
		s.ftran(v)
		best, br := lpCrashTol, -1
		for r := 0; r < m; r++ {
			h := s.head[r]
			if h < m && !wantLogical[h] {
				if a := math.Abs(s.alpha[r]); a > best {
					best, br = a, r
				}
			}
		}
		if br < 0 {
			s.x[v] = s.nonbasicValue(s.lo[v], s.hi[v], s.x[v])
			continue
		}
		old := s.head[br]
		s.pivot(br, v)
		s.pos[old] = -1
		s.x[old] = s.nonbasicValue(s.lo[old], s.hi[old], s.x[old])
	}
	s.updates = 0
	s.computeBasic()
	s.dirty = false
}

// computeBasic sets x_B = −B⁻¹·N·x_N.
func (s *lpSolver) computeBasic() {
	m := s.m
	for i := range s.rhs {
		s.rhs[i] = 0
	}
	for v, xv := range s.x {
		if s.pos[v] >= 0 || xv == 0 {
			continue
		}
		if v < m {
			s.rhs[v] -= xv
			continue
		}
		for _, e := range s.cols[v-m] {
			s.rhs[e.row] += e.val * xv
		}
	}
	for r := 0; r < m; r++ {
		row := s.binv[r*m : r*m+m]
		sum := 0.0
		for i, b := range s.rhs {
			if b != 0 {
				sum += row[i] * b
			}
		}
		s.x[s.head[r]] = -sum
	}
}

// ftran computes alpha = B⁻¹·a_v.
func (s *lpSolver) ftran(v int) {
	m := s.m
	for r := range s.alpha {
		s.alpha[r] = 0
	}
	if v < m {
		for r := 0; r < m; r++ {
			s.alpha[r] = -s.binv[r*m+v]
		}
		return
	}
	for _, e := range s.cols[v-m] {
		for r := 0; r < m; r++ {
			s.alpha[r] += s.binv[r*m+e.row] * e.val
		}
	}
}

// pivot makes v basic in row r using the current alpha (= B⁻¹·a_v).
func (s *lpSolver) pivot(r, v int) {
	m := s.m
	p := s.alpha[r]
	pr := s.binv[r*m : r*m+m]
	inv := 1 / p
	for i := range pr {
		pr[i] *= inv
	}
	for i := 0; i < m; i++ {
		a := s.alpha[i]
		if i == r || a == 0 {
			continue
		}
		ri := s.binv[i*m : i*m+m]
		for j, b := range pr {
			if b != 0 {
				ri[j] -= a * b
			}
		}
	}
	s.pos[s.head[r]] = -1
	s.head[r] = v
	s.pos[v] = r
	s.updates++
}

// dot returns y·a_v.
func (s *lpSolver) dot(y []float64, v int) float64 {
	if v < s.m {
		return -y[v]
	}
	sum := 0.0
	for _, e := range s.cols[v-s.m] {
		sum += y[e.row] * e.val
	}
	return sum
}

// solve runs the simplex method from the current basis.
func (s *lpSolver) solve() (lpStatus, error) {
	m := s.m
	if s.dirty {
		s.rebuild()
	}
	degenerate := 0
	s.iters = 0
	ftol := lpFeasTol
	verified := false
	for ; s.iters < s.maxIter; s.iters++ {
		if s.updates >= s.refactor {
			s.rebuild()
		}
		// Phase costs: violated basics drive a sum-of-infeasibilities objective.
		phase1 := false
		for r := 0; r < m; r++ {
			h := s.head[r]
			switch {
			case s.x[h] < s.lo[h]-ftol:
				s.cb[r] = -1
				phase1 = true
			case s.x[h] > s.hi[h]+ftol:
				s.cb[r] = 1
				phase1 = true
			default:
				s.cb[r] = 0
			}
		}
		if !phase1 {
			for r := 0; r < m; r++ {
				s.cb[r] = s.cost[s.head[r]]
			}
		}
		for k := 0; k < m; k++ {
			s.y[k] = 0
		}
		for r := 0; r < m; r++ {
			c := s.cb[r]
			if c == 0 {
				continue
			}
			row := s.binv[r*m : r*m+m]
			for k, b := range row {
				s.y[k] += c * b
			}
		}

		// Pricing: Dantzig's rule, Bland's rule after many degenerate pivots.
		bland := degenerate > 50
		q, qdir, best := -1, 0.0, 0.0
		for v := range s.x {
			if s.pos[v] >= 0 || s.lo[v] == s.hi[v] {
				continue
			}
			c := 0.0
			if !phase1 {
				c = s.cost[v]
			}
			d := c - s.dot(s.y, v)
			dir := 0.0
			xv := s.x[v]
			if d < -lpOptTol && xv < s.hi[v] {
				dir = 1
			} else if d > lpOptTol && xv > s.lo[v] {
				dir = -1
			}
			if dir == 0 {
				continue
			}
			if bland {
				q, qdir = v, dir
				break
			}
			if math.Abs(d) > best {
				best, q, qdir = math.Abs(d), v, dir
			}
		}
		if q < 0 {
			if phase1 {
				// Stalled with violations at rounding level: accept them by
				// widening the tolerance instead of declaring infeasibility.
				worst := 0.0
				for r := 0; r < m; r++ {
					h := s.head[r]
					worst = math.Max(worst, math.Max(s.lo[h]-s.x[h], s.x[h]-s.hi[h]))
				}
				if worst < 1e-6 && ftol < worst {
					ftol = worst * 1.01
					continue
				}
				if debugLP {
					println("phase1 stall worst", worst, "iters", s.iters)
				}
				return lpInfeasible, nil
			}
			if s.updates > 0 && !verified {
				// Confirm optimality on freshly computed values: eta updates
				// accumulate rounding error.
				verified = true
				s.rebuild()
				continue
			}
			return lpOptimal, nil
		}
		s.ftran(q)

		// Harris ratio test, pass 1: largest step with bounds relaxed by tol.
		thetaMax := lpInf
		if s.hi[q] < lpInf && s.lo[q] > -lpInf {
			thetaMax = s.hi[q] - s.lo[q]
		}
		flip := thetaMax < lpInf
		// limit returns the step at which basic row r blocks and the bound it
		// then sits on.
		limit := func(r int, relax float64) (float64, float64, bool) {
			a := s.alpha[r]
			if math.Abs(a) < lpPivotTol {
				return 0, 0, false
			}
			h := s.head[r]
			delta := -qdir * a
			xv := s.x[h]
			lo, hi := s.lo[h], s.hi[h]
			if delta < 0 {
				if xv > hi+ftol { // infeasible above: breakpoint at hi
					return (xv - hi + relax) / -delta, hi, true
				}
				if xv < lo-ftol || lo <= -lpInf {
					return 0, 0, false
				}
				return (xv - lo + relax) / -delta, lo, true
			}
			if xv < lo-ftol {
				return (lo - xv + relax) / delta, lo, true
			}
			if xv > hi+ftol || hi >= lpInf {
				return 0, 0, false
			}
			return (hi - xv + relax) / delta, hi, true
		}
		for r := 0; r < m; r++ {
			if t, _, ok := limit(r, ftol); ok && t < thetaMax {
				thetaMax = t
				flip = false
			}
		}
		if thetaMax >= lpInf {
			if phase1 {
				return lpInfeasible, errLPNumerics
			}
			return lpUnbounded, nil
		}
		// Pass 2: among rows blocking within thetaMax pick the largest pivot.
		leave, bigA, theta, target := -1, 0.0, 0.0, 0.0
		if !flip {
			for r := 0; r < m; r++ {
				t, b, ok := limit(r, 0)
				if !ok || t > thetaMax {
					continue
				}
				if a := math.Abs(s.alpha[r]); a > bigA {
					bigA, leave, theta, target = a, r, t, b
				}
			}
			if leave < 0 {
				flip = true
			}
		}
		if flip {
			theta = s.hi[q] - s.lo[q]
		}
		if theta < 0 {
			theta = 0
		}
		if theta <= ftol {
			degenerate++
		} else {
			degenerate = 0
		}
		step := qdir * theta
		s.x[q] += step
		for r := 0; r < m; r++ {
			if a := s.alpha[r]; a != 0 {
				s.x[s.head[r]] -= step * a
			}
		}
		if flip {
			if qdir > 0 {
				s.x[q] = s.hi[q]
			} else {
				s.x[q] = s.lo[q]
			}
			continue
		}
		// The leaving variable goes exactly to the bound it reached.
		s.x[s.head[leave]] = target
		s.pivot(leave, q)
		if math.Abs(s.alpha[leave]) < 1e-7 {
			// A tiny pivot: refactor soon and recompute values exactly.
			s.rebuild()
		}
	}
	return lpIterLimit, nil
}

// duals returns the row duals y of the last optimal solve, defined by
// reduced cost d_j = c_j − Σ_i y_i A_ij.
func (s *lpSolver) duals() []float64 {
	m := s.m
	y := make([]float64, m)
	for r := 0; r < m; r++ {
		c := s.cost[s.head[r]]
		if c == 0 {
			continue
		}
		row := s.binv[r*m : r*m+m]
		for k, b := range row {
			y[k] += c * b
		}
	}
	return y
}

func (s *lpSolver) objective() float64 {
	sum := 0.0
	for v, c := range s.cost {
		sum += c * s.x[v]
	}
	return sum
}
