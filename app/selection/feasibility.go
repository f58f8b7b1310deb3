package selection

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// Infeasibility explains why no panel satisfies the quotas and proposes the
// smallest change that fixes it. It implements error.
type Infeasibility struct {
	PanelSize int `json:"panel_size"`
	// Changes is a smallest set of bound changes (minimal total change in
	// seats, found by an integer program) after which a panel exists.
	Changes []QuotaChange `json:"changes"`
}

// QuotaChange is one suggested change, in structured form for translation
// and with a German message for direct display.
type QuotaChange struct {
	Category string `json:"category,omitempty"`
	Value    string `json:"value,omitempty"`
	// Kind is "min" (lower the minimum), "max" (raise the maximum),
	// "min_above_max" (the minimum exceeds the maximum) or "panel_size"
	// (the panel is larger than the pool allows).
	Kind      string `json:"kind"`
	Current   int    `json:"current"`
	Suggested int    `json:"suggested"`
	Available int    `json:"available"` // applicants with this value (or eligible overall for panel_size)
	Message   string `json:"message"`
}

func (e *Infeasibility) Error() string {
	msgs := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		msgs[i] = c.Message
	}
	return "Quoten nicht erfüllbar: " + strings.Join(msgs, "; ")
}

// CheckFeasible reports whether some panel of size k satisfies all quotas
// and the household rule. It returns (nil, nil) when feasible, an
// *Infeasibility with suggested changes when not, and an error for invalid
// input (duplicate ids, unknown values, …).
func CheckFeasible(ctx context.Context, pool Pool, k int) (*Infeasibility, error) {
	m, err := compile(pool, k)
	if err != nil {
		return nil, err
	}
	return m.checkFeasible(ctx)
}

func (m *model) checkFeasible(ctx context.Context) (*Infeasibility, error) {
	inf := &Infeasibility{PanelSize: m.k}
	for _, ref := range m.values {
		if ref.min > ref.max {
			inf.Changes = append(inf.Changes, QuotaChange{Category: ref.category, Value: ref.value, Kind: "min_above_max",
				Current: ref.min, Suggested: ref.max, Available: ref.count,
				Message: fmt.Sprintf("Kategorie »%s«, Wert »%s«: Minimum %d ist größer als Maximum %d – Minimum auf %d senken",
					ref.category, ref.value, ref.min, ref.max, ref.max)})
		}
	}
	if len(inf.Changes) > 0 {
		return inf, nil
	}
	prog := newPanelProgram(m, false)
	found, proven, err := prog.findAny(ctx)
	if err != nil {
		return nil, fmt.Errorf("feasibility check: %w", err)
	}
	if found != nil {
		return nil, nil
	}
	if !proven {
		return nil, fmt.Errorf("feasibility check: search limit reached without a panel or a proof of infeasibility")
	}

	// Eligible people without quotas: one per household.
	eligible := len(m.ids)
	for _, h := range m.households {
		eligible -= len(h) - 1
	}
	if m.k > eligible {
		inf.Changes = append(inf.Changes, QuotaChange{Kind: "panel_size", Current: m.k, Suggested: eligible, Available: eligible,
			Message: fmt.Sprintf("Panelgröße %d verlangt, aber nur %d Bewerbungen (höchstens eine pro Haushalt) – Panelgröße auf %d senken",
				m.k, eligible, eligible)})
		return inf, nil
	}

	relax := newPanelProgram(m, true)
	res, err := relax.bb.solve(ctx, math.Inf(1), -1)
	if err != nil {
		return nil, fmt.Errorf("quota relaxation: %w", err)
	}
	if !res.found {
		return nil, fmt.Errorf("quota relaxation found no solution although the panel size fits the pool")
	}
	for v, ref := range m.values {
		catMin, catMax := 0, 0
		for _, w := range m.catValues[ref.cat] {
			catMin += m.values[w].min
			catMax += min(m.values[w].max, m.values[w].count)
		}
		if d := int(math.Round(res.x[relax.lower[v]])); d > 0 {
			c := QuotaChange{Category: ref.category, Value: ref.value, Kind: "min", Current: ref.min, Suggested: ref.min - d, Available: ref.count}
			switch {
			case ref.min > ref.count && c.Suggested == ref.count:
				c.Message = fmt.Sprintf("Kategorie »%s«, Wert »%s«: Mindestens %d verlangt, aber nur %d Bewerbungen – Minimum auf %d senken",
					ref.category, ref.value, ref.min, ref.count, c.Suggested)
			case catMin > m.k:
				c.Message = fmt.Sprintf("Kategorie »%s«, Wert »%s«: Mindestens %d verlangt, aber die Minima der Kategorie summieren sich auf %d bei %d Plätzen – Minimum auf %d senken",
					ref.category, ref.value, ref.min, catMin, m.k, c.Suggested)
			default:
				c.Message = fmt.Sprintf("Kategorie »%s«, Wert »%s«: Mindestens %d verlangt, im Zusammenspiel mit den anderen Quoten nicht erreichbar – Minimum auf %d senken",
					ref.category, ref.value, ref.min, c.Suggested)
			}
			inf.Changes = append(inf.Changes, c)
		}
		if d := int(math.Round(res.x[relax.raise[v]])); d > 0 {
			c := QuotaChange{Category: ref.category, Value: ref.value, Kind: "max", Current: ref.max, Suggested: ref.max + d, Available: ref.count}
			if catMax < m.k {
				c.Message = fmt.Sprintf("Kategorie »%s«, Wert »%s«: Höchstens %d erlaubt, aber die Maxima der Kategorie erlauben nur %d von %d Plätzen – Maximum auf %d erhöhen",
					ref.category, ref.value, ref.max, catMax, m.k, c.Suggested)
			} else {
				c.Message = fmt.Sprintf("Kategorie »%s«, Wert »%s«: Höchstens %d erlaubt, im Zusammenspiel mit den anderen Quoten zu wenig – Maximum auf %d erhöhen",
					ref.category, ref.value, ref.max, c.Suggested)
			}
			inf.Changes = append(inf.Changes, c)
		}
	}
	return inf, nil
}
