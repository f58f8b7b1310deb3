package web_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/surveys"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// a11ySurvey is an open survey with a question of every kind, a section,
// a condition and one response (for the results page).
func a11ySurvey(t *testing.T, a *testenv.App, anonymous bool) *app.Survey {
	t.Helper()
	ctx := context.Background()
	opens := a.Clock.Now().Add(-time.Hour)
	sv := &app.Survey{Title: "Leben im Viertel", Intro: "Drei Minuten.", Anonymous: anonymous, OpensAt: &opens}
	if err := a.Store.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	svc := &surveys.Service{Store: a.Store}
	if err := svc.AddSection(ctx, sv, app.SectionInput{Title: "Über Sie"}); err != nil {
		t.Fatal(err)
	}
	var first int64
	for i, k := range everyKind {
		in := app.QuestionInput{}
		form := k.form
		in.Kind, in.Text, in.Options, in.ScaleLow, in.ScaleHigh = form.Get("kind"), form.Get("text"), form.Get("options"), form.Get("scale_low"), form.Get("scale_high")
		in.Required, in.Other, in.MinChoices, in.MaxChoices = form.Get("required") != "", form.Get("other") != "", form.Get("min_choices"), form.Get("max_choices")
		in.Help = "Ein Hinweis zur Frage."
		if i == 5 {
			in.Condition = fmt.Sprintf("%d:1", first)
		}
		q, err := svc.AddQuestion(ctx, sv, in)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = q.ID
		}
	}
	qs, _ := a.Store.SurveyQuestions(ctx, sv.ID, sv.Version)
	form := url.Values{qs[0].Field(): {"other"}, qs[0].Field() + "_other": {"WG"}, qs[1].Field(): {"1"}, qs[2].Field(): {"4"},
		qs[6].Field(): {"Mehr Bänke am Wasser"}}
	who := surveys.Respondent{Token: "a11y-token", IP: "192.0.2.1"}
	if !anonymous {
		who = surveys.Respondent{User: a.CreateUser(t, fmt.Sprintf("befragt%d@example.org", sv.ID), fmt.Sprintf("Befragte Person %d", sv.ID), app.RoleCitizen)}
	}
	if err := svc.Submit(ctx, sv, who, form); err != nil {
		t.Fatal(err)
	}
	return sv
}

// upcomingSurvey is announced: it opens in three days.
func upcomingSurvey(t *testing.T, a *testenv.App) *app.Survey {
	t.Helper()
	opens := a.Clock.Now().Add(72 * time.Hour)
	sv := &app.Survey{Title: "Sport im Park", Intro: "Ab Montag für alle.", OpensAt: &opens}
	if err := a.Store.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	return sv
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "surveys list", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			a11ySurvey(t, a, true)
			upcomingSurvey(t, a)
			return "/umfragen"
		}},
		a11yPage{name: "survey announced", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/%d", upcomingSurvey(t, a).ID)
		}},
		a11yPage{name: "survey answer anonymous", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/%d", a11ySurvey(t, a, true).ID)
		}},
		a11yPage{name: "survey answer with errors", as: app.RoleCitizen, submit: "form.survey-form button[type=submit]", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/%d", a11ySurvey(t, a, false).ID)
		}},
		// One question per screen: a step, and a step whose required answer is missing.
		a11yPage{name: "survey step anonymous", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return steppedSurvey(t, a, true).path()
		}},
		a11yPage{name: "survey step with error", as: app.RoleCitizen, submit: "form.survey-form button[value=next]", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return steppedSurvey(t, a, false).path()
		}},
		a11yPage{name: "survey logged out, account needed", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/%d", a11ySurvey(t, a, false).ID)
		}},
		a11yPage{name: "survey thanks", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/%d/danke", a11ySurvey(t, a, true).ID)
		}},
		a11yPage{name: "survey builder list", as: app.RoleAdmin, path: "/umfragen/verwaltung"},
		a11yPage{name: "survey builder new with errors", as: app.RoleAdmin, path: "/umfragen/verwaltung", submit: "main form[action='/umfragen/verwaltung'] button[type=submit]"},
		a11yPage{name: "survey builder", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/verwaltung/%d", a11ySurvey(t, a, true).ID)
		}},
		a11yPage{name: "survey question edit", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			sv := a11ySurvey(t, a, true)
			qs, _ := a.Store.SurveyQuestions(context.Background(), sv.ID, sv.Version)
			return fmt.Sprintf("/umfragen/verwaltung/%d/fragen/%d", sv.ID, qs[5].ID)
		}},
		a11yPage{name: "survey preview", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/verwaltung/%d/vorschau", a11ySurvey(t, a, true).ID)
		}},
		a11yPage{name: "survey results", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse", a11ySurvey(t, a, true).ID)
		}},
		// A later page of free texts shows the links forward and back.
		a11yPage{name: "survey results texts page", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			sv := benchSurvey(t, a, 2*surveys.TextsPerPage+1, 30_000_000)
			qs, _ := a.Store.SurveyQuestions(context.Background(), sv.ID, sv.Version)
			return fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse?texte=%d&nach=%d", sv.ID, qs[6].ID, 30_000_000+surveys.TextsPerPage-1)
		}},
	)
}
