package export

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestWrapKeepsEveryWord: a label is broken into lines that fit, and no
// word is lost or cut off (issue 12, item 7).
func TestWrapKeepsEveryWord(t *testing.T) {
	for _, label := range []string{
		"",
		"Mitte",
		"Attraktives Umfeld für Innovation, Gründer und Fachkräfte",
		"Vielfältige, lebendige Kultur- und Sportlandschaft",
		"Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen in Grünau",
	} {
		for _, n := range []int{wideGeometry.chars, narrowChars, printGeometry.chars} {
			lines := wrap(label, n)
			for _, l := range lines {
				if utf8.RuneCountInString(l) > n {
					t.Errorf("%q: line %q is longer than %d", label, l, n)
				}
			}
			plain := strings.NewReplacer(" ", "", "-", "").Replace
			if plain(strings.Join(lines, "")) != plain(label) {
				t.Errorf("%q wrapped at %d loses text: %q", label, n, lines)
			}
		}
	}
}

// TestChartLayouts: all three drawings have a row per bar, the second series is
// marked, and bars never reach into the room of their value.
func TestChartLayouts(t *testing.T) {
	c := &Chart{ID: "c", ValueLabel: "Anregungen", Value2Label: "Beteiligte",
		Bars: []Bar{{Label: "Mitte", Value: 7, Value2: 3}, {Label: "Vernetzung von Bildung, Forschung und Wirtschaft", Value: 0, Value2: 1}}}
	c.layout()
	for _, l := range []Layout{c.Wide, c.Narrow, c.Print} {
		if len(l.Rows) != 2 || l.Height <= 0 {
			t.Fatalf("%s: %d rows, height %d", l.Class, len(l.Rows), l.Height)
		}
		for _, r := range l.Rows {
			if len(r.Bars) != 2 || r.Bars[0].Second || !r.Bars[1].Second {
				t.Errorf("%s: bars %+v", l.Class, r.Bars)
			}
		}
	}
	if c.Narrow.Rows[0].Bars[0].W != "78.00%" || c.Wide.Rows[0].Bars[0].W != "270" {
		t.Errorf("longest bar: narrow %s, wide %s", c.Narrow.Rows[0].Bars[0].W, c.Wide.Rows[0].Bars[0].W)
	}
	if got := len(c.Narrow.Rows[1].Lines); got != 2 {
		t.Errorf("the long label takes %d lines on a phone", got)
	}
	// The paper's wider label column keeps most Handlungsschwerpunkte on
	// one line.
	label := "Chancengerechtigkeit in der inklusiven Stadt"
	if screen, paper := len(wrap(label, wideGeometry.chars)), len(wrap(label, printGeometry.chars)); screen != 2 || paper != 1 {
		t.Errorf("%q takes %d lines on screen and %d on paper, want 2 and 1", label, screen, paper)
	}
}
