package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
)

// adminGroup is the admin area; moderators see it too, each page decides
// whether it needs an admin.
func (s *Server) adminGroup() *echo.Group {
	return s.e.Group("/admin", requireRole(app.RoleModerator))
}

func (s *Server) adminRoutes() {
	s.adminGroup().GET("", s.adminDashboard)
}

type adminDashboard struct {
	Users    int64
	Backlog  int64
	Feedback int64
	// Report holds the charts of the participation report (admins only).
	Report *export.Report
}

func (s *Server) adminDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	var d adminDashboard
	var err error
	if d.Users, err = s.store.CountUsers(ctx); err != nil {
		return err
	}
	if d.Backlog, err = s.store.OutboxBacklog(ctx); err != nil {
		return err
	}
	if d.Feedback, err = s.store.CountOpenFeedback(ctx); err != nil {
		return err
	}
	if u := currentUser(c); u != nil && u.Role == app.RoleAdmin {
		loc := localizer(c)
		if d.Report, err = export.BuildReport(ctx, s.store, loc.T, loc.Lang()); err != nil {
			return err
		}
		// The dashboard shows the charts; their tables are in the report.
		for _, ch := range d.Report.Charts {
			ch.TableLink = "/admin/bericht#" + ch.ID + "-data"
			ch.TableLinkText = loc.T("charts.table_link", "Title", ch.Title)
		}
	}
	return s.page(c, "admin/dashboard", "admin.title", d)
}
