package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
)

func (s *Server) reportRoutes() {
	s.adminGroup().GET("/bericht", s.adminReport, requireRole(app.RoleAdmin))
}

// adminReport is the Beteiligungsbericht: a printable page for the council
// paper with figures, charts drawn by the server and the Abwägung summary.
func (s *Server) adminReport(c echo.Context) error {
	loc := localizer(c)
	r, err := export.BuildReport(c.Request().Context(), s.store, loc.T, loc.Lang())
	if err != nil {
		return err
	}
	return s.page(c, "admin/report", "results.report.title", r)
}
