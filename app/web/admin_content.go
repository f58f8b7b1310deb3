package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

func (s *Server) adminContentRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/inhalte", s.adminContent, admin)
	g.GET("/inhalte/:id", s.adminContentForm, admin)
	g.POST("/inhalte/:id", s.adminUpdateContent, admin)
}

func (s *Server) adminContent(c echo.Context) error {
	blocks, err := s.store.AllContentBlocks(c.Request().Context())
	if err != nil {
		return err
	}
	return s.page(c, "admin/content", "admin.content_title", blocks)
}

func (s *Server) adminContentForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	b, err := s.store.ContentBlockByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/content_edit", "admin.content_edit_page", url.Values{
		"title_de": {b.TitleDE}, "title_en": {b.TitleEN}, "body_de": {b.BodyDE}, "body_en": {b.BodyEN},
		"position": {strconv.Itoa(b.Position)},
	}, contentEditPage{b})
}

func (s *Server) adminUpdateContent(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	b, err := s.store.ContentBlockByID(ctx, id)
	if err != nil {
		return err
	}
	var in app.ContentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Clean()
	err = in.Validate()
	if err == nil {
		err = s.store.UpdateContentBlock(ctx, currentUser(c), id, in)
	}
	if err != nil {
		return s.formError(c, "admin/content_edit", "admin.content_edit_page", err, contentEditPage{b})
	}
	return s.redirect(c, "/admin/inhalte", "admin.content_saved")
}
