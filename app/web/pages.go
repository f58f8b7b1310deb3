package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// The editable pages and their addresses.
var contentPages = map[string]string{
	"/datenschutz":      "datenschutz",
	"/barrierefreiheit": "barrierefreiheit",
	"/leichte-sprache":  "leichte-sprache",
	"/impressum":        "impressum",
}

func (s *Server) pageRoutes() {
	for path, slug := range contentPages {
		slug := slug
		s.e.GET(path, func(c echo.Context) error { return s.contentPage(c, slug) })
	}
}

type contentPage struct {
	Block    *app.ContentBlock
	Feedback bool
	// Maps adds the source of the map boundaries (imprint) or what the
	// maps send where (privacy page).
	Maps string
}

func (s *Server) contentPage(c echo.Context, slug string) error {
	b, err := s.store.ContentBlock(c.Request().Context(), app.SectionPage, slug)
	if err != nil {
		return err
	}
	p := contentPage{Block: b, Feedback: slug == "barrierefreiheit"}
	if slug == "impressum" || slug == "datenschutz" {
		p.Maps = slug
	}
	v := s.view(c, "", p)
	v.Title = b.Title(v.Lang)
	if slug == "barrierefreiheit" {
		v.Form = &Form{Values: map[string][]string{"kind": {app.FeedbackAccessibility}}, Errors: map[string]string{}}
	}
	return s.render(c, 200, "pages/content", v)
}
