package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// abwRulesPage lists the assignment rules with the form for a new one.
type abwRulesPage struct {
	Rules      []*store.RuleView
	Fachaemter []*app.Fachamt
	Groups     []chapterGroup
	Chapters   map[string]string
	Applied    *abwApplied
}

type abwApplied struct{ Assigned, Unmatched int }

// RuleValue names a rule's value: the chapter's title, the tag's or the
// channel's name.
func (p *abwRulesPage) RuleValue(v *View, r *store.RuleView) string {
	switch r.Kind {
	case app.RuleChapter:
		return p.Chapters[r.Value]
	case app.RuleChannel:
		return v.ChannelName(r.Value)
	}
	return v.TagName(r.Value)
}

func (s *Server) abwRulesData(c echo.Context) (*abwRulesPage, error) {
	ctx := c.Request().Context()
	d := &abwRulesPage{Chapters: map[string]string{}}
	var err error
	if d.Rules, err = s.store.AssignmentRules(ctx); err != nil {
		return nil, err
	}
	if d.Fachaemter, err = s.store.Fachaemter(ctx, false); err != nil {
		return nil, err
	}
	if d.Groups, err = s.chapterGroups(c); err != nil {
		return nil, err
	}
	for _, g := range d.Groups {
		for _, ch := range g.Chapters {
			d.Chapters[strconv.FormatInt(ch.ID, 10)] = ch.Title
		}
	}
	return d, nil
}

func (s *Server) abwRules(c echo.Context) error {
	d, err := s.abwRulesData(c)
	if err != nil {
		return err
	}
	return s.page(c, "abwaegung/rules", "abwaegung.rules_title", d)
}

func (s *Server) abwAddRule(c echo.Context) error {
	var in app.RuleInput
	if err := bind(c, &in); err != nil {
		return err
	}
	// The form has one value field per kind (a select each).
	if in.Value == "" {
		in.Value = c.FormValue("value_" + in.Kind)
	}
	if _, err := s.store.AddRule(c.Request().Context(), currentUser(c), in); err != nil {
		d, derr := s.abwRulesData(c)
		if derr != nil {
			return derr
		}
		if e, ok := app.AsError(err); ok {
			// Without a kind there is no value field to point to: the
			// error at "kind" says what to do first.
			fields := e.Fields[:0:0]
			for _, f := range e.Fields {
				if f.Field == "value" {
					if in.Kind == "" {
						continue
					}
					f.Field = "value_" + in.Kind
				}
				fields = append(fields, f)
			}
			if len(fields) > 0 {
				e.Fields = fields
			}
		}
		return s.formError(c, "abwaegung/rules", "abwaegung.rules_title", err, d)
	}
	return s.redirect(c, "/abwaegung/regeln", "abwaegung.rule_added")
}

func (s *Server) abwDeleteRule(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteRule(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return s.redirect(c, "/abwaegung/regeln", "abwaegung.rule_deleted")
}

func (s *Server) abwApplyRules(c echo.Context) error {
	assigned, unmatched, err := s.abw.ApplyRules(c.Request().Context(), currentUser(c), true, app.MaxUploadRows)
	if err != nil {
		return err
	}
	d, err := s.abwRulesData(c)
	if err != nil {
		return err
	}
	d.Applied = &abwApplied{Assigned: assigned, Unmatched: unmatched}
	return s.page(c, "abwaegung/rules", "abwaegung.rules_title", d)
}
