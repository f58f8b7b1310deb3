package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// surveyHandoverRoutes send free-text answers into the contribution
// pipeline (channel "Umfrage"); the group is the builders' one.
func (s *Server) surveyHandoverRoutes(g *echo.Group) {
	g.POST("/:id/antworten/:rid/:qid/einreichen", s.surveySendAnswer)
	g.POST("/:id/fragen/:qid/einreichen", s.surveySendAnswer)
}

// surveySendAnswer sends one answer (with :rid) or every visible answer of
// the question not yet sent.
func (s *Server) surveySendAnswer(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	qid, err := pathID(c, "qid")
	if err != nil {
		return err
	}
	var rid int64
	if c.Param("rid") != "" {
		if rid, err = pathID(c, "rid"); err != nil {
			return err
		}
	}
	field := "chapter-" + strconv.FormatInt(qid, 10)
	var chapter *int64
	if raw := strings.TrimSpace(c.FormValue("chapter_id")); raw != "" && len(raw) <= 19 {
		id, perr := strconv.ParseInt(raw, 10, 64)
		if perr != nil || id <= 0 {
			err = app.FieldInvalid(field, "contribution.chapter_unknown")
		}
		chapter = &id
	} else if raw != "" {
		err = app.FieldInvalid(field, "contribution.chapter_unknown")
	}
	if err == nil {
		_, err = s.surveys.SendAnswers(c.Request().Context(), currentUser(c), sv, qid, rid, chapter, field)
	}
	if err != nil {
		d, derr := s.surveyResultsData(c, sv)
		if derr != nil {
			return derr
		}
		return s.formError(c, "surveys/results", "surveys.results_title", err, d)
	}
	return s.redirect(c, builderPath(sv.ID)+"/ergebnisse#q"+strconv.FormatInt(qid, 10), "surveys.sent")
}
