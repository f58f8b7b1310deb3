package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// TestSurveyOpeningAnnounced: people follow an open survey with the button
// on its page (a plain form), or the chapter a coming survey is linked to;
// when the opening date passes, the background job tells the chapter's
// followers once, by mail (real SMTP) and in the list, however often it runs.
func TestSurveyOpeningAnnounced(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	a := f.a
	ctx := context.Background()
	job := a.Platform.Surveys

	past := a.Clock.Now().Add(-time.Hour)
	open := &app.Survey{Title: "Grün im Quartier <jetzt>", OpensAt: &past}
	if err := a.Store.CreateSurvey(ctx, open); err != nil {
		t.Fatal(err)
	}
	later := a.Clock.Now().Add(2 * time.Hour)
	soon := &app.Survey{Title: "Wohnen morgen", OpensAt: &later, ChapterID: &f.ch.ID}
	if err := a.Store.CreateSurvey(ctx, soon); err != nil {
		t.Fatal(err)
	}

	draft := &app.Survey{Title: "Noch ein Entwurf"}
	if err := a.Store.CreateSurvey(ctx, draft); err != nil {
		t.Fatal(err)
	}

	// A citizen follows the open survey on its page.
	fan := a.CreateUser(t, "fan@example.org", "Umfragefan", app.RoleCitizen)
	web := a.SessionClient(t, fan)
	r := web.Submit(web.Get(fmt.Sprintf("/umfragen/%d", open.ID)), "form.follow-form", nil)
	if r.Status != 200 || !strings.Contains(r.Body, "Sie folgen jetzt diesem Inhalt") || r.URL.Path != fmt.Sprintf("/umfragen/%d", open.ID) ||
		!following(t, a, fan.ID, app.FollowSurvey, open.ID) {
		t.Fatalf("follow the survey: %d at %s", r.Status, r.URL)
	}
	// The coming survey is announced: listed under "Demnächst", its page
	// says when it starts and offers the follow button, but no questions,
	// and an answer posted anyway is refused.
	index := web.Get("/umfragen")
	if !strings.Contains(index.Text(), "Demnächst") || index.Doc.Find(fmt.Sprintf(`a[href="/umfragen/%d"]`, soon.ID)).Length() != 1 ||
		strings.Contains(index.Text(), "Noch ein Entwurf") {
		t.Fatalf("the list does not announce the coming survey: %s", index.Text())
	}
	page := web.Get(fmt.Sprintf("/umfragen/%d", soon.ID))
	if page.Status != 200 || !strings.Contains(page.Text(), "Diese Umfrage beginnt am") || page.Doc.Find("form.survey-form").Length() != 0 {
		t.Fatalf("the coming survey's page: %d %s", page.Status, page.Text())
	}
	if early := web.PostForm(fmt.Sprintf("/umfragen/%d", soon.ID), vals()); early.Status != 410 || !strings.Contains(early.Text(), "Diese Umfrage beginnt am") {
		t.Fatalf("an answer before the start: %d %s", early.Status, early.Text())
	}
	r = web.Submit(page, "form.follow-form", nil)
	if r.Status != 200 || !following(t, a, fan.ID, app.FollowSurvey, soon.ID) {
		t.Fatalf("follow the coming survey: %d", r.Status)
	}
	// A draft does not exist for citizens and cannot be followed.
	if r := web.Get(fmt.Sprintf("/umfragen/%d", draft.ID)); r.Status != 404 {
		t.Fatalf("a draft's page: %d", r.Status)
	}
	if r := web.PostForm("/folgen", vals("kind", "survey", "id", itoa(draft.ID), "follow", "true")); r.Status != 404 || following(t, a, fan.ID, app.FollowSurvey, draft.ID) {
		t.Fatalf("follow a draft: %d", r.Status)
	}
	// The neighbour follows the chapter the coming survey is linked to.
	neighbour := a.SessionClient(t, f.other)
	if r := neighbour.Submit(neighbour.Get("/entwurf/wohnen"), "form.follow-form", nil); r.Status != 200 {
		t.Fatalf("follow the chapter: %d", r.Status)
	}

	// The platform runs the job in the background too; whichever run claims
	// a survey announces it, so the test counts what people received.
	if _, err := job.AnnounceOpened(ctx); err != nil {
		t.Fatal(err)
	}
	if sv, _ := a.Store.SurveyByID(ctx, open.ID); sv.AnnouncedAt == nil {
		t.Fatal("the open survey was not announced")
	}
	if n, _ := a.Store.UnreadNotifications(ctx, f.other.ID); n != 0 {
		t.Fatalf("the chapter's follower heard of a survey before it opened: %d", n)
	}

	a.Clock.Advance(3 * time.Hour)
	for range 3 {
		if _, err := job.AnnounceOpened(ctx); err != nil {
			t.Fatal(err)
		}
	}
	m := a.Mail.WaitFor("nachbar@example.org", "")
	if !strings.Contains(m.Text, "Wohnen morgen") {
		t.Fatalf("mail to the chapter's follower:\n%s", m.Text)
	}
	list := neighbour.Get("/benachrichtigungen")
	if got := list.Doc.Find(fmt.Sprintf(`a[href="/umfragen/%d"]`, soon.ID)).Length(); got != 1 {
		t.Fatalf("the chapter's follower has %d notifications of the opening", got)
	}
	if got := len(a.Mail.MailsTo("nachbar@example.org")); got != 1 {
		t.Fatalf("the chapter's follower got %d mails", got)
	}
	// The survey's own follower hears of the opening too.
	if list := web.Get("/benachrichtigungen"); list.Doc.Find(fmt.Sprintf(`a[href="/umfragen/%d"]`, soon.ID)).Length() != 1 {
		t.Fatalf("the survey's follower was not told of the opening: %s", list.Text())
	}
	// The follow button now offers to stop following.
	page = web.Get(fmt.Sprintf("/umfragen/%d", open.ID))
	if page.Doc.Find(`form.follow-form input[name=follow][value=false]`).Length() != 1 {
		t.Fatal("the survey page does not show the follow")
	}
}
