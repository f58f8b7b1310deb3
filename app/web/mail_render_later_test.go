package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// registerOverAPI registers each person for ev as the rush does.
func registerOverAPI(t *testing.T, a *testenv.App, ev *app.Event, people []rushUser) {
	t.Helper()
	api := newAPIClient(1)
	for _, p := range people {
		if st, body, err := api.do(http.MethodPost, a.URL+"/api/v1/events/"+itoa(ev.ID)+"/registrations", p.Token, map[string]any{}); err != nil || st != http.StatusCreated {
			t.Fatalf("register: %d %s %v", st, body, err)
		}
	}
}

// TestRegistrationMailsRenderedByWorker: a registration queues its mail
// without rendering it; the worker renders it, sends it with the right
// status, position and working links, and the stored copy is the sent mail
// without those links, as for every delivered mail.
func TestRegistrationMailsRenderedByWorker(t *testing.T) {
	a := testenv.StartApp(t)
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	people := createRushUsers(t, a.Store, 2, "Spaet")
	registerOverAPI(t, a, ev, people)

	confirmed := a.Mail.WaitFor("Spaet-0@example.org", "Anmeldung bestätigt")
	waiting := a.Mail.WaitFor("Spaet-1@example.org", "Warteliste")
	if !strings.Contains(confirmed.Text, ev.Title) || len(confirmed.Attachments) != 2 {
		t.Fatalf("confirmation mail without the event or its calendar entry and QR code (%d attachments):\n%s", len(confirmed.Attachments), confirmed.Text)
	}
	if !strings.Contains(waiting.Text, "Platz 1 der Warteliste") {
		t.Fatalf("waiting-list mail without its position:\n%s", waiting.Text)
	}
	cancel := waiting.Link(t, "/anmeldung/stornieren")
	token := cancel[strings.Index(cancel, "t=")+2:]

	waitFor(t, "the mails marked sent", func() bool {
		return outboxMailTo(t, a, "Spaet-1@example.org").Status == app.MailSent && outboxMailTo(t, a, "Spaet-0@example.org").Status == app.MailSent
	})
	stored, err := a.Store.OutboxMessage(context.Background(), outboxMailTo(t, a, "Spaet-1@example.org").ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stored.BodyText, "Platz 1 der Warteliste") || stored.RenderData != "" {
		t.Fatalf("the stored copy is not the sent mail:\n%s", stored.BodyText)
	}
	if strings.Contains(stored.BodyText, token) || strings.Contains(stored.BodyHTML, token) {
		t.Fatal("the delivered mail's cancel link still works from the outbox")
	}
	c := a.Client(t)
	if page := c.Get(mailPath(a, cancel)); page.Status != http.StatusOK {
		t.Fatalf("the delivered cancel link does not work for its recipient: %d", page.Status)
	}
}

// TestUnrenderedMailReadableInOutbox: without SMTP an admin reads a
// registration mail at /admin/outbox although nobody rendered it yet; its
// links stay hidden until the outbox is its delivery, and reading it
// stores nothing.
func TestUnrenderedMailReadableInOutbox(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	admin := a.CreateUser(t, "admin@example.org", "Admin", app.RoleAdmin)
	ev := createEvent(t, a)
	people := createRushUsers(t, a.Store, 1, "Ohne")
	registerOverAPI(t, a, ev, people)

	m := outboxMailTo(t, a, "Ohne-0@example.org")
	if m.RenderData == "" || m.BodyText != "" {
		t.Fatalf("the registration rendered its mail in the request: %q", m.BodyText)
	}
	waitFor(t, "the mail kept in the outbox", func() bool { return outboxMailTo(t, a, "Ohne-0@example.org").Status == app.MailLogged })
	page := a.SessionClient(t, admin).Get("/admin/outbox/" + itoa(m.ID))
	text := page.Doc.Find("pre.mail-text").Text()
	if !strings.Contains(text, "ist bestätigt") || !strings.Contains(text, ev.Title) || !strings.Contains(text, "/anmeldung/stornieren?t=") {
		t.Fatalf("the outbox shows no readable mail:\n%s", page.Text())
	}
	if again := outboxMailTo(t, a, "Ohne-0@example.org"); again.RenderData == "" || again.BodyText != "" {
		t.Fatal("reading the mail changed the stored copy")
	}
}
