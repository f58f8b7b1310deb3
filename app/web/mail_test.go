package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestOutboxSurvivesSMTPOutage: a mail queued while the SMTP server is down
// is neither lost nor sent twice once it is back.
func TestOutboxSurvivesSMTPOutage(t *testing.T) {
	a := testenv.StartApp(t)
	a.Mail.Stop()
	c := a.Client(t)
	c.Submit(c.Get("/passwort/vergessen"), "main form", url.Values{"email": {"x@example.org"}})
	u := a.CreateUser(t, "ausfall@example.org", "Ausfall", app.RoleCitizen)
	if err := a.Platform.Auth.RequestPasswordReset(context.Background(), u.EmailAddress()); err != nil {
		t.Fatal(err)
	}
	// The worker tries and fails; the mail waits with a back-off.
	waitFor(t, "a failed attempt", func() bool {
		m := onlyMail(t, a)
		return m.Attempts >= 1 && m.LastError != ""
	})
	if m := onlyMail(t, a); m.Status != app.MailPending {
		t.Fatalf("after a failed attempt the mail is %s", m.Status)
	}
	// Still down at the next attempt.
	a.Clock.Advance(time.Minute)
	a.Platform.Worker.Wake()
	waitFor(t, "a second failed attempt", func() bool { return onlyMail(t, a).Attempts >= 2 })

	a.Mail.Start()
	a.Clock.Advance(5 * time.Minute)
	a.Platform.Worker.Wake()
	a.Mail.WaitFor("ausfall@example.org", "Passwort zurücksetzen")
	waitFor(t, "the mail marked sent", func() bool { return onlyMail(t, a).Status == app.MailSent })
	// More passes and more time: nothing is sent again.
	for i := 0; i < 3; i++ {
		a.Clock.Advance(time.Hour)
		if _, err := a.Platform.Worker.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(a.Mail.MailsTo("ausfall@example.org")); got != 1 {
		t.Fatalf("%d copies delivered", got)
	}
}

func onlyMail(t *testing.T, a *testenv.App) app.OutboxMessage {
	t.Helper()
	msgs, _, err := a.Store.ListOutbox(context.Background(), store.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.ToAddr == "ausfall@example.org" {
			return m
		}
	}
	t.Fatal("the mail is not in the outbox")
	return app.OutboxMessage{}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestMailsWithoutSMTPStayInOutbox: without SMTP (make run) admins read the
// mails at /admin/outbox.
func TestMailsWithoutSMTPStayInOutbox(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	admin := a.CreateUser(t, "admin@example.org", "Admin", app.RoleAdmin)
	c := a.Client(t)
	c.Submit(c.Get("/registrieren"), "main form[action='/registrieren']", url.Values{
		"email": {"ohne-smtp@example.org"}, "display_name": {"Ohne SMTP"}, "password": {"ein langes Passwort"}, "privacy_consent": {"true"},
	})
	ac := a.SessionClient(t, admin)
	var link string
	waitFor(t, "the mail in the outbox", func() bool {
		list := ac.Get("/admin/outbox?status=logged")
		link, _ = list.Doc.Find("td a[href^='/admin/outbox/']").First().Attr("href")
		return link != ""
	})
	msg := ac.Get(link)
	if !strings.Contains(msg.Text(), "ohne-smtp@example.org") || !strings.Contains(msg.Text(), "/konto/bestaetigen?token=") {
		t.Fatalf("outbox message page: %s", msg.Text())
	}
}

// TestPasswordResetFlow: request (the same answer for unknown addresses),
// mail, new password, all sessions ended, old password refused.
func TestPasswordResetFlow(t *testing.T) {
	a := testenv.StartApp(t)
	u := a.CreateUser(t, "vergesslich@example.org", "Vergesslich", app.RoleCitizen)
	other := a.SessionClient(t, u) // another device
	c := a.Client(t)
	for _, email := range []string{"vergesslich@example.org", "unbekannt@example.org"} {
		res := c.Submit(c.Get("/passwort/vergessen"), "main form", url.Values{"email": {email}})
		if res.URL.Path != "/passwort/vergessen/gesendet" {
			t.Fatalf("%s: %s", email, res.URL.Path)
		}
	}
	mail := a.Mail.WaitFor("vergesslich@example.org", "Passwort zurücksetzen")
	link := strings.TrimPrefix(mail.Link(t, "/passwort/neu"), a.URL)
	form := c.Get(link)
	res := c.Submit(form, "main form", url.Values{"password": {"kurz"}})
	if res.Status != 422 || !strings.Contains(res.FieldError("password"), "mindestens 10 Zeichen") {
		t.Fatalf("short password: %d %q", res.Status, res.FieldError("password"))
	}
	res = c.Submit(form, "main form", url.Values{"password": {"ein ganz neues Passwort"}})
	if res.URL.Path != "/anmelden" || !strings.Contains(res.Text(), "geändert") {
		t.Fatalf("reset: %s %s", res.URL.Path, res.Text())
	}
	if prof := other.NoRedirects().Get("/profil"); prof.Status != 303 {
		t.Fatalf("the other device is still logged in: %d", prof.Status)
	}
	if res := a.Client(t).Login(u.EmailAddress(), testenv.DefaultPassword); res.Status != 422 {
		t.Fatalf("old password still works: %d", res.Status)
	}
	if res := a.Client(t).Login(u.EmailAddress(), "ein ganz neues Passwort"); !strings.Contains(res.Text(), "angemeldet") {
		t.Fatalf("new password: %s", res.Text())
	}
	if res := c.Submit(form, "main form", url.Values{"password": {"noch ein neues Passwort"}}); res.Status != 404 {
		t.Fatalf("reset link used twice: %d", res.Status)
	}
	a.Mail.WaitFor("vergesslich@example.org", "Passwort wurde geändert")
}

// TestEmailChangeNeedsConfirmation.
func TestEmailChangeNeedsConfirmation(t *testing.T) {
	a := testenv.StartApp(t)
	u := a.CreateUser(t, "alt@example.org", "Umzug", app.RoleCitizen)
	c := a.SessionClient(t, u)
	page := c.Get("/profil/email")
	res := c.Submit(page, "main form", url.Values{"new_email": {"neu@example.org"}, "password": {"falsch falsch falsch"}})
	if res.Status != 422 || res.FieldError("password") == "" {
		t.Fatalf("wrong password accepted: %d", res.Status)
	}
	res = c.Submit(page, "main form", url.Values{"new_email": {"neu@example.org"}, "password": {testenv.DefaultPassword}})
	if !strings.Contains(res.Text(), "neue Adresse") {
		t.Fatalf("request: %s", res.Text())
	}
	a.Mail.WaitFor("alt@example.org", "Änderung Ihrer E-Mail-Adresse")
	if got, _ := a.Store.UserByID(context.Background(), u.ID); got.EmailAddress() != "alt@example.org" {
		t.Fatal("the address changed before confirmation")
	}
	link := a.Mail.WaitFor("neu@example.org", "neue E-Mail-Adresse").Link(t, "/konto/email-bestaetigen")
	if res := c.Get(strings.TrimPrefix(link, a.URL)); !strings.Contains(res.Text(), "bestätigt und gespeichert") {
		t.Fatalf("confirm: %s", res.Text())
	}
	if got, _ := a.Store.UserByID(context.Background(), u.ID); got.EmailAddress() != "neu@example.org" {
		t.Fatalf("address after confirmation: %s", got.EmailAddress())
	}
}

// TestFeedbackReachesAdmins: the accessibility statement's form mails every admin.
func TestFeedbackReachesAdmins(t *testing.T) {
	a := testenv.StartApp(t)
	a.CreateUser(t, "ag-insek@example.org", "AG INSEK Admin", app.RoleAdmin)
	c := a.Client(t)
	page := c.Get("/barrierefreiheit")
	res := c.Submit(page, "main form[action='/rueckmeldung']", url.Values{"message": {""}})
	if res.Status != 422 || res.FieldError("message") == "" {
		t.Fatalf("empty feedback: %d %q", res.Status, res.FieldError("message"))
	}
	res = c.Submit(page, "main form[action='/rueckmeldung']", url.Values{"message": {"Der Kontrast der Buttons ist zu gering."}, "page_url": {"/entwurf"}})
	if res.URL.Path != "/kontakt/danke" {
		t.Fatalf("feedback: %s %s", res.URL.Path, res.Text())
	}
	a.Mail.WaitFor("ag-insek@example.org", "Neue Rückmeldung")
	items, _, _ := a.Store.ListFeedback(context.Background(), 1)
	if len(items) != 1 || items[0].Kind != app.FeedbackAccessibility || items[0].PageURL != "/entwurf" {
		t.Fatalf("stored feedback: %+v", items)
	}
}
