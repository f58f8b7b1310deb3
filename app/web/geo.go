package web

import (
	"encoding/json"
	"errors"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/geo"
	"github.com/mitwirken/mitwirken/app/store"
)

// geoRoutes: Leipzig on the map (issue 14, docs/maps.md).
func (s *Server) geoRoutes() {
	s.e.GET("/karte", s.mapPage)
	s.e.GET("/ortsteile/:nr", s.ortsteilPage)
	admin := requireRole(app.RoleAdmin)
	s.adminGroup().GET("/bevoelkerung", s.adminPopulation, admin)
	s.adminGroup().POST("/bevoelkerung", s.adminPopulationImport, admin)
	s.apiGroup().GET("/opendata/ortsteile.geojson", s.openDataOrtsteile)
}

// mapFilter is the filter of the map and the Ortsteil page, read from the
// query (a GET form that works without JavaScript).
type mapFilter struct {
	store.MapFilter
	ChapterID string
	Von, Bis  string
	PerCapita bool
	// Query is the filter as a query string ("" or "?…") for links.
	Query string
}

func (s *Server) readMapFilter(c echo.Context) (mapFilter, *app.Error) {
	q := c.QueryParams()
	var f mapFilter
	keep := url.Values{}
	var v app.Validator
	if k := q.Get("kapitel"); k != "" {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil && id > 0 && len(k) < 19 {
			f.MapFilter.ChapterID, f.ChapterID = id, k
			keep.Set("kapitel", k)
		} else {
			v.Add("kapitel", "form.choice_invalid")
		}
	}
	// choice keeps a filter value that is one of its options.
	choice := func(name string, valid func(string) bool, dst *string) {
		if val := q.Get(name); val != "" {
			if valid(val) {
				*dst = val
				keep.Set(name, val)
			} else {
				v.Add(name, "form.choice_invalid")
			}
		}
	}
	choice("schwerpunkt", s.isTag, &f.Tag)
	choice("kanal", app.ValidChannel, &f.Channel)
	choice("abwaegung", func(a string) bool { return oneOfString(a, app.AssessmentStatuses) }, &f.Assessment)
	von, bis := q.Get("von"), q.Get("bis")
	if len(von) > 20 || len(bis) > 20 {
		v.Add("von", "results.date_invalid")
	} else {
		var dv app.Validator
		from, to := dv.DateRange("von", von, "bis", bis)
		if dv.Err() == nil {
			f.From, f.To, f.Von, f.Bis = from, to, von, bis
			if von != "" {
				keep.Set("von", von)
			}
			if bis != "" {
				keep.Set("bis", bis)
			}
		} else {
			e, _ := app.AsError(dv.Err())
			for _, fe := range e.Fields {
				v.Add(fe.Field, fe.Msg.ID)
			}
		}
	}
	if q.Get("bezug") == "einwohner" {
		f.PerCapita = true
	}
	if len(keep) > 0 {
		f.Query = "?" + keep.Encode()
	}
	if err := v.Err(); err != nil {
		e, _ := app.AsError(err)
		return f, e
	}
	return f, nil
}

func oneOfString(x string, list []string) bool {
	for _, y := range list {
		if x == y {
			return true
		}
	}
	return false
}

func (s *Server) isTag(code string) bool {
	for _, h := range s.ref.Handlungsschwerpunkte {
		if h.Code == code {
			return true
		}
	}
	return false
}

// mapRow is one Ortsteil of the map and of the table below it.
type mapRow struct {
	Code, Name, Bezirk string
	Count              int
	Per1000            string // "" without population
	Population         int
	Class              int
	Href               string
	Label              string
}

type legendItem struct {
	Swatch template.HTML
	Label  string
}

type mapPageData struct {
	Filter         mapFilter
	Groups         []chapterGroup
	Rows           []mapRow
	Total          int
	SVG            template.HTML
	Legend         []legendItem
	PerCapita      bool   // the figures are per 1,000 inhabitants
	PopulationDate string // the date of the population, "" without
}

// mapPage is /karte: a choropleth of the published contributions per
// Ortsteil with a data table of the same figures.
func (s *Server) mapPage(c echo.Context) error {
	loc := localizer(c)
	f, ferr := s.readMapFilter(c)
	d, err := s.choropleth(c, f, "karte")
	if err != nil {
		return err
	}
	if d.Groups, err = s.chapterGroups(c); err != nil {
		return err
	}
	v := s.view(c, "geo.map_title", d)
	status := http.StatusOK
	if ferr != nil {
		v.Form = newForm(c.QueryParams(), ferr, loc)
		status = http.StatusUnprocessableEntity
	} else {
		v.Form = &Form{Values: c.QueryParams(), Errors: map[string]string{}}
	}
	return s.render(c, status, "geo/map", v)
}

// choropleth counts the published contributions per Ortsteil with the
// filter and draws them on the city map; id names the drawing's patterns.
func (s *Server) choropleth(c echo.Context, f mapFilter, id string) (*mapPageData, error) {
	ctx := c.Request().Context()
	loc := localizer(c)
	counts, err := s.store.ContributionsByOrtsteil(ctx, f.MapFilter)
	if err != nil {
		return nil, err
	}
	pop, err := s.store.PopulationByOrtsteil(ctx)
	if err != nil {
		return nil, err
	}
	d := &mapPageData{Filter: f}
	// Per-capita figures only when every Ortsteil has a population.
	complete := len(pop) == len(s.ref.Ortsteile)
	d.PerCapita = f.PerCapita && complete
	if complete {
		latest := ""
		for _, p := range pop {
			if p.AsOf > latest {
				latest = p.AsOf
			}
		}
		d.PopulationDate = latest
	}
	values := map[string]float64{}
	maxv := 0.0
	for _, o := range s.ref.Ortsteile {
		val := float64(counts[o.Code])
		if d.PerCapita && pop[o.Code].Population > 0 {
			val = val * 1000 / float64(pop[o.Code].Population)
		} else if d.PerCapita {
			val = 0
		}
		values[o.Code] = val
		maxv = math.Max(maxv, val)
	}
	classOf, legend := mapClasses(maxv, d.PerCapita, loc.Lang())
	drawing := geo.Drawing{ID: id, Label: loc.T("geo.map_label")}
	for _, o := range s.ref.Ortsteile {
		r := mapRow{Code: o.Code, Name: o.Name, Bezirk: s.bezirkName(o.StadtbezirkCode), Count: counts[o.Code], Population: pop[o.Code].Population}
		if complete && r.Population > 0 {
			r.Per1000 = formatDecimal(float64(r.Count)*1000/float64(r.Population), loc.Lang())
		}
		r.Class = classOf(values[o.Code])
		r.Href = "/ortsteile/" + o.Code + f.Query
		r.Label = loc.T("geo.area_label", "Name", o.Name, "Count", r.Count)
		if d.PerCapita {
			r.Label = loc.T("geo.area_label_per1000", "Name", o.Name, "Count", r.Count, "Per1000", r.Per1000)
		}
		d.Total += r.Count
		d.Rows = append(d.Rows, r)
		drawing.Areas = append(drawing.Areas, geo.Area{Code: o.Code, Href: r.Href, Label: r.Label, Class: r.Class})
	}
	d.SVG = template.HTML(s.geo.CitySVG(drawing)) //nolint:gosec // geo escapes every text it writes
	for i, l := range legend {
		if l == "" {
			continue // a class no figure can fall into
		}
		d.Legend = append(d.Legend, legendItem{Swatch: template.HTML(geo.Swatch(id+"-legend", i)), Label: l}) //nolint:gosec // no user text
	}
	return d, nil
}

// mapClasses splits 0..max into the legend classes: 0 is "none", then four
// equal steps up to the largest value. Whole counts smaller than four steps
// leave some steps without any possible value (max 2: "1", "2"); those are
// dropped and the others move up, so the darkest class always holds the
// largest figure and the legend never shows an empty class. It returns the
// class of a value and the legend labels by class ("" for a class not used).
func mapClasses(maxv float64, decimals bool, lang string) (func(float64) int, []string) {
	steps := geo.Classes - 1
	bound := make([]float64, steps+1)
	for k := 1; k <= steps; k++ {
		b := maxv * float64(k) / float64(steps)
		if !decimals {
			b = math.Ceil(b)
		}
		bound[k] = b
	}
	// used are the steps whose range can hold a value.
	var used []int
	for k := 1; k <= steps; k++ {
		if bound[k] > bound[k-1] {
			used = append(used, k)
		}
	}
	shift := steps - len(used)
	classOf := func(v float64) int {
		if v <= 0 || len(used) == 0 {
			return 0
		}
		for j, k := range used {
			if v <= bound[k]+1e-9 {
				return shift + j + 1
			}
		}
		return steps
	}
	num := func(x float64) string {
		if decimals {
			return formatDecimal(x, lang)
		}
		return strconv.Itoa(int(x))
	}
	labels := make([]string, geo.Classes)
	labels[0] = "0"
	for j, k := range used {
		lo, hi := bound[k-1], bound[k]
		switch {
		case decimals:
			labels[shift+j+1] = "> " + num(lo) + " – " + num(hi)
		case int(lo)+1 == int(hi):
			labels[shift+j+1] = num(hi)
		default:
			labels[shift+j+1] = num(lo+1) + " – " + num(hi)
		}
	}
	return classOf, labels
}

func formatDecimal(x float64, lang string) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func (s *Server) bezirkName(code string) string {
	if b, ok := s.ref.Stadtbezirk(code); ok {
		return b.Name
	}
	return code
}

type ortsteilPageData struct {
	Ortsteil app.Ortsteil
	// FollowID is the Ortsteil's number as a follow target.
	FollowID      int64
	Bezirk        string
	Filter        mapFilter
	SVG           template.HTML
	Contributions []store.PlaceContribution
	Total         int64
	Assessments   []assessmentCount
	Events        []eventItem
	Labs          []*app.Lab
	Population    *store.Population
}

type assessmentCount struct {
	Status string
	Count  int
}

// ortsteilPage is /ortsteile/NN: what concerns one Ortsteil, with its shape
// on the map of its Stadtbezirk. The map's filters apply to the list.
func (s *Server) ortsteilPage(c echo.Context) error {
	nr := c.Param("nr")
	o, ok := s.ref.Ortsteil(nr)
	if len(nr) != 2 || !ok {
		return app.NotFound()
	}
	ctx := c.Request().Context()
	loc := localizer(c)
	f, ferr := s.readMapFilter(c)
	d := &ortsteilPageData{Ortsteil: o, Bezirk: s.bezirkName(o.StadtbezirkCode), Filter: f}
	n, err := strconv.Atoi(o.Code)
	if err != nil {
		return app.NotFound()
	}
	d.FollowID = int64(n)
	if d.Contributions, d.Total, err = s.store.OrtsteilContributions(ctx, o.Code, f.MapFilter); err != nil {
		return err
	}
	byStatus, err := s.store.OrtsteilAssessments(ctx, o.Code, f.MapFilter)
	if err != nil {
		return err
	}
	for _, st := range app.AssessmentStatuses {
		if byStatus[st] > 0 {
			d.Assessments = append(d.Assessments, assessmentCount{Status: st, Count: byStatus[st]})
		}
	}
	evs, err := s.store.OrtsteilEvents(ctx, o.Code)
	if err != nil {
		return err
	}
	for _, e := range evs {
		d.Events = append(d.Events, eventItem{Event: e, lang: loc.Lang()})
	}
	if d.Labs, err = s.store.OrtsteilLabs(ctx, o.Code); err != nil {
		return err
	}
	pop, err := s.store.PopulationByOrtsteil(ctx)
	if err != nil {
		return err
	}
	if p, ok := pop[o.Code]; ok {
		d.Population = &p
	}
	drawing := geo.Drawing{ID: "ortsteil", Label: loc.T("geo.ortsteil_map_label", "Name", o.Name, "Bezirk", d.Bezirk)}
	for _, other := range s.ref.OrtsteileOf(o.StadtbezirkCode) {
		ar := geo.Area{Code: other.Code, Href: "/ortsteile/" + other.Code + f.Query, Label: other.Name, Current: other.Code == o.Code}
		if ar.Current {
			ar.Class = geo.Classes - 1
			ar.Label = loc.T("geo.current_area", "Name", other.Name)
		}
		drawing.Areas = append(drawing.Areas, ar)
	}
	d.SVG = template.HTML(s.geo.BezirkSVG(o.StadtbezirkCode, drawing)) //nolint:gosec // geo escapes every text it writes
	v := s.view(c, "", d)
	v.Title = loc.T("geo.ortsteil_title", "Name", o.Name)
	status := http.StatusOK
	if ferr != nil {
		v.Form = newForm(c.QueryParams(), ferr, loc)
		status = http.StatusUnprocessableEntity
	} else {
		v.Form = &Form{Values: c.QueryParams(), Errors: map[string]string{}}
	}
	return s.render(c, status, "geo/ortsteil", v)
}

type populationPageData struct {
	Rows     []populationRow
	Problems []string
}

type populationRow struct {
	Code, Name string
	Population *store.Population
}

func (s *Server) populationData(c echo.Context) (*populationPageData, error) {
	pop, err := s.store.PopulationByOrtsteil(c.Request().Context())
	if err != nil {
		return nil, err
	}
	d := &populationPageData{}
	for _, o := range s.ref.Ortsteile {
		r := populationRow{Code: o.Code, Name: o.Name}
		if p, ok := pop[o.Code]; ok {
			r.Population = &p
		}
		d.Rows = append(d.Rows, r)
	}
	return d, nil
}

// adminPopulation shows the imported population per Ortsteil and the
// import form.
func (s *Server) adminPopulation(c echo.Context) error {
	d, err := s.populationData(c)
	if err != nil {
		return err
	}
	return s.page(c, "admin/population", "geo.population_title", d)
}

// adminPopulationImport replaces the population with an uploaded CSV file
// (all or nothing; every bad line is named).
func (s *Server) adminPopulationImport(c echo.Context) error {
	d, err := s.populationData(c)
	if err != nil {
		return err
	}
	data, ferr := readUpload(c, "file", app.MaxPopulationBytes)
	if ferr != nil {
		return s.formError(c, "admin/population", "geo.population_title", ferr, d)
	}
	rows, err := app.ParsePopulationCSV(data, func(code string) bool { _, ok := s.ref.Ortsteil(code); return ok })
	var ie *app.ImportError
	if errors.As(err, &ie) {
		loc := localizer(c)
		for _, p := range ie.Rows {
			d.Problems = append(d.Problems, loc.T("events.import_line", "Line", p.Line, "Message", loc.Msg(p.Msg)))
		}
		v := s.view(c, "geo.population_title", d)
		v.Form = newForm(nil, app.FieldInvalid("file", "events.import_failed", "Count", len(ie.Rows)), loc)
		return s.render(c, http.StatusUnprocessableEntity, "admin/population", v)
	}
	if err != nil {
		return s.formError(c, "admin/population", "geo.population_title", err, d)
	}
	out := make([]store.Population, len(rows))
	for i, r := range rows {
		out[i] = store.Population{OrtsteilCode: r.Ortsteil, Population: r.Population, AsOf: r.AsOf}
	}
	if err := s.store.ReplacePopulation(c.Request().Context(), currentUser(c), out); err != nil {
		return err
	}
	return s.redirect(c, "/admin/bevoelkerung", "geo.population_imported")
}

// openDataOrtsteile is the open data of the map: one feature per Ortsteil
// with its number, name, Stadtbezirk and the count of published
// contributions; counts below app.SmallCount are suppressed (null).
func (s *Server) openDataOrtsteile(c echo.Context) error {
	ctx := c.Request().Context()
	counts, err := s.store.ContributionsByOrtsteil(ctx, store.MapFilter{})
	if err != nil {
		return err
	}
	pop, err := s.store.PopulationByOrtsteil(ctx)
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, o := range s.ref.Ortsteile {
		sh := s.geo.Ortsteil(o.Code)
		var g orb.Geometry = sh.Geom
		if len(sh.Geom) == 1 {
			g = sh.Geom[0]
		}
		f := geojson.NewFeature(orb.Round(g, 1e5))
		f.Properties["ot"] = o.Code
		f.Properties["name"] = o.Name
		f.Properties["stadtbezirk"] = o.StadtbezirkCode
		f.Properties["stadtbezirk_name"] = s.bezirkName(o.StadtbezirkCode)
		if n := counts[o.Code]; n >= app.SmallCount || n == 0 {
			f.Properties["beitraege"] = n
		} else {
			f.Properties["beitraege"] = nil
		}
		if p, ok := pop[o.Code]; ok {
			f.Properties["einwohner"] = p.Population
			f.Properties["einwohner_stand"] = p.AsOf
		}
		fc.Append(f)
	}
	body, err := json.Marshal(map[string]any{
		"type": "FeatureCollection", "features": fc.Features,
		"licence": export.LicenceURL, "attribution": geo.Attribution,
		"suppressed_below": app.SmallCount,
	})
	if err != nil {
		return app.Internal(err)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, "application/geo+json", body)
}

// SchwerpunktGroups are the Handlungsschwerpunkte by Zielfeld, for the
// map's filter.
func (v *View) SchwerpunktGroups() []TagGroup {
	groups := v.TagGroups()
	if len(groups) > 0 {
		groups = groups[:len(groups)-1] // the last group are the themes
	}
	return groups
}

// AllChannels lists every channel of contributions.
func (v *View) AllChannels() []string { return app.Channels }

// gebietMap draws a Stadtgebiet (its Stadtbezirke's Ortsteile, merged
// outline); every Ortsteil links to its page.
func (s *Server) gebietMap(c echo.Context, g *app.Stadtgebiet) template.HTML {
	if g == nil || len(g.Bezirke) == 0 {
		return ""
	}
	loc := localizer(c)
	var codes []string
	d := geo.Drawing{ID: "gebiet", Label: loc.T("geo.gebiet_map_label", "Name", g.Name)}
	for _, b := range g.Bezirke {
		for _, o := range s.ref.OrtsteileOf(b) {
			codes = append(codes, o.Code)
			d.Areas = append(d.Areas, geo.Area{Code: o.Code, Href: "/ortsteile/" + o.Code, Label: o.Name})
		}
	}
	key := "gebiet:" + strings.Join(codes, ",")
	return template.HTML(s.geo.GroupSVG(key, codes, d)) //nolint:gosec // geo escapes every text it writes
}
