package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/surveys"
)

// The builder of admins and AG INSEK: plain forms, Post/Redirect/Get.
func (s *Server) surveyBuilderRoutes() {
	g := s.e.Group("/umfragen/verwaltung", requireBuilder)
	g.GET("", s.surveyAdminIndex)
	g.POST("", s.surveyCreate)
	g.GET("/:id", s.surveyEdit)
	g.POST("/:id", s.surveyUpdate)
	g.POST("/:id/abschnitte", s.surveyAddSection)
	g.POST("/:id/fragen", s.surveyAddQuestion)
	g.GET("/:id/fragen/:qid", s.surveyQuestionForm)
	g.POST("/:id/fragen/:qid", s.surveyQuestionUpdate)
	g.GET("/:id/vorschau", s.surveyPreview)
	s.surveyResultRoutes(g)
	s.surveyHandoverRoutes(g)
}

// requireBuilder lets only admins and AG INSEK build surveys.
func requireBuilder(next echo.HandlerFunc) echo.HandlerFunc {
	return requireLogin(func(c echo.Context) error {
		if !surveys.Builder(currentUser(c)) {
			return app.Forbidden()
		}
		return next(c)
	})
}

func builderPath(id int64) string { return "/umfragen/verwaltung/" + strconv.FormatInt(id, 10) }

type surveyAdminPage struct {
	Surveys []app.Survey
	Links   surveyLinkChoices
}

// surveyLinkChoices are the chapters and events a survey can belong to,
// for the settings' selects.
type surveyLinkChoices struct {
	Chapters []chapterGroup
	Events   []Option
}

// surveyLinks lists every chapter and the events of the calendar (from 30
// days ago on) plus the one the survey already belongs to (nil: a new
// survey), titled with their date.
func (s *Server) surveyLinks(c echo.Context, sv *app.Survey) (surveyLinkChoices, error) {
	var out surveyLinkChoices
	var err error
	if out.Chapters, err = s.chapterGroups(c); err != nil {
		return out, err
	}
	events, err := s.store.PublicEvents(c.Request().Context())
	if err != nil {
		return out, err
	}
	if sv != nil && sv.EventID != nil && !slices.ContainsFunc(events, func(e *app.Event) bool { return e.ID == *sv.EventID }) {
		if ev, err := s.store.EventByID(c.Request().Context(), *sv.EventID); err == nil {
			events = append([]*app.Event{ev}, events...)
		}
	}
	loc := localizer(c)
	for _, ev := range events {
		out.Events = append(out.Events, Option{Value: strconv.FormatInt(ev.ID, 10), Label: ev.Title + " (" + loc.Date(ev.StartsAt) + ")"})
	}
	return out, nil
}

func (s *Server) surveyAdminData(c echo.Context) (surveyAdminPage, error) {
	list, err := s.store.Surveys(c.Request().Context())
	if err != nil {
		return surveyAdminPage{}, err
	}
	links, err := s.surveyLinks(c, nil)
	return surveyAdminPage{Surveys: list, Links: links}, err
}

func (s *Server) surveyAdminIndex(c echo.Context) error {
	d, err := s.surveyAdminData(c)
	if err != nil {
		return err
	}
	return s.page(c, "surveys/admin", "surveys.admin_title", d)
}

func (s *Server) surveyCreate(c echo.Context) error {
	var in app.SurveyInput
	if err := bind(c, &in); err != nil {
		return err
	}
	sv, err := s.surveys.Create(c.Request().Context(), currentUser(c), in)
	if err != nil {
		d, derr := s.surveyAdminData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "surveys/admin", "surveys.admin_title", err, d)
	}
	return s.redirect(c, builderPath(sv.ID), "surveys.created")
}

// surveyEditPage is the builder of one survey: settings, sections, the
// questions of the current version and the form for a new question.
type surveyEditPage struct {
	Survey    *app.Survey
	Sections  []app.SurveySection
	Questions []app.SurveyQuestion
	Question  *app.SurveyQuestion
	// Conditions are the choices a question can depend on.
	Conditions []Option
	Kinds      []Option
	SectionOpt []Option
	Links      surveyLinkChoices
}

func (s *Server) surveyEditData(c echo.Context, sv *app.Survey, q *app.SurveyQuestion) (*surveyEditPage, error) {
	ctx := c.Request().Context()
	d := &surveyEditPage{Survey: sv, Question: q}
	var err error
	if d.Sections, err = s.store.SurveySections(ctx, sv.ID); err != nil {
		return nil, err
	}
	if d.Questions, err = s.store.SurveyQuestions(ctx, sv.ID, sv.Version); err != nil {
		return nil, err
	}
	if q == nil { // the settings are on the survey's page, not a question's
		if d.Links, err = s.surveyLinks(c, sv); err != nil {
			return nil, err
		}
	}
	loc := localizer(c)
	for _, k := range app.QuestionKinds {
		label := "surveys.kind_" + k
		d.Kinds = append(d.Kinds, Option{Value: k, Label: loc.T(label)})
	}
	for _, sec := range d.Sections {
		d.SectionOpt = append(d.SectionOpt, Option{Value: strconv.FormatInt(sec.ID, 10), Label: sec.Title})
	}
	d.Conditions = conditionOptions(d.Questions, q)
	return d, nil
}

// conditionOptions are the answers of the choice questions before q (nil:
// all) as "<question id>:<option number>".
func conditionOptions(questions []app.SurveyQuestion, q *app.SurveyQuestion) []Option {
	var out []Option
	for _, cq := range questions {
		if q != nil && cq.ID == q.ID {
			break
		}
		if !cq.Choice() {
			continue
		}
		for i, o := range cq.Options {
			out = append(out, Option{Value: strconv.FormatInt(cq.ID, 10) + ":" + strconv.Itoa(i+1), Label: cq.Text + " = " + o})
		}
	}
	return out
}

func (s *Server) builderSurvey(c echo.Context) (*app.Survey, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.store.SurveyByID(c.Request().Context(), id)
}

func surveyValues(sv *app.Survey) url.Values {
	v := url.Values{"title": {sv.Title}, "intro": {sv.Intro}, "thank_you": {sv.ThankYou}, "consent": {sv.Consent}}
	if sv.OpensAt != nil {
		v.Set("opens_at", sv.OpensAt.In(app.Berlin).Format(time.DateOnly))
	}
	if sv.ClosesAt != nil {
		v.Set("closes_at", sv.ClosesAt.In(app.Berlin).AddDate(0, 0, -1).Format(time.DateOnly))
	}
	if sv.Anonymous {
		v.Set("anonymous", "true")
	}
	if sv.OnePerScreen {
		v.Set("one_per_screen", "true")
	}
	if sv.ChapterID != nil {
		v.Set("chapter_id", strconv.FormatInt(*sv.ChapterID, 10))
	}
	if sv.EventID != nil {
		v.Set("event_id", strconv.FormatInt(*sv.EventID, 10))
	}
	v.Set("kind", app.QSingle)
	return v
}

func (s *Server) surveyEdit(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	d, err := s.surveyEditData(c, sv, nil)
	if err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = sv.Title
	v.Form = &Form{Values: surveyValues(sv), Errors: map[string]string{}}
	return s.render(c, http.StatusOK, "surveys/edit", v)
}

// builderError re-renders the builder with the error next to the field.
func (s *Server) builderError(c echo.Context, page string, sv *app.Survey, q *app.SurveyQuestion, err error) error {
	d, derr := s.surveyEditData(c, sv, q)
	if derr != nil {
		return derr
	}
	return s.formError(c, page, "surveys.admin_title", err, d)
}

func (s *Server) surveyUpdate(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	var in app.SurveyInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.surveys.UpdateSettings(c.Request().Context(), sv, in); err != nil {
		return s.builderError(c, "surveys/edit", sv, nil, err)
	}
	return s.redirect(c, builderPath(sv.ID), "surveys.saved")
}

func (s *Server) surveyAddSection(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	in := app.SectionInput{Title: c.FormValue("section_title")}
	if err := s.surveys.AddSection(c.Request().Context(), sv, in); err != nil {
		if e, ok := app.AsError(err); ok {
			for i := range e.Fields {
				e.Fields[i].Field = "section_title"
			}
		}
		return s.builderError(c, "surveys/edit", sv, nil, err)
	}
	return s.redirect(c, builderPath(sv.ID)+"#abschnitte", "surveys.saved")
}

func (s *Server) surveyAddQuestion(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	var in app.QuestionInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.surveys.AddQuestion(c.Request().Context(), sv, in); err != nil {
		return s.builderError(c, "surveys/edit", sv, nil, err)
	}
	return s.redirect(c, builderPath(sv.ID)+"#fragen", "surveys.question_added")
}

func (s *Server) builderQuestion(c echo.Context) (*app.Survey, *app.SurveyQuestion, error) {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return nil, nil, err
	}
	qid, err := pathID(c, "qid")
	if err != nil {
		return nil, nil, err
	}
	q, err := s.store.SurveyQuestionByID(c.Request().Context(), qid)
	if err != nil {
		return nil, nil, err
	}
	if q.SurveyID != sv.ID || q.UntilVersion != nil {
		return nil, nil, app.NotFound()
	}
	return sv, q, nil
}

func questionValues(q *app.SurveyQuestion) url.Values {
	v := url.Values{"kind": {q.Kind}, "text": {q.Text}, "help": {q.Help}, "options": {strings.Join(q.Options, "\n")},
		"scale_low": {q.ScaleLow}, "scale_high": {q.ScaleHigh}}
	set := func(name string, n int) {
		if n != 0 {
			v.Set(name, strconv.Itoa(n))
		}
	}
	set("min_choices", q.MinChoices)
	set("max_choices", q.MaxChoices)
	set("max_length", q.MaxLength)
	if q.NumMin != nil {
		v.Set("num_min", strconv.FormatInt(*q.NumMin, 10))
	}
	if q.NumMax != nil {
		v.Set("num_max", strconv.FormatInt(*q.NumMax, 10))
	}
	if q.Required {
		v.Set("required", "true")
	}
	if q.Other {
		v.Set("other", "true")
	}
	if q.SectionID != nil {
		v.Set("section_id", strconv.FormatInt(*q.SectionID, 10))
	}
	if q.CondQuestionID != nil {
		v.Set("condition", strconv.FormatInt(*q.CondQuestionID, 10)+":"+strconv.Itoa(q.CondOption))
	}
	return v
}

func (s *Server) surveyQuestionForm(c echo.Context) error {
	sv, q, err := s.builderQuestion(c)
	if err != nil {
		return err
	}
	d, err := s.surveyEditData(c, sv, q)
	if err != nil {
		return err
	}
	return s.formPage(c, "surveys/question", "surveys.question_edit_title", questionValues(q), d)
}

func (s *Server) surveyQuestionUpdate(c echo.Context) error {
	sv, q, err := s.builderQuestion(c)
	if err != nil {
		return err
	}
	var in app.QuestionInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.surveys.EditQuestion(c.Request().Context(), sv, q, in); err != nil {
		return s.builderError(c, "surveys/question", sv, q, err)
	}
	return s.redirect(c, builderPath(sv.ID)+"#fragen", "surveys.saved")
}

func (s *Server) surveyPreview(c echo.Context) error {
	sv, err := s.builderSurvey(c)
	if err != nil {
		return err
	}
	d, err := s.surveyPageData(c, sv, true)
	if err != nil {
		return err
	}
	return s.renderSurvey(c, d, nil)
}
