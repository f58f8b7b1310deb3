package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

func (s *Server) adminFeedbackRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/rueckmeldungen", s.adminFeedback, admin)
	g.POST("/rueckmeldungen/:id/erledigt", s.adminFeedbackHandled, admin)
}

type adminFeedbackPage struct {
	Items      []app.Feedback
	Pagination pagination
}

func (s *Server) adminFeedback(c echo.Context) error {
	page := queryInt(c, "page", 1)
	items, total, err := s.store.ListFeedback(c.Request().Context(), page)
	if err != nil {
		return err
	}
	return s.page(c, "admin/feedback", "admin.feedback_title", adminFeedbackPage{Items: items,
		Pagination: pagination{Page: page, PerPage: 50, Total: total, Path: "/admin/rueckmeldungen"}})
}

func (s *Server) adminFeedbackHandled(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.MarkFeedbackHandled(c.Request().Context(), id); err != nil {
		return err
	}
	return s.redirect(c, "/admin/rueckmeldungen", "admin.feedback_marked")
}
