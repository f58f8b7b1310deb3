package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestPageTitlesTellPagesApart loads two pages of every kind the review
// found sharing one title ("Karte", "Auslosung", "E-Mail", "Inhalt
// bearbeiten", the admin event pages, the paragraph comment form) about two
// different things, in German and English: the <title>s must differ and
// each page's h1 must be its title (before " – site name").
func TestPageTitlesTellPagesApart(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	admin := a.CreateUser(t, "titel-admin@example.org", "Titel Admin", app.RoleAdmin)
	citizen := a.CreateUser(t, "titel@example.org", "Titel Bürgerin", app.RoleCitizen)
	if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	named := func(title, alloc string) *app.Event {
		return createEvent(t, a, func(in *app.EventInput) { in.Title = title; in.Allocation = alloc })
	}
	sel1, sel2 := named("Stadtteilforum Grünau", string(app.AllocSelection)), named("Stadtteilforum Paunsdorf", string(app.AllocSelection))
	ev1, ev2 := named("Werkstatt Lindenau", string(app.AllocFirstCome)), named("Werkstatt Connewitz", string(app.AllocFirstCome))
	adm := func(ev *app.Event, sub string) string { return fmt.Sprintf("/admin/veranstaltungen/%d%s", ev.ID, sub) }

	f := newLabFixture(t, a, boardOpts{})
	f.addCard(t, f.Member, 0, "Mehr Bänke am Lindenauer Markt")
	f.addCard(t, f.Member, 0, "Radweg an der Karl-Heine-Straße verbreitern und sicherer machen, auch nachts")
	cards, err := a.Store.BoardCards(ctx, f.Board.ID)
	if err != nil || len(cards) < 2 {
		t.Fatalf("cards: %v %d", err, len(cards))
	}
	for _, u := range []*app.User{citizen, admin} {
		if err := a.Platform.Auth.RequestPasswordReset(ctx, u.EmailAddress()); err != nil {
			t.Fatal(err)
		}
	}
	msgs, _, err := a.Store.ListOutbox(ctx, storeOutboxAll)
	if err != nil || len(msgs) < 2 {
		t.Fatalf("outbox: %v %d", err, len(msgs))
	}

	pairs := []struct {
		kind   string
		as     *app.User
		p1, p2 string
	}{
		{"card page", f.Member, fmt.Sprintf("%s/karten/%d", f.path(), cards[0].ID), fmt.Sprintf("%s/karten/%d", f.path(), cards[1].ID)},
		{"admin draw", admin, adm(sel1, "/auslosung"), adm(sel2, "/auslosung")},
		{"admin quotas", admin, adm(sel1, "/quoten"), adm(sel2, "/quoten")},
		{"admin event edit", admin, adm(ev1, "/bearbeiten"), adm(ev2, "/bearbeiten")},
		{"admin event cancel", admin, adm(ev1, "/absagen"), adm(ev2, "/absagen")},
		{"admin event message", admin, adm(ev1, "/nachricht"), adm(ev2, "/nachricht")},
		{"outbox message", admin, "/admin/outbox/" + itoa(msgs[0].ID), "/admin/outbox/" + itoa(msgs[1].ID)},
		{"content edit", admin, "/admin/inhalte/1", "/admin/inhalte/2"},
		{"paragraph comment", citizen, "/entwurf/wohnen/kommentieren?absatz=p-4", "/entwurf/wohnen/kommentieren?absatz=p-5"},
	}
	for _, lang := range []string{"de", "en"} {
		for _, pc := range pairs {
			t.Run(pc.kind+"/"+lang, func(t *testing.T) {
				c := a.SessionClient(t, pc.as)
				var titles [2]string
				for i, p := range []string{pc.p1, pc.p2} {
					sep := "?"
					if strings.Contains(p, "?") {
						sep = "&"
					}
					res := c.Get(p + sep + "lang=" + lang)
					if res.Status != 200 || res.Doc == nil {
						t.Fatalf("GET %s: %d", p, res.Status)
					}
					title := strings.TrimSpace(res.Doc.Find("title").Text())
					name := title
					if i := strings.LastIndex(title, " – "); i >= 0 {
						name = title[:i]
					}
					h1 := strings.Join(strings.Fields(res.Doc.Find("main h1").First().Text()), " ")
					if h1 != name {
						t.Errorf("%s: h1 %q is not the title %q", p, h1, name)
					}
					titles[i] = title
				}
				if titles[0] == titles[1] {
					t.Errorf("%s and %s share the title %q", pc.p1, pc.p2, titles[0])
				}
			})
		}
	}
}
