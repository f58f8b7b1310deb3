package selection

import (
	"fmt"
	"io"
	"strings"
)

// writeReport writes the German human-readable summary (report.md).
func writeReport(w io.Writer, r *Report) error {
	d := r.Distribution
	var b strings.Builder
	fmt.Fprintf(&b, "# Auswahl: Bericht\n\n")
	fmt.Fprintf(&b, "## Pool\n\n- Bewerbungen: %d\n- Panelgröße: %d\n- Pool-Hash (SHA-256): `%s`\n- Listen-Hash (SHA-256): `%s`\n\n",
		len(r.Pool.People), d.PanelSize, r.Draw.PoolHash, r.Draw.PanelsHash)
	if len(r.Pool.Categories) > 0 {
		counts := map[string]int{}
		for _, p := range r.Pool.People {
			for c, v := range p.Values {
				counts[c+"\x00"+v]++
			}
		}
		fmt.Fprintf(&b, "## Quoten\n\n| Kategorie | Wert | Minimum | Maximum | Bewerbungen |\n|---|---|---:|---:|---:|\n")
		for _, c := range r.Pool.Categories {
			for _, q := range c.Values {
				fmt.Fprintf(&b, "| %s | %s | %d | %d | %d |\n", c.Name, q.Value, q.Min, q.Max, counts[c.Name+"\x00"+q.Value])
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "## Verfahren\n\n")
	switch d.Algorithm {
	case Leximin:
		fmt.Fprintf(&b, "Leximin (Flanigan u. a., Nature 2021): Unter allen Losverfahren, die nur quotengerechte Panels ziehen, "+
			"wird die kleinste Auswahlwahrscheinlichkeit maximiert, dann die zweitkleinste usw. "+
			"%d Personengruppen, %d Stufen, %d erzeugte Panels.\n", d.Info.Types, d.Info.Stages, d.Info.Columns)
		if c := d.Certificate; c != nil {
			fmt.Fprintf(&b, "\nOptimalitätsnachweis: Keine Verteilung kann allen auswählbaren Personen mehr als %.6f garantieren (duale Schranke, %s); erreicht: %.6f.\n",
				c.Bound, map[bool]string{true: "vollständig bewiesen", false: "Suchlimit erreicht"}[c.Proven], c.MinProbability)
		}
		if u := d.Info.Unselectable; len(u) > 0 {
			fmt.Fprintf(&b, "\n### Nicht auswählbar\n\n%d Personen können in keinem Panel sitzen, das alle Quoten erfüllt (Wahrscheinlichkeit 0); "+
				"ihre Werte lassen keinen Platz frei. Quoten prüfen oder die Personen benachrichtigen:\n\n", len(u))
			for _, id := range u {
				fmt.Fprintf(&b, "- `%s`\n", id)
			}
		}
	case Legacy:
		fmt.Fprintf(&b, "Legacy (gieriges geschichtetes Ziehen wie vor 2020 üblich), nur zum Vergleich. Wahrscheinlichkeiten per Monte-Carlo-Simulation "+
			"mit %d Durchläufen geschätzt (größter Standardfehler %.4f).\n", d.MonteCarlo.Runs, d.MonteCarlo.MaxStdErr)
	case Uniform:
		fmt.Fprintf(&b, "Einfaches Los ohne Quoten: jede Person hat Wahrscheinlichkeit %d/%d.\n", d.PanelSize, len(r.Pool.People))
	}
	fmt.Fprintf(&b, "\n## Auswahlwahrscheinlichkeiten\n\n| Kennzahl | Wert |\n|---|---:|\n| kleinste | %.4f |\n| größte | %.4f |\n| Mittelwert | %.4f |\n| Gini-Koeffizient | %.4f |\n\n",
		d.Stats.Min, d.Stats.Max, d.Stats.Mean, d.Stats.Gini)
	fmt.Fprintf(&b, "Die Verteilung über %d Panels wurde auf eine Liste von %d Panels gerundet; jede Person weicht dort höchstens um %.4f von ihrer Wahrscheinlichkeit ab (größte Abweichung bei %s).\n\n",
		len(d.Panels), len(r.List.Panels), r.List.MaxIndividualDeviation, r.List.WorstID)
	if r.Draw.Seed != nil {
		fmt.Fprintf(&b, "## Auslosung\n\n- Seed: `%s`\n- Listeneintrag: %d\n- Ausgewählt: %s\n- Warteliste (Anfang): %s\n\n",
			*r.Draw.Seed, *r.Draw.ChosenIndex, strings.Join(r.Draw.Selected, ", "), strings.Join(head(r.Draw.WaitingList, 10), ", "))
	} else {
		fmt.Fprintf(&b, "## Auslosung\n\nNoch kein Seed: draw.json und die Hashes oben veröffentlichen, dann den vorher angekündigten Zufallswert eintragen.\n\n")
	}
	fmt.Fprintf(&b, "## Vergleich\n\nZum Vergleich mit dem früher üblichen Verfahren denselben Lauf mit `--algorithm legacy` wiederholen: "+
		"dessen kleinste Wahrscheinlichkeit ist in der Regel deutlich niedriger und der Gini-Koeffizient höher.\n\n")
	fmt.Fprintf(&b, "Prüfen: `mitwirken selection verify draw.json`\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func head(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}
