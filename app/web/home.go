package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

func (s *Server) homeRoutes() {
	s.e.GET("/", s.home)
}

type homePage struct {
	Intro   *app.ContentBlock
	Phases  []app.ContentBlock
	Formats []app.ContentBlock
}

func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	var d homePage
	intro, err := s.store.ContentBlocks(ctx, app.SectionIntro)
	if err != nil {
		return err
	}
	if len(intro) > 0 {
		d.Intro = &intro[0]
	}
	if d.Phases, err = s.store.ContentBlocks(ctx, app.SectionPhase); err != nil {
		return err
	}
	if d.Formats, err = s.store.ContentBlocks(ctx, app.SectionFormat); err != nil {
		return err
	}
	v := s.view(c, "", d)
	if d.Intro != nil {
		v.Title = d.Intro.Title(v.Lang)
	}
	return s.render(c, 200, "home", v)
}
