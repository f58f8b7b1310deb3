package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSurveyAnswerToPipeline sends free-text answers from the results page
// into the contribution pipeline as channel "Umfrage": once only, never a
// hidden answer, and only by builders.
func TestSurveyAnswerToPipeline(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := buildSurvey(t, a, false)
	lang := f.q["lang"]
	var clients []*testenv.Client
	for i, text := range []string{"Mehr Bäume <bitte>", "Breitere Radwege", "Privates über meinen Nachbarn"} {
		u := a.CreateUser(t, fmt.Sprintf("person%d@example.org", i), fmt.Sprintf("Person %d", i), app.RoleCitizen)
		c := a.SessionClient(t, u)
		clients = append(clients, c)
		res := c.Submit(c.Get(f.path()), "form.survey-form", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{lang.Field(): {text}}))
		if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Vielen Dank") {
			t.Fatalf("answer %d: %d %s", i, res.Status, res.Text())
		}
	}
	responseOf := func(i int) int64 {
		u, err := a.Store.UserByEmail(ctx, fmt.Sprintf("person%d@example.org", i))
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	rpath := fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse", f.survey.ID)
	sendSel := func(i int) string {
		return fmt.Sprintf("form[action$='/antworten/%d/%d/einreichen']", responseOf(i), lang.ID)
	}

	// A citizen may not send (the form is not even shown to them).
	if res := clients[0].PostForm(fmt.Sprintf("/umfragen/verwaltung/%d/antworten/%d/%d/einreichen", f.survey.ID, responseOf(0), lang.ID), url.Values{}); res.Status != http.StatusForbidden {
		t.Fatalf("send by a citizen: %d", res.Status)
	}

	// The third answer is hidden: it has no send button and a forged send is refused.
	results := f.builder.Get(rpath)
	hidden := f.builder.Submit(results, fmt.Sprintf("form[action$='/antworten/%d/%d/ausblenden']", responseOf(2), lang.ID), url.Values{"reason": {"Personenbezug"}})
	if hidden.Doc.Find(sendSel(2)).Length() != 0 {
		t.Fatal("a hidden answer offers the send button")
	}
	res := f.builder.Submit(hidden, sendSel(0), nil)
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Als Beitrag eingereicht") || res.Doc.Find(sendSel(0)).Length() != 0 {
		t.Fatalf("send one: %d %s", res.Status, res.Text())
	}
	forged := f.builder.PostForm(fmt.Sprintf("/umfragen/verwaltung/%d/antworten/%d/%d/einreichen", f.survey.ID, responseOf(2), lang.ID), url.Values{})
	if forged.Status != http.StatusConflict || !strings.Contains(forged.Text(), "Ausgeblendete Antworten können nicht eingereicht werden") {
		t.Fatalf("send hidden: %d %s", forged.Status, forged.Text())
	}
	// Sending the same answer again is refused and creates nothing.
	again := f.builder.PostForm(fmt.Sprintf("/umfragen/verwaltung/%d/antworten/%d/%d/einreichen", f.survey.ID, responseOf(0), lang.ID), url.Values{})
	if again.Status != http.StatusConflict || !strings.Contains(again.Text(), "schon als Beitrag eingereicht") {
		t.Fatalf("send again: %d %s", again.Status, again.Text())
	}
	// "Send all": a chapter number that does not exist is an error next to the field.
	allSel := fmt.Sprintf("form[action$='/fragen/%d/einreichen']", lang.ID)
	field := fmt.Sprintf("chapter-%d", lang.ID)
	bad := f.builder.Submit(f.builder.Get(rpath), allSel, url.Values{"chapter_id": {"999999"}})
	if bad.Status != http.StatusUnprocessableEntity || bad.FieldError(field) == "" {
		t.Fatalf("unknown chapter: %d %q", bad.Status, bad.FieldError(field))
	}
	f.builder.Submit(f.builder.Get(rpath), allSel, nil)
	f.builder.Submit(f.builder.Get(rpath), allSel, nil)

	// Exactly the two visible answers are in the moderation queue, channel "Umfrage".
	mod := a.SessionClient(t, a.CreateUser(t, "mod@example.org", "Moderatorin", app.RoleModerator))
	queue := mod.Get("/admin/moderation?status=all&kanal=umfrage")
	text := queue.Text()
	if queue.Status != http.StatusOK || strings.Count(text, "Mehr Bäume <bitte>") != 1 || strings.Count(text, "Breitere Radwege") != 1 ||
		strings.Contains(text, "Privates über meinen Nachbarn") || !strings.Contains(text, "Umfrage") {
		t.Fatalf("moderation queue: %d %s", queue.Status, text)
	}
	n := 0
	for i := range 3 {
		got, _ := a.Store.SurveyAnswersOf(ctx, responseOf(i))
		if got[lang.ID].ContributionID != nil {
			n++
			c, err := a.Store.ContributionByID(ctx, *got[lang.ID].ContributionID)
			if err != nil || c.Channel != app.ChannelSurvey || c.AuthorID != nil || c.Body != got[lang.ID].Value {
				t.Errorf("contribution of answer %d: %v %+v", i, err, c)
			}
		}
	}
	if n != 2 {
		t.Fatalf("%d answers sent, want 2", n)
	}
}
