package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/geo"
	"github.com/mitwirken/mitwirken/app/store"
)

// Events on the map (issue 14, docs/maps.md): an event's venue on the map of
// its Stadtbezirk, and the upcoming events per Ortsteil (/veranstaltungen?ansicht=karte).

// venueMap draws an event's venue point on the map of its Stadtbezirk; ""
// without a point in the city. It also returns the venue's Ortsteil name.
func (s *Server) venueMap(c echo.Context, ev *app.Event) (template.HTML, string) {
	if ev.VenueLat == nil || ev.VenueLon == nil {
		return "", ""
	}
	pt := orb.Point{*ev.VenueLon, *ev.VenueLat}
	code, ok := s.geo.Locate(pt)
	if !ok {
		return "", ""
	}
	loc := localizer(c)
	o, _ := s.ref.Ortsteil(code)
	bezirk := s.bezirkName(o.StadtbezirkCode)
	d := geo.Drawing{ID: "venue", Label: loc.T("events.venue_map_label", "Bezirk", bezirk, "Name", o.Name), Markers: []orb.Point{pt}}
	for _, other := range s.ref.OrtsteileOf(o.StadtbezirkCode) {
		ar := geo.Area{Code: other.Code, Href: "/ortsteile/" + other.Code, Label: other.Name, Current: other.Code == code}
		if ar.Current {
			ar.Class = 1
		}
		d.Areas = append(d.Areas, ar)
	}
	return template.HTML(s.geo.BezirkSVG(o.StadtbezirkCode, d)), o.Name //nolint:gosec // geo escapes every text it writes
}

// eventMapGroup is one Ortsteil of the events map with its events.
type eventMapGroup struct {
	Code, Name string
	Events     []eventItem
}

type eventMapPage struct {
	SVG     template.HTML
	Legend  []legendItem
	Groups  []eventMapGroup
	NoPoint []eventItem
}

// maxMapEvents bounds the events one map shows.
const maxMapEvents = 500

// eventMap is /veranstaltungen?ansicht=karte: the upcoming published events
// per Ortsteil of their venue, with the same events as a list below.
func (s *Server) eventMap(c echo.Context) error {
	ctx := c.Request().Context()
	loc := localizer(c)
	list, _, err := s.store.ListEvents(ctx, store.EventFilter{Page: 1, PerPage: maxMapEvents})
	if err != nil {
		return err
	}
	items, _, err := s.eventItems(ctx, list, loc.Lang())
	if err != nil {
		return err
	}
	d := &eventMapPage{}
	byCode := map[string][]eventItem{}
	for _, it := range items {
		code := ""
		if it.VenueLat != nil && it.VenueLon != nil {
			code, _ = s.geo.Locate(orb.Point{*it.VenueLon, *it.VenueLat})
		}
		if code == "" {
			d.NoPoint = append(d.NoPoint, it)
			continue
		}
		byCode[code] = append(byCode[code], it)
	}
	maxv := 0.0
	for _, evs := range byCode {
		maxv = max(maxv, float64(len(evs)))
	}
	classOf, legend := mapClasses(maxv, false, loc.Lang())
	drawing := geo.Drawing{ID: "events", Label: loc.T("events.map_label")}
	for _, o := range s.ref.Ortsteile {
		evs := byCode[o.Code]
		ar := geo.Area{Code: o.Code, Class: classOf(float64(len(evs))), Label: loc.T("events.map_area_label", "Name", o.Name, "Count", len(evs))}
		if len(evs) > 0 {
			ar.Href = "#ot-" + o.Code
			d.Groups = append(d.Groups, eventMapGroup{Code: o.Code, Name: o.Name, Events: evs})
		}
		drawing.Areas = append(drawing.Areas, ar)
	}
	d.SVG = template.HTML(s.geo.CitySVG(drawing)) //nolint:gosec // geo escapes every text it writes
	for i, l := range legend {
		if l != "" {
			d.Legend = append(d.Legend, legendItem{Swatch: template.HTML(geo.Swatch("events-legend", i)), Label: l}) //nolint:gosec // no user text
		}
	}
	return s.render(c, http.StatusOK, "events/map", s.view(c, "events.map_title", d))
}
