package web

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
)

// abwXLSXName is the download name of a Fachamt's work sheet.
func (s *Server) abwXLSXName(fa *app.Fachamt) string {
	return "abwaegung-" + fa.Short + "-" + s.store.Now().In(app.Berlin).Format("2006-01-02-1504") + ".xlsx"
}

// abwWriteXLSX answers with the Fachamt's open work as a work sheet.
func (s *Server) abwWriteXLSX(c echo.Context, fa *app.Fachamt) error {
	var buf bytes.Buffer
	if _, err := s.abw.WriteQueueXLSX(c.Request().Context(), fa, &buf, localizer(c).T); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+s.abwXLSXName(fa)+`"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

func (s *Server) abwDownloadXLSX(c echo.Context) error {
	fa, err := s.abw.Fachamt(c.Request().Context(), access(c), c.Param("short"))
	if err != nil {
		return err
	}
	return s.abwWriteXLSX(c, fa)
}

// abwUploadPage is the upload form and, after an upload, its report.
type abwUploadPage struct {
	Fachamt *app.Fachamt
	Report  *abwaegung.UploadReport
}

// MaxMB is the largest work sheet accepted, for the field's hint.
func (abwUploadPage) MaxMB() int { return app.MaxUploadBytes >> 20 }

func (s *Server) abwUploadTitle(c echo.Context, fa *app.Fachamt) string {
	return localizer(c).T("abwaegung.upload_title", "Name", fa.Label())
}

func (s *Server) abwUploadForm(c echo.Context) error {
	fa, err := s.abw.Fachamt(c.Request().Context(), access(c), c.Param("short"))
	if err != nil {
		return err
	}
	return s.formPageTitled(c, "abwaegung/upload", s.abwUploadTitle(c, fa), map[string][]string{"mode": {abwaegung.ModeAll}}, &abwUploadPage{Fachamt: fa})
}

// abwReadUpload checks and applies an uploaded work sheet (form field
// "file", mode "all" or "valid").
func (s *Server) abwReadUpload(c echo.Context, fa *app.Fachamt) (*abwaegung.UploadReport, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_missing")
	}
	if fh.Size > app.MaxUploadBytes {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_too_large", "Max", app.MaxUploadBytes>>20)
	}
	file, err := fh.Open()
	if err != nil {
		return nil, app.FieldInvalid("file", "abwaegung.xlsx_unreadable")
	}
	defer file.Close()
	loc := localizer(c)
	rep, err := s.abw.ReadQueueXLSX(c.Request().Context(), access(c), fa, file, c.FormValue("mode"), loc.T)
	if err != nil {
		return nil, err
	}
	rep.Localize(loc.Msg)
	return rep, nil
}

func (s *Server) abwUpload(c echo.Context) error {
	fa, err := s.abw.Fachamt(c.Request().Context(), access(c), c.Param("short"))
	if err != nil {
		return err
	}
	rep, err := s.abwReadUpload(c, fa)
	if err != nil {
		return s.renderTitled(c, "abwaegung/upload", s.abwUploadTitle(c, fa), &abwUploadPage{Fachamt: fa}, err)
	}
	return s.formPageTitled(c, "abwaegung/upload", s.abwUploadTitle(c, fa), map[string][]string{"mode": {rep.Mode}}, &abwUploadPage{Fachamt: fa, Report: rep})
}
