package web

import (
	"html/template"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/geo"
)

// residenceRow is one Ortsteil of the report's residence map.
type residenceRow struct {
	Code, Name, Bezirk string
	// Count is "" when suppressed (1 or 2 registrations).
	Count      string
	Suppressed bool
}

type residenceMap struct {
	SVG    template.HTML
	Legend []legendItem
	Rows   []residenceRow
	Total  int
}

// residenceMap draws the registrations by the Ortsteil the registrants
// stated as their residence (with consent, issue 14). Counts of 1 and 2 are
// suppressed like in the open data: drawn as none and named "weniger als 3".
func (s *Server) residenceMap(c echo.Context) (*residenceMap, error) {
	loc := localizer(c)
	counts, err := s.store.RegistrationsByResidence(c.Request().Context())
	if err != nil {
		return nil, err
	}
	maxv := 0.0
	for _, n := range counts {
		if n >= app.SmallCount {
			maxv = max(maxv, float64(n))
		}
	}
	classOf, legend := mapClasses(maxv, false, loc.Lang())
	d := &residenceMap{}
	drawing := geo.Drawing{ID: "bericht-wohnort", Label: loc.T("results.residence_map_label")}
	for _, o := range s.ref.Ortsteile {
		n := counts[o.Code]
		d.Total += n
		r := residenceRow{Code: o.Code, Name: o.Name, Bezirk: s.bezirkName(o.StadtbezirkCode), Count: strconv.Itoa(n)}
		label := loc.T("results.residence_area", "Name", o.Name, "Count", n)
		value := float64(n)
		if n > 0 && n < app.SmallCount {
			r.Count, r.Suppressed, value = "", true, 0
			label = loc.T("results.residence_area_few", "Name", o.Name, "Min", app.SmallCount)
		}
		d.Rows = append(d.Rows, r)
		drawing.Areas = append(drawing.Areas, geo.Area{Code: o.Code, Href: "/ortsteile/" + o.Code, Label: label, Class: classOf(value)})
	}
	d.SVG = template.HTML(s.geo.CitySVG(drawing)) //nolint:gosec // geo escapes every text it writes
	for i, l := range legend {
		if l != "" {
			d.Legend = append(d.Legend, legendItem{Swatch: template.HTML(geo.Swatch("bericht-wohnort-legend", i)), Label: l}) //nolint:gosec // no user text
		}
	}
	return d, nil
}
