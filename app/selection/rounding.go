package selection

import (
	"fmt"
	"math"
	"slices"
)

// DefaultListSize is the number of entries of the public panel list.
const DefaultListSize = 1000

// PanelList is a distribution rounded to a list of equally likely entries:
// drawing a uniformly random entry approximates drawing from the
// distribution.
type PanelList struct {
	// Panels has exactly N entries, each a panel as sorted ids.
	Panels [][]string `json:"panels"`
	// MaxPanelDeviation is max |count/N − probability| over the panels of
	// the distribution; always below 1/N.
	MaxPanelDeviation float64 `json:"max_panel_deviation"`
	// MaxIndividualDeviation is max |frequency in the list − probability|
	// over all applicants.
	MaxIndividualDeviation float64 `json:"max_individual_deviation"`
	// WorstID is an applicant attaining MaxIndividualDeviation.
	WorstID string `json:"worst_id"`
}

// Round rounds the distribution to a list of n panels (n = 1000 for draws).
// Every panel gets ⌊n·p⌋ or ⌈n·p⌉ entries (so its frequency is within 1/n
// of its probability); which panels are rounded up is chosen to keep every
// applicant's frequency close to their probability: greedily minimising
// the sum of squared individual deviations, then exchanging round-ups to
// lower the largest one (in the spirit of Flanigan, Kehne, Procaccia, "Fair
// sortition made transparent", 2021).
func Round(d *Distribution, n int) (*PanelList, error) {
	if n < 1 {
		return nil, fmt.Errorf("selection: list size %d must be positive", n)
	}
	if len(d.Panels) == 0 {
		return nil, fmt.Errorf("selection: empty distribution")
	}
	idx := make(map[string]int, len(d.People))
	target := make([]float64, len(d.People))
	for i, p := range d.People {
		idx[p.ID] = i
		target[i] = p.Probability * float64(n)
	}
	P := len(d.Panels)
	members := make([][]int, P)
	count := make([]int, P)
	rem := make([]float64, P)
	cnt := make([]float64, len(d.People))
	total := 0
	for c, wp := range d.Panels {
		for _, id := range wp.IDs {
			i, ok := idx[id]
			if !ok {
				return nil, fmt.Errorf("selection: panel member %q has no probability", id)
			}
			members[c] = append(members[c], i)
		}
		f := wp.Probability * float64(n)
		base := math.Floor(f + 1e-9)
		count[c] = int(base)
		rem[c] = f - base
		total += count[c]
		for _, i := range members[c] {
			cnt[i] += base
		}
	}
	need := n - total
	up := make([]bool, P)
	eligible := func(c int) bool { return !up[c] && rem[c] > 1e-9 }
	for ; need > 0; need-- {
		best, bestScore := -1, math.Inf(1)
		for c := 0; c < P; c++ {
			if !eligible(c) {
				continue
			}
			score := 0.0
			for _, i := range members[c] {
				score += 2*(cnt[i]-target[i]) + 1
			}
			if score < bestScore-1e-12 || (math.Abs(score-bestScore) <= 1e-12 && rem[c] > rem[best]) {
				best, bestScore = c, score
			}
		}
		if best < 0 {
			// Only possible through rounding noise: take the largest remainder.
			for c := 0; c < P; c++ {
				if !up[c] && (best < 0 || rem[c] > rem[best]) {
					best = c
				}
			}
		}
		up[best] = true
		count[best]++
		for _, i := range members[best] {
			cnt[i]++
		}
	}
	if need < 0 {
		return nil, fmt.Errorf("selection: probabilities sum to more than 1")
	}
	improveMaxDeviation(members, up, rem, cnt, target, count)

	list := &PanelList{}
	for c, wp := range d.Panels {
		for j := 0; j < count[c]; j++ {
			list.Panels = append(list.Panels, wp.IDs)
		}
		list.MaxPanelDeviation = math.Max(list.MaxPanelDeviation, math.Abs(float64(count[c])/float64(n)-wp.Probability))
	}
	for i, p := range d.People {
		if dev := math.Abs(cnt[i]/float64(n) - p.Probability); dev > list.MaxIndividualDeviation || list.WorstID == "" {
			list.MaxIndividualDeviation, list.WorstID = dev, p.ID
		}
	}
	return list, nil
}

// improveMaxDeviation exchanges a rounded-up panel containing the worst
// over-represented (or lacking the worst under-represented) applicant for
// another eligible panel whenever that lowers the largest deviation.
func improveMaxDeviation(members [][]int, up []bool, rem, cnt, target []float64, count []int) {
	in := make([]bool, len(cnt))
	for iter := 0; iter < 2000; iter++ {
		worst, wdev := -1, 0.0
		for i := range cnt {
			if d := math.Abs(cnt[i] - target[i]); d > wdev {
				worst, wdev = i, d
			}
		}
		if worst < 0 || wdev < 0.5 {
			return
		}
		over := cnt[worst] > target[worst]
		// Candidates: drop a round-up that (does|doesn't) contain worst and
		// add one that (doesn't|does).
		bestOut, bestIn, bestGain := -1, -1, 0.0
		for a := range members {
			if !up[a] || slices.Contains(members[a], worst) != over {
				continue
			}
			for _, i := range members[a] {
				in[i] = true
			}
			for b := range members {
				if up[b] || rem[b] <= 1e-9 || slices.Contains(members[b], worst) == over {
					continue
				}
				// New deviations of affected people must stay below wdev.
				ok := true
				gain := 0.0
				for _, i := range members[b] {
					d := cnt[i] + 1 - target[i]
					if in[i] {
						d = cnt[i] - target[i]
					}
					if math.Abs(d) >= wdev {
						ok = false
						break
					}
					gain -= d*d - (cnt[i]-target[i])*(cnt[i]-target[i])
				}
				if !ok {
					continue
				}
				for _, i := range members[a] {
					if slices.Contains(members[b], i) {
						continue
					}
					d := cnt[i] - 1 - target[i]
					if math.Abs(d) >= wdev {
						ok = false
						break
					}
					gain -= d*d - (cnt[i]-target[i])*(cnt[i]-target[i])
				}
				if ok && (bestOut < 0 || gain > bestGain) {
					bestOut, bestIn, bestGain = a, b, gain
				}
			}
			for _, i := range members[a] {
				in[i] = false
			}
			if bestOut >= 0 && len(members) > 2000 {
				break // large supports: take the first improving exchange
			}
		}
		if bestOut < 0 {
			return
		}
		up[bestOut], up[bestIn] = false, true
		count[bestOut]--
		count[bestIn]++
		for _, i := range members[bestOut] {
			cnt[i]--
		}
		for _, i := range members[bestIn] {
			cnt[i]++
		}
	}
}
