// Package selection draws fair, representative and publicly verifiable panels
// (e.g. the seats of a Werkstattgespräch) from a frozen pool of applicants.
//
// The organiser defines categories (e.g. »Stadtgebiet«, »Alter«) with a
// minimum and maximum number of seats per value. Compute finds a probability
// distribution over quota-satisfying panels – by default the leximin-optimal
// one (Flanigan et al., Nature 2021): the smallest selection probability of
// any applicant is as large as possible, then the second smallest, and so on.
// Round turns the distribution into a public list of 1,000 panels, and a Draw
// picks one entry of that list from a seed announced in advance, so that
// anybody can recompute the result with Verify.
//
// The package is pure Go: its own simplex method and branch and bound replace
// an external solver. See docs/selection.md for the exact procedures.
package selection

import (
	"fmt"
	"sort"
	"strings"
)

// Quota is the seat range for one value of a category.
type Quota struct {
	Value string `json:"value"`
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

// Category is a stratification dimension with the quotas of its values.
type Category struct {
	Name   string  `json:"name"`
	Values []Quota `json:"values"`
}

// Person is one applicant. Values maps every category name to the person's
// value. Household is optional: people with the same non-empty key are never
// selected together.
type Person struct {
	ID        string            `json:"id"`
	Values    map[string]string `json:"values,omitempty"`
	Household string            `json:"household,omitempty"`
}

// Pool is a frozen set of applicants together with the quotas. With no
// categories every panel of the right size is allowed (uniform lottery).
type Pool struct {
	Categories []Category `json:"categories"`
	People     []Person   `json:"people"`
}

// valueRef identifies one (category, value) pair; its index in model.values
// is used as the row of its quota constraint.
type valueRef struct {
	cat      int
	category string
	value    string
	min, max int
	count    int // applicants with this value
}

// model is a validated pool compiled to indices. People are sorted by ID so
// that every computation is independent of the order the platform read them
// from its database.
type model struct {
	k          int
	ids        []string
	index      map[string]int
	values     []valueRef
	catValues  [][]int // category → value indices
	personVals [][]int // person → value index per category
	household  []int   // person → household group (−1 if none or alone)
	households [][]int // multi-person households (person indices)
	types      []ptype
	typeOf     []int
}

// ptype is a set of interchangeable applicants: same value in every
// category and not bound by a shared household.
type ptype struct {
	members []int // person indices, sorted by ID
	vals    []int // value index per category
	hh      int   // household group for singleton household types, else −1
}

func (m *model) n() int { return len(m.ids) }

func hasBadChar(s string) bool { return strings.ContainsAny(s, "\t\r\n") }

// compile validates the pool and the panel size and builds the index model.
func compile(pool Pool, k int) (*model, error) {
	if k < 1 {
		return nil, fmt.Errorf("selection: panel size %d must be at least 1", k)
	}
	if len(pool.People) == 0 {
		return nil, fmt.Errorf("selection: pool is empty")
	}
	m := &model{k: k, index: make(map[string]int, len(pool.People))}
	catNames := map[string]bool{}
	valIndex := make([]map[string]int, len(pool.Categories))
	for ci, c := range pool.Categories {
		if c.Name == "" || hasBadChar(c.Name) {
			return nil, fmt.Errorf("selection: category %q: name must be non-empty without tabs or line breaks", c.Name)
		}
		if catNames[c.Name] {
			return nil, fmt.Errorf("selection: category %q defined twice", c.Name)
		}
		catNames[c.Name] = true
		if len(c.Values) == 0 {
			return nil, fmt.Errorf("selection: category %q has no values", c.Name)
		}
		valIndex[ci] = map[string]int{}
		var idx []int
		for _, q := range c.Values {
			if q.Value == "" || hasBadChar(q.Value) {
				return nil, fmt.Errorf("selection: category %q: value %q must be non-empty without tabs or line breaks", c.Name, q.Value)
			}
			if _, dup := valIndex[ci][q.Value]; dup {
				return nil, fmt.Errorf("selection: category %q: value %q defined twice", c.Name, q.Value)
			}
			if q.Min < 0 || q.Max < 0 {
				return nil, fmt.Errorf("selection: category %q, value %q: negative quota", c.Name, q.Value)
			}
			valIndex[ci][q.Value] = len(m.values)
			idx = append(idx, len(m.values))
			m.values = append(m.values, valueRef{cat: ci, category: c.Name, value: q.Value, min: q.Min, max: q.Max})
		}
		m.catValues = append(m.catValues, idx)
	}

	people := append([]Person(nil), pool.People...)
	sort.Slice(people, func(a, b int) bool { return people[a].ID < people[b].ID })
	for i, p := range people {
		if p.ID == "" || hasBadChar(p.ID) {
			return nil, fmt.Errorf("selection: person %q: id must be non-empty without tabs or line breaks", p.ID)
		}
		if i > 0 && people[i-1].ID == p.ID {
			return nil, fmt.Errorf("selection: person id %q occurs twice", p.ID)
		}
		m.index[p.ID] = i
		m.ids = append(m.ids, p.ID)
		vals := make([]int, len(pool.Categories))
		for ci, c := range pool.Categories {
			v, ok := p.Values[c.Name]
			if !ok {
				return nil, fmt.Errorf("selection: person %q has no value for category %q", p.ID, c.Name)
			}
			vi, ok := valIndex[ci][v]
			if !ok {
				return nil, fmt.Errorf("selection: person %q: value %q is not a value of category %q", p.ID, v, c.Name)
			}
			vals[ci] = vi
			m.values[vi].count++
		}
		m.personVals = append(m.personVals, vals)
	}

	// Households: only keys shared by two or more people constrain anything.
	byKey := map[string][]int{}
	for i, p := range people {
		if p.Household != "" {
			byKey[p.Household] = append(byKey[p.Household], i)
		}
	}
	m.household = make([]int, len(people))
	for i := range m.household {
		m.household[i] = -1
	}
	var keys []string
	for key, members := range byKey {
		if len(members) > 1 {
			keys = append(keys, key)
		}
	}
	sort.Slice(keys, func(a, b int) bool { return byKey[keys[a]][0] < byKey[keys[b]][0] })
	for _, key := range keys {
		g := len(m.households)
		for _, i := range byKey[key] {
			m.household[i] = g
		}
		m.households = append(m.households, byKey[key])
	}

	// Types: identical value vectors are interchangeable unless a household
	// ties a person to somebody else; those people form singleton types.
	m.typeOf = make([]int, len(people))
	typeKey := map[string]int{}
	for i := range people {
		if m.household[i] >= 0 {
			m.typeOf[i] = len(m.types)
			m.types = append(m.types, ptype{members: []int{i}, vals: m.personVals[i], hh: m.household[i]})
			continue
		}
		key := fmt.Sprint(m.personVals[i])
		t, ok := typeKey[key]
		if !ok {
			t = len(m.types)
			typeKey[key] = t
			m.types = append(m.types, ptype{vals: m.personVals[i], hh: -1})
		}
		m.types[t].members = append(m.types[t].members, i)
		m.typeOf[i] = t
	}
	return m, nil
}

// Violation describes one broken rule of a panel.
type Violation struct {
	Category string `json:"category,omitempty"`
	Value    string `json:"value,omitempty"`
	// Kind is "min", "max", "household", "size", "unknown_id" or "duplicate_id".
	Kind    string `json:"kind"`
	Bound   int    `json:"bound"`
	Actual  int    `json:"actual"`
	Message string `json:"message"`
}

// violations checks a panel (person indices) against quotas, the household
// rule and the panel size.
func (m *model) violations(panel []int, wantSize int) []Violation {
	var out []Violation
	if len(panel) != wantSize {
		out = append(out, Violation{Kind: "size", Bound: wantSize, Actual: len(panel),
			Message: fmt.Sprintf("Panel hat %d statt %d Personen", len(panel), wantSize)})
	}
	counts := make([]int, len(m.values))
	seen := map[int]bool{}
	hh := map[int]int{}
	for _, i := range panel {
		if seen[i] {
			out = append(out, Violation{Kind: "duplicate_id", Message: fmt.Sprintf("Person %s doppelt im Panel", m.ids[i])})
		}
		seen[i] = true
		for _, v := range m.personVals[i] {
			counts[v]++
		}
		if g := m.household[i]; g >= 0 {
			hh[g]++
		}
	}
	for v, ref := range m.values {
		if counts[v] < ref.min {
			out = append(out, Violation{Category: ref.category, Value: ref.value, Kind: "min", Bound: ref.min, Actual: counts[v],
				Message: fmt.Sprintf("Kategorie »%s«, Wert »%s«: mindestens %d verlangt, %d im Panel", ref.category, ref.value, ref.min, counts[v])})
		}
		if counts[v] > ref.max {
			out = append(out, Violation{Category: ref.category, Value: ref.value, Kind: "max", Bound: ref.max, Actual: counts[v],
				Message: fmt.Sprintf("Kategorie »%s«, Wert »%s«: höchstens %d erlaubt, %d im Panel", ref.category, ref.value, ref.max, counts[v])})
		}
	}
	groups := make([]int, 0, len(hh))
	for g, c := range hh {
		if c > 1 {
			groups = append(groups, g)
		}
	}
	sort.Ints(groups)
	for _, g := range groups {
		out = append(out, Violation{Kind: "household", Bound: 1, Actual: hh[g],
			Message: fmt.Sprintf("%d Personen aus demselben Haushalt im Panel", hh[g])})
	}
	return out
}

// panelIndices maps ids to person indices; unknown ids are reported.
func (m *model) panelIndices(ids []string) ([]int, []Violation) {
	out := make([]int, 0, len(ids))
	var bad []Violation
	for _, id := range ids {
		i, ok := m.index[id]
		if !ok {
			bad = append(bad, Violation{Kind: "unknown_id", Message: fmt.Sprintf("Person %q ist nicht im Pool", id)})
			continue
		}
		out = append(out, i)
	}
	return out, bad
}

// panelIDs returns the sorted ids of a panel given as person indices.
func (m *model) panelIDs(panel []int) []string {
	ids := make([]string, len(panel))
	for j, i := range panel {
		ids[j] = m.ids[i]
	}
	sort.Strings(ids)
	return ids
}

// HasQuotas reports whether the pool needs the quota engine: categories or
// households. Without either every panel of the right size is allowed.
func (p Pool) HasQuotas() bool {
	if len(p.Categories) > 0 {
		return true
	}
	for _, x := range p.People {
		if x.Household != "" {
			return true
		}
	}
	return false
}
