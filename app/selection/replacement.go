package selection

import "fmt"

// Replacement is the result of NextReplacement.
type Replacement struct {
	ID       string `json:"id"`
	Position int    `json:"position"` // 0-based position in the waiting list
	// QuotasKept is true when the panel with ID satisfies every quota and
	// the household rule; otherwise Violations names what breaks.
	QuotasKept bool        `json:"quotas_kept"`
	Violations []Violation `json:"violations,omitempty"`
}

// NextReplacement finds who gets the seat when declined gives it back.
// selected is the current panel (including declined); exclude lists people
// who must not be offered a seat (e.g. earlier decliners from the waiting
// list). It returns the first person on the waiting list whose selection
// keeps all quotas satisfied; if nobody does, the first person with the
// fewest broken quotas, with the violations named.
func NextReplacement(d *Draw, selected []string, declined string, exclude ...string) (*Replacement, error) {
	if d.WaitingList == nil {
		return nil, fmt.Errorf("selection: draw has no waiting list yet (no seed applied)")
	}
	m, err := compile(d.poolFromDraw(), d.PanelSize)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{declined: true}
	for _, id := range exclude {
		skip[id] = true
	}
	var current []int
	found := false
	for _, id := range selected {
		skip[id] = true
		if id == declined {
			found = true
			continue
		}
		i, ok := m.index[id]
		if !ok {
			return nil, fmt.Errorf("selection: selected id %q is not in the pool", id)
		}
		current = append(current, i)
	}
	if !found {
		return nil, fmt.Errorf("selection: %q is not among the selected", declined)
	}
	var best *Replacement
	for pos, id := range d.WaitingList {
		if skip[id] {
			continue
		}
		i, ok := m.index[id]
		if !ok {
			continue
		}
		panel := append(append([]int(nil), current...), i)
		viol := m.violations(panel, len(panel))
		if len(viol) == 0 {
			return &Replacement{ID: id, Position: pos, QuotasKept: true}, nil
		}
		if best == nil || len(viol) < len(best.Violations) {
			best = &Replacement{ID: id, Position: pos, Violations: viol}
		}
	}
	if best == nil {
		return nil, fmt.Errorf("selection: waiting list exhausted")
	}
	return best, nil
}
