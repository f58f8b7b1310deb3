package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// followSome makes a person follow an event, an event format, an Ortsteil
// and an event that is no longer public.
func followSome(t *testing.T, a *testenv.App, u *app.User) (shown, gone *app.Event) {
	t.Helper()
	ctx := context.Background()
	shown = createEvent(t, a, func(in *app.EventInput) { in.Title = "Stadtgebietsforum <Süd>" })
	gone = createEvent(t, a, func(in *app.EventInput) { in.Title = "Geheimer Entwurfstermin" })
	for _, f := range []app.Follow{
		{TargetKind: app.FollowEvent, TargetID: shown.ID},
		{TargetKind: app.FollowEvent, TargetID: gone.ID},
		{TargetKind: app.FollowFormat, TargetID: app.FormatFollowID(app.FormatFachforum)},
		{TargetKind: app.FollowOrtsteil, TargetID: 70},
	} {
		if err := a.Store.Follow(ctx, u.ID, f.TargetKind, f.TargetID); err != nil {
			t.Fatal(err)
		}
	}
	a.Store.Gorm().Table("events").Where("id = ?", gone.ID).Update("status", app.EventDraft)
	return shown, gone
}

// TestNotifyFollowsInAccount: "Mein Konto" lists what a person follows,
// named and linked (escaped), a target that is no longer public by its kind
// only; each can be unfollowed there without JavaScript. The download of
// "Meine Daten" holds the follows, the notifications and the e-mail modes.
func TestNotifyFollowsInAccount(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "folgt@example.org", "Folgende Person", app.RoleCitizen)
	web := a.SessionClient(t, u)
	shown, gone := followSome(t, a, u)

	page := web.Get("/profil/benachrichtigungen")
	mustStatus(t, page, 200)
	list := page.Doc.Find("ul.follow-list")
	text := list.Text()
	for _, want := range []string{"Stadtgebietsforum <Süd>", "Fachforum", "Ortsteil:", "nicht mehr öffentlich"} {
		if !strings.Contains(text, want) {
			t.Fatalf("follow list lacks %q: %s", want, text)
		}
	}
	if strings.Contains(text, "Geheimer Entwurfstermin") || !strings.Contains(page.Body, "Stadtgebietsforum &lt;Süd&gt;") {
		t.Fatal("the list names an unpublished event or does not escape a title")
	}
	if href, _ := list.Find(`a[href="` + eventURL(shown) + `"]`).Attr("href"); href == "" {
		t.Fatal("the followed event is not linked")
	}
	r := web.Submit(page, `ul.follow-list form:has(input[name=kind][value=event]):has(input[name=id][value="`+itoa(gone.ID)+`"])`, nil)
	mustStatus(t, r, 200)
	if r.URL.Path != "/profil/benachrichtigungen" || following(t, a, u.ID, app.FollowEvent, gone.ID) ||
		!following(t, a, u.ID, app.FollowEvent, shown.ID) || r.Doc.Find("ul.follow-list li").Length() != 3 {
		t.Fatalf("unfollow from the account page: at %s, %d left", r.URL.Path, r.Doc.Find("ul.follow-list li").Length())
	}

	if err := a.Store.AddNotification(context.Background(), &app.Notification{UserID: u.ID, Kind: app.NotifyNewDate,
		SubjectKind: app.FollowEvent, SubjectID: shown.ID, Title: shown.Title, URL: eventURL(shown)}); err != nil {
		t.Fatal(err)
	}
	res := web.Get("/profil/meine-daten")
	mustStatus(t, res, 200)
	var d store.PersonalData
	if err := json.Unmarshal([]byte(res.Body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Notify == nil || len(d.Notify.Follows) != 3 || len(d.Notify.Notifications) != 1 ||
		d.Notify.Notifications[0].URL != eventURL(shown) || d.Notify.MailModes[app.NotifyNewDate] != app.MailDaily {
		t.Fatalf("following part of Meine Daten: %+v", d.Notify)
	}
}

func init() {
	a11yPages = append(a11yPages, a11yPage{name: "notification settings with follows", as: app.RoleCitizen,
		prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			followSome(t, a, u)
			return "/profil/benachrichtigungen"
		}})
}
