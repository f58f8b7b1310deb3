// Package geo holds the boundaries of Leipzig's Ortsteile and draws maps of
// them on the server (issue 14): no tile service, no JavaScript needed.
//
// The shapes come from a GeoJSON FeatureCollection (WGS 84) with one
// feature per Ortsteil, property "ot" the official two-digit number and
// "name" its name. The default is embedded (ortsteile.geojson, a rounded
// derivative of the Code for Leipzig file, boundaries from the City of
// Leipzig's open data); MITWIRKEN_GEOJSON may name another file. The
// Stadtbezirke and Stadtgebiete are derived by merging their Ortsteile.
//
// Geometry is paulmach/orb: GeoJSON decoding, Web Mercator projection,
// Douglas-Peucker simplification and point-in-polygon. The only geometry
// written here is the dissolve of shared boundaries (Merge), which relies
// on neighbouring Ortsteile sharing their boundary points, as official
// boundaries do.
package geo

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"

	"github.com/mitwirken/mitwirken/app"
)

//go:embed ortsteile.geojson
var embedded []byte

// Attribution names the source of the embedded boundaries (imprint, docs).
const Attribution = "Ortsteilgrenzen: Stadt Leipzig, Open Data (Ortsteile); aufbereitet von Code for Leipzig (leipzig_auf_pump, MIT-Lizenz, © 2021 Code for Leipzig)"

// MaxFileSize bounds a replacement GeoJSON file.
const MaxFileSize = 20 << 20

// Shape is one area: an Ortsteil, or a Stadtbezirk merged from its Ortsteile.
type Shape struct {
	Code string
	Name string
	// Geom is in WGS 84 (longitude, latitude); Merc is it projected to
	// Web Mercator (metres).
	Geom orb.MultiPolygon
	Merc orb.MultiPolygon
}

// Atlas is the set of shapes of the city and its precomputed drawings.
type Atlas struct {
	Ortsteile []*Shape // by code
	Bezirke   []*Shape // by code, after Link
	byCode    map[string]*Shape
	bezirkOf  map[string]string
	city      *view
	bezirke   map[string]*view
	cityBound orb.Bound
	groupsMu  sync.Mutex
	groups    map[string]*view
}

// Default loads the embedded Ortsteile of Leipzig.
func Default() (*Atlas, error) { return Load(embedded) }

// LoadFile loads a replacement GeoJSON file.
func LoadFile(path string) (*Atlas, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("GeoJSON-Datei %s: %w", path, err)
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("GeoJSON-Datei %s: größer als %d MB", path, MaxFileSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("GeoJSON-Datei %s: %w", path, err)
	}
	a, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("GeoJSON-Datei %s: %w", path, err)
	}
	return a, nil
}

// Load reads a FeatureCollection of Ortsteile and checks every feature; an
// error names the feature (its position and number) and the reason.
func Load(data []byte) (*Atlas, error) {
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("keine gültige GeoJSON-FeatureCollection: %v", err)
	}
	if len(fc.Features) == 0 {
		return nil, fmt.Errorf("die FeatureCollection enthält keine Features")
	}
	a := &Atlas{byCode: map[string]*Shape{}}
	for i, f := range fc.Features {
		sh, err := readFeature(f)
		if err != nil {
			return nil, fmt.Errorf("Feature %d%s: %s", i+1, featureName(f), err)
		}
		if a.byCode[sh.Code] != nil {
			return nil, fmt.Errorf("Feature %d%s: Ortsteil %s kommt mehrfach vor", i+1, featureName(f), sh.Code)
		}
		a.byCode[sh.Code] = sh
		a.Ortsteile = append(a.Ortsteile, sh)
	}
	sort.Slice(a.Ortsteile, func(i, j int) bool { return a.Ortsteile[i].Code < a.Ortsteile[j].Code })
	if len(a.Ortsteile) > 0 {
		a.cityBound = a.Ortsteile[0].Merc.Bound()
		for _, sh := range a.Ortsteile[1:] {
			a.cityBound = a.cityBound.Union(sh.Merc.Bound())
		}
	}
	a.city = newView(a.cityBound, CityWidth, a.Ortsteile)
	return a, nil
}

func featureName(f *geojson.Feature) string {
	ot, _ := f.Properties["ot"].(string)
	name, _ := f.Properties["name"].(string)
	if len(name) > 60 {
		name = name[:60]
	}
	switch {
	case ot != "" && name != "":
		return fmt.Sprintf(" (ot %q, %q)", ot, name)
	case ot != "":
		return fmt.Sprintf(" (ot %q)", ot)
	}
	return ""
}

func readFeature(f *geojson.Feature) (*Shape, error) {
	ot, ok := f.Properties["ot"].(string)
	if !ok || len(ot) != 2 || ot[0] < '0' || ot[0] > '9' || ot[1] < '0' || ot[1] > '9' {
		return nil, fmt.Errorf("Eigenschaft \"ot\" muss die zweistellige Ortsteilnummer als Text sein")
	}
	name, _ := f.Properties["name"].(string)
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 120 {
		return nil, fmt.Errorf("Eigenschaft \"name\" fehlt oder ist länger als 120 Zeichen")
	}
	var mp orb.MultiPolygon
	switch g := f.Geometry.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	case nil:
		return nil, fmt.Errorf("keine Geometrie")
	default:
		return nil, fmt.Errorf("Geometrie %s statt Polygon oder MultiPolygon", f.Geometry.GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, fmt.Errorf("leere Geometrie")
	}
	for pi, p := range mp {
		if len(p) == 0 {
			return nil, fmt.Errorf("Polygon %d ist leer", pi+1)
		}
		for ri, r := range p {
			if len(r) < 4 {
				return nil, fmt.Errorf("Polygon %d, Ring %d hat weniger als 4 Punkte", pi+1, ri+1)
			}
			if r[0] != r[len(r)-1] {
				return nil, fmt.Errorf("Polygon %d, Ring %d ist nicht geschlossen", pi+1, ri+1)
			}
			for _, pt := range r {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || pt[0] < -180 || pt[0] > 180 || pt[1] < -85 || pt[1] > 85 {
					return nil, fmt.Errorf("Polygon %d, Ring %d: Koordinate %v liegt nicht in WGS 84 (Länge, Breite)", pi+1, ri+1, pt)
				}
			}
			if planar.Area(r) == 0 {
				return nil, fmt.Errorf("Polygon %d, Ring %d hat keine Fläche", pi+1, ri+1)
			}
		}
	}
	mp = orient(mp.Clone())
	return &Shape{Code: ot, Name: name, Geom: mp, Merc: project.MultiPolygon(mp.Clone(), project.WGS84.ToMercator)}, nil
}

// orient makes outer rings counter-clockwise and holes clockwise, so that a
// boundary two shapes share runs in opposite directions.
func orient(mp orb.MultiPolygon) orb.MultiPolygon {
	for _, p := range mp {
		for i, r := range p {
			want := orb.CCW
			if i > 0 {
				want = orb.CW
			}
			if r.Orientation() != want {
				r.Reverse()
			}
		}
	}
	return mp
}

// Link checks the shapes against the platform's reference data: every
// Ortsteil has exactly one shape and there is none for an unknown number.
// It then derives the Stadtbezirke by merging their Ortsteile.
func (a *Atlas) Link(ortsteile []app.Ortsteil, bezirke []app.Stadtbezirk) error {
	known := map[string]bool{}
	var missing []string
	a.bezirkOf = map[string]string{}
	for _, o := range ortsteile {
		known[o.Code] = true
		a.bezirkOf[o.Code] = o.StadtbezirkCode
		if a.byCode[o.Code] == nil {
			missing = append(missing, o.Code+" "+o.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("GeoJSON: keine Fläche für Ortsteil %s", strings.Join(missing, ", "))
	}
	for _, sh := range a.Ortsteile {
		if !known[sh.Code] {
			return fmt.Errorf("GeoJSON: Feature für Ortsteil %s (%s) gehört zu keinem Ortsteil der Plattform", sh.Code, sh.Name)
		}
	}
	a.Bezirke = nil
	a.bezirke = map[string]*view{}
	for _, b := range bezirke {
		var codes []string
		for _, o := range ortsteile {
			if o.StadtbezirkCode == b.Code {
				codes = append(codes, o.Code)
			}
		}
		if len(codes) == 0 {
			continue
		}
		geom := a.Merge(codes)
		sh := &Shape{Code: b.Code, Name: b.Name, Geom: geom, Merc: project.MultiPolygon(geom.Clone(), project.WGS84.ToMercator)}
		a.Bezirke = append(a.Bezirke, sh)
		members := make([]*Shape, len(codes))
		for i, c := range codes {
			members[i] = a.byCode[c]
		}
		v := newView(pad(sh.Merc.Bound(), 0.04), BezirkWidth, members)
		v.outer = pathData(simplify.DouglasPeucker(0.6).MultiPolygon(v.local(sh.Merc)))
		a.bezirke[b.Code] = v
	}
	return nil
}

// Ortsteil returns the shape of an Ortsteil.
func (a *Atlas) Ortsteil(code string) *Shape { return a.byCode[code] }

// Bezirk returns the merged shape of a Stadtbezirk (after Link).
func (a *Atlas) Bezirk(code string) *Shape {
	for _, b := range a.Bezirke {
		if b.Code == code {
			return b
		}
	}
	return nil
}

// BezirkOf is the Stadtbezirk of an Ortsteil (after Link).
func (a *Atlas) BezirkOf(ortsteil string) string { return a.bezirkOf[ortsteil] }

// Locate finds the Ortsteil a point (longitude, latitude) lies in.
func (a *Atlas) Locate(p orb.Point) (string, bool) {
	for _, sh := range a.Ortsteile {
		if sh.Geom.Bound().Contains(p) && planar.MultiPolygonContains(sh.Geom, p) {
			return sh.Code, true
		}
	}
	return "", false
}

// Merge dissolves the shared boundaries of the given Ortsteile into one
// (multi)polygon: every edge that two of them share (in opposite
// directions) is dropped and the remaining edges are chained into rings.
// Stadtbezirke and Stadtgebiete are made this way.
func (a *Atlas) Merge(codes []string) orb.MultiPolygon {
	type edge struct{ a, b orb.Point }
	count := map[edge]int{}
	var order []edge
	var all orb.MultiPolygon
	for _, c := range codes {
		sh := a.byCode[c]
		if sh == nil {
			continue
		}
		all = append(all, sh.Geom...)
		for _, p := range sh.Geom {
			for _, r := range p {
				for i := 0; i+1 < len(r); i++ {
					e := edge{r[i], r[i+1]}
					if e.a == e.b {
						continue
					}
					if rev := (edge{e.b, e.a}); count[rev] > 0 {
						count[rev]--
						continue
					}
					if count[e] == 0 {
						order = append(order, e)
					}
					count[e]++
				}
			}
		}
	}
	next := map[orb.Point][]orb.Point{}
	left := 0
	for _, e := range order {
		for n := count[e]; n > 0; n-- {
			next[e.a] = append(next[e.a], e.b)
			left++
		}
	}
	var rings []orb.Ring
	for _, e := range order {
		for len(next[e.a]) > 0 {
			start := e.a
			ring := orb.Ring{start}
			cur := start
			for {
				outs := next[cur]
				if len(outs) == 0 {
					break
				}
				nxt := outs[len(outs)-1]
				next[cur] = outs[:len(outs)-1]
				left--
				ring = append(ring, nxt)
				cur = nxt
				if cur == start {
					break
				}
			}
			if cur != start || len(ring) < 4 {
				// Boundaries that do not meet: keep the shapes as they are.
				return all.Clone()
			}
			rings = append(rings, ring)
		}
	}
	var out orb.MultiPolygon
	var holes []orb.Ring
	for _, r := range rings {
		if r.Orientation() == orb.CCW {
			out = append(out, orb.Polygon{r})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		for i := range out {
			if planar.RingContains(out[i][0], h[0]) || onRing(out[i][0], h[0]) {
				out[i] = append(out[i], h)
				break
			}
		}
	}
	slices.SortFunc(out, func(x, y orb.Polygon) int {
		return -cmpFloat(planar.Area(x), planar.Area(y))
	})
	return out
}

func onRing(r orb.Ring, p orb.Point) bool { return slices.Contains(r, p) }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pad widens a bound by a share of its size on every side.
func pad(b orb.Bound, share float64) orb.Bound {
	dx, dy := (b.Max[0]-b.Min[0])*share, (b.Max[1]-b.Min[1])*share
	return orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
}
