package web

import (
	"bytes"
	"encoding/json"
	"github.com/mitwirken/mitwirken/app/draft"
	"html"
	"html/template"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/geo"
	"github.com/mitwirken/mitwirken/app/store"
)

// Points on contributions (issue 14, docs/maps.md): without JavaScript a
// person chooses the Ortsteil and may describe the place in words; the
// script static/js/map.js lets them click on the city map, which fills the
// hidden inputs lat and lon of the same form.

// locatePoint finds the Ortsteil of a point for the draft service.
func (s *Server) locatePoint(lon, lat float64) (string, string, bool) {
	code, ok := s.geo.Locate(orb.Point{lon, lat})
	if !ok {
		return "", "", false
	}
	o, _ := s.ref.Ortsteil(code)
	return code, o.Name, true
}

// pointsSent counts the points of a form: a request with two lat or lon
// values is refused rather than one of them silently kept.
func pointsSent(c echo.Context) int {
	values, err := c.FormParams()
	if err != nil {
		return 0
	}
	return max(len(values["lat"]), len(values["lon"]))
}

// PointPicker is the city map of the comment form, hidden until the script
// shows it: plain areas (nothing focusable) and the frame to turn a click
// into a point. The Ortsteil select stays the keyboard way to choose.
func (v *View) PointPicker() template.HTML {
	if v.geo == nil {
		return ""
	}
	minX, maxY, scale := v.geo.CityFrame()
	svg := v.geo.CitySVG(geo.Drawing{ID: "picker", Label: v.T("geo.picker_label")})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	tiles := ""
	if v.Site != nil && v.Site.MapTiles != "" {
		tiles = ` data-tiles="` + html.EscapeString(v.Site.MapTiles) + `"`
	}
	return template.HTML(`<div class="point-picker" hidden data-minx="` + f(minX) + `" data-maxy="` + f(maxY) + //nolint:gosec // numbers, an escaped address and geo's escaped SVG
		`" data-scale="` + f(scale) + `"` + tiles + `>` + svg + `</div>`)
}

// PointMap draws a contribution's point on the map of its Stadtbezirk, only
// when the author made it public.
func (v *View) PointMap(c app.Contribution) template.HTML {
	if v.geo == nil || !c.PublicPoint() {
		return ""
	}
	pt := orb.Point{*c.PointLon, *c.PointLat}
	code, ok := v.geo.Locate(pt)
	if !ok {
		return ""
	}
	o, _ := v.Ref.Ortsteil(code)
	d := geo.Drawing{ID: "punkt", Label: v.T("geo.point_map_label", "Name", o.Name), Markers: []orb.Point{pt}}
	for _, other := range v.Ref.OrtsteileOf(o.StadtbezirkCode) {
		ar := geo.Area{Code: other.Code, Href: "/ortsteile/" + other.Code, Label: other.Name, Current: other.Code == code}
		if ar.Current {
			ar.Class = 1
		}
		d.Areas = append(d.Areas, ar)
	}
	return template.HTML(v.geo.BezirkSVG(o.StadtbezirkCode, d)) //nolint:gosec // geo escapes every text it writes
}

// ChapterPointsMap draws the public points of a chapter's published
// contributions on the city map; "" when there are none.
func (v *View) ChapterPointsMap(points []store.ContributionPoint) template.HTML {
	if v.geo == nil || len(points) == 0 {
		return ""
	}
	d := geo.Drawing{ID: "punkte", Label: v.T("geo.chapter_points_label", "Count", len(points))}
	for _, p := range points {
		d.Markers = append(d.Markers, orb.Point{p.Lon, p.Lat})
	}
	return template.HTML(v.geo.CitySVG(d)) //nolint:gosec // geo escapes every text it writes
}

// apiPoint is a contribution's point in the API.
type apiPoint struct {
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
	Public bool    `json:"public"`
}

// readAPIPoint reads "point" of the API: null, {"lat": …, "lon": …}, or a
// list of such, which may hold one point only.
func readAPIPoint(raw json.RawMessage, in *draft.CommentInput) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	var list []*apiPoint
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &list); err != nil {
			return app.FieldInvalid("point", "contribution.point_invalid")
		}
	} else {
		var p apiPoint
		if err := json.Unmarshal(raw, &p); err != nil {
			return app.FieldInvalid("point", "contribution.point_invalid")
		}
		list = []*apiPoint{&p}
	}
	in.Points = len(list)
	if len(list) == 1 && list[0] != nil {
		in.Lat = strconv.FormatFloat(list[0].Lat, 'f', -1, 64)
		in.Lon = strconv.FormatFloat(list[0].Lon, 'f', -1, 64)
	}
	return nil
}
