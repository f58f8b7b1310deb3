package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/surveys"
)

// surveyTokenPurpose signs the anonymous one-time token of a browser.
const surveyTokenPurpose = "survey-once"

func (s *Server) surveyRoutes() {
	s.e.GET("/umfragen", s.surveyIndex)
	s.e.GET("/umfragen/:id", s.surveyShow)
	s.e.POST("/umfragen/:id", s.surveySubmit)
	s.e.GET("/umfragen/:id/danke", s.surveyThanks)
	s.surveyBuilderRoutes()
}

type surveyIndexPage struct {
	Surveys, Upcoming []app.Survey
}

// maxUpcomingSurveys bounds the announced surveys listed.
const maxUpcomingSurveys = 20

func (s *Server) surveyIndex(c echo.Context) error {
	ctx, now := c.Request().Context(), s.store.Now()
	list, err := s.store.OpenSurveys(ctx, now)
	if err != nil {
		return err
	}
	upcoming, err := s.store.UpcomingSurveys(ctx, now, maxUpcomingSurveys)
	if err != nil {
		return err
	}
	return s.page(c, "surveys/index", "surveys.title", surveyIndexPage{Surveys: list, Upcoming: upcoming})
}

// surveyFromPath loads the survey of the URL; a draft (no opening date)
// exists only for its builders.
func (s *Server) surveyFromPath(c echo.Context) (*app.Survey, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	sv, err := s.store.SurveyByID(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if !sv.Public() && !surveys.Builder(currentUser(c)) {
		return nil, app.NotFound()
	}
	return sv, nil
}

// surveyPage is the answer form, also the builder's preview.
type surveyPage struct {
	Survey *app.Survey
	Open   bool
	// Upcoming: announced, the questions are shown from the opening on.
	Upcoming  bool
	NeedLogin bool
	// NeedVerified: an account-bound survey and an unconfirmed address.
	NeedVerified bool
	Preview      bool
	Answered     bool
	Sections     []surveySectionView
	// Links are the chapter and event the survey belongs to.
	Links surveys.Links
	// Step is the one question shown when the survey asks one per screen.
	Step *surveyStep
	// response and saved are the account's response and its answers.
	response *app.SurveyResponse
	saved    map[int64]app.SurveyAnswer
}

type surveySectionView struct {
	Title     string
	Questions []questionView
}

// questionView is one question with what the form shows in it.
type questionView struct {
	Q      app.SurveyQuestion
	Values []string
	Rows   map[int]string
	Other  string
	Error  string
	// Cond names the earlier question and answer it depends on.
	CondText, CondOption string
}

// Checked reports whether option n (or "other") is chosen.
func (q questionView) Checked(n string) bool {
	for _, v := range q.Values {
		if v == n {
			return true
		}
	}
	return false
}

// Value is the first value (text, number, scale).
func (q questionView) Value() string {
	if len(q.Values) == 0 {
		return ""
	}
	return q.Values[0]
}

// Row is the chosen value of row n (1-based) of a matrix or ranking.
func (q questionView) Row(n int) string { return q.Rows[n] }

// Seq is 1..n, for ranks and scale points.
func (q questionView) Seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// Points is 1..5 of a scale or matrix.
func (q questionView) Points() []int { return q.Seq(app.ScalePoints) }

func (s *Server) surveyPageData(c echo.Context, sv *app.Survey, preview bool) (*surveyPage, error) {
	ctx := c.Request().Context()
	now := s.store.Now()
	d := &surveyPage{Survey: sv, Open: sv.Open(now), Upcoming: sv.Upcoming(now), Preview: preview}
	var err error
	u := currentUser(c)
	d.NeedLogin = !sv.Anonymous && u == nil && !preview
	d.NeedVerified = !sv.Anonymous && u != nil && !u.Verified() && !preview
	if d.Links, err = s.surveys.LinksOf(ctx, sv); err != nil {
		return nil, err
	}
	questions, err := s.store.SurveyQuestions(ctx, sv.ID, sv.Version)
	if err != nil {
		return nil, err
	}
	sections, err := s.store.SurveySections(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	var saved map[int64]app.SurveyAnswer
	if !preview {
		r, answers, err := s.surveys.Current(ctx, sv, surveys.Respondent{User: u})
		if err != nil {
			return nil, err
		}
		d.Answered = r != nil && r.SubmittedAt != nil
		saved = answers
		d.response, d.saved = r, answers
	}
	form, _ := c.FormParams()
	posted := c.Request().Method == http.MethodPost
	bySection := map[int64][]questionView{}
	var unsectioned []questionView
	texts := map[int64]app.SurveyQuestion{}
	for _, q := range questions {
		texts[q.ID] = q
		qv := questionView{Q: q, Rows: map[int]string{}}
		if posted {
			fillFromForm(&qv, form)
		} else if a, ok := saved[q.ID]; ok {
			fillFromAnswer(&qv, a)
		}
		if q.CondQuestionID != nil {
			if cq, ok := texts[*q.CondQuestionID]; ok && q.CondOption <= len(cq.Options) {
				qv.CondText, qv.CondOption = cq.Text, cq.Options[q.CondOption-1]
			}
		}
		if q.SectionID != nil {
			bySection[*q.SectionID] = append(bySection[*q.SectionID], qv)
		} else {
			unsectioned = append(unsectioned, qv)
		}
	}
	if len(unsectioned) > 0 {
		d.Sections = append(d.Sections, surveySectionView{Questions: unsectioned})
	}
	for _, sec := range sections {
		if qs := bySection[sec.ID]; len(qs) > 0 {
			d.Sections = append(d.Sections, surveySectionView{Title: sec.Title, Questions: qs})
		}
	}
	return d, nil
}

// fillFromForm shows the answer as the form sent it.
func fillFromForm(qv *questionView, form url.Values) {
	f := qv.Q.Field()
	qv.Values, qv.Other = form[f], form.Get(f+"_other")
	for i := range qv.Q.Options {
		qv.Rows[i+1] = form.Get(f + "_" + strconv.Itoa(i+1))
	}
}

// fillFromAnswer shows a saved answer in the form it was given in.
func fillFromAnswer(qv *questionView, a app.SurveyAnswer) {
	qv.Other = a.Other
	switch qv.Q.Kind {
	case app.QSingle, app.QMulti:
		qv.Values = strings.Split(a.Value, ",")
	case app.QMatrix:
		for _, p := range strings.Split(a.Value, ",") {
			row, val, _ := strings.Cut(p, "=")
			n, _ := strconv.Atoi(row)
			qv.Rows[n] = val
		}
	case app.QRanking:
		for rank, row := range strings.Split(a.Value, ",") {
			n, _ := strconv.Atoi(row)
			qv.Rows[n] = strconv.Itoa(rank + 1)
		}
	default:
		qv.Values = []string{a.Value}
	}
}

func (s *Server) surveyShow(c echo.Context) error {
	sv, err := s.surveyFromPath(c)
	if err != nil {
		return err
	}
	d, err := s.surveyPageData(c, sv, false)
	if err != nil {
		return err
	}
	if sv.Anonymous && d.Open {
		s.surveyToken(c, sv)
	}
	if sv.OnePerScreen && d.Open && !d.NeedLogin && !d.NeedVerified {
		if err := s.surveyStepStart(c, sv, d); err != nil {
			return err
		}
	}
	return s.renderSurvey(c, d, nil)
}

func (s *Server) renderSurvey(c echo.Context, d *surveyPage, err error) error {
	v := s.view(c, "", d)
	v.Title = d.Survey.Title
	if err == nil {
		return s.render(c, http.StatusOK, "surveys/answer", v)
	}
	e, ok := app.AsError(err)
	if !ok || (e.Code != app.CodeInvalid && e.Code != app.CodeConflict && e.Code != app.CodeTooMany && e.Code != app.CodeGone) {
		return err
	}
	values, _ := c.FormParams()
	v.Form = newForm(values, e, localizer(c))
	for si := range d.Sections {
		for qi := range d.Sections[si].Questions {
			q := &d.Sections[si].Questions[qi]
			q.Error = v.Form.Errors[q.Q.Field()]
		}
	}
	if e.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
	}
	return s.render(c, e.Code.HTTPStatus(), "surveys/answer", v)
}

// surveyToken returns the browser's one-time token for an anonymous survey,
// handing out a fresh one (in a signed cookie) when it has none. The token
// is random and tied to no person; only its hash is stored with the answers.
func (s *Server) surveyToken(c echo.Context, sv *app.Survey) string {
	name := "mw_umfrage_" + strconv.FormatInt(sv.ID, 10)
	if ck, err := c.Cookie(name); err == nil {
		if tok, ok := s.signer.Verify(surveyTokenPurpose, ck.Value); ok && strings.HasPrefix(tok, strconv.FormatInt(sv.ID, 10)+":") {
			return tok
		}
	}
	if c.Request().Method != http.MethodGet {
		return ""
	}
	plain, _ := auth.NewToken()
	tok := strconv.FormatInt(sv.ID, 10) + ":" + plain
	ttl := 90 * 24 * time.Hour
	if sv.ClosesAt != nil {
		ttl = time.Until(*sv.ClosesAt) + 24*time.Hour
	}
	s.setCookie(c, name, s.signer.Sign(surveyTokenPurpose, tok, ttl), ttl)
	return tok
}

func (s *Server) surveySubmit(c echo.Context) error {
	sv, err := s.surveyFromPath(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	who := surveys.Respondent{User: currentUser(c), IP: c.RealIP()}
	if sv.Anonymous {
		who.User, who.Token = nil, s.surveyToken(c, sv)
	} else if who.User == nil {
		return app.Unauthorized()
	}
	if sv.OnePerScreen {
		return s.surveyStepSubmit(c, sv, who, form)
	}
	if err := s.surveys.Submit(c.Request().Context(), sv, who, form); err != nil {
		d, derr := s.surveyPageData(c, sv, false)
		if derr != nil {
			return derr
		}
		return s.renderSurvey(c, d, err)
	}
	return s.redirect(c, "/umfragen/"+strconv.FormatInt(sv.ID, 10)+"/danke", "")
}

func (s *Server) surveyThanks(c echo.Context) error {
	sv, err := s.surveyFromPath(c)
	if err != nil {
		return err
	}
	v := s.view(c, "", surveyPage{Survey: sv})
	v.Title = sv.Title
	return s.render(c, http.StatusOK, "surveys/thanks", v)
}

func surveyPath(id int64) string { return "/umfragen/" + strconv.FormatInt(id, 10) }
