package web

// One question per screen (Survey.OnePerScreen), without JavaScript: the
// answer form shows one question with "Weiter" ("Absenden" on the last) and
// "Zurück". The answers so far are the run's state: an account keeps them on
// the server (its unfinished response's draft), so it can leave and come
// back; an anonymous browser carries them in hidden fields, so nothing is
// stored before it submits. The last step submits the whole state through
// surveys.Service.Submit, the path of the one-page form, which checks every
// answer again.

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/surveys"
)

// surveyStep is what the form of one step shows besides the question.
type surveyStep struct {
	// Position is the question's place (1-based) among the version's
	// questions; the form sends it back as "step".
	Position int
	// Number of Total questions asked given the answers so far.
	Number, Total int
	First, Last   bool
	// Carried are the answers to the other questions (anonymous runs).
	Carried []hiddenField
}

type hiddenField struct{ Name, Value string }

// stepRun is a run through one version's questions with the answers so far
// as form values.
type stepRun struct {
	questions []app.SurveyQuestion
	state     url.Values
}

// questionIDOfField names the question a form field answers: q<id>,
// q<id>_other or q<id>_<row>.
func questionIDOfField(name string) (int64, bool) {
	if !strings.HasPrefix(name, "q") {
		return 0, false
	}
	id, _, _ := strings.Cut(name[1:], "_")
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil && n > 0
}

// answerFields keeps the fields that answer one of the questions, leaving
// out those of the question except (0: none): the CSRF token and anything
// else a form may send is no answer.
func answerFields(form url.Values, questions []app.SurveyQuestion, except int64) url.Values {
	ids := map[int64]bool{}
	for _, q := range questions {
		ids[q.ID] = q.ID != except
	}
	out := url.Values{}
	for k, v := range form {
		if id, ok := questionIDOfField(k); ok && ids[id] {
			out[k] = v
		}
	}
	return out
}

// answerForm turns stored answers back into the form values they came
// from, so an account changing a finished response starts from its answers.
func answerForm(questions []app.SurveyQuestion, saved map[int64]app.SurveyAnswer) url.Values {
	form := url.Values{}
	for i := range questions {
		q := &questions[i]
		a, ok := saved[q.ID]
		if !ok {
			continue
		}
		qv := questionView{Q: *q, Rows: map[int]string{}}
		fillFromAnswer(&qv, a)
		f := q.Field()
		form[f] = qv.Values
		if a.Other != "" {
			form.Set(f+"_other", a.Other)
		}
		for row, v := range qv.Rows {
			form.Set(f+"_"+strconv.Itoa(row), v)
		}
	}
	return form
}

// visible lists the positions of the questions asked given the answers so
// far. Conditions look only at choices, so no lookups are needed here.
func (r *stepRun) visible() []int {
	answers, _ := app.ParseAnswers(r.questions, r.state, app.AnswerChecks{})
	var out []int
	for i := range r.questions {
		if r.questions[i].Visible(answers) {
			out = append(out, i+1)
		}
	}
	return out
}

// next is the first question asked after pos (0: none).
func (r *stepRun) next(pos int) int {
	for _, p := range r.visible() {
		if p > pos {
			return p
		}
	}
	return 0
}

// prev is the last question asked before pos (pos itself when none).
func (r *stepRun) prev(pos int) int {
	out := pos
	for _, p := range r.visible() {
		if p < pos {
			out = p
		}
	}
	return out
}

// start is where a run begins or resumes: the saved step while it is still
// asked, else the first question asked.
func (r *stepRun) start(saved int) int {
	vis := r.visible()
	for _, p := range vis {
		if p == saved {
			return p
		}
	}
	if len(vis) == 0 {
		return 0
	}
	return vis[0]
}

// firstWithError is the first question whose field err names (pos when
// none: the error is about the whole response).
func (r *stepRun) firstWithError(err error, pos int) int {
	e, ok := app.AsError(err)
	if !ok {
		return pos
	}
	for i := range r.questions {
		if _, has := e.FieldMsg(r.questions[i].Field()); has {
			return i + 1
		}
	}
	return pos
}

// onlyField keeps the errors of the one field the step shows: the error
// summary links only to fields on the page.
func onlyField(err error, field string) error {
	e, ok := app.AsError(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		if f.Field == field {
			out.Fields = append(out.Fields, f)
		}
	}
	return &out
}

// surveyRun loads the run of the respondent: an account's draft (or its
// finished answers to change), an anonymous browser's posted fields.
func (s *Server) surveyRun(c echo.Context, sv *app.Survey, d *surveyPage, posted url.Values) (*stepRun, int, error) {
	questions, err := s.store.SurveyQuestions(c.Request().Context(), sv.ID, sv.Version)
	if err != nil {
		return nil, 0, err
	}
	run := &stepRun{questions: questions}
	step := 0
	switch {
	case sv.Anonymous:
		run.state = answerFields(posted, questions, 0)
	case surveys.Draft(d.response) != nil:
		run.state, step = answerFields(surveys.Draft(d.response), questions, 0), d.response.Step
	default:
		run.state = answerForm(questions, d.saved)
	}
	return run, step, nil
}

// surveyStepStart shows the first step, or the one an account left at.
func (s *Server) surveyStepStart(c echo.Context, sv *app.Survey, d *surveyPage) error {
	run, step, err := s.surveyRun(c, sv, d, nil)
	if err != nil {
		return err
	}
	if pos := run.start(step); pos > 0 {
		return s.showStep(c, sv, d, run, pos)
	}
	return nil
}

// surveyStepSubmit handles the buttons of a step: back, forward (after
// checking the answers up to this question) and, after the last question,
// the submission of the whole run.
func (s *Server) surveyStepSubmit(c echo.Context, sv *app.Survey, who surveys.Respondent, form url.Values) error {
	ctx := c.Request().Context()
	d, err := s.surveyPageData(c, sv, false)
	if err != nil {
		return err
	}
	run, _, err := s.surveyRun(c, sv, d, form)
	if err != nil {
		return err
	}
	pos, _ := strconv.Atoi(form.Get("step"))
	if pos < 1 || pos > len(run.questions) {
		pos = run.start(0)
	}
	if pos == 0 { // no question asked at all: there is only the submission
		if err := s.surveys.Submit(ctx, sv, who, run.state); err != nil {
			return s.renderSurvey(c, d, err)
		}
		return s.redirect(c, surveyPath(sv.ID)+"/danke", "")
	}
	// The shown question's answer is what was just posted (an unticked
	// box sends nothing, so its old value must go first).
	cur := run.questions[pos-1]
	run.state = answerFields(run.state, run.questions, cur.ID)
	for k, v := range answerFields(form, []app.SurveyQuestion{cur}, 0) {
		run.state[k] = v
	}
	if form.Get("go") == "back" {
		if err := checkWithoutRequiring(cur, run.state, s.surveys.Checks(ctx)); err != nil {
			return s.showStepError(c, sv, d, run, pos, err)
		}
		return s.goToStep(c, sv, who, d, run, run.prev(pos))
	}
	if _, err := app.ParseAnswers(run.questions[:pos], run.state, s.surveys.Checks(ctx)); err != nil {
		return s.showStepError(c, sv, d, run, run.firstWithError(err, pos), err)
	}
	if next := run.next(pos); next > 0 {
		return s.goToStep(c, sv, who, d, run, next)
	}
	if err := s.surveys.Submit(ctx, sv, who, run.state); err != nil {
		return s.showStepError(c, sv, d, run, run.firstWithError(err, pos), err)
	}
	return s.redirect(c, surveyPath(sv.ID)+"/danke", "")
}

// goToStep moves the run to pos: an account's progress is saved and the
// page loaded again (PRG); an anonymous run is shown with its state.
func (s *Server) goToStep(c echo.Context, sv *app.Survey, who surveys.Respondent, d *surveyPage, run *stepRun, pos int) error {
	if sv.Anonymous {
		if err := s.showStep(c, sv, d, run, pos); err != nil {
			return err
		}
		return s.renderSurvey(c, d, nil)
	}
	if err := s.surveys.SaveProgress(c.Request().Context(), sv, who, pos, run.state); err != nil {
		return s.showStepError(c, sv, d, run, pos, err)
	}
	return s.redirect(c, surveyPath(sv.ID), "")
}

func (s *Server) showStepError(c echo.Context, sv *app.Survey, d *surveyPage, run *stepRun, pos int, err error) error {
	if serr := s.showStep(c, sv, d, run, pos); serr != nil {
		return serr
	}
	return s.renderSurvey(c, d, onlyField(err, run.questions[pos-1].Field()))
}

// showStep puts the question at pos (under its section's heading) into the
// page as its only question.
func (s *Server) showStep(c echo.Context, sv *app.Survey, d *surveyPage, run *stepRun, pos int) error {
	q := run.questions[pos-1]
	qv := questionView{Q: q, Rows: map[int]string{}}
	// No "answer only if" hint: a step is shown only when its condition holds.
	fillFromForm(&qv, run.state)
	sec := surveySectionView{Questions: []questionView{qv}}
	if q.SectionID != nil {
		sections, err := s.store.SurveySections(c.Request().Context(), sv.ID)
		if err != nil {
			return err
		}
		for _, x := range sections {
			if x.ID == *q.SectionID {
				sec.Title = x.Title
			}
		}
	}
	d.Sections = []surveySectionView{sec}
	st := &surveyStep{Position: pos}
	vis := run.visible()
	st.Total = len(vis)
	for i, p := range vis {
		if p == pos {
			st.Number = i + 1
		}
	}
	st.First, st.Last = st.Number <= 1, st.Number >= st.Total
	if sv.Anonymous {
		carried := answerFields(run.state, run.questions, q.ID)
		names := make([]string, 0, len(carried))
		for k := range carried {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			for _, v := range carried[k] {
				st.Carried = append(st.Carried, hiddenField{Name: k, Value: v})
			}
		}
	}
	d.Step = st
	return nil
}

// checkWithoutRequiring checks the answer to q as "Zurück" keeps it: an
// empty answer is fine, but what is given must be a valid answer (length,
// options), since an account's run saves it.
func checkWithoutRequiring(q app.SurveyQuestion, state url.Values, chk app.AnswerChecks) error {
	q.Required, q.CondQuestionID = false, nil
	_, err := app.ParseAnswers([]app.SurveyQuestion{q}, state, chk)
	return err
}
