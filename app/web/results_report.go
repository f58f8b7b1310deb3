package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
)

func (s *Server) reportRoutes() {
	s.adminGroup().GET("/bericht", s.adminReport, requireRole(app.RoleAdmin))
	s.adminGroup().GET("/bericht/druck.css", s.reportPrintCSS, requireRole(app.RoleAdmin))
}

// adminReport is the Beteiligungsbericht: a printable page for the council
// paper with figures, charts drawn by the server and the Abwägung summary.
func (s *Server) adminReport(c echo.Context) error {
	loc := localizer(c)
	r, err := export.BuildReport(c.Request().Context(), s.store, loc.T, loc.Lang())
	if err != nil {
		return err
	}
	m, err := s.choropleth(c, mapFilter{}, "bericht-karte")
	if err != nil {
		return err
	}
	res, err := s.residenceMap(c)
	if err != nil {
		return err
	}
	return s.page(c, "admin/report", "results.report.title", reportPage{Report: r, Map: m, Residence: res})
}

// reportPage is the report with its map of contributions per Ortsteil
// (issue 14).
type reportPage struct {
	*export.Report
	Map *mapPageData
	// Residence maps the registrations by the registrants' stated residence.
	Residence *residenceMap
}

// reportPrintCSS puts the title, the date of the report and page numbers
// into the margins of every printed page. It is a stylesheet of its own
// because the words and the date depend on the request, and the CSP allows
// no inline styles; the page passes the moment of its figures as "stand"
// (Unix seconds) so that the header shows the same date as the page.
func (s *Server) reportPrintCSS(c echo.Context) error {
	loc := localizer(c)
	asOf := s.store.Now()
	if v, err := strconv.ParseInt(c.QueryParam("stand"), 10, 64); err == nil && v > 0 && v < 1<<40 {
		asOf = time.Unix(v, 0)
	}
	date := loc.Date(asOf)
	css := fmt.Sprintf(`@page {
  @top-left { content: %s; font-size: 9pt; color: #333; }
  @bottom-right { content: %s " " counter(page) " %s " counter(pages); font-size: 9pt; color: #333; }
}
`, cssString(loc.T("charts.print_header", "Date", date)), cssString(loc.T("charts.print_page")), cssEscape(loc.T("charts.print_of")))
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.Blob(200, "text/css; charset=utf-8", []byte(css))
}

// cssString quotes s as a CSS string.
func cssString(s string) string { return `"` + cssEscape(s) + `"` }

// cssEscape escapes s for the inside of a double-quoted CSS string.
func cssEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == '<' || r == '>':
			fmt.Fprintf(&b, `\%x `, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
