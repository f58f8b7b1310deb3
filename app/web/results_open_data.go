package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app/export"
)

// openDataRoutes: the published contributions and assessments as open data
// (docs/open-data.md), without login.
func (s *Server) openDataRoutes() {
	g := s.apiGroup()
	limit := streamLimit(OpenDataDownloads, "results.open_data_busy")
	s.streaming(g.GET("/open-data/contributions.json", func(c echo.Context) error { return s.openData(c, export.FormatJSON) }, limit))
	s.streaming(g.GET("/open-data/contributions.csv", func(c echo.Context) error { return s.openData(c, export.FormatCSV) }, limit))
}

// OpenDataDownloads is how many open-data downloads one instance serves at
// once; more are refused with 503 and Retry-After. The downloads stream the
// whole table and are not counted by the admission queue (see admission).
const OpenDataDownloads = 2

func (s *Server) openData(c echo.Context, format string) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, export.ContentType(format))
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Link", `<`+export.LicenceURL+`>; rel="license"`)
	if format == export.FormatCSV {
		h.Set(echo.HeaderContentDisposition, `attachment; filename="mitwirken-beitraege.csv"`)
	}
	c.Response().WriteHeader(200)
	return export.OpenData(c.Request().Context(), s.store, localizerDE(s), format, c.Response(), s.store.Now())
}

// localizerDE translates into German: exports and open data are German
// whatever the visitor's language.
func localizerDE(s *Server) export.Translate { return s.i18n.Localizer("de").T }
