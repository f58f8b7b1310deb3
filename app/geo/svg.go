package geo

import (
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"
)

// Widths of the drawings in SVG units; the stylesheet scales them.
const (
	CityWidth   = 800
	BezirkWidth = 480
)

// Classes is the number of legend classes (0 = none, then 1..Classes-1).
const Classes = 5

// view is one precomputed frame: the shapes projected, simplified and
// written as SVG path data, so a drawing only joins strings.
type view struct {
	bound orb.Bound
	scale float64
	w, h  int
	codes []string
	paths map[string]string
	outer string // the merged outline of all shapes of the view
}

func newView(b orb.Bound, width int, shapes []*Shape) *view {
	v := &view{bound: b, paths: map[string]string{}}
	v.scale = float64(width) / (b.Max[0] - b.Min[0])
	v.w = width
	v.h = int(math.Ceil((b.Max[1] - b.Min[1]) * v.scale))
	// Douglas-Peucker with a tolerance of 0.6 drawing units: finer detail
	// than that is not visible and only costs bytes.
	dp := simplify.DouglasPeucker(0.6)
	for _, sh := range shapes {
		local := v.local(sh.Merc)
		local = dp.MultiPolygon(local)
		v.codes = append(v.codes, sh.Code)
		v.paths[sh.Code] = pathData(local)
	}
	return v
}

// local moves projected geometry into drawing units (y down).
func (v *view) local(mp orb.MultiPolygon) orb.MultiPolygon {
	out := mp.Clone()
	for _, p := range out {
		for _, r := range p {
			for i, pt := range r {
				r[i] = v.point(pt)
			}
		}
	}
	return out
}

func (v *view) point(pt orb.Point) orb.Point {
	return orb.Point{(pt[0] - v.bound.Min[0]) * v.scale, (v.bound.Max[1] - pt[1]) * v.scale}
}

// pathData writes rings as "M x y L … Z" with integer coordinates,
// dropping points that round onto the previous one.
func pathData(mp orb.MultiPolygon) string {
	var b strings.Builder
	for _, p := range mp {
		for _, r := range p {
			var lx, ly int
			n := 0
			for i, pt := range r {
				if i == len(r)-1 {
					break // closed by Z
				}
				x, y := int(math.Round(pt[0])), int(math.Round(pt[1]))
				if n > 0 && x == lx && y == ly {
					continue
				}
				if n == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte('L')
				}
				b.WriteString(strconv.Itoa(x))
				b.WriteByte(' ')
				b.WriteString(strconv.Itoa(y))
				lx, ly = x, y
				n++
			}
			if n > 0 {
				b.WriteByte('Z')
			}
		}
	}
	return b.String()
}

// Area is one Ortsteil on a drawing.
type Area struct {
	Code string
	// Href links the area (e.g. to its filtered list); Label is its
	// accessible name, e.g. "Südvorstadt: 12 Beiträge". An area without
	// Href is drawn but is not focusable.
	Href, Label string
	// Class is the legend class 0..Classes-1.
	Class int
	// Current marks the area the page is about.
	Current bool
}

// Drawing is what a map shows.
type Drawing struct {
	// ID is unique on the page; the patterns are named after it.
	ID string
	// Label is the accessible name of the whole map.
	Label string
	// Areas lists the Ortsteile drawn with a class and a link; the other
	// Ortsteile of the frame are drawn plain.
	Areas []Area
	// Markers are points (longitude, latitude), e.g. a venue.
	Markers []orb.Point
}

// CitySVG draws every Ortsteil of the city.
func (a *Atlas) CitySVG(d Drawing) string { return a.draw(a.city, d, "map-city") }

// BezirkSVG draws the Ortsteile of a Stadtbezirk with its merged outline;
// "" when the Stadtbezirk is unknown.
func (a *Atlas) BezirkSVG(code string, d Drawing) string {
	v := a.bezirke[code]
	if v == nil {
		return ""
	}
	return a.draw(v, d, "map-bezirk")
}

// GroupSVG draws a group of Ortsteile (e.g. a Stadtgebiet) with its
// merged outline. The frame is computed once per key and kept.
func (a *Atlas) GroupSVG(key string, ortsteile []string, d Drawing) string {
	a.groupsMu.Lock()
	v := a.groups[key]
	if v == nil {
		var members []*Shape
		for _, c := range ortsteile {
			if sh := a.byCode[c]; sh != nil {
				members = append(members, sh)
			}
		}
		if len(members) == 0 {
			a.groupsMu.Unlock()
			return ""
		}
		merged := project.MultiPolygon(a.Merge(ortsteile), project.WGS84.ToMercator)
		v = newView(pad(merged.Bound(), 0.04), BezirkWidth, members)
		v.outer = pathData(simplify.DouglasPeucker(0.6).MultiPolygon(v.local(merged)))
		if a.groups == nil {
			a.groups = map[string]*view{}
		}
		if len(a.groups) < 1000 {
			a.groups[key] = v
		}
	}
	a.groupsMu.Unlock()
	return a.draw(v, d, "map-bezirk")
}

// Project turns a point (longitude, latitude) into the city drawing's units.
func (a *Atlas) Project(p orb.Point) orb.Point {
	return a.city.point(project.Point(p, project.WGS84.ToMercator))
}

func (a *Atlas) draw(v *view, d Drawing, class string) string {
	var b strings.Builder
	b.Grow(len(v.codes)*700 + 2000)
	w, h := strconv.Itoa(v.w), strconv.Itoa(v.h)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="map `)
	b.WriteString(class)
	b.WriteString(`" viewBox="0 0 `)
	b.WriteString(w + " " + h)
	b.WriteString(`" width="` + w + `" height="` + h + `" role="group" aria-label="`)
	b.WriteString(html.EscapeString(d.Label))
	b.WriteString(`"><defs>`)
	id := html.EscapeString(d.ID)
	for c := 1; c < Classes; c++ {
		writePattern(&b, id, c)
	}
	b.WriteString(`</defs>`)
	areas := map[string]*Area{}
	for i := range d.Areas {
		areas[d.Areas[i].Code] = &d.Areas[i]
	}
	// Plain context first, then the areas, the current one last so its
	// outline is on top.
	for _, code := range v.codes {
		if areas[code] == nil {
			b.WriteString(`<path class="area-plain" data-ortsteil="` + code + `" d="` + v.paths[code] + `"></path>`)
		}
	}
	var current *Area
	for _, code := range v.codes {
		ar := areas[code]
		if ar == nil {
			continue
		}
		if ar.Current {
			current = ar
			continue
		}
		writeArea(&b, id, v, ar)
	}
	if current != nil {
		writeArea(&b, id, v, current)
	}
	if v.outer != "" {
		b.WriteString(`<path class="outline" aria-hidden="true" d="` + v.outer + `"></path>`)
	}
	if len(d.Markers) > 0 {
		b.WriteString(`<g class="markers" aria-hidden="true">`)
		for _, m := range d.Markers {
			pt := v.point(project.Point(m, project.WGS84.ToMercator))
			if pt[0] < 0 || pt[1] < 0 || pt[0] > float64(v.w) || pt[1] > float64(v.h) {
				continue
			}
			x, y := strconv.Itoa(int(math.Round(pt[0]))), strconv.Itoa(int(math.Round(pt[1])))
			b.WriteString(`<circle class="marker" cx="` + x + `" cy="` + y + `" r="7"></circle>`)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func writeArea(b *strings.Builder, id string, v *view, ar *Area) {
	cls := "area c" + strconv.Itoa(ar.Class)
	if ar.Current {
		cls += " current"
	}
	fill := ""
	if ar.Class > 0 && ar.Class < Classes {
		fill = ` fill="url(#` + id + `-p` + strconv.Itoa(ar.Class) + `)"`
	}
	path := `<path class="` + cls + `" data-ortsteil="` + ar.Code + `"` + fill + ` d="` + v.paths[ar.Code] + `"></path>`
	if ar.Href == "" {
		b.WriteString(path)
		return
	}
	b.WriteString(`<a href="` + html.EscapeString(ar.Href) + `" aria-label="` + html.EscapeString(ar.Label) + `">`)
	b.WriteString(path)
	b.WriteString(`</a>`)
}

// The classes differ by pattern as well as by colour (dots, lines,
// cross-hatching, solid), so they can be told apart without colour.
func writePattern(b *strings.Builder, id string, class int) {
	pid := id + "-p" + strconv.Itoa(class)
	switch class {
	case 1:
		b.WriteString(`<pattern id="` + pid + `" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#eaf2fa"></rect><circle cx="4" cy="4" r="1.6" fill="#2b6ca3"></circle></pattern>`)
	case 2:
		b.WriteString(`<pattern id="` + pid + `" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#b9d4ec"></rect><rect width="3" height="8" fill="#2b6ca3"></rect></pattern>`)
	case 3:
		b.WriteString(`<pattern id="` + pid + `" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#5b97cc"></rect><path d="M0 0L8 8M8 0L0 8" stroke="#0b3d6b" stroke-width="2"></path></pattern>`)
	case 4:
		b.WriteString(`<pattern id="` + pid + `" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#0b3d6b"></rect></pattern>`)
	}
}

// Swatch is a small legend sample of a class; prefix makes its pattern id
// unique on the page.
func Swatch(prefix string, class int) string {
	var b strings.Builder
	id := html.EscapeString(prefix)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="swatch" width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">`)
	fill := `#ffffff`
	if class > 0 && class < Classes {
		b.WriteString(`<defs>`)
		writePattern(&b, id, class)
		b.WriteString(`</defs>`)
		fill = `url(#` + id + `-p` + strconv.Itoa(class) + `)`
	}
	b.WriteString(`<rect x="1" y="1" width="18" height="18" fill="` + fill + `" stroke="#333333"></rect></svg>`)
	return b.String()
}

// CityFrame is how the city drawing maps Web Mercator metres to its units
// (x = (mx-minX)*scale, y = (maxY-my)*scale), so a script can turn a click
// back into a point.
func (a *Atlas) CityFrame() (minX, maxY, scale float64) {
	return a.city.bound.Min[0], a.city.bound.Max[1], a.city.scale
}
