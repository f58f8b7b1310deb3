package selection

import "errors"

// Errors of the uniform algorithm, which has no quotas.
var (
	ErrUniformQuotas     = errors.New("selection: algorithm uniform does not support quotas (use leximin)")
	ErrUniformHouseholds = errors.New("selection: algorithm uniform does not support the household rule (use leximin)")
)

// uniform is the plain lottery: every applicant has probability k/n. The
// distribution consists of the n "windows" of k consecutive applicants (in
// id order, cyclically), each with probability 1/n, which gives every
// applicant exactly k/n with a small, listable support.
func uniform(m *model) (*Distribution, error) {
	if len(m.values) > 0 {
		return nil, ErrUniformQuotas
	}
	if len(m.households) > 0 {
		return nil, ErrUniformHouseholds
	}
	n := m.n()
	d := &Distribution{}
	if m.k == n {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		m.finish(d, [][]int{all}, []float64{1})
		return d, nil
	}
	panels := make([][]int, n)
	probs := make([]float64, n)
	for s := 0; s < n; s++ {
		p := make([]int, m.k)
		for j := range p {
			p[j] = (s + j) % n
		}
		panels[s] = p
		probs[s] = 1 / float64(n)
	}
	m.finish(d, panels, probs)
	return d, nil
}
