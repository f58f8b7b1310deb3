package main

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// line is one series of a chart.
type line struct {
	name   string
	points []float64
}

var palette = []string{"#1f5fa8", "#c0392b", "#1e8449", "#7d3c98"}

// chartSVG draws the series over time as polylines with labelled axes: a
// few hundred points per line, no library needed.
func chartSVG(title, unit string, at []time.Duration, lines []line) string {
	const w, h, left, right, top, bottom = 720.0, 320.0, 70.0, 20.0, 40.0, 60.0
	maxY := 0.0
	for _, l := range lines {
		for _, v := range l.points {
			maxY = max(maxY, v)
		}
	}
	if maxY == 0 {
		maxY = 1
	}
	maxY *= 1.1
	maxX := 1.0
	if len(at) > 0 {
		maxX = max(at[len(at)-1].Seconds(), 1)
	}
	x := func(s float64) float64 { return left + s/maxX*(w-left-right) }
	y := func(v float64) float64 { return h - bottom - v/maxY*(h-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h, html.EscapeString(title))
	fmt.Fprintf(&b, `<title>%s</title><rect width="100%%" height="100%%" fill="#fff"/>`+"\n", html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="14" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(title))
	for i := 0; i <= 4; i++ {
		v := maxY * float64(i) / 4
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%.1f" y="%.1f" text-anchor="end">%.0f</text>`+"\n",
			left, w-right, y(v), y(v), left-6, y(v)+4, v)
	}
	for i := 0; i <= 5; i++ {
		s := maxX * float64(i) / 5
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.0f s</text>`+"\n", x(s), h-bottom+18, s)
	}
	fmt.Fprintf(&b, `<text x="14" y="%.1f" transform="rotate(-90 14 %.1f)" text-anchor="middle">%s</text>`+"\n", (h-bottom+top)/2, (h-bottom+top)/2, html.EscapeString(unit))
	for i, l := range lines {
		color := palette[i%len(palette)]
		var pts []string
		for j, v := range l.points {
			if j < len(at) && v >= 0 {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(at[j].Seconds()), y(v)))
			}
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", color, strings.Join(pts, " "))
		lx := left + float64(i)*160
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="14" height="4" fill="%s"/><text x="%.1f" y="%.1f">%s</text>`+"\n", lx, h-18, color, lx+18, h-13, html.EscapeString(l.name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}
