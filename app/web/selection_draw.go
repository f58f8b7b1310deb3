package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/app/selection"
)

func (s *Server) selectionDrawRoutes() {
	s.adminGroup().GET("/veranstaltungen/:id/auslosung/status", s.adminDrawStatus)
}

// drawLookup is one applicant's line of a draw: pseudonymous id,
// probability and result. Nothing else about the person is shown.
type drawLookup struct {
	V           *View
	ID          string
	Probability float64
	StdErr      float64
	Drawn       bool
	Selected    bool
	Position    int // on the waiting list of the draw (1 = first), 0 if selected
}

// quotaRow is one value of the published quota table. Names the
// organisers typed (their own categories, Stadtgebiete) keep their German
// and say so in CategoryLang/ValueLang; preset names are translated.
type quotaRow struct {
	Category, CategoryLang string
	Value, ValueLang       string
	Min, Max               int
	Applicants             int
	Selected               int
}

// drawExtras adds to the public draw page what the quotas and the lookup
// need: the quota table, the statistics and the applicant's own line.
type drawExtras struct {
	Quotas    []quotaRow
	Own       *drawLookup
	Lookup    *drawLookup
	PanelSize int
	Panels    int
}

func lookupIn(doc *selection.Draw, id string) *drawLookup {
	for _, p := range doc.Probabilities {
		if p.ID != id {
			continue
		}
		l := &drawLookup{ID: id, Probability: p.Probability, StdErr: p.StdErr, Drawn: doc.Seed != nil}
		for _, x := range doc.Selected {
			l.Selected = l.Selected || x == id
		}
		for i, x := range doc.WaitingList {
			if x == id {
				l.Position = i + 1
			}
		}
		return l
	}
	return nil
}

func quotaTable(doc *selection.Draw) []quotaRow {
	selected := map[string]bool{}
	for _, id := range doc.Selected {
		selected[id] = true
	}
	var rows []quotaRow
	for _, c := range doc.Categories {
		for _, q := range c.Values {
			r := quotaRow{Category: c.Name, Value: q.Value, Min: q.Min, Max: q.Max}
			for _, p := range doc.Pool {
				if p.Values[c.Name] == q.Value {
					r.Applicants++
					if selected[p.ID] {
						r.Selected++
					}
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// translateQuotas names the rows in the reader's language. The draw
// document keeps the German names it was hashed with; a preset category
// (age band, gender, first time) is recognised by its source and its
// values by their codes. Everything else is what the organisers wrote.
func (s *Server) translateQuotas(rows []quotaRow, cats []*app.SelectionCategory, loc *i18n.Localizer) {
	de := s.i18n.Localizer("de")
	for i := range rows {
		r := &rows[i]
		r.CategoryLang, r.ValueLang = contentLang, contentLang
		var cat *app.SelectionCategory
		for _, c := range cats {
			if c.Name == r.Category {
				cat = c
			}
		}
		if cat == nil {
			continue
		}
		if preset := "selection.preset." + cat.Source; cat.Source != app.SourceFree && cat.Name == de.T(preset) {
			r.Category, r.CategoryLang = loc.T(preset), ""
		}
		for _, v := range cat.Values {
			if v.Label != r.Value {
				continue
			}
			switch {
			case v.Code == "":
				r.Value, r.ValueLang = loc.T("selection.no_answer_value"), ""
			case cat.Source == app.SourceAge || cat.Source == app.SourceGender || cat.Source == app.SourceFirstTime:
				r.Value, r.ValueLang = loc.T("events."+cat.Source+"."+v.Code), ""
			}
		}
	}
}

// drawPageExtras reads the lookup (?kennung=…) and the logged-in
// applicant's own line. A malformed or unknown id is a message at the field.
func (s *Server) drawPageExtras(c echo.Context, ev *app.Event, doc *selection.Draw) (*drawExtras, error) {
	x := &drawExtras{Quotas: quotaTable(doc), PanelSize: doc.PanelSize, Panels: len(doc.Panels)}
	cats, err := s.store.SelectionCategories(c.Request().Context(), ev.ID)
	if err != nil {
		return x, err
	}
	s.translateQuotas(x.Quotas, cats, localizer(c))
	if u := currentUser(c); u != nil {
		if r, err := s.store.RegistrationOf(c.Request().Context(), ev.ID, u.ID); err == nil {
			x.Own = lookupIn(doc, r.Pseudonym)
		}
	}
	q := strings.TrimSpace(c.QueryParam("kennung"))
	if len(q) > 2 && strings.EqualFold(q[:2], "B-") { // numbers are "B-" and lower-case hex
		q = "B-" + strings.ToLower(q[2:])
	}
	if _, asked := c.QueryParams()["kennung"]; !asked {
		return x, nil
	}
	var v app.Validator
	v.Line("kennung", q, true, 40)
	if err := v.Err(); err != nil {
		return x, err
	}
	if x.Lookup = lookupIn(doc, q); x.Lookup == nil {
		return x, app.FieldInvalid("kennung", "selection.lookup_unknown")
	}
	return x, nil
}

// adminDrawStatus is the status of the background computation; the admin
// draw page links here while it runs (no JavaScript needed).
func (s *Server) adminDrawStatus(c echo.Context) error {
	d, err := s.adminDrawData(c)
	if err != nil {
		return err
	}
	return s.page(c, "admin/selection_status", "selection.status_page", d)
}

// announceError shows an infeasible quota at the top of the draw page,
// with the smallest change that fixes it; nothing is drawn.
func (s *Server) announceError(c echo.Context, d *adminDrawPage, err error) error {
	var inf *events.InfeasibleError
	if errors.As(err, &inf) {
		d.Changes = inf.Changes
		values, _ := c.FormParams()
		v := s.view(c, "events.draw_admin_page", d)
		v.Form = newForm(values, app.Errorf(app.CodeInvalid, "selection.infeasible"), localizer(c))
		return s.render(c, http.StatusUnprocessableEntity, "admin/events_draw", v)
	}
	return s.formError(c, "admin/events_draw", "events.draw_admin_page", err, d)
}
