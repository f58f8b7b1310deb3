package geo

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/mitwirken/mitwirken/app"
)

// refData reads the Ortsteile and Stadtbezirke from the migration that
// loads them into the platform.
func refData(t testing.TB) ([]app.Ortsteil, []app.Stadtbezirk) {
	t.Helper()
	sql, err := os.ReadFile("../../migrations/0001_reference_data.sql")
	if err != nil {
		t.Fatal(err)
	}
	var ots []app.Ortsteil
	for _, m := range regexp.MustCompile(`\('(\d\d)', '([^']+)', '(\d)'\)`).FindAllStringSubmatch(string(sql), -1) {
		ots = append(ots, app.Ortsteil{Code: m[1], Name: m[2], StadtbezirkCode: m[3]})
	}
	var bzs []app.Stadtbezirk
	for _, m := range regexp.MustCompile(`\('(\d)', '([^']+)'\)`).FindAllStringSubmatch(string(sql), -1) {
		bzs = append(bzs, app.Stadtbezirk{Code: m[1], Name: m[2]})
	}
	if len(ots) != 63 || len(bzs) != 10 {
		t.Fatalf("reference data: %d Ortsteile, %d Stadtbezirke", len(ots), len(bzs))
	}
	return ots, bzs
}

func linked(t testing.TB) *Atlas {
	t.Helper()
	a, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ots, bzs := refData(t)
	if err := a.Link(ots, bzs); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestGeoEveryOrtsteilHasOneShape(t *testing.T) {
	a := linked(t)
	ots, _ := refData(t)
	if len(a.Ortsteile) != 63 {
		t.Fatalf("%d shapes, want 63", len(a.Ortsteile))
	}
	for _, o := range ots {
		sh := a.Ortsteil(o.Code)
		if sh == nil {
			t.Fatalf("no shape for %s", o.Code)
		}
		if sh.Name != o.Name {
			t.Errorf("shape %s is named %q, reference data %q", o.Code, sh.Name, o.Name)
		}
		// A point inside each shape is located in that Ortsteil and no other.
		c, _ := planar.CentroidArea(sh.Geom)
		if !planar.MultiPolygonContains(sh.Geom, c) {
			continue // concave shape: centroid outside, skip
		}
		if got, ok := a.Locate(c); !ok || got != o.Code {
			t.Errorf("centroid of %s located in %q", o.Code, got)
		}
	}
}

func TestGeoBezirkeMergedFromOrtsteile(t *testing.T) {
	a := linked(t)
	if len(a.Bezirke) != 10 {
		t.Fatalf("%d Stadtbezirke", len(a.Bezirke))
	}
	for _, b := range a.Bezirke {
		// The merge dissolved the inner boundaries: one outer ring, and
		// the area is the sum of the Ortsteile.
		if len(b.Geom) != 1 {
			t.Errorf("Stadtbezirk %s has %d polygons after merging", b.Code, len(b.Geom))
		}
		var sum float64
		for _, o := range a.Ortsteile {
			if a.BezirkOf(o.Code) == b.Code {
				sum += planar.Area(o.Geom)
			}
		}
		if got := planar.Area(b.Geom); got < sum*0.999 || got > sum*1.001 {
			t.Errorf("Stadtbezirk %s area %g, Ortsteile sum %g", b.Code, got, sum)
		}
	}
	// A Stadtgebiet of two Stadtbezirke (Süd and Südwest share a boundary).
	var codes []string
	for _, o := range a.Ortsteile {
		if bz := a.BezirkOf(o.Code); bz == "4" || bz == "5" {
			codes = append(codes, o.Code)
		}
	}
	if g := a.Merge(codes); len(g) != 1 {
		t.Errorf("Süd+Südwest merged into %d polygons", len(g))
	}
}

func TestGeoLocateOutside(t *testing.T) {
	a := linked(t)
	if code, ok := a.Locate(orb.Point{13.4, 52.5}); ok { // Berlin
		t.Errorf("Berlin located in %s", code)
	}
	if code, ok := a.Locate(orb.Point{12.3731, 51.3397}); !ok || code[0] != '0' { // Markt
		t.Errorf("Markt located in %q %v", code, ok)
	}
}

func TestGeoBadFileNamesFeature(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"not json", `{`, "keine gültige"},
		{"empty", `{"type":"FeatureCollection","features":[]}`, "keine Features"},
		{"no number", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},"geometry":{"type":"Polygon","coordinates":[[[12,51],[12.1,51],[12.1,51.1],[12,51]]]}}]}`, `Feature 1: Eigenschaft "ot"`},
		{"point", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ot":"40","name":"Südvorstadt"},"geometry":{"type":"Point","coordinates":[12,51]}}]}`, `Feature 1 (ot "40", "Südvorstadt"): Geometrie Point`},
		{"open ring", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ot":"40","name":"S"},"geometry":{"type":"Polygon","coordinates":[[[12,51],[12.1,51],[12.1,51.1],[12,51.2]]]}}]}`, "nicht geschlossen"},
		{"projected", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ot":"40","name":"S"},"geometry":{"type":"Polygon","coordinates":[[[316000,5690000],[317000,5690000],[317000,5691000],[316000,5690000]]]}}]}`, "nicht in WGS 84"},
		{"twice", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ot":"40","name":"S"},"geometry":{"type":"Polygon","coordinates":[[[12,51],[12.1,51],[12.1,51.1],[12,51]]]}},{"type":"Feature","properties":{"ot":"40","name":"S"},"geometry":{"type":"Polygon","coordinates":[[[12,51],[12.1,51],[12.1,51.1],[12,51]]]}}]}`, "Feature 2 (ot \"40\", \"S\"): Ortsteil 40 kommt mehrfach vor"},
	} {
		_, err := Load([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// A file that lacks an Ortsteil of the platform is refused by Link.
	a, err := Load([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ot":"40","name":"Südvorstadt"},"geometry":{"type":"Polygon","coordinates":[[[12,51],[12.1,51],[12.1,51.1],[12,51]]]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ots, bzs := refData(t)
	if err := a.Link(ots, bzs); err == nil || !strings.Contains(err.Error(), "keine Fläche für Ortsteil 00 Zentrum") {
		t.Errorf("Link: %v", err)
	}
}

func TestGeoFileReplaces(t *testing.T) {
	path := t.TempDir() + "/x.geojson"
	os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ot":"40","name":"Südvorstadt"},"geometry":{"type":"Point","coordinates":[12,51]}}]}`), 0o600)
	if _, err := LoadFile(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `Feature 1 (ot "40"`) {
		t.Errorf("LoadFile: %v", err)
	}
}

func cityDrawing(a *Atlas) Drawing {
	d := Drawing{ID: "m", Label: "Beiträge je Ortsteil"}
	for i, o := range a.Ortsteile {
		d.Areas = append(d.Areas, Area{Code: o.Code, Href: "/ortsteile/" + o.Code + "?kanal=online", Label: o.Name + ": 123 Beiträge", Class: i % Classes})
	}
	return d
}

func TestGeoCitySVG(t *testing.T) {
	a := linked(t)
	svg := a.CitySVG(cityDrawing(a))
	t.Logf("city map: %d bytes", len(svg))
	if len(svg) >= 60_000 {
		t.Errorf("city map is %d bytes, want < 60 KB", len(svg))
	}
	for _, o := range a.Ortsteile {
		if n := strings.Count(svg, `data-ortsteil="`+o.Code+`"`); n != 1 {
			t.Errorf("Ortsteil %s drawn %d times", o.Code, n)
		}
	}
	if n := strings.Count(svg, "<a href="); n != 63 {
		t.Errorf("%d links", n)
	}
	if !strings.Contains(svg, `aria-label="Südvorstadt: 123 Beiträge"`) {
		t.Error("no accessible name")
	}
	b := a.BezirkSVG("4", Drawing{ID: "b", Label: "Süd", Markers: []orb.Point{{12.3731, 51.3217}}})
	if strings.Count(b, "data-ortsteil=") != 5 || !strings.Contains(b, `class="outline"`) || !strings.Contains(b, `<circle`) {
		t.Errorf("Bezirk map: %s", b[:200])
	}
}

func BenchmarkCitySVG(b *testing.B) {
	a := linked(b)
	d := cityDrawing(a)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(a.CitySVG(d))
	}
	b.ReportMetric(float64(n), "bytes/map")
}
