package web_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/testenv"
)

func notificationsOf(t *testing.T, a *testenv.App, u *app.User) []app.Notification {
	t.Helper()
	list, _, err := a.Store.Notifications(context.Background(), u.ID, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func hasNotification(list []app.Notification, kind string, subjectID int64) bool {
	for _, n := range list {
		if n.Kind == kind && n.SubjectID == subjectID {
			return true
		}
	}
	return false
}

// TestNotifyKinds: replies, official answers and published assessments
// reach the followers of a contribution (its author is listed but gets only
// the existing author mail); pending contributions are announced on
// approval only; event changes and cancellations and a lab's new board reach
// their followers, a members-only lab only those who may still read it.
func TestNotifyKinds(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre, testenv.WithoutSMTP())
	a := f.a
	ctx := context.Background()
	// Pre-moderation: nothing is announced while the contribution waits.
	if err := a.Store.Follow(ctx, f.other.ID, app.FollowChapter, f.ch.ID); err != nil {
		t.Fatal(err)
	}
	c := f.comment(t, f.cit, "p-2", "Mehr bezahlbare Wohnungen in Lindenau, bitte.")
	if hasNotification(notificationsOf(t, a, f.other), app.NotifyNewContribution, c.ID) {
		t.Fatal("a waiting contribution was announced")
	}
	f.approve(t, c)
	if !hasNotification(notificationsOf(t, a, f.other), app.NotifyNewContribution, c.ID) {
		t.Fatal("the approved contribution was not announced")
	}
	if err := a.Store.Follow(ctx, f.other.ID, app.FollowContribution, c.ID); err != nil {
		t.Fatal(err)
	}
	// A reply, once approved, reaches the followers of the parent and its author.
	r, err := a.Platform.Draft.Reply(ctx, f.other, c.ID, draft.CommentInput{Body: "Dem stimme ich zu, besonders am Lindenauer Markt."})
	if err != nil {
		t.Fatal(err)
	}
	f.approve(t, r)
	if !hasNotification(notificationsOf(t, a, f.cit), app.NotifyReply, r.ID) || hasNotification(notificationsOf(t, a, f.other), app.NotifyReply, r.ID) {
		t.Fatal("the reply reaches the parent's author, not its own author")
	}
	// Official answer and published assessment.
	if _, err := a.Platform.Draft.Answer(ctx, f.mod, c.ID, "Danke, das Fachamt prüft den Vorschlag."); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Draft.Assess(ctx, f.admin, c.ID, app.AssessmentInput{Status: app.AssessPartly, Reasoning: "Teilweise im Fachkonzept Wohnen enthalten.", Publish: true}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*app.User{f.cit, f.other} {
		list := notificationsOf(t, a, u)
		if !hasNotification(list, app.NotifyAnswer, c.ID) || !hasNotification(list, app.NotifyAssessed, c.ID) {
			t.Fatalf("%s: answer or assessment not notified: %+v", u.DisplayName, list)
		}
	}
	// The author's entries are not mailed again (the author mails exist);
	// the follower's are.
	var authorNotify, followerNotify int64
	a.Store.Gorm().Table("outbox").Where("kind = ? AND user_id = ?", "notify", f.cit.ID).Count(&authorNotify)
	a.Store.Gorm().Table("outbox").Where("kind = ? AND user_id = ?", "notify", f.other.ID).Count(&followerNotify)
	if authorNotify != 1 || followerNotify != 2 { // author: the reply; follower: answer and assessment
		t.Fatalf("notification mails: author %d (want 1), follower %d (want 2)", authorNotify, followerNotify)
	}

	// Events: change and cancellation.
	ev := createEvent(t, a)
	if err := a.Store.Follow(ctx, f.other.ID, app.FollowEvent, ev.ID); err != nil {
		t.Fatal(err)
	}
	in := eventInput(a.Store.Now(), func(in *app.EventInput) { in.Venue = "Volkshochschule Leipzig" })
	if _, err := a.Platform.Events.Update(ctx, eventAdmin(t, a), ev.ID, in); err != nil {
		t.Fatal(err)
	}
	if err := a.Platform.Events.CancelEvent(ctx, eventAdmin(t, a), ev.ID, "Der Raum ist nicht verfügbar."); err != nil {
		t.Fatal(err)
	}
	list := notificationsOf(t, a, f.other)
	if !hasNotification(list, app.NotifyEventChanged, ev.ID) || !hasNotification(list, app.NotifyEventCancelled, ev.ID) {
		t.Fatalf("event change or cancellation not notified: %+v", list)
	}

	// A members-only lab: a former member who still follows hears nothing.
	lf := newLabFixture(t, a, boardOpts{closed: true})
	outsider := a.CreateUser(t, "ehemals@example.org", "Ehemaliges Mitglied", app.RoleCitizen)
	for _, u := range []*app.User{lf.Member, outsider} {
		if err := a.Store.Follow(ctx, u.ID, app.FollowLab, lf.Lab.ID); err != nil {
			t.Fatal(err)
		}
	}
	acc, err := a.Platform.Labs.Access(ctx, lf.Lab, lf.Host)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Labs.CreateBoard(ctx, lf.Lab, acc, lf.Host, app.BoardInput{Title: "Zweite Runde", Anonymous: true, VotesPerPerson: 3, Columns: "Ideen\nFragen"}); err != nil {
		t.Fatal(err)
	}
	if !hasNotification(notificationsOf(t, a, lf.Member), app.NotifyLabBoard, lf.Lab.ID) {
		t.Fatal("the member was not told about the new board")
	}
	if hasNotification(notificationsOf(t, a, outsider), app.NotifyLabBoard, lf.Lab.ID) || len(notificationsOf(t, a, lf.Host)) != 0 {
		t.Fatal("an outsider or the acting host was notified")
	}
}
