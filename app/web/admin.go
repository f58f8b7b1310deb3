package web

import (
	"context"
	"time"

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
	// Report holds the charts of the participation report (admins only),
	// computed at ReportAt (see reportSnapshot).
	Report   *export.Report
	ReportAt time.Time
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
		if d.Report, d.ReportAt, err = s.reportSnapshot(localizer(c).Lang()).get(ctx); err != nil {
			return err
		}
	}
	return s.page(c, "admin/dashboard", "admin.title", d)
}

// reportSnapshot keeps the dashboard's report (about 19 queries) per
// language; views show it with its time instead of computing it each time.
func (s *Server) reportSnapshot(lang string) *snapshot[*export.Report] {
	s.snapshotsMu.Lock()
	defer s.snapshotsMu.Unlock()
	if r, ok := s.reports[lang]; ok {
		return r
	}
	loc := s.i18n.Localizer(lang)
	r := newSnapshot("dashboard report "+lang, s.store.Now, s.log, func(ctx context.Context) (*export.Report, error) {
		rep, err := export.BuildReport(ctx, s.store, loc.T, loc.Lang())
		if err != nil {
			return nil, err
		}
		// The dashboard shows the charts; their tables are in the report.
		for _, ch := range rep.Charts {
			ch.TableLink = "/admin/bericht#" + ch.ID + "-data"
			ch.TableLinkText = loc.T("charts.table_link", "Title", ch.Title)
		}
		return rep, nil
	})
	s.reports[lang] = r
	return r
}
