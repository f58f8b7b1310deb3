package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// routes registers every resource. Each resource file owns its routes in a
// function named after it; features add one line here.
func (s *Server) routes() {
	s.e.GET("/static/*", s.static.serve)
	s.healthRoutes()
	s.homeRoutes()
	s.pageRoutes()
	s.feedbackRoutes()
	s.signupRoutes()
	s.loginRoutes()
	s.passwordRoutes()
	s.profileRoutes()
	s.externalLoginRoutes()
	s.adminRoutes()
	s.adminUserRoutes()
	s.adminOutboxRoutes()
	s.adminContentRoutes()
	s.adminFeedbackRoutes()
	s.labRoutes()
	s.boardRoutes()
	s.apiRoutes()
	s.draftRoutes()
	s.eventRoutes()
	s.selectionRoutes()
	s.resultsRoutes()
	s.similarRoutes()
	s.geoRoutes()
	s.searchRoutes()
	s.abwaegungRoutes()
	s.adminFachamtRoutes()
	s.notifyRoutes()
	s.surveyRoutes()
	s.e.RouteNotFound("/*", func(c echo.Context) error { return app.NotFound() })
}
