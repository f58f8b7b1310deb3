package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestNotifyNewDateOfFollowedFormat: on an event page a person follows the
// event's format with its own, named button (no JavaScript); a new date of
// that format reaches them when it is published (at once, or when a draft
// is published later), never while it is a draft, and dates of other
// formats do not. The mail goes into the daily digest by default.
func TestNotifyNewDateOfFollowedFormat(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	fan := a.CreateUser(t, "werkstatt-fan@example.org", "Werkstatt Fan", app.RoleCitizen)
	web := a.SessionClient(t, fan)
	first := createEvent(t, a)

	page := web.Get(eventURL(first))
	mustStatus(t, page, 200)
	button := page.Doc.Find(`form.follow-form input[name=kind][value=format]`).Closest("form").Find("button")
	if !strings.Contains(button.Text(), "Neuen Terminen im Format „Werkstattgespräch“ folgen") {
		t.Fatalf("no follow button for the format: %q", button.Text())
	}
	r := web.Submit(page, `form.follow-form:has(input[name=kind][value=format])`, nil)
	mustStatus(t, r, 200)
	if !strings.Contains(r.Text(), "Sie erhalten Benachrichtigungen über neue Termine im Format „Werkstattgespräch“") ||
		!following(t, a, fan.ID, app.FollowFormat, app.FormatFollowID(app.FormatWorkshop)) {
		t.Fatal("the format is not followed after the button")
	}
	// Only formats that exist can be followed.
	if r := web.PostForm("/folgen", vals("kind", "format", "id", "99", "follow", "true")); r.Status != 422 {
		t.Fatalf("unknown format: status %d", r.Status)
	}

	draft := createEvent(t, a, func(in *app.EventInput) { in.Title, in.Status = "Werkstattgespräch Grünau", app.EventDraft })
	other := createEvent(t, a, func(in *app.EventInput) { in.Title, in.Format = "Fachforum Mobilität", string(app.FormatFachforum) })
	second := createEvent(t, a, func(in *app.EventInput) { in.Title = "Werkstattgespräch Connewitz" })
	list := notificationsOf(t, a, fan)
	if !hasNotification(list, app.NotifyNewDate, second.ID) {
		t.Fatalf("the new date of the followed format was not notified: %+v", list)
	}
	if hasNotification(list, app.NotifyNewDate, draft.ID) || hasNotification(list, app.NotifyNewDate, other.ID) {
		t.Fatalf("a draft or another format was notified: %+v", list)
	}

	// Publishing the draft announces it, once; a later edit does not again.
	in := eventInput(a.Store.Now(), func(in *app.EventInput) { in.Title, in.Status = "Werkstattgespräch Grünau", app.EventPublished })
	if _, err := a.Platform.Events.Update(ctx, eventAdmin(t, a), draft.ID, in); err != nil {
		t.Fatal(err)
	}
	in.Description = "Mit Kinderbetreuung."
	if _, err := a.Platform.Events.Update(ctx, eventAdmin(t, a), draft.ID, in); err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, n := range notificationsOf(t, a, fan) {
		if n.Kind == app.NotifyNewDate && n.SubjectID == draft.ID {
			count++
			if n.URL != eventURL(draft) || n.Title != "Werkstattgespräch Grünau" {
				t.Fatalf("notification links %q titled %q", n.URL, n.Title)
			}
		}
	}
	if count != 1 {
		t.Fatalf("the published draft was notified %d times, want 1", count)
	}
	// Daily digest by default: no mail at once.
	var immediate int64
	a.Store.Gorm().Table("outbox").Where("kind = ? AND user_id = ?", "notify", fan.ID).Count(&immediate)
	if immediate != 0 {
		t.Fatalf("%d immediate mails, want the daily digest", immediate)
	}

	// The list names it, and unfollowing stops further news.
	res := web.Get("/benachrichtigungen")
	if !strings.Contains(res.Text(), "Neuer Termin: Werkstattgespräch Connewitz") {
		t.Fatal("the notification list does not show the new date")
	}
	page = web.Get(eventURL(first))
	mustStatus(t, web.Submit(page, `form.follow-form:has(input[name=kind][value=format])`, nil), 200)
	third := createEvent(t, a, func(in *app.EventInput) { in.Title = "Werkstattgespräch Paunsdorf" })
	if hasNotification(notificationsOf(t, a, fan), app.NotifyNewDate, third.ID) {
		t.Fatal("notified after unfollowing the format")
	}
}
