package selection

import (
	"encoding/hex"
	"fmt"
	"math"
	"strings"
)

// VerifyProblem is one failed check of a draw document.
type VerifyProblem struct {
	// Code names what failed: "format_version", "pool", "pool_hash",
	// "panel_list", "panels_hash", "distribution", "probabilities",
	// "rounding", "seed", "chosen_index", "selected", "waiting_list".
	Code    string `json:"code"`
	Message string `json:"message"`
}

// VerifyError lists every failed check.
type VerifyError struct {
	Problems []VerifyProblem
}

func (e *VerifyError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Code + ": " + p.Message
	}
	return "Prüfung fehlgeschlagen: " + strings.Join(parts, "; ")
}

// Has reports whether a problem with the given code was found.
func (e *VerifyError) Has(code string) bool {
	for _, p := range e.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// Verify recomputes everything that a draw document allows to check: the
// pool hash from the listed pool; that every listed panel and every panel of
// the distribution has the panel size, satisfies the quotas and the
// household rule; the panel list hash; that the probabilities are the
// marginals of the distribution and that the list frequencies are within
// 1/N of the distribution; and, once a seed is present, the chosen index,
// the selected panel and the waiting list. It returns nil or a *VerifyError
// naming every failed check. checks (optional) receives a line per check.
func Verify(d *Draw) error { return verify(d, nil) }

func verify(d *Draw, checks func(ok bool, msg string)) error {
	ve := &VerifyError{}
	fail := func(code, format string, args ...any) {
		ve.Problems = append(ve.Problems, VerifyProblem{Code: code, Message: fmt.Sprintf(format, args...)})
	}
	note := func(ok bool, msg string) {
		if checks != nil {
			checks(ok, msg)
		}
	}
	if d.FormatVersion != DrawFormatVersion {
		fail("format_version", "format_version %d wird nicht unterstützt (erwartet %d)", d.FormatVersion, DrawFormatVersion)
		return ve
	}
	m, err := compile(d.poolFromDraw(), d.PanelSize)
	if err != nil {
		fail("pool", "Pool ungültig: %v", err)
		return ve
	}
	h := PoolHashOfEntries(d.Categories, d.Pool)
	if got := hex.EncodeToString(h[:]); got != d.PoolHash {
		fail("pool_hash", "Pool-Hash der Liste ist %s, im Dokument steht %s", got, d.PoolHash)
	}
	note(!ve.Has("pool_hash"), fmt.Sprintf("Pool-Hash %s (%d Personen)", d.PoolHash, len(d.Pool)))

	// Panel list: every entry must be a valid panel.
	bad := 0
	for e, ids := range d.Panels {
		idx, unknown := m.panelIndices(ids)
		viol := append(unknown, m.violations(idx, d.PanelSize)...)
		sorted := true
		for j := 1; j < len(ids); j++ {
			if ids[j-1] >= ids[j] {
				sorted = false
			}
		}
		if len(viol) > 0 || !sorted {
			bad++
			if bad <= 5 {
				msg := "Ids nicht sortiert"
				if len(viol) > 0 {
					msg = viol[0].Message
				}
				fail("panel_list", "Listeneintrag %d ungültig: %s", e, msg)
			}
		}
	}
	if bad > 5 {
		fail("panel_list", "insgesamt %d ungültige Listeneinträge", bad)
	}
	if got := PanelsHash(d.Panels); got != d.PanelsHash {
		fail("panels_hash", "Hash der Panelliste ist %s, im Dokument steht %s", got, d.PanelsHash)
	}
	note(!ve.Has("panel_list") && !ve.Has("panels_hash"), fmt.Sprintf("%d Panels in der Liste erfüllen alle Quoten, Listen-Hash %s", len(d.Panels), d.PanelsHash))

	// Distribution, probabilities and rounding.
	sum := 0.0
	marg := map[string]float64{}
	probOf := map[string]float64{}
	for c, wp := range d.Distribution {
		idx, unknown := m.panelIndices(wp.IDs)
		if viol := append(unknown, m.violations(idx, d.PanelSize)...); len(viol) > 0 {
			fail("distribution", "Panel %d der Verteilung ungültig: %s", c, viol[0].Message)
		}
		if wp.Probability < 0 {
			fail("distribution", "Panel %d der Verteilung hat negative Wahrscheinlichkeit", c)
		}
		sum += wp.Probability
		for _, id := range wp.IDs {
			marg[id] += wp.Probability
		}
		probOf[strings.Join(wp.IDs, "\t")] += wp.Probability
	}
	if len(d.Distribution) > 0 && math.Abs(sum-1) > 1e-6 {
		fail("distribution", "Wahrscheinlichkeiten der Verteilung summieren sich zu %.9f statt 1", sum)
	}
	for _, p := range d.Probabilities {
		if math.Abs(marg[p.ID]-p.Probability) > 1e-6 {
			fail("probabilities", "Auswahlwahrscheinlichkeit von %s ist %.9f, aus der Verteilung folgt %.9f", p.ID, p.Probability, marg[p.ID])
			break
		}
	}
	if len(d.Distribution) > 0 && len(d.Panels) > 0 {
		n := float64(len(d.Panels))
		freq := map[string]int{}
		for _, ids := range d.Panels {
			freq[strings.Join(ids, "\t")]++
		}
		for key, c := range freq {
			if math.Abs(float64(c)/n-probOf[key]) > 1/n+1e-9 {
				fail("rounding", "ein Panel steht %d-mal in der Liste, seine Wahrscheinlichkeit ist aber %.6f", c, probOf[key])
				break
			}
		}
		for key, p := range probOf {
			if math.Abs(float64(freq[key])/n-p) > 1/n+1e-9 {
				fail("rounding", "ein Panel mit Wahrscheinlichkeit %.6f steht %d-mal in der Liste", p, freq[key])
				break
			}
		}
	}
	note(!ve.Has("distribution") && !ve.Has("probabilities") && !ve.Has("rounding"),
		fmt.Sprintf("Verteilung über %d Panels, Liste weicht je Panel höchstens 1/%d ab", len(d.Distribution), len(d.Panels)))

	if d.Seed == nil {
		note(true, "noch kein Seed: Auslosung nicht durchgeführt")
		if len(ve.Problems) > 0 {
			return ve
		}
		return nil
	}
	if d.ChosenIndex == nil {
		fail("chosen_index", "Seed vorhanden, aber kein chosen_index")
		return ve
	}
	idx := ChooseIndex(*d.Seed, h, len(d.Panels))
	var expected []string
	if idx < len(d.Panels) {
		expected = d.Panels[idx]
	}
	waiting := WaitingList(*d.Seed, h, d.notSelected(expected))
	indexOK := idx == *d.ChosenIndex
	waitOK := strings.Join(waiting, "\t") == strings.Join(d.WaitingList, "\t")
	switch {
	case !indexOK && !waitOK:
		fail("seed", "Seed %q ergibt Index %d und eine andere Warteliste; im Dokument steht Index %d (Seed oder Pool-Hash verändert)", *d.Seed, idx, *d.ChosenIndex)
	case !indexOK:
		fail("chosen_index", "aus Seed und Pool-Hash folgt Index %d, im Dokument steht %d", idx, *d.ChosenIndex)
	case !waitOK:
		fail("waiting_list", "die Warteliste entspricht nicht SHA-256(Seed ‖ Pool-Hash ‖ Id)")
	}
	if strings.Join(expected, "\t") != strings.Join(d.Selected, "\t") {
		fail("selected", "ausgewählt sind %v, Listeneintrag %d ist aber %v", d.Selected, idx, expected)
	}
	note(indexOK && waitOK && !ve.Has("selected"), fmt.Sprintf("Seed %q → Listeneintrag %d, %d Ausgewählte, Warteliste mit %d Personen", *d.Seed, idx, len(expected), len(waiting)))
	if len(ve.Problems) > 0 {
		return ve
	}
	return nil
}
