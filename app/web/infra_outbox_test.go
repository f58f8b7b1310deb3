package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

var resetLink = regexp.MustCompile(`https?://\S*/passwort/neu\?token=\S+`)

// outboxMailTo finds the outbox entry of the latest mail to addr.
func outboxMailTo(t *testing.T, a *testenv.App, addr string) app.OutboxMessage {
	t.Helper()
	msgs, _, err := a.Store.ListOutbox(context.Background(), store.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.ToAddr == addr {
			return m
		}
	}
	t.Fatalf("no mail to %s in the outbox", addr)
	return app.OutboxMessage{}
}

// TestDeliveredMailsKeepNoWorkingLinks: once a password-reset mail is
// delivered, what an admin reads in /admin/outbox holds no link that works;
// the citizen's own link does. Reading a mail's body is audited.
func TestDeliveredMailsKeepNoWorkingLinks(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	citizen := a.CreateUser(t, "buergerin@example.org", "Bürgerin", app.RoleCitizen)
	admin := a.CreateUser(t, "admin@example.org", "Admin", app.RoleAdmin)
	c := a.Client(t)
	c.Submit(c.Get("/passwort/vergessen"), "main form", url.Values{"email": {"buergerin@example.org"}})
	delivered := a.Mail.WaitFor("buergerin@example.org", "Passwort zurücksetzen")
	own := delivered.Link(t, "/passwort/neu")
	waitFor(t, "the mail marked sent", func() bool { return outboxMailTo(t, a, "buergerin@example.org").Status == app.MailSent })
	m := outboxMailTo(t, a, "buergerin@example.org")

	token := own[strings.Index(own, "token=")+6:]
	stored, err := a.Store.OutboxMessage(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored.BodyText, token) || strings.Contains(stored.BodyHTML, token) {
		t.Fatal("the delivered mail's token is still stored in the outbox")
	}

	ac := a.SessionClient(t, admin)
	page := ac.Get("/admin/outbox/" + itoa(m.ID))
	if page.Status != http.StatusOK || strings.Contains(page.Body, token) {
		t.Fatalf("outbox page %d shows the token", page.Status)
	}
	// Whatever looks like a link on the page does not reset the password.
	before, _ := a.Store.UserByID(ctx, citizen.ID)
	for _, link := range resetLink.FindAllString(page.Text(), -1) {
		attacker := a.Client(t)
		form := attacker.Get(strings.TrimPrefix(link, a.URL))
		if form.Doc != nil && form.Doc.Find("main form").Length() > 0 {
			attacker.Submit(form, "main form", url.Values{"password": {"vom Admin gesetzt 123"}})
		}
	}
	after, _ := a.Store.UserByID(ctx, citizen.ID)
	if *after.PasswordHash != *before.PasswordHash {
		t.Fatal("a link read in the outbox reset the citizen's password")
	}
	if ok, _ := auth.CheckPassword(*after.PasswordHash, "vom Admin gesetzt 123"); ok {
		t.Fatal("the admin's password works")
	}
	// The reading is in the audit log.
	entries, _, err := a.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditMailView, ObjectID: itoa(m.ID), PerPage: 10, Page: 1})
	if err != nil || len(entries) != 1 || entries[0].ActorID == nil || *entries[0].ActorID != admin.ID {
		t.Fatalf("audit of the view: %+v %v", entries, err)
	}

	// The citizen's own link still works.
	form := c.Get(strings.TrimPrefix(own, a.URL))
	res := c.Submit(form, "main form", url.Values{"password": {"ein ganz neues Passwort"}})
	if res.URL.Path != "/anmelden" || !strings.Contains(res.Text(), "geändert") {
		t.Fatalf("the delivered link: %s %s", res.URL.Path, res.Text())
	}
}

// TestQueuedMailBodyHidesLinks: while a mail waits for delivery (SMTP down),
// an admin reading it sees no token either, and the reading is audited.
func TestQueuedMailBodyHidesLinks(t *testing.T) {
	a := testenv.StartApp(t)
	a.Mail.Stop()
	ctx := context.Background()
	a.CreateUser(t, "wartend@example.org", "Wartend", app.RoleCitizen)
	admin := a.CreateUser(t, "admin@example.org", "Admin", app.RoleAdmin)
	if err := a.Platform.Auth.RequestPasswordReset(ctx, "wartend@example.org"); err != nil {
		t.Fatal(err)
	}
	m := outboxMailTo(t, a, "wartend@example.org")
	stored, err := a.Store.OutboxMessage(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	link := resetLink.FindString(stored.BodyText)
	if link == "" {
		t.Fatalf("the queued mail has no link to deliver:\n%s", stored.BodyText)
	}
	token := link[strings.Index(link, "token=")+6:]
	page := a.SessionClient(t, admin).Get("/admin/outbox/" + itoa(m.ID))
	if page.Status != http.StatusOK || strings.Contains(page.Body, token) {
		t.Fatalf("the queued mail's page shows its token (%d)", page.Status)
	}
	if !strings.Contains(page.Text(), "ausgeblendet") {
		t.Fatalf("the page does not say that the link is hidden: %s", page.Text())
	}
	entries, _, _ := a.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditMailView, ObjectID: itoa(m.ID), PerPage: 10, Page: 1})
	if len(entries) != 1 {
		t.Fatalf("%d audit entries for the view", len(entries))
	}
}
