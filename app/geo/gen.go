//go:build ignore

// gen writes ortsteile.geojson, the simplified derivative of the Ortsteile
// shipped in the binary, from the merged Code for Leipzig file:
//
//	go run ./app/geo/gen.go /work/shared/geo/leipzig-ortsteile.geojson > app/geo/ortsteile.geojson
//
// It rounds every coordinate to 5 decimals (about 1 m) and drops the
// repeated points this makes; shared boundaries stay shared because equal
// points round to equal points. Nothing else changes.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		panic(err)
	}
	out := geojson.NewFeatureCollection()
	for _, f := range fc.Features {
		g := orb.Round(f.Geometry, 1e5)
		g = dedupe(g)
		nf := geojson.NewFeature(g)
		nf.Properties["ot"] = f.Properties["ot"]
		nf.Properties["name"] = f.Properties["name"]
		out.Append(nf)
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
}

func dedupe(g orb.Geometry) orb.Geometry {
	ring := func(r orb.Ring) orb.Ring {
		var o orb.Ring
		for _, p := range r {
			if len(o) == 0 || o[len(o)-1] != p {
				o = append(o, p)
			}
		}
		return o
	}
	switch g := g.(type) {
	case orb.Polygon:
		for i := range g {
			g[i] = ring(g[i])
		}
		return g
	case orb.MultiPolygon:
		for _, p := range g {
			for i := range p {
				p[i] = ring(p[i])
			}
		}
		return g
	}
	return g
}
