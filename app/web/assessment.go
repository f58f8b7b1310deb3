package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// assessmentRoutes keep the addresses of the admin-only Abwägung that the
// workflow under /abwaegung replaced (issue 13): bookmarks lead there. The
// old form's POST changes nothing any more: publishing needs a second
// person now (four eyes).
func (s *Server) assessmentRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/abwaegung", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/abwaegung") }, admin)
	moved := func(c echo.Context) error {
		n, err := contributionNumber(c)
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/abwaegung/"+app.FormatContributionNumber(n))
	}
	g.GET("/abwaegung/:number", moved, admin)
	g.POST("/abwaegung/:number", moved, admin)
}
