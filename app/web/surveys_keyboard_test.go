package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/surveys"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSurveyKeyboard answers an anonymous survey in Chromium with the
// keyboard only: Tab into a choice, arrow keys to choose, typing, Enter.
func TestSurveyKeyboard(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx0 := context.Background()
	opens := a.Clock.Now().Add(-time.Hour)
	sv := &app.Survey{Title: "Tastatur-Umfrage", Anonymous: true, OpensAt: &opens}
	if err := a.Store.CreateSurvey(ctx0, sv); err != nil {
		t.Fatal(err)
	}
	svc := &surveys.Service{Store: a.Store}
	var qs []*app.SurveyQuestion
	for _, in := range []app.QuestionInput{
		{Kind: app.QSingle, Text: "Wie wohnen Sie?", Options: "Miete\nEigentum\nGenossenschaft", Required: true},
		{Kind: app.QScale, Text: "Wie zufrieden sind Sie?", ScaleLow: "gar nicht", ScaleHigh: "sehr", Required: true},
		{Kind: app.QTextShort, Text: "Ihr Lieblingsort?"},
	} {
		q, err := svc.AddQuestion(ctx0, sv, in)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	tab := testenv.StartBrowser(t).Tab(t)
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/umfragen/%d", a.URL, sv.ID))); err != nil {
		t.Fatal(err)
	}
	testenv.TabTo(t, ctx, "#f-"+qs[0].Field(), 40)
	testenv.Press(t, ctx, " ")
	testenv.Press(t, ctx, kb.ArrowDown) // Eigentum
	testenv.TabTo(t, ctx, "#f-"+qs[1].Field(), 5)
	for i := 0; i < 3; i++ {
		testenv.Press(t, ctx, kb.ArrowRight) // 1 → 4
	}
	testenv.TabTo(t, ctx, "#f-"+qs[2].Field(), 5)
	testenv.Type(t, ctx, "Auwald")
	testenv.TabTo(t, ctx, "form.survey-form button[type=submit]", 5)
	testenv.Press(t, ctx, kb.Enter)
	if err := chromedp.Do(ctx, chromedp.WaitVisible("p.lead")); err != nil {
		t.Fatal(err)
	}
	if lead, _ := chromedp.Run(ctx, chromedp.Text("p.lead")); lead != "Vielen Dank für Ihre Teilnahme!" {
		t.Fatalf("after Enter: %q", lead)
	}
	var got = map[int64]string{}
	err := a.Store.EachSurveyAnswer(ctx0, sv.ID, func(r store.SurveyAnswerRow) error { got[r.QuestionID] = r.Value; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got[qs[0].ID] != "2" || got[qs[1].ID] != "4" || got[qs[2].ID] != "Auwald" {
		t.Fatalf("stored answers: %v", got)
	}
}
