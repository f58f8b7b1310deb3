package web

import "github.com/labstack/echo/v4"

// simple serves a page without data, such as a thank-you note.
func (s *Server) simple(page, title string) echo.HandlerFunc {
	return func(c echo.Context) error { return s.page(c, page, title, nil) }
}
