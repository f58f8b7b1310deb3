package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// a11yBoard makes a lab with a board of cards in which viewer is host or
// member, in the given phase.
func a11yBoard(t *testing.T, a *testenv.App, viewer *app.User, host bool, phase string) *labFixture {
	f := newLabFixture(t, a, boardOpts{hideVotes: false})
	role := app.LabRoleMember
	if host {
		role = app.LabRoleHost
	}
	if err := a.Store.AddLabMember(context.Background(), f.Lab.ID, viewer.ID, role); err != nil {
		t.Fatal(err)
	}
	f.addCard(t, f.Member, 0, "Fernwärme aus Abwärme der Rechenzentren nutzen")
	f.addCard(t, f.Member, 0, "Solarpflicht für städtische Dächer")
	f.addCard(t, viewer, 1, "Wie bleibt die Wärmewende bezahlbar?")
	f.addCard(t, f.Host, 2, "Workshop mit den Stadtwerken")
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	f.apply(t, f.Host, true, labs.Op{Type: labs.OpCardHide, CardID: cards[len(cards)-1].ID, Hidden: boolp(true)})
	if phase != app.PhaseCollect {
		f.setPhase(t, phase)
	}
	if phase == app.PhaseVote {
		f.apply(t, viewer, host, labs.Op{Type: labs.OpVoteAdd, CardID: cards[0].ID})
	}
	return f
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "labs index", path: "/labs"},
		a11yPage{name: "lab propose", as: app.RoleCitizen, path: "/labs/neu"},
		a11yPage{name: "lab propose with errors", as: app.RoleCitizen, path: "/labs/neu", submit: "main form[action='/labs'] button[type=submit]"},
		a11yPage{name: "my labs", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			a11yBoard(t, a, u, false, app.PhaseCollect)
			return "/profil/labs"
		}},
		a11yPage{name: "lab page", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			f := a11yBoard(t, a, u, true, app.PhaseCollect)
			return fmt.Sprintf("/labs/%d", f.Lab.ID)
		}},
		a11yPage{name: "lab members and invitations", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			f := a11yBoard(t, a, u, true, app.PhaseCollect)
			return fmt.Sprintf("/labs/%d/mitglieder", f.Lab.ID)
		}},
		a11yPage{name: "lab invitation", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			f := newLabFixture(t, a, boardOpts{closed: true})
			return a.Platform.Labs.InviteLink(f.Lab)
		}},
		a11yPage{name: "board new with errors", as: app.RoleCitizen, submit: "main form button[type=submit]", prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			f := a11yBoard(t, a, u, true, app.PhaseCollect)
			return fmt.Sprintf("/labs/%d/boards/neu", f.Lab.ID)
		}},
		a11yPage{name: "board as host (collect)", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			return a11yBoard(t, a, u, true, app.PhaseCollect).path()
		}},
		a11yPage{name: "board as member (vote)", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			return a11yBoard(t, a, u, false, app.PhaseVote).path()
		}},
		a11yPage{name: "board logged out", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			f := newLabFixture(t, a, boardOpts{})
			f.addCard(t, f.Member, 0, "Öffentliche Karte")
			return f.path()
		}},
		a11yPage{name: "card page", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			f := a11yBoard(t, a, u, false, app.PhaseCollect)
			cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
			for _, c := range cards {
				if c.AuthorID == u.ID {
					return fmt.Sprintf("%s/karten/%d", f.path(), c.ID)
				}
			}
			t.Fatal("no card of the viewer")
			return ""
		}},
		a11yPage{name: "hand-over", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			return a11yBoard(t, a, u, true, app.PhaseDiscuss).path() + "/uebergabe"
		}},
		a11yPage{name: "admin lab proposals", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			p := a.CreateUser(t, "vorschlag@example.org", "Vorschlagende", app.RoleCitizen)
			if _, err := a.Platform.Labs.Propose(context.Background(), p, app.LabInput{Title: "Leipzig als Bürgerstadt", Theme: "Teilhabe", Description: "Ideen", Open: true}); err != nil {
				t.Fatal(err)
			}
			return "/admin/labs"
		}},
	)
}

// boardTab opens a board in Chromium as u and waits for the live connection.
// The tab has room for a long test on a busy machine.
func boardTab(t *testing.T, b *testenv.Browser, a *testenv.App, u *app.User, path string) context.Context {
	t.Helper()
	tab := b.Tab(t)
	testenv.LoginAs(t, tab, a, u)
	ctx, cancel := context.WithTimeout(tab, 4*time.Minute)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+path), chromedp.WaitVisible("#board-live.is-online")); err != nil {
		t.Fatalf("open board: %v", err)
	}
	return ctx
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// waitJS polls a JavaScript condition in the page.
func waitJS(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("page never fulfilled %s (err %v)", js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBoardLiveInTwoBrowsers: a card added in one Chromium page appears in
// the other, and screen readers there hear about it politely.
func TestBoardLiveInTwoBrowsers(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	b := testenv.StartBrowser(t)
	host := boardTab(t, b, a, f.Host, f.path())
	member := boardTab(t, b, a, f.Member, f.path())
	text := "<b>Quartiersspeicher</b> in Grünau"
	if err := chromedp.Do(member, chromedp.SendKeys("#f-text", text), chromedp.Click("#add-card-form button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, host, `Array.from(document.querySelectorAll('.card-text')).some(e => e.textContent === "<b>Quartiersspeicher</b> in Grünau")`)
	if n := evalString(t, host, `String(document.querySelectorAll('.card-text b').length)`); n != "0" {
		t.Fatal("card text was rendered as HTML")
	}
	waitJS(t, host, `document.getElementById('board-announcer').textContent.includes('Neue Karte: <b>Quartiersspeicher</b>')`)
	// The author's own page cleared the form and shows the card once.
	waitJS(t, member, `document.querySelectorAll('.board-card').length === 1 && document.getElementById('f-text').value === ''`)
	// The author hears that their card was added (issue 12, item 3), not
	// that someone else added a new card.
	waitJS(t, member, `document.getElementById('board-announcer').textContent.includes('Ihre Karte wurde hinzugefügt: <b>Quartiersspeicher</b> in Grünau')`)
	if got := evalString(t, member, `document.getElementById('board-announcer').textContent`); strings.Contains(got, "Neue Karte") {
		t.Fatalf("the author was told about their own card as someone else's: %q", got)
	}
	// Another person's edit is announced too, the author's own is not.
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	edited := "Quartiersspeicher in Grünau und Paunsdorf"
	f.apply(t, f.Member, false, labs.Op{Type: labs.OpCardUpdate, CardID: cards[0].ID, Version: cards[0].Version, Text: &edited})
	waitJS(t, host, `document.getElementById('board-announcer').textContent.includes('Karte geändert: Quartiersspeicher in Grünau und Paunsdorf')`)
	// Presence shows both people.
	waitJS(t, host, `document.getElementById('board-presence-list').textContent.includes('Mitglied Eins')`)
}

// TestBoardByKeyboard: arrow keys move the focus between cards; the move
// menu moves a card to another column, and the focus stays on it.
func TestBoardByKeyboard(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	f.addCard(t, f.Member, 0, "Erste Karte")
	f.addCard(t, f.Member, 0, "Zweite Karte")
	f.addCard(t, f.Member, 1, "Dritte Karte")
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	ctx := boardTab(t, testenv.StartBrowser(t), a, f.Member, f.path())
	focused := `(document.activeElement.querySelector('.card-text')||{}).textContent || document.activeElement.textContent`
	testenv.TabTo(t, ctx, ".card-body", 40)
	steps := []struct{ key, want string }{{kb.ArrowDown, "Zweite Karte"}, {kb.ArrowRight, "Dritte Karte"}, {kb.ArrowLeft, "Erste Karte"}}
	for _, s := range steps {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(s.key)); err != nil {
			t.Fatal(err)
		}
		if got := evalString(t, ctx, focused); got != s.want {
			t.Fatalf("after key %q focus is on %q, want %q", s.key, got, s.want)
		}
	}
	// Tab reaches the card's "Verschieben" button; Enter opens the menu.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.activeElement.getAttribute('aria-haspopup') + '|' + document.activeElement.textContent`); got != "menu|Verschieben" {
		t.Fatalf("after Tab: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.activeElement.getAttribute('role') + '|' + document.activeElement.textContent`); got != "menuitem|Nach unten" {
		t.Fatalf("menu opened with focus on %q", got)
	}
	// ArrowDown to "Nach „Fragen“", Enter.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.activeElement.textContent`); got != "Nach „Fragen“" {
		t.Fatalf("menu item %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, fmt.Sprintf(`!!document.querySelector('.card-list[data-column="%d"] .board-card[data-card="%d"]')`, f.Cols[1].ID, cards[0].ID))
	waitJS(t, ctx, `document.activeElement.classList.contains('card-body') && document.activeElement.textContent.includes('Erste Karte')`)
	waitFor(t, "the move to be stored", func() bool {
		c, _ := a.Store.CardByID(context.Background(), f.Board.ID, cards[0].ID)
		return c.ColumnID == f.Cols[1].ID
	})
	// Escape closes the menu and returns to its button.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.activeElement.getAttribute('aria-expanded') + '|' + String(document.querySelectorAll('.move-menu').length)`); got != "false|0" {
		t.Fatalf("after Escape: %q", got)
	}
	testenv.ReportAxe(t, ctx, "board after keyboard use")
}
