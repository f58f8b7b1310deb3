package web_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// notificationsFor gives the viewer notifications of several kinds, one of
// them read, so the list shows both states and the header its unread count.
func notificationsFor(path string) func(t *testing.T, a *testenv.App, u *app.User) string {
	return func(t *testing.T, a *testenv.App, u *app.User) string {
		t.Helper()
		ctx := context.Background()
		for _, n := range []app.Notification{
			{Kind: app.NotifyNewContribution, SubjectKind: app.FollowContribution, SubjectID: 1, Title: "A-0001 (Fachkonzept Wohnen)", URL: "/beitraege/A-0001"},
			{Kind: app.NotifyEventCancelled, SubjectKind: app.FollowEvent, SubjectID: 1, Title: "Werkstattgespräch Grünau", URL: "/veranstaltungen/1"},
			{Kind: app.NotifyLabBoard, SubjectKind: app.FollowLab, SubjectID: 1, Title: "Lab Straßenbäume", URL: "/labs/1"},
		} {
			n.UserID = u.ID
			if err := a.Store.AddNotification(ctx, &n); err != nil {
				t.Fatal(err)
			}
		}
		var first int64
		a.Store.Gorm().Table("notifications").Where("user_id = ?", u.ID).Order("id").Limit(1).Pluck("id", &first)
		if err := a.Store.MarkNotificationsRead(ctx, u.ID, first); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// unsubscribeLink is a valid one-click link of a new account.
func unsubscribeLink(scope, name string) func(t *testing.T, a *testenv.App, _ *app.User) string {
	return func(t *testing.T, a *testenv.App, _ *app.User) string {
		u := a.CreateUser(t, name+"@example.org", name, app.RoleCitizen)
		return "/benachrichtigungen/abmelden?t=" + a.Platform.Notify.UnsubscribeToken(u.ID, scope)
	}
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "notifications", as: app.RoleCitizen, prepare: notificationsFor("/benachrichtigungen")},
		a11yPage{name: "notifications empty", as: app.RoleModerator, path: "/benachrichtigungen"},
		a11yPage{name: "notification settings", as: app.RoleCitizen, path: "/profil/benachrichtigungen"},
		a11yPage{name: "notification unsubscribe", prepare: unsubscribeLink("reply", "Abbestellerin")},
		a11yPage{name: "notification unsubscribe digest", prepare: unsubscribeLink("digest:daily", "Abbesteller")},
		a11yPage{name: "notification unsubscribe invalid", path: "/benachrichtigungen/abmelden?t=ungueltig"},
	)
}
