package selection

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// onePool builds a pool with one category "G" from value counts.
func onePool(counts map[string]int, quotas ...Quota) Pool {
	var p Pool
	p.Categories = []Category{{Name: "G", Values: quotas}}
	var vals []string
	for v := range counts {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	for _, v := range vals {
		for i := 0; i < counts[v]; i++ {
			p.People = append(p.People, Person{ID: fmt.Sprintf("%s%02d", v, i), Values: map[string]string{"G": v}})
		}
	}
	return p
}

func mustCompute(t testing.TB, pool Pool, k int, alg Algorithm) *Distribution {
	t.Helper()
	d, err := Compute(context.Background(), pool, k, Options{Algorithm: alg})
	if err != nil {
		t.Fatalf("Compute(%s): %v", alg, err)
	}
	return d
}

// checkDistribution asserts that every panel satisfies the quotas, the
// probabilities sum to 1 and the marginals match.
func checkDistribution(t testing.TB, pool Pool, d *Distribution) {
	t.Helper()
	m, err := compile(pool, d.PanelSize)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	marg := map[string]float64{}
	for _, wp := range d.Panels {
		idx, bad := m.panelIndices(wp.IDs)
		if v := append(bad, m.violations(idx, d.PanelSize)...); len(v) > 0 {
			t.Fatalf("panel %v violates: %v", wp.IDs, v[0].Message)
		}
		if wp.Probability < -1e-12 {
			t.Fatalf("negative probability %g", wp.Probability)
		}
		sum += wp.Probability
		for _, id := range wp.IDs {
			marg[id] += wp.Probability
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("probabilities sum to %.12f", sum)
	}
	for _, p := range d.People {
		if math.Abs(marg[p.ID]-p.Probability) > 1e-9 {
			t.Fatalf("marginal of %s: %g vs %g", p.ID, marg[p.ID], p.Probability)
		}
	}
}

func TestLeximinForcedByQuotas(t *testing.T) {
	// 4 people of value A, 6 of value B, k=2 with exactly one of each:
	// every A has 1/4, every B 1/6.
	pool := onePool(map[string]int{"A": 4, "B": 6}, Quota{"A", 1, 1}, Quota{"B", 1, 1})
	d := mustCompute(t, pool, 2, Leximin)
	checkDistribution(t, pool, d)
	for _, p := range d.People {
		want := 1.0 / 6
		if p.ID[0] == 'A' {
			want = 0.25
		}
		if math.Abs(p.Probability-want) > 1e-7 {
			t.Errorf("%s: probability %.9f, want %.9f", p.ID, p.Probability, want)
		}
	}
	if math.Abs(d.Stats.Min-1.0/6) > 1e-7 || math.Abs(d.Stats.Max-0.25) > 1e-7 {
		t.Errorf("stats %+v", d.Stats)
	}
}

func TestLeximinDiffersFromLegacy(t *testing.T) {
	// One A, three B, k=2, at least one B. Leximin gives everybody 1/2.
	// Legacy first seats a B (its minimum is unmet), then draws uniformly
	// among the three others: A gets only 1/3.
	pool := onePool(map[string]int{"A": 1, "B": 3}, Quota{"A", 0, 1}, Quota{"B", 1, 2})
	lex := mustCompute(t, pool, 2, Leximin)
	checkDistribution(t, pool, lex)
	for _, p := range lex.People {
		if math.Abs(p.Probability-0.5) > 1e-7 {
			t.Errorf("leximin %s: %.9f, want 0.5", p.ID, p.Probability)
		}
	}
	leg, err := Compute(context.Background(), pool, 2, Options{Algorithm: Legacy, LegacyRuns: 20000})
	if err != nil {
		t.Fatal(err)
	}
	checkDistribution(t, pool, leg)
	a := leg.People[0]
	if a.ID != "A00" || math.Abs(a.Probability-1.0/3) > 5*a.StdErr {
		t.Errorf("legacy A: %.4f ± %.4f, want 1/3", a.Probability, a.StdErr)
	}
	if leg.MonteCarlo == nil || leg.MonteCarlo.Runs != 20000 {
		t.Errorf("monte carlo info %+v", leg.MonteCarlo)
	}
	if lex.Stats.Min <= leg.Stats.Min {
		t.Errorf("leximin min %.4f not above legacy min %.4f", lex.Stats.Min, leg.Stats.Min)
	}
}

func TestLeximinSecondLevel(t *testing.T) {
	// The leximin order matters beyond the minimum: A (2 people) must fill
	// exactly one of 3 seats, B (2) and C (8) share the rest with at most
	// one C. Minimum is A's 1/2; B then gets (2−E[C])/2 with E[C]=1 ⇒ 1/2,
	// C gets 1/8.
	pool := onePool(map[string]int{"A": 2, "B": 2, "C": 8}, Quota{"A", 1, 1}, Quota{"B", 0, 2}, Quota{"C", 0, 1})
	d := mustCompute(t, pool, 3, Leximin)
	checkDistribution(t, pool, d)
	got := map[byte]float64{}
	for _, p := range d.People {
		got[p.ID[0]] = p.Probability
	}
	// C people can get at most 1/8 each (one seat); leximin maximises C
	// first: E[C]=1 → C = 1/8, then A and B = 1/2.
	if math.Abs(got['C']-0.125) > 1e-7 || math.Abs(got['A']-0.5) > 1e-7 || math.Abs(got['B']-0.5) > 1e-7 {
		t.Errorf("probabilities %v", got)
	}
}

// TestCertificateDualBound checks the optimality proof: the dual weights
// are a probability vector and, by brute force over every panel, no panel
// has more weight than Bound; Bound is within 1e-6 of the achieved minimum.
func TestCertificateDualBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 8; trial++ {
		pool, k := randomTinyPool(rng, trial%3 == 0)
		d, err := Compute(context.Background(), pool, k, Options{})
		if err != nil {
			var inf *Infeasibility
			if asInf(err, &inf) {
				continue
			}
			t.Fatal(err)
		}
		c := d.Certificate
		if c == nil || !c.Proven {
			t.Fatalf("no proven certificate: %+v", c)
		}
		sum := 0.0
		for _, w := range c.Weights {
			if w < 0 {
				t.Fatalf("negative weight")
			}
			sum += w
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("weights sum to %g", sum)
		}
		best := 0.0
		forEachPanel(t, pool, k, func(ids []string) {
			w := 0.0
			for _, id := range ids {
				w += c.Weights[id]
			}
			best = math.Max(best, w)
		})
		if best > c.Bound+1e-9 {
			t.Fatalf("a panel has weight %.9f above the bound %.9f", best, c.Bound)
		}
		if c.Bound-c.MinProbability > 1e-6 {
			t.Fatalf("gap %.3g between bound %.9f and achieved %.9f", c.Bound-c.MinProbability, c.Bound, c.MinProbability)
		}
	}
}

func asInf(err error, target **Infeasibility) bool {
	inf, ok := err.(*Infeasibility)
	if ok {
		*target = inf
	}
	return ok
}

// randomTinyPool makes a pool small enough to enumerate every panel.
func randomTinyPool(rng *rand.Rand, households bool) (Pool, int) {
	n := 5 + rng.IntN(6)
	k := 2 + rng.IntN(3)
	var pool Pool
	cats := 1 + rng.IntN(2)
	for c := 0; c < cats; c++ {
		cat := Category{Name: fmt.Sprintf("C%d", c)}
		nv := 2 + rng.IntN(2)
		for v := 0; v < nv; v++ {
			lo := rng.IntN(2)
			cat.Values = append(cat.Values, Quota{Value: fmt.Sprintf("v%d", v), Min: lo, Max: lo + rng.IntN(k)})
		}
		pool.Categories = append(pool.Categories, cat)
	}
	for i := 0; i < n; i++ {
		p := Person{ID: fmt.Sprintf("id%02d", i), Values: map[string]string{}}
		for _, c := range pool.Categories {
			p.Values[c.Name] = c.Values[rng.IntN(len(c.Values))].Value
		}
		if households && rng.IntN(3) == 0 {
			p.Household = fmt.Sprintf("h%d", rng.IntN(2))
		}
		pool.People = append(pool.People, p)
	}
	return pool, k
}

// forEachPanel enumerates every quota-satisfying panel.
func forEachPanel(t testing.TB, pool Pool, k int, fn func(ids []string)) {
	m, err := compile(pool, k)
	if err != nil {
		t.Fatal(err)
	}
	n := m.n()
	cur := make([]int, 0, k)
	var rec func(start int)
	rec = func(start int) {
		if len(cur) == k {
			if len(m.violations(cur, k)) == 0 {
				fn(m.panelIDs(cur))
			}
			return
		}
		for i := start; i < n; i++ {
			cur = append(cur, i)
			rec(i + 1)
			cur = cur[:len(cur)-1]
		}
	}
	rec(0)
}

// TestLeximinAgainstBruteForce compares the column-generation result with
// the maximin LP over the complete list of panels on random tiny pools.
func TestLeximinAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 1))
	checked := 0
	for trial := 0; trial < 80; trial++ {
		pool, k := randomTinyPool(rng, trial%2 == 0)
		var panels [][]string
		forEachPanel(t, pool, k, func(ids []string) { panels = append(panels, ids) })
		d, err := Compute(context.Background(), pool, k, Options{})
		if len(panels) == 0 {
			if _, ok := err.(*Infeasibility); !ok {
				t.Fatalf("trial %d: no panel exists but Compute returned %v", trial, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		checkDistribution(t, pool, d)
		want := bruteMaximin(t, pool, panels)
		// Compare the minimum over people who can be selected at all.
		got := math.Inf(1)
		selectable := map[string]bool{}
		for _, p := range panels {
			for _, id := range p {
				selectable[id] = true
			}
		}
		for _, p := range d.People {
			if selectable[p.ID] {
				got = math.Min(got, p.Probability)
			} else if p.Probability != 0 {
				t.Fatalf("trial %d: unselectable %s has probability %g", trial, p.ID, p.Probability)
			}
		}
		if math.Abs(got-want) > 1e-6 {
			t.Fatalf("trial %d: leximin min %.9f, brute-force maximin %.9f", trial, got, want)
		}
		checked++
	}
	if checked < 25 {
		t.Fatalf("only %d feasible random pools", checked)
	}
}

// bruteMaximin solves max z s.t. Σp=1, marginal_i ≥ z for every
// selectable person, over all panels, with the package's simplex.
func bruteMaximin(t testing.TB, pool Pool, panels [][]string) float64 {
	ids := map[string]int{}
	for _, p := range panels {
		for _, id := range p {
			if _, ok := ids[id]; !ok {
				ids[id] = len(ids)
			}
		}
	}
	n := len(ids)
	lo := make([]float64, n+1)
	hi := make([]float64, n+1)
	for i := 0; i < n; i++ {
		hi[i] = lpInf
	}
	lo[n], hi[n] = 1, 1
	lp := newLPSolver(lo, hi)
	var ze []lpEntry
	for i := 0; i < n; i++ {
		ze = append(ze, lpEntry{i, -1})
	}
	z := lp.addColumn(-1, 0, 1, ze)
	for _, p := range panels {
		e := []lpEntry{{n, 1}}
		for _, id := range p {
			e = append(e, lpEntry{ids[id], 1})
		}
		lp.addColumn(0, 0, lpInf, e)
	}
	st, err := lp.solve()
	if err != nil || st != lpOptimal {
		t.Fatalf("brute-force LP: %v %v", st, err)
	}
	return lp.x[z]
}

func TestHouseholdRule(t *testing.T) {
	// Two people share a household; no panel may contain both, and they
	// are otherwise interchangeable with everybody else.
	pool := Pool{}
	for i := 0; i < 6; i++ {
		p := Person{ID: fmt.Sprintf("p%d", i)}
		if i < 2 {
			p.Household = "Musterstraße 1"
		}
		pool.People = append(pool.People, p)
	}
	d := mustCompute(t, pool, 4, Leximin)
	checkDistribution(t, pool, d)
	// Without the rule everyone would have 4/6. With it p0+p1 ≤ 1 per panel,
	// so leximin gives p0=p1=1/2 and the other four (4−1)/4 = 3/4.
	for _, p := range d.People {
		want := 0.75
		if p.ID == "p0" || p.ID == "p1" {
			want = 0.5
		}
		if math.Abs(p.Probability-want) > 1e-7 {
			t.Errorf("%s: %.9f, want %.9f", p.ID, p.Probability, want)
		}
	}
}

func TestGeneratedPoolQuotasAndRounding(t *testing.T) {
	pool, err := GeneratePool(GeneratorConfig{Seed: 11, People: 120, PanelSize: 15, Categories: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Some households to exercise the rule.
	for i := 0; i < 20; i += 2 {
		pool.People[i].Household = fmt.Sprintf("haus-%d", i)
		pool.People[i+1].Household = fmt.Sprintf("haus-%d", i)
	}
	d := mustCompute(t, pool, 15, Leximin)
	checkDistribution(t, pool, d)
	list, err := Round(d, 1000)
	if err != nil {
		t.Fatal(err)
	}
	checkList(t, pool, d, list, 1000)
	t.Logf("120/15/3: min %.4f max %.4f gini %.4f, %d panels, max individual deviation in list %.5f (%s)",
		d.Stats.Min, d.Stats.Max, d.Stats.Gini, len(d.Panels), list.MaxIndividualDeviation, list.WorstID)
}

func checkList(t testing.TB, pool Pool, d *Distribution, list *PanelList, n int) {
	t.Helper()
	if len(list.Panels) != n {
		t.Fatalf("list has %d entries", len(list.Panels))
	}
	m, _ := compile(pool, d.PanelSize)
	freq := map[string]int{}
	pers := map[string]int{}
	for _, ids := range list.Panels {
		idx, bad := m.panelIndices(ids)
		if v := append(bad, m.violations(idx, d.PanelSize)...); len(v) > 0 {
			t.Fatalf("list panel violates: %s", v[0].Message)
		}
		freq[fmt.Sprint(ids)]++
		for _, id := range ids {
			pers[id]++
		}
	}
	for _, wp := range d.Panels {
		if dev := math.Abs(float64(freq[fmt.Sprint(wp.IDs)])/float64(n) - wp.Probability); dev > 1.0/float64(n)+1e-12 {
			t.Fatalf("panel frequency off by %g", dev)
		}
	}
	maxDev := 0.0
	for _, p := range d.People {
		maxDev = math.Max(maxDev, math.Abs(float64(pers[p.ID])/float64(n)-p.Probability))
	}
	if math.Abs(maxDev-list.MaxIndividualDeviation) > 1e-12 {
		t.Fatalf("reported individual deviation %g, actual %g", list.MaxIndividualDeviation, maxDev)
	}
	if list.MaxPanelDeviation > 1.0/float64(n)+1e-12 {
		t.Fatalf("panel deviation %g", list.MaxPanelDeviation)
	}
}

func TestUniformNoQuotas(t *testing.T) {
	pool := Pool{}
	for i := 0; i < 7; i++ {
		pool.People = append(pool.People, Person{ID: fmt.Sprintf("u%d", i)})
	}
	for _, alg := range []Algorithm{Uniform, Leximin} {
		d := mustCompute(t, pool, 3, alg)
		checkDistribution(t, pool, d)
		for _, p := range d.People {
			if math.Abs(p.Probability-3.0/7) > 1e-7 {
				t.Errorf("%s %s: %.9f", alg, p.ID, p.Probability)
			}
		}
		if d.Stats.Gini > 1e-7 {
			t.Errorf("%s gini %g", alg, d.Stats.Gini)
		}
	}
	if _, err := Compute(context.Background(), onePool(map[string]int{"A": 3}, Quota{"A", 0, 3}), 2, Options{Algorithm: Uniform}); err == nil {
		t.Errorf("uniform with quotas should fail")
	}
}

func TestComputeCancellation(t *testing.T) {
	pool, err := GeneratePool(GeneratorConfig{Seed: 5, People: 200, PanelSize: 20, Categories: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compute(ctx, pool, 20, Options{}); err == nil {
		t.Fatal("cancelled context should abort")
	}
}

func TestGini(t *testing.T) {
	if g := computeStats([]float64{0, 0, 0, 1}).Gini; math.Abs(g-0.75) > 1e-12 {
		t.Errorf("gini %g, want 0.75", g)
	}
	if g := computeStats([]float64{0.2, 0.2}).Gini; g != 0 {
		t.Errorf("gini %g, want 0", g)
	}
}
