package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) adminExportRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/export", s.adminExports, admin)
	g.POST("/export", s.adminExportCreate, admin)
	g.GET("/export/:id", s.adminExportJob, admin)
	s.streaming(g.GET("/export/:id/datei", s.adminExportFile, admin))
}

type adminExportsPage struct {
	Kinds, Formats, Chapters, Channels, Gebiete, Statuses, Assessments []Option
	Tags                                                               []OptGroup
	Jobs                                                               []store.ExportJob
}

func (s *Server) exportsPageData(c echo.Context) (*adminExportsPage, error) {
	ctx := c.Request().Context()
	v := s.view(c, "", nil)
	d := &adminExportsPage{}
	for _, k := range export.Kinds {
		d.Kinds = append(d.Kinds, Option{k, v.T("results.kind." + k)})
	}
	for _, f := range export.Formats {
		d.Formats = append(d.Formats, Option{f, v.T("results.format." + f)})
	}
	chapters, err := s.store.ExportChapters(ctx)
	if err != nil {
		return nil, err
	}
	for _, ch := range chapters {
		d.Chapters = append(d.Chapters, Option{ch.Slug, ch.Title})
	}
	for _, ch := range app.Channels {
		d.Channels = append(d.Channels, Option{ch, v.ChannelName(ch)})
	}
	gebiete, err := s.store.Stadtgebiete(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gebiete {
		d.Gebiete = append(d.Gebiete, Option{strconv.FormatInt(g.ID, 10), g.Name})
	}
	for _, st := range app.Statuses {
		d.Statuses = append(d.Statuses, Option{st, v.StatusName(st)})
	}
	d.Assessments = append(d.Assessments, Option{store.ExportUnassessed, v.AssessmentName("")})
	for _, a := range app.AssessmentStatuses {
		d.Assessments = append(d.Assessments, Option{a, v.AssessmentName(a)})
	}
	lang := v.Lang
	for _, z := range s.ref.Zielfelder {
		g := OptGroup{Label: z.Name(lang)}
		for _, h := range s.ref.Handlungsschwerpunkte {
			if h.ZielfeldCode == z.Code {
				g.Options = append(g.Options, Option{h.Code, h.Name(lang)})
			}
		}
		d.Tags = append(d.Tags, g)
	}
	themes := OptGroup{Label: v.T("results.themes")}
	for _, t := range s.ref.Themes {
		themes.Options = append(themes.Options, Option{t.Code, t.Name(lang)})
	}
	d.Tags = append(d.Tags, themes)
	if d.Jobs, err = s.store.RecentExportJobs(ctx, 20); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) adminExports(c echo.Context) error {
	d, err := s.exportsPageData(c)
	if err != nil {
		return err
	}
	values := url.Values{"kind": {export.KindAssessment}, "format": {export.FormatXLSX}}
	return s.formPage(c, "admin/exports", "results.exports_title", values, d)
}

func (s *Server) adminExportCreate(c echo.Context) error {
	var in export.FilterInput
	if err := bind(c, &in); err != nil {
		return err
	}
	job, err := s.exports.Enqueue(c.Request().Context(), currentUser(c), in)
	if err != nil {
		d, derr := s.exportsPageData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "admin/exports", "results.exports_title", err, d)
	}
	return s.redirect(c, "/admin/export/"+strconv.FormatInt(job.ID, 10), "")
}

type adminExportJobPage struct {
	Job *store.ExportJob
}

func (s *Server) loadExportJob(c echo.Context) (*store.ExportJob, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.store.ExportJobByID(c.Request().Context(), id)
}

func (s *Server) adminExportJob(c echo.Context) error {
	job, err := s.loadExportJob(c)
	if err != nil {
		return err
	}
	return s.page(c, "admin/export_job", "results.job_title", adminExportJobPage{Job: job})
}

// adminExportFile streams a finished export chunk by chunk.
func (s *Server) adminExportFile(c echo.Context) error {
	job, err := s.loadExportJob(c)
	if err != nil {
		return err
	}
	if job.Status != store.ExportDone {
		return app.NotFound()
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, export.ContentType(job.Format))
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+job.FileName+`"`)
	h.Set(echo.HeaderContentLength, strconv.FormatInt(job.Size, 10))
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(200)
	w := c.Response()
	return s.store.EachExportChunk(c.Request().Context(), job.ID, func(b []byte) error {
		_, err := w.Write(b)
		return err
	})
}
