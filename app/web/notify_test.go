package web_test

import (
	"context"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// mailHeader reads one header of a received mail from its raw bytes.
func mailHeader(t *testing.T, m *testenv.Mail, name string) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(m.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	return msg.Header.Get(name)
}

func outboxCount(t *testing.T, a *testenv.App, kind string, userID int64) int64 {
	t.Helper()
	var n int64
	if err := a.Store.Gorm().Table("outbox").Where("kind = ? AND user_id = ?", kind, userID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNotifyFollowChapter: a person follows a chapter with a POST form
// (no JavaScript), gets the immediate mail with RFC 8058 headers when a
// contribution is published there, sees it in /benachrichtigungen with the
// unread count in the header, marks it read, and unsubscribes with one click
// without logging in.
func TestNotifyFollowChapter(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	a := f.a
	other := f.other.ID
	web := a.SessionClient(t, f.other)
	chapterID := itoa(f.ch.ID)

	// Not logged in: no follow. Without the CSRF token: refused.
	anon := a.Client(t)
	anon.Get("/entwurf/wohnen")
	if r := anon.PostForm("/folgen", vals("kind", "chapter", "id", chapterID, "follow", "true")); r.Status != 401 {
		t.Fatalf("anonymous follow: status %d", r.Status)
	}
	if r := web.PostRaw("/folgen", "application/x-www-form-urlencoded", []byte("kind=chapter&id="+chapterID+"&follow=true")); r.Status != 403 && r.Status != 400 {
		t.Fatalf("follow without CSRF: status %d", r.Status)
	}
	// Unknown kinds and targets change nothing.
	if r := web.PostForm("/folgen", vals("kind", "umfrage", "id", "1", "follow", "true")); r.Status != 422 {
		t.Fatalf("unknown kind: status %d", r.Status)
	}
	// Surveys are a kind, but none can be followed until app/surveys shows them.
	if r := web.PostForm("/folgen", vals("kind", "survey", "id", "1", "follow", "true")); r.Status != 404 || following(t, a, other, app.FollowSurvey, 1) {
		t.Fatalf("survey follow: status %d", r.Status)
	}
	if r := web.PostForm("/folgen", vals("kind", "chapter", "id", "999999", "follow", "true")); r.Status != 404 {
		t.Fatalf("unknown chapter: status %d", r.Status)
	}
	if r := web.PostForm("/folgen", vals("kind", "ortsteil", "id", "99", "follow", "true")); r.Status != 404 {
		t.Fatalf("unknown Ortsteil: status %d", r.Status)
	}

	page := web.Get("/entwurf/wohnen")
	r := web.Submit(page, "form.follow-form", nil)
	if r.Status != 200 || !strings.Contains(r.Body, "Sie folgen jetzt diesem Inhalt") || r.Doc.Find(`form.follow-form input[name=follow][value=false]`).Length() != 1 {
		t.Fatalf("follow: status %d, the page does not show the follow", r.Status)
	}
	if r := web.PostForm("/folgen", vals("kind", "ortsteil", "id", "70", "follow", "true", "back", "//evil.example/")); r.Status != 200 || r.URL.Host != strings.TrimPrefix(a.URL, "http://") {
		t.Fatalf("follow an Ortsteil: status %d at %s", r.Status, r.URL)
	}

	// The mail comes at once for this kind.
	r = web.PostForm("/profil/benachrichtigungen", vals("mode_new_contribution", "gibt-es-nicht"))
	if r.Status != 422 || r.FieldError("mode_new_contribution") == "" {
		t.Fatalf("bad mode: status %d, error %q", r.Status, r.FieldError("mode_new_contribution"))
	}
	if prefs, _ := a.Store.NotifyPrefs(context.Background(), other); prefs[app.NotifyNewContribution] != app.MailDaily {
		t.Fatalf("a refused form changed the preference: %v", prefs)
	}
	form := url.Values{}
	for _, k := range app.NotifyKinds {
		form.Set("mode_"+k, app.DefaultMailMode(k))
	}
	form.Set("mode_new_contribution", "immediately")
	if r := web.PostForm("/profil/benachrichtigungen", form); r.Status != 200 || !strings.Contains(r.Body, "gespeichert") {
		t.Fatalf("save preferences: status %d", r.Status)
	}

	secret := "Geheimer Text des Beitrags über den Lindenauer Hafen"
	c := f.comment(t, f.cit, "p-2", secret)
	m := a.Mail.WaitFor("nachbar@example.org", "Neuigkeiten")
	if !strings.Contains(m.Text, c.PublicNumber()) || strings.Contains(m.Text, "Lindenauer Hafen") {
		t.Fatalf("immediate mail names %s and never the text:\n%s", c.PublicNumber(), m.Text)
	}
	lu := mailHeader(t, m, "List-Unsubscribe")
	if !strings.HasPrefix(lu, "<"+a.URL+"/benachrichtigungen/abmelden?t=") || !strings.HasSuffix(lu, ">") {
		t.Fatalf("List-Unsubscribe = %q", lu)
	}
	if p := mailHeader(t, m, "List-Unsubscribe-Post"); p != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe-Post = %q", p)
	}
	// The author follows the own contribution and is not told about it.
	if !following(t, a, f.cit.ID, app.FollowContribution, c.ID) {
		t.Fatal("the author does not follow the own contribution")
	}
	if n, _ := a.Store.UnreadNotifications(context.Background(), f.cit.ID); n != 0 {
		t.Fatalf("the author got %d notifications about the own contribution", n)
	}

	list := web.Get("/benachrichtigungen")
	if list.Status != 200 || list.Doc.Find(`.notification-unread a[href="/beitraege/`+c.PublicNumber()+`"]`).Length() != 1 {
		t.Fatalf("list: status %d\n%s", list.Status, list.Body)
	}
	if got := list.Doc.Find(`.user-nav a[href="/benachrichtigungen"] .badge-count`).Text(); got != "1 ungelesen" {
		t.Fatalf("header unread count %q", got)
	}
	// Another person cannot mark it read.
	var ids []int64
	a.Store.Gorm().Table("notifications").Where("user_id = ?", other).Pluck("id", &ids)
	cit := a.SessionClient(t, f.cit)
	cit.Get("/benachrichtigungen")
	if r := cit.PostForm("/benachrichtigungen/"+itoa(ids[0])+"/gelesen", nil); r.Status != 404 {
		t.Fatalf("someone else's notification: status %d", r.Status)
	}
	r = web.Submit(list, `form[action="/benachrichtigungen/`+itoa(ids[0])+`/gelesen"]`, nil)
	if r.Status != 200 || r.Doc.Find(".notification-unread").Length() != 0 || r.Doc.Find(".badge-count").Length() != 0 {
		t.Fatalf("mark read: status %d", r.Status)
	}

	// One click: GET only asks, POST (as a mail program sends it, without
	// cookies or CSRF token) unsubscribes.
	link := strings.TrimPrefix(strings.Trim(lu, "<>"), a.URL)
	mailer := a.Client(t)
	if r := mailer.Get(link); r.Status != 200 || r.Doc.Find(`form[action="/benachrichtigungen/abmelden"] button`).Length() != 1 {
		t.Fatalf("unsubscribe page: status %d", r.Status)
	}
	if prefs, _ := a.Store.NotifyPrefs(context.Background(), other); prefs[app.NotifyNewContribution] != app.MailImmediately {
		t.Fatal("GET changed the preference")
	}
	if r := mailer.PostRaw(link, "application/x-www-form-urlencoded", []byte("List-Unsubscribe=One-Click")); r.Status != 200 {
		t.Fatalf("one-click unsubscribe: status %d", r.Status)
	}
	prefs, _ := a.Store.NotifyPrefs(context.Background(), other)
	if prefs[app.NotifyNewContribution] != app.MailNever || prefs[app.NotifyReply] != app.MailImmediately {
		t.Fatalf("after unsubscribe: %v", prefs)
	}
	if r := mailer.PostRaw(link+"x", "application/x-www-form-urlencoded", []byte("List-Unsubscribe=One-Click")); r.Status != 404 {
		t.Fatalf("forged token: status %d", r.Status)
	}
	// Listed, but no longer mailed.
	c2 := f.comment(t, f.cit, "p-3", "Noch ein Beitrag zum Wohnen im Quartier")
	if n := outboxCount(t, a, "notify", other); n != 1 {
		t.Fatalf("%d notification mails after unsubscribing, want 1", n)
	}
	if n, _ := a.Store.UnreadNotifications(context.Background(), other); n != 1 {
		t.Fatalf("unread %d, want 1 (%s)", n, c2.PublicNumber())
	}
	// Hidden content takes its notifications with it.
	if _, err := a.Platform.Draft.Moderate(context.Background(), f.mod, c2.ID, app.ModerationInput{Action: app.ActionHide, Reason: app.ReasonOffTopic}); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.Store.UnreadNotifications(context.Background(), other); n != 0 {
		t.Fatalf("a hidden contribution is still notified (%d)", n)
	}
	// Unfollow.
	page = web.Get("/entwurf/wohnen")
	if r := web.Submit(page, "form.follow-form", nil); r.Status != 200 || following(t, a, other, app.FollowChapter, f.ch.ID) {
		t.Fatalf("unfollow: status %d", r.Status)
	}
}

func following(t *testing.T, a *testenv.App, userID int64, kind string, id int64) bool {
	t.Helper()
	list, err := a.Store.FollowsOf(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.TargetKind == kind && f.TargetID == id {
			return true
		}
	}
	return false
}

// TestNotifyDigestOnce: two instances on one database build the daily
// digest at the same moment; each recipient gets exactly one. SMTP is down
// when it is queued: further runs do not build it again, and once SMTP is
// back the one outbox entry is delivered once.
func TestNotifyDigestOnce(t *testing.T) {
	clock := testenv.NewClock(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	smtp := testenv.StartSMTP(t)
	f := newDraftFix(t, app.ModerationPost, testenv.WithClock(clock), testenv.WithMailServer(smtp))
	a := f.a
	b := testenv.StartApp(t, testenv.WithDatabase(a.DatabaseURL), testenv.WithClock(clock), testenv.WithMailServer(smtp))
	ctx := context.Background()
	for _, u := range []*app.User{f.other, f.mod} {
		if err := a.Store.Follow(ctx, u.ID, app.FollowChapter, f.ch.ID); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		f.comment(t, f.cit, "p-2", "Beitrag Nummer "+itoa(int64(i+1))+" zum Wohnen in Lindenau")
	}
	smtp.Stop()
	clock.Advance(24 * time.Hour)
	period := notify.ClosedPeriods(clock.Now())[0].Key

	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i, p := range []*notify.Service{a.Platform.Notify, b.Platform.Notify, a.Platform.Notify, b.Platform.Notify} {
		wg.Add(1)
		go func(i int, p *notify.Service) {
			defer wg.Done()
			n, err := p.RunDigests(ctx, clock.Now())
			if err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
			counts[i] = n
		}(i, p)
	}
	wg.Wait()
	if total := counts[0] + counts[1] + counts[2] + counts[3]; total != 2 {
		t.Fatalf("digests queued %v, want 2 in all", counts)
	}
	if n, _ := a.Store.DigestCount(ctx, period); n != 2 {
		t.Fatalf("%d digest rows for %s", n, period)
	}
	// SMTP is down: the worker fails; running the job again builds nothing.
	a.Platform.Worker.Wake()
	waitFor(t, "failed digest attempts", func() bool {
		var n int64
		a.Store.Gorm().Table("outbox").Where("kind = ? AND attempts > 0", "notify_digest").Count(&n)
		return n == 2
	})
	for _, p := range []*notify.Service{a.Platform.Notify, b.Platform.Notify} {
		if n, err := p.RunDigests(ctx, clock.Now()); err != nil || n != 0 {
			t.Fatalf("second run queued %d (%v)", n, err)
		}
	}
	if n := outboxCount(t, a, "notify_digest", f.other.ID); n != 1 {
		t.Fatalf("%d digest entries for one recipient", n)
	}
	smtp.Start()
	clock.Advance(time.Hour)
	a.Platform.Worker.Wake()
	b.Platform.Worker.Wake()
	m := smtp.WaitFor("nachbar@example.org", "Zusammenfassung")
	if !strings.Contains(m.Text, "3 Neuigkeiten") || mailHeader(t, m, "List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("digest:\n%s", m.Text)
	}
	smtp.WaitFor("moderation@example.org", "Zusammenfassung")
	time.Sleep(300 * time.Millisecond) // give a duplicate the chance to arrive
	if got := len(smtp.MailsTo("nachbar@example.org")); got != 1 {
		t.Fatalf("%d digests delivered, want 1", got)
	}
	// The stored copy no longer holds a working unsubscribe link.
	var headers string
	a.Store.Gorm().Table("outbox").Where("kind = ? AND user_id = ?", "notify_digest", f.other.ID).Pluck("headers", &headers)
	if strings.Contains(headers, "abmelden?t=") && !strings.Contains(headers, "[entfernt]") {
		t.Fatalf("stored headers keep the token: %s", headers)
	}
	// The digest's unsubscribe link stops the daily digest for its kinds.
	link := strings.TrimPrefix(m.Link(t, "/benachrichtigungen/abmelden"), a.URL)
	if r := a.Client(t).PostRaw(link, "application/x-www-form-urlencoded", []byte("List-Unsubscribe=One-Click")); r.Status != 200 {
		t.Fatalf("digest unsubscribe: status %d", r.Status)
	}
	if prefs, _ := a.Store.NotifyPrefs(ctx, f.other.ID); prefs[app.NotifyNewContribution] != app.MailNever || prefs[app.NotifyLabBoard] != app.MailNever || prefs[app.NotifyReply] != app.MailImmediately {
		t.Fatalf("after digest unsubscribe: %v", prefs)
	}
}
