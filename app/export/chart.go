package export

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bar is one bar of a chart; Value2 is the optional second series.
type Bar struct {
	Label string
	// Lang is set when the label is content (a chapter or event title).
	Lang              string
	Value, Value2     int
	Display, Display2 string
}

// Chart is a horizontal bar chart drawn as SVG by the server, with its data
// table as the text alternative. It is drawn three times: Wide puts the
// labels beside the bars at a fixed 640 px, Narrow puts them above the bars
// across the whole width, and Print sets them beside the bars across an A4
// page in tighter rows. The stylesheet shows the layout that fits its box
// (Print on paper only), so the text keeps its size on a phone; labels are
// wrapped, never cut.
type Chart struct {
	ID, Title               string
	KeyLabel                string
	ValueLabel, Value2Label string
	Bars                    []Bar
	Wide, Narrow, Print     Layout
	Note                    string
	// TableLink, when set, is where the data table is shown (the dashboard
	// links to the report), named by TableLinkText; otherwise the table is
	// part of the figure.
	TableLink, TableLinkText string
}

// Layout is the geometry of one drawing of a chart, computed here so that
// the template only prints. Lengths are CSS pixels, or percentages of the
// drawing's width where they end in %.
type Layout struct {
	Class     string
	Width     string
	Height    int
	PatternID string // the hatching of the second series
	Rows      []Row
}

// Row is one bar (or pair of bars) with its label.
type Row struct {
	Lang  string // the label's language when it is content
	Lines []Line
	Bars  []RowBar
}

// Line is one line of a wrapped label.
type Line struct {
	X, Anchor string
	Y         int
	Text      string
}

// RowBar is one bar; Second bars are hatched, so that the two series differ
// by more than their colour.
type RowBar struct {
	X, W, ValueX string
	Y, H, ValueY int
	Display      string
	Second       bool
}

// The geometry assumes chart text of 14 px on screen: a line of a label is
// 18 px high; the character limits keep a wrapped line inside its column
// with room to spare for wide fonts.
const (
	chartLine    = 18
	chartBarH    = 14
	chartBar2H   = 12
	narrowBarMax = 78.0 // percent of the width, the rest is for the value
	narrowChars  = 30
)

// beside is the geometry of a layout with the labels beside the bars.
type beside struct {
	class                      string
	width, labelRight, barX    int
	barMax, chars, line, space int
}

var (
	wideGeometry = beside{class: "chart-wide", width: 640, labelRight: 300, barX: 308, barMax: 270, chars: 34, line: chartLine, space: 6}
	// On paper the text is 10 pt (13.3 px) and the page is 672 px wide
	// between its margins (A4 less 2 × 16 mm): a wider label column keeps
	// most labels on one line, and rows of 16 px lines keep the longest
	// chart (the 27 Handlungsschwerpunkte) on one page with its heading.
	printGeometry = beside{class: "chart-print", width: 672, labelRight: 362, barX: 370, barMax: 250, chars: 44, line: 16, space: 4}
)

func (c *Chart) layout() {
	top := 1
	for i := range c.Bars {
		b := &c.Bars[i]
		top = max(top, b.Value, b.Value2)
		if b.Display == "" {
			b.Display = strconv.Itoa(b.Value)
		}
		if c.Value2Label != "" && b.Display2 == "" {
			b.Display2 = strconv.Itoa(b.Value2)
		}
	}
	c.Wide = c.besideLayout(wideGeometry, top)
	c.Narrow = c.narrowLayout(top)
	c.Print = c.besideLayout(printGeometry, top)
}

// bars returns the one or two bars of b starting at y, placed by at.
func (c *Chart) bars(b Bar, y int, at func(v int) (x, w, valueX string)) []RowBar {
	x, w, vx := at(b.Value)
	out := []RowBar{{X: x, W: w, ValueX: vx, Y: y, H: chartBarH, ValueY: y + 12, Display: b.Display}}
	if c.Value2Label != "" {
		y2 := y + chartBarH + 4
		x, w, vx = at(b.Value2)
		out = append(out, RowBar{X: x, W: w, ValueX: vx, Y: y2, H: chartBar2H, ValueY: y2 + 11, Display: b.Display2, Second: true})
	}
	return out
}

func (c *Chart) barsHeight() int {
	if c.Value2Label != "" {
		return chartBarH + 4 + chartBar2H
	}
	return chartBarH
}

func (c *Chart) besideLayout(g beside, top int) Layout {
	l := Layout{Class: g.class, Width: strconv.Itoa(g.width), PatternID: c.ID + "-hatch-" + strings.TrimPrefix(g.class, "chart-")}
	at := func(v int) (string, string, string) {
		w := v * g.barMax / top
		return strconv.Itoa(g.barX), strconv.Itoa(w), strconv.Itoa(g.barX + w)
	}
	y := 4
	for _, b := range c.Bars {
		r := Row{Lang: b.Lang, Bars: c.bars(b, y+2, at)}
		for i, text := range wrap(b.Label, g.chars) {
			r.Lines = append(r.Lines, Line{X: strconv.Itoa(g.labelRight), Anchor: "end", Y: y + 14 + i*g.line, Text: text})
		}
		l.Rows = append(l.Rows, r)
		y += max(len(r.Lines)*g.line, c.barsHeight()+4) + g.space
	}
	l.Height = y
	return l
}

func (c *Chart) narrowLayout(top int) Layout {
	l := Layout{Class: "chart-narrow", Width: "100%", PatternID: c.ID + "-hatch-narrow"}
	at := func(v int) (string, string, string) {
		w := strconv.FormatFloat(float64(v)*narrowBarMax/float64(top), 'f', 2, 64) + "%"
		return "0", w, w
	}
	y := 4
	for _, b := range c.Bars {
		r := Row{Lang: b.Lang}
		for i, text := range wrap(b.Label, narrowChars) {
			r.Lines = append(r.Lines, Line{X: "0", Anchor: "start", Y: y + 14 + i*chartLine, Text: text})
		}
		y += len(r.Lines)*chartLine + 4
		r.Bars = c.bars(b, y, at)
		l.Rows = append(l.Rows, r)
		y += c.barsHeight() + 14
	}
	l.Height = y
	return l
}

// wrap breaks a label into lines of at most n characters at spaces; a word
// longer than a line is split.
func wrap(s string, n int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		for utf8.RuneCountInString(word) > n {
			if line != "" {
				lines, line = append(lines, line), ""
			}
			r := []rune(word)
			lines, word = append(lines, string(r[:n-1])+"-"), string(r[n-1:])
		}
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= n:
			line += " " + word
		default:
			lines, line = append(lines, line), word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// Layout computes the geometry of a chart built elsewhere (the Abwägung's
// burn-down).
func (c *Chart) Layout() { c.layout() }
