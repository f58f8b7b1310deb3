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
	seedBigChapter(t, a, "wohnen", 1)
	wohnen, err := a.Store.ChapterBySlug(ctx, "wohnen")
	if err != nil {
		t.Fatal(err)
	}
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
		return fmt.Sprintf("button[formaction$='/antworten/%d/%d/einreichen']", responseOf(i), lang.ID)
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
	// One answer goes to the chapter chosen in the question's list (the
	// survey itself links to none); an unknown chapter is an error at the list.
	field := fmt.Sprintf("chapter-%d", lang.ID)
	if bad := f.builder.Press(hidden, sendSel(0), url.Values{"chapter_id": {"999999"}}); bad.Status != http.StatusUnprocessableEntity || bad.FieldError(field) == "" {
		t.Fatalf("send one to an unknown chapter: %d %q", bad.Status, bad.FieldError(field))
	}
	if hidden.Doc.Find(fmt.Sprintf("form#send-q%d select[name=chapter_id] option[value='%d']", lang.ID, wohnen.ID)).Length() != 1 {
		t.Fatal("the chapter list of the question does not offer the chapter")
	}
	res := f.builder.Press(hidden, sendSel(0), url.Values{"chapter_id": {fmt.Sprint(wohnen.ID)}})
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Als Beitrag eingereicht") || res.Doc.Find(sendSel(0)).Length() != 0 {
		t.Fatalf("send one: %d %s", res.Status, res.Text())
	}
	if got, _ := a.Store.SurveyAnswersOf(ctx, responseOf(0)); got[lang.ID].ContributionID == nil {
		t.Fatal("the answer was not sent")
	} else if c, err := a.Store.ContributionByID(ctx, *got[lang.ID].ContributionID); err != nil || c.ChapterID == nil || *c.ChapterID != wohnen.ID {
		t.Fatalf("the answer sent with a chosen chapter: %v %+v", err, c)
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

// TestSurveyOtherTextsToPipeline sends the "Sonstiges: …" texts of a
// choice question into the pipeline like free-text answers: one at a time
// or all unsent at once, the text (not the choice) as the contribution.
func TestSurveyOtherTextsToPipeline(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := buildSurvey(t, a, false)
	wohnen := f.q["wohnen"]
	other := []string{"Wohnwagen am Auwald", "Bei meinen Eltern <noch>", ""}
	var responses []int64
	for i, text := range other {
		u := a.CreateUser(t, fmt.Sprintf("sonst%d@example.org", i), fmt.Sprintf("Person %d", i), app.RoleCitizen)
		c := a.SessionClient(t, u)
		choice := []string{"other"}
		if text == "" {
			choice = []string{"2"}
		}
		res := c.Submit(c.Get(f.path()), "form.survey-form", f.answers(choice, []string{"1"}, "3", url.Values{wohnen.Field() + "_other": {text}}))
		if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Vielen Dank") {
			t.Fatalf("answer %d: %d %s", i, res.Status, res.Text())
		}
		r, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		responses = append(responses, r.ID)
	}
	rpath := fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse", f.survey.ID)
	one := fmt.Sprintf("button[formaction$='/antworten/%d/%d/einreichen']", responses[0], wohnen.ID)
	res := f.builder.Press(f.builder.Get(rpath), one, nil)
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Als Beitrag eingereicht") || res.Doc.Find(one).Length() != 0 {
		t.Fatalf("send one other text: %d %s", res.Status, res.Text())
	}
	// A response without an "other" text has nothing to send.
	none := f.builder.PostForm(fmt.Sprintf("/umfragen/verwaltung/%d/antworten/%d/%d/einreichen", f.survey.ID, responses[2], wohnen.ID), url.Values{})
	if none.Status != http.StatusNotFound {
		t.Fatalf("send a choice without text: %d", none.Status)
	}
	f.builder.Submit(f.builder.Get(rpath), fmt.Sprintf("form[action$='/fragen/%d/einreichen']", wohnen.ID), nil)

	var bodies []string
	for _, rid := range responses {
		got, _ := a.Store.SurveyAnswersOf(ctx, rid)
		if id := got[wohnen.ID].ContributionID; id != nil {
			c, err := a.Store.ContributionByID(ctx, *id)
			if err != nil || c.Channel != app.ChannelSurvey {
				t.Fatalf("contribution %d: %v %+v", *id, err, c)
			}
			bodies = append(bodies, c.Body)
		}
	}
	if want := other[:2]; fmt.Sprint(bodies) != fmt.Sprint(want) {
		t.Fatalf("sent %q, want %q", bodies, want)
	}
}
