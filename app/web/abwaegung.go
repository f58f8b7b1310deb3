package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
)

// abwaegungRoutes: the Abwägung for AG INSEK and the Fachämter
// (docs/abwaegung.md). Staff pages live under /abwaegung, outside the admin
// area: Fachamt staff are neither moderators nor admins.
func (s *Server) abwaegungRoutes() {
	g := s.e.Group("/abwaegung", requireLogin, s.requireStaff)
	coord := requireCoordinator
	g.GET("", s.abwQueue)
	g.GET("/nicht-zugeordnet", s.abwUnassigned, coord)
	g.POST("/sammelaktion", s.abwBulk)
	g.GET("/amt/:short", s.abwFachamtQueue)
	g.GET("/amt/:short/tabelle.xlsx", s.abwDownloadXLSX)
	g.GET("/amt/:short/hochladen", s.abwUploadForm)
	s.upload(g.POST("/amt/:short/hochladen", s.abwUpload))
	g.GET("/uebersicht", s.abwDashboard, coord)
	g.GET("/regeln", s.abwRules, coord)
	g.POST("/regeln", s.abwAddRule, coord)
	g.POST("/regeln/:id/loeschen", s.abwDeleteRule, coord)
	g.POST("/regeln/anwenden", s.abwApplyRules, coord)
	g.GET("/runden", s.abwRounds, coord)
	g.POST("/runden", s.abwStartRound, coord)
	g.GET("/runden/:id", s.abwRound, coord)
	g.POST("/runden/:id/fristen", s.abwSetDeadline, coord)
	g.GET("/:number", s.abwAssessment)
	g.POST("/:number/entwurf", s.abwSaveDraft)
	g.POST("/:number/schritt", s.abwTransition)
	g.POST("/:number/zuordnung", s.abwAssign, coord)
	g.POST("/:number/doppelung", s.abwMerge, coord)
	s.abwaegungAPIRoutes()
}

const ctxAccess = "mw.abw_access"

// requireStaff lets AG INSEK, admins and Fachamt staff through and keeps
// what they may do for the handlers.
func (s *Server) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		acc, err := s.abw.AccessOf(c.Request().Context(), currentUser(c))
		if err != nil {
			return err
		}
		if !acc.Staff() {
			return app.Forbidden()
		}
		c.Set(ctxAccess, acc)
		return next(c)
	}
}

// requireCoordinator lets only AG INSEK (and admins) through; it runs after
// requireStaff.
func requireCoordinator(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !access(c).Coordinator {
			return app.Forbidden()
		}
		return next(c)
	}
}

func access(c echo.Context) *abwaegung.Access {
	a, _ := c.Get(ctxAccess).(*abwaegung.Access)
	return a
}

// StateName names a workflow state.
func (v *View) StateName(state string) string { return v.T("abwaegung.state." + state) }

// StateOptions are the workflow states for selects.
func (v *View) StateOptions() []Option {
	out := make([]Option, len(app.AssessmentStates))
	for i, st := range app.AssessmentStates {
		out[i] = Option{Value: st, Label: v.StateName(st)}
	}
	return out
}

// FachamtOptions are Fachämter for selects (value: short name).
func (v *View) FachamtOptions(list []*app.Fachamt) []Option {
	out := make([]Option, len(list))
	for i, f := range list {
		out[i] = Option{Value: f.Short, Label: f.Label()}
	}
	return out
}

// DeadlineDate formats a deadline day (YYYY-MM-DD) for reading.
func (v *View) DeadlineDate(day string) string {
	d, ok := app.DeadlineDay(day)
	if !ok {
		return ""
	}
	return v.Date(d)
}

// Coordinates reports whether the viewer acts as AG INSEK in the Abwägung.
func (v *View) Coordinates() bool { return v.User.Coordinates() }

// AbwaegungStaff reports whether the viewer has a part in the Abwägung
// (AG INSEK, admins, Fachamt staff), for the navigation.
func (v *View) AbwaegungStaff() bool { return v.User.Coordinates() || v.User.Holds(app.RoleFachamt) }

// AbwChannelOptions are every channel for the queue's filter.
func (v *View) AbwChannelOptions() []Option { return v.ChannelOptions(app.Channels) }

// RuleKindOptions are the kinds of assignment rules.
func (v *View) RuleKindOptions() []Option {
	out := make([]Option, len(app.RuleKinds))
	for i, k := range app.RuleKinds {
		out[i] = Option{Value: k, Label: v.T("abwaegung.kind." + k)}
	}
	return out
}

// RuleRoleOptions are lead and co-signer.
func (v *View) RuleRoleOptions() []Option {
	return []Option{{Value: app.RuleLead, Label: v.T("abwaegung.role_lead")}, {Value: app.RuleCosign, Label: v.T("abwaegung.role_cosign")}}
}

// TagOptGroups are the tags for a select, by Zielfeld, then the themes.
func (v *View) TagOptGroups() []OptGroup {
	var out []OptGroup
	for _, g := range v.TagGroups() {
		out = append(out, OptGroup{Label: g.Label, Options: g.Options})
	}
	return out
}

// ErrorText is the message of an error in the viewer's language.
func (v *View) ErrorText(err error) string {
	if e, ok := app.AsError(err); ok {
		return v.Msg(e.Msg)
	}
	return v.T("error.internal")
}
