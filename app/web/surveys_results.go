package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/surveys"
)

func (s *Server) surveyResultRoutes(g *echo.Group) {
	g.GET("/:id/ergebnisse", s.surveyResults)
	g.POST("/:id/antworten/:rid/:qid/ausblenden", s.surveyHideAnswer)
	s.streaming(g.GET("/:id/export/:format", s.surveyExport))
}

type surveyResultsPage struct {
	Survey    *app.Survey
	Results   *surveys.Results
	Responses int64
	// Filters are the choices the results can be narrowed to (cross-tab).
	Filters []Option
	Filter  string
	// TextsPerPage names the size of the next page of texts in its link.
	TextsPerPage int
	// Chapters are offered for the texts sent into the pipeline.
	Chapters []chapterGroup
}

// parseTextsPage reads which question's texts to page on ("texte") and the
// response they follow ("nach"); anything else is every first page.
func parseTextsPage(c echo.Context) surveys.TextsPage {
	qid, err1 := strconv.ParseInt(c.QueryParam("texte"), 10, 64)
	after, err2 := strconv.ParseInt(c.QueryParam("nach"), 10, 64)
	if err1 != nil || err2 != nil || qid <= 0 || after <= 0 {
		return surveys.TextsPage{}
	}
	return surveys.TextsPage{QuestionID: qid, After: after}
}

// parseSurveyFilter reads "question:option"; anything else is no filter.
func parseSurveyFilter(s string) store.SurveyFilter {
	qid, opt, ok := strings.Cut(s, ":")
	id, err1 := strconv.ParseInt(qid, 10, 64)
	n, err2 := strconv.Atoi(opt)
	if !ok || err1 != nil || err2 != nil || id <= 0 || n <= 0 {
		return store.SurveyFilter{}
	}
	return store.SurveyFilter{QuestionID: id, Option: n}
}

func (s *Server) surveyResultsData(c echo.Context, sv *app.Survey) (*surveyResultsPage, error) {
	ctx := c.Request().Context()
	loc := localizer(c)
	d := &surveyResultsPage{Survey: sv, Filter: c.QueryParam("filter"), TextsPerPage: surveys.TextsPerPage}
	f := parseSurveyFilter(d.Filter)
	questions, err := s.store.SurveyQuestions(ctx, sv.ID, sv.Version)
	if err != nil {
		return nil, err
	}
	d.Filters = conditionOptions(questions, nil)
	if sv.ChapterID == nil { // texts sent without the survey's chapter may get one
		if d.Chapters, err = s.chapterGroups(c); err != nil {
			return nil, err
		}
	}
	known := false
	for _, o := range d.Filters {
		known = known || o.Value == d.Filter
	}
	if !known {
		f, d.Filter = store.SurveyFilter{}, ""
	}
	v := s.view(c, "", nil)
	if d.Results, err = s.surveys.Results(ctx, sv, f, parseTextsPage(c), loc.T, v.OrtsteilName); err != nil {
		return nil, err
	}
	d.Responses = d.Results.Responses
	return d, nil
}

func (s *Server) surveyResults(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	d, err := s.surveyResultsData(c, sv)
	if err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = localizer(c).T("surveys.results_title") + ": " + sv.Title
	return s.render(c, http.StatusOK, "surveys/results", v)
}

// surveyHideAnswer hides a free-text answer (or shows it again) with a reason.
func (s *Server) surveyHideAnswer(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	rid, err := pathID(c, "rid")
	if err != nil {
		return err
	}
	qid, err := pathID(c, "qid")
	if err != nil {
		return err
	}
	hide := c.FormValue("hide") != "false"
	reason := app.CleanLine(c.FormValue("reason"))
	field := "reason-" + strconv.FormatInt(rid, 10) + "-" + strconv.FormatInt(qid, 10)
	if err := s.surveys.HideAnswer(c.Request().Context(), currentUser(c), sv, rid, qid, hide, reason, field); err != nil {
		d, derr := s.surveyResultsData(c, sv)
		if derr != nil {
			return derr
		}
		return s.formError(c, "surveys/results", "surveys.results_title", err, d)
	}
	return s.redirect(c, builderPath(sv.ID)+"/ergebnisse#q"+strconv.FormatInt(qid, 10), "surveys.saved")
}

// surveyExport streams the responses (or the codebook) as a download.
func (s *Server) surveyExport(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	ctx, t := c.Request().Context(), localizer(c).T
	name := "umfrage-" + strconv.FormatInt(sv.ID, 10)
	h := c.Response().Header()
	format := c.Param("format")
	switch format {
	case "antworten.csv", "codebuch.csv":
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	case "antworten.xlsx":
		h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	case "antworten.json":
		h.Set(echo.HeaderContentType, echo.MIMEApplicationJSONCharsetUTF8)
	default:
		return app.NotFound()
	}
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+"-"+format+`"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	w := c.Response()
	switch format {
	case "antworten.csv":
		return s.surveys.WriteCSV(ctx, sv, w)
	case "codebuch.csv":
		return s.surveys.WriteCodebookCSV(ctx, sv, w, t)
	case "antworten.xlsx":
		return s.surveys.WriteXLSX(ctx, sv, w, t)
	default:
		return s.surveys.WriteJSON(ctx, sv, w, t)
	}
}
