package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/surveys"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// stepFix is an open one-question-per-screen survey: how one lives, the
// rent (only asked of people who rent), satisfaction (in a section) and an
// optional wish.
type stepFix struct {
	a                                *testenv.App
	survey                           *app.Survey
	wohnen, miete, zufrieden, wunsch app.SurveyQuestion
}

func steppedSurvey(t *testing.T, a *testenv.App, anonymous bool) *stepFix {
	t.Helper()
	ctx := context.Background()
	opens := a.Clock.Now().Add(-time.Hour)
	sv := &app.Survey{Title: "Wohnen im Viertel", Anonymous: anonymous, OnePerScreen: true, OpensAt: &opens}
	if err := a.Store.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	svc := &surveys.Service{Store: a.Store}
	if err := svc.AddSection(ctx, sv, app.SectionInput{Title: "Über Sie"}); err != nil {
		t.Fatal(err)
	}
	secs, _ := a.Store.SurveySections(ctx, sv.ID)
	add := func(in app.QuestionInput) app.SurveyQuestion {
		q, err := svc.AddQuestion(ctx, sv, in)
		if err != nil {
			t.Fatal(err)
		}
		return *q
	}
	f := &stepFix{a: a, survey: sv}
	f.wohnen = add(app.QuestionInput{Kind: app.QSingle, Text: "Wie wohnen Sie?", Options: "Miete\nEigentum", Required: true})
	f.miete = add(app.QuestionInput{Kind: app.QTextShort, Text: "Was zahlen Sie an Miete?", Required: true, Condition: fmt.Sprintf("%d:1", f.wohnen.ID)})
	f.zufrieden = add(app.QuestionInput{Kind: app.QScale, Text: "Wie zufrieden sind Sie?", ScaleLow: "gar nicht", ScaleHigh: "sehr",
		Required: true, SectionID: fmt.Sprint(secs[0].ID)})
	f.wunsch = add(app.QuestionInput{Kind: app.QTextLong, Text: "Was wünschen Sie sich?"})
	return f
}

func (f *stepFix) path() string { return fmt.Sprintf("/umfragen/%d", f.survey.ID) }

// step checks that a page shows exactly the one question q as step n of total.
func step(t *testing.T, res *testenv.Response, q app.SurveyQuestion, n, total int) {
	t.Helper()
	if res.Doc == nil {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	progress := fmt.Sprintf("Frage %d von %d", n, total)
	if got := res.Doc.Find("form.survey-form fieldset.survey-question"); got.Length() != 1 || !strings.Contains(got.Text(), q.Text) ||
		!strings.Contains(res.Text(), progress) {
		t.Fatalf("want %q as %s, got %d questions: %s", q.Text, progress, got.Length(), res.Text())
	}
}

// answersOfSurvey are the stored answers of the survey's finished responses.
func answersOfSurvey(t *testing.T, a *testenv.App, surveyID int64) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	err := a.Store.EachSurveyAnswer(context.Background(), surveyID, func(r store.SurveyAnswerRow) error {
		out[r.QuestionID] = r.Value
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSurveyStepsAnonymous steps through an anonymous one-per-screen
// survey without JavaScript: the answers so far travel in the form, nothing
// is stored before the last step, and the submission is the one-page form's.
func TestSurveyStepsAnonymous(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := steppedSurvey(t, a, true)
	c := a.Client(t)
	form := "form.survey-form"

	page := c.Get(f.path())
	step(t, page, f.wohnen, 1, 3) // the rent is not asked until someone rents
	if page.Doc.Find("button[value=back]").Length() != 0 || page.Doc.Find("button[value=next]").Length() != 1 {
		t.Fatal("the first step offers back, or no next")
	}

	// Weiter without the required answer: the step stays, with the error at the field.
	res := c.Submit(page, form, url.Values{"go": {"next"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(f.wohnen.Field()), "Bitte beantworten Sie diese Frage.") {
		t.Fatalf("missing answer: %d %q", res.Status, res.FieldError(f.wohnen.Field()))
	}
	step(t, res, f.wohnen, 1, 3)

	// Eigentum: the rent question is skipped.
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {"2"}})
	step(t, res, f.zufrieden, 2, 3)
	if !strings.Contains(res.Text(), "Über Sie") {
		t.Error("the step lacks its section's heading")
	}
	// Zurück keeps the answer given.
	res = c.Submit(res, form, url.Values{"go": {"back"}})
	step(t, res, f.wohnen, 1, 3)
	if _, ok := res.Doc.Find("#" + f.wohnen.Field() + "-o2").Attr("checked"); !ok {
		t.Fatal("back lost the answer")
	}
	// Miete: now the rent is asked.
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {"1"}})
	step(t, res, f.miete, 2, 4)
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.miete.Field(): {"800 Euro"}})
	step(t, res, f.zufrieden, 3, 4)
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.zufrieden.Field(): {"9"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(f.zufrieden.Field()), "Bitte wählen Sie eine der angebotenen Antworten.") {
		t.Fatalf("bad scale value: %d %q", res.Status, res.FieldError(f.zufrieden.Field()))
	}
	step(t, res, f.zufrieden, 3, 4)
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.zufrieden.Field(): {"4"}})
	step(t, res, f.wunsch, 4, 4)
	if res.Doc.Find("button[value=submit]").Length() != 1 || res.Doc.Find("button[value=next]").Length() != 0 {
		t.Fatal("the last step has no submit button")
	}
	// Nothing is stored before the submission.
	if answered, _ := a.Store.SurveyVersionAnswered(ctx, f.survey.ID, f.survey.Version); answered {
		t.Fatal("an anonymous run stored something before it was submitted")
	}
	last := res
	res = c.Submit(last, form, url.Values{"go": {"submit"}, f.wunsch.Field(): {"Mehr Bänke"}})
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("submit: %d %s", res.Status, res.Text())
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 1 {
		t.Fatalf("%d responses", n)
	}
	got := answersOfSurvey(t, a, f.survey.ID)
	want := map[int64]string{f.wohnen.ID: "1", f.miete.ID: "800 Euro", f.zufrieden.ID: "4", f.wunsch.ID: "Mehr Bänke"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	// The one-time token still protects: the same browser cannot submit twice.
	res = c.Submit(last, form, url.Values{"go": {"submit"}, f.wunsch.Field(): {"Noch einmal"}})
	if res.Status != http.StatusConflict || !strings.Contains(res.Text(), "bereits beantwortet") {
		t.Fatalf("second submission: %d %s", res.Status, res.Text())
	}
	// Tampered hidden fields are checked again at the submission.
	c2 := a.Client(t)
	res = c2.Get(f.path())
	res = c2.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {"2"}})
	res = c2.Submit(res, form, url.Values{"go": {"next"}, f.zufrieden.Field(): {"3"}})
	res = c2.Submit(res, form, url.Values{"go": {"submit"}, f.wohnen.Field(): {"7"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(f.wohnen.Field()), "Bitte wählen Sie eine der angebotenen Antworten.") {
		t.Fatalf("tampered answer: %d %s", res.Status, res.Text())
	}
	step(t, res, f.wohnen, 1, 3)
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 1 {
		t.Fatalf("%d responses after a refused one", n)
	}
}

// TestSurveyStepsAccount steps through an account-bound one-per-screen
// survey: the progress is kept on the server, so a fresh page load (even in
// another session) resumes where the person left, and the results see
// nothing of it until it is submitted.
func TestSurveyStepsAccount(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := steppedSurvey(t, a, false)
	u := a.CreateUser(t, "schritt@example.org", "Person Schritt", app.RoleCitizen)
	c := a.SessionClient(t, u)
	form := "form.survey-form"

	res := c.Get(f.path())
	step(t, res, f.wohnen, 1, 3)
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {"1"}})
	step(t, res, f.miete, 2, 4)
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.miete.Field(): {"750 Euro"}})
	step(t, res, f.zufrieden, 3, 4)
	if res.Doc.Find("input[type=hidden][name="+f.wohnen.Field()+"]").Length() != 0 {
		t.Error("an account's answers travel in the form")
	}

	// A fresh load in a new session resumes at the same step.
	c2 := a.SessionClient(t, u)
	res = c2.Get(f.path())
	step(t, res, f.zufrieden, 3, 4)
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 0 {
		t.Fatalf("an unfinished run counts as a response: %d", n)
	}
	if got := answersOfSurvey(t, a, f.survey.ID); len(got) != 0 {
		t.Fatalf("an unfinished run has answers in the results: %v", got)
	}
	// The required scale is missing: the step stays.
	bad := c2.Submit(res, form, url.Values{"go": {"next"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.FieldError(f.zufrieden.Field()), "Bitte beantworten Sie diese Frage.") {
		t.Fatalf("missing answer: %d %q", bad.Status, bad.FieldError(f.zufrieden.Field()))
	}
	step(t, bad, f.zufrieden, 3, 4)
	step(t, c2.Get(f.path()), f.zufrieden, 3, 4)
	// Back shows the rent as given.
	res = c2.Submit(res, form, url.Values{"go": {"back"}})
	step(t, res, f.miete, 2, 4)
	if v := res.Doc.Find("#f-"+f.miete.Field()).AttrOr("value", ""); v != "750 Euro" {
		t.Fatalf("back shows %q", v)
	}
	res = c2.Submit(res, form, url.Values{"go": {"next"}})
	res = c2.Submit(res, form, url.Values{"go": {"next"}, f.zufrieden.Field(): {"5"}})
	step(t, res, f.wunsch, 4, 4)
	res = c2.Submit(res, form, url.Values{"go": {"submit"}})
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("submit: %d %s", res.Status, res.Text())
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 1 {
		t.Fatalf("%d responses", n)
	}
	got := answersOfSurvey(t, a, f.survey.ID)
	want := map[int64]string{f.wohnen.ID: "1", f.miete.ID: "750 Euro", f.zufrieden.ID: "5"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	r, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID)
	if err != nil || r.Draft != "" || r.Step != 0 {
		t.Fatalf("the run's progress outlived the submission: %v %+v", err, r)
	}

	// Changing the answers starts from them; the results keep the old ones
	// until the new run is submitted.
	res = c.Get(f.path())
	step(t, res, f.wohnen, 1, 4)
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {"2"}})
	step(t, res, f.zufrieden, 2, 3)
	if _, ok := res.Doc.Find("#" + f.zufrieden.Field() + "-p5").Attr("checked"); !ok {
		t.Error("the changed run does not start from the given answers")
	}
	if got := answersOfSurvey(t, a, f.survey.ID); got[f.wohnen.ID] != "1" {
		t.Fatalf("an unfinished change reached the results: %v", got)
	}
	res = c.Submit(res, form, url.Values{"go": {"next"}})
	res = c.Submit(res, form, url.Values{"go": {"submit"}})
	if !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("resubmit: %s", res.Text())
	}
	got = answersOfSurvey(t, a, f.survey.ID)
	if want := (map[int64]string{f.wohnen.ID: "2", f.zufrieden.ID: "5"}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the change %v, want %v", got, want)
	}
}

// TestSurveyStepsBackChecksTheAnswer goes back from a step with an answer
// that is too long: "Zurück" needs no answer, but what it saves into the
// account's run is checked like any other input, so the step stays with the
// error at the field and the saved run is unchanged.
func TestSurveyStepsBackChecksTheAnswer(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := steppedSurvey(t, a, false)
	u := a.CreateUser(t, "zurueck@example.org", "Person Zurück", app.RoleCitizen)
	c := a.SessionClient(t, u)
	form := "form.survey-form"

	res := c.Get(f.path())
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.wohnen.Field(): {"2"}})
	res = c.Submit(res, form, url.Values{"go": {"next"}, f.zufrieden.Field(): {"4"}})
	step(t, res, f.wunsch, 3, 3)
	before, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}

	long := strings.Repeat("Mehr Bäume. ", 500) // 6,000 characters; the limit is 5,000
	bad := c.Submit(res, form, url.Values{"go": {"back"}, f.wunsch.Field(): {long}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.FieldError(f.wunsch.Field()), "höchstens 5000 Zeichen") {
		t.Fatalf("back with a too long answer: %d %q", bad.Status, bad.FieldError(f.wunsch.Field()))
	}
	step(t, bad, f.wunsch, 3, 3)
	after, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID)
	if err != nil || after.Draft != before.Draft || after.Step != before.Step {
		t.Fatalf("the rejected answer changed the saved run: %v\nbefore %q step %d\nafter  %q step %d",
			err, before.Draft, before.Step, after.Draft, after.Step)
	}

	// Going back without an answer is fine: the optional wish stays empty
	// and the required scale is shown as given.
	res = c.Submit(bad, form, url.Values{"go": {"back"}, f.wunsch.Field(): {""}})
	step(t, res, f.zufrieden, 2, 3)
	if _, ok := res.Doc.Find("#" + f.zufrieden.Field() + "-p4").Attr("checked"); !ok {
		t.Error("back lost the given scale")
	}
	// Back from a required question left unanswered needs no answer.
	res = c.Submit(res, form, url.Values{"go": {"back"}, f.zufrieden.Field(): nil})
	step(t, res, f.wohnen, 1, 3)
}
