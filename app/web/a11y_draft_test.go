package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// demoOnce seeds the demo draft into the scanned app (idempotent).
func demoPath(path string) func(t *testing.T, a *testenv.App, _ *app.User) string {
	return func(t *testing.T, a *testenv.App, _ *app.User) string {
		t.Helper()
		if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// ownContribution seeds the demo and gives the viewer a published comment
// of their own; path gets its number.
func ownContribution(path string) func(t *testing.T, a *testenv.App, u *app.User) string {
	return func(t *testing.T, a *testenv.App, u *app.User) string {
		t.Helper()
		demoPath("")(t, a, u)
		ctx := context.Background()
		ch, err := a.Store.ChapterBySlug(ctx, "wohnen")
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.Platform.Draft.Comment(ctx, u, ch.ID, draft.CommentInput{Body: "Mein Beitrag für die Prüfung " + u.DisplayName + " " + a.Store.Now().String(), Paragraph: "p-2"})
		if err != nil {
			t.Fatal(err)
		}
		mod, err := a.Store.UserByEmail(ctx, seed.DemoModeratorEmail)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Platform.Draft.Moderate(ctx, mod, c.ID, app.ModerationInput{Action: app.ActionApprove}); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf(path, c.PublicNumber())
	}
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "draft index", prepare: demoPath("/entwurf")},
		a11yPage{name: "draft chapter", as: app.RoleCitizen, prepare: demoPath("/entwurf/wohnen")},
		a11yPage{name: "draft chapter logged out english", prepare: demoPath("/entwurf/mobilitaet?lang=en")},
		a11yPage{name: "draft chapter with a wide table", prepare: demoPath("/entwurf/schwerpunktgebiete")},
		a11yPage{name: "draft chapter filtered by paragraph", prepare: demoPath("/entwurf/wohnen?absatz=p-2&sortierung=zustimmung")},
		a11yPage{name: "draft chapter comment errors", as: app.RoleCitizen, prepare: demoPath("/entwurf/wohnen"), submit: "form#kommentar-formular button[type=submit]"},
		a11yPage{name: "draft paragraph comment form", as: app.RoleCitizen, prepare: demoPath("/entwurf/wohnen/kommentieren?absatz=p-4")},
		a11yPage{name: "draft paragraph comment errors", as: app.RoleCitizen, prepare: demoPath("/entwurf/wohnen/kommentieren?absatz=p-4"), submit: "form#kommentar-formular button[type=submit]"},
		a11yPage{name: "draft contribution", as: app.RoleCitizen, prepare: demoPath("/beitraege/A-0001")},
		a11yPage{name: "draft contribution reply errors", as: app.RoleCitizen, prepare: demoPath("/beitraege/A-0001"), submit: "form[action='/beitraege/A-0001/antworten'] button[type=submit]"},
		a11yPage{name: "draft report", as: app.RoleCitizen, prepare: demoPath("/beitraege/A-0004/melden")},
		a11yPage{name: "draft report errors", as: app.RoleCitizen, prepare: demoPath("/beitraege/A-0004/melden"), submit: "main form button[type=submit]"},
		a11yPage{name: "draft edit own", as: app.RoleCitizen, prepare: ownContribution("/beitraege/%s/bearbeiten")},
		a11yPage{name: "draft withdraw own", as: app.RoleCitizen, prepare: ownContribution("/beitraege/%s/zurueckziehen")},
		a11yPage{name: "draft my contributions", as: app.RoleCitizen, prepare: ownContribution("/profil/beitraege#%s")},
		a11yPage{name: "draft redline", prepare: demoPath("/entwurf/mobilitaet/fassungen")},
		a11yPage{name: "draft results", prepare: demoPath("/entwurf/wohnen/ergebnisse")},
		a11yPage{name: "moderation queue", as: app.RoleModerator, prepare: demoPath("/admin/moderation?status=all")},
		a11yPage{name: "moderation queue bulk errors", as: app.RoleModerator, prepare: demoPath("/admin/moderation?status=all"), submit: "form.bulk-form button[type=submit]"},
		a11yPage{name: "moderation detail", as: app.RoleModerator, prepare: demoPath("/admin/moderation/A-0001")},
		a11yPage{name: "moderation detail errors", as: app.RoleModerator, prepare: demoPath("/admin/moderation/A-0001"), submit: "form[action='/admin/moderation/A-0001/entscheidung'] button[type=submit]"},
		// The Abwägung's pages (queue, assessment, its errors) are scanned
		// in a11y_abwaegung_test.go; /admin/abwaegung redirects there.
		a11yPage{name: "moderation detail admin", as: app.RoleAdmin, prepare: demoPath("/admin/moderation/A-0009")},
		a11yPage{name: "moderation transcribe", as: app.RoleModerator, prepare: demoPath("/admin/moderation/erfassen")},
		a11yPage{name: "moderation transcribe errors", as: app.RoleModerator, prepare: demoPath("/admin/moderation/erfassen"), submit: "main form button[type=submit]"},
		a11yPage{name: "draft admin documents", as: app.RoleAdmin, prepare: demoPath("/admin/entwurf")},
		a11yPage{name: "draft admin documents errors", as: app.RoleAdmin, prepare: demoPath("/admin/entwurf"), submit: "main form button[type=submit]"},
		a11yPage{name: "draft admin document", as: app.RoleAdmin, prepare: demoPath("/admin/entwurf/1")},
		a11yPage{name: "draft admin chapter", as: app.RoleAdmin, prepare: demoPath("/admin/entwurf/kapitel/9")},
		a11yPage{name: "draft admin new chapter errors", as: app.RoleAdmin, prepare: demoPath("/admin/entwurf/1/kapitel/neu"), submit: "main form button[type=submit]"},
	)
}

// tabTo presses Tab until the focused element matches selector.
func tabTo(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	check := fmt.Sprintf(`document.activeElement && document.activeElement.matches(%q)`, selector)
	for i := 0; i < 150; i++ {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check)); err == nil && ok {
			return
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
	}
	active, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 200)`))
	t.Fatalf("Tab never reached %s (focus on %s)", selector, active)
}

func pressEnterAndWait(t *testing.T, ctx context.Context) {
	t.Helper()
	before, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`String(performance.timeOrigin)`))
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		time.Sleep(50 * time.Millisecond)
		now, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === 'complete' ? String(performance.timeOrigin) : ''`))
		if err == nil && now != "" && now != before {
			return
		}
	}
	t.Fatal("Enter did not load a new page")
}

// TestKeyboardOnlyCommentOnParagraph: with the keyboard alone a person goes
// from the paragraph to its comment form, meets the error summary, writes
// the comment and sends it.
func TestKeyboardOnlyCommentOnParagraph(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	tab := testenv.StartBrowser(t).Tab(t)
	testenv.LoginAs(t, tab, f.a, f.cit)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(f.a.URL+"/entwurf/wohnen")); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, "#p-3 a.block-comment")
	pressEnterAndWait(t, ctx)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/entwurf/wohnen/kommentieren?absatz=p-3") {
		t.Fatalf("Enter on kommentieren went to %s", loc)
	}
	// Sending the empty form puts focus on the error summary.
	tabTo(t, ctx, "form#kommentar-formular button[type=submit]")
	pressEnterAndWait(t, ctx)
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.id === 'error-summary'`)); !ok {
		t.Error("focus is not on the error summary after a failed send")
	}
	tabTo(t, ctx, "#f-body")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("Per Tastatur geschrieben: mehr Sitzbänke.")); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, "form#kommentar-formular button[type=submit]")
	pressEnterAndWait(t, ctx)
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Ihr Beitrag ist veröffentlicht") || !strings.Contains(text, "Per Tastatur geschrieben: mehr Sitzbänke.") {
		t.Fatalf("after sending by keyboard: %s", text)
	}
	c := f.contribution(t, 1)
	if c.Paragraph != "p-3" || c.Body != "Per Tastatur geschrieben: mehr Sitzbänke." {
		t.Fatalf("stored: %q %q", c.Paragraph, c.Body)
	}
	// Supporting another comment works by keyboard too (Space on the button).
	other := f.comment(t, f.other, "p-2", "Ein Beitrag zum Zustimmen.")
	if err := chromedp.Do(ctx, chromedp.Navigate(f.a.URL+"/entwurf/wohnen")); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, fmt.Sprintf("#beitrag-%d .support-button", other.Number))
	pressEnterAndWait(t, ctx)
	if f.contribution(t, other.ID).SupportCount != 1 {
		t.Fatal("support by keyboard was not stored")
	}
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`location.hash === '#beitrag-%d'`, other.Number))); !ok {
		t.Error("after supporting, the page does not return to the comment")
	}
}

// TestModerationQueueByKeyboard: a moderator selects every comment of the
// page and approves them with the keyboard alone.
func TestModerationQueueByKeyboard(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	for i := 0; i < 3; i++ {
		f.comment(t, f.cit, "", fmt.Sprintf("Wartender Beitrag %d.", i+1))
	}
	tab := testenv.StartBrowser(t).Tab(t)
	testenv.LoginAs(t, tab, f.a, f.mod)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(f.a.URL+"/admin/moderation")); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, "form.bulk-form button[type=button]")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(" ")); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name=ids]:checked').length`)); n != 3 {
		t.Fatalf("%d of 3 boxes ticked by the select-all button", n)
	}
	tabTo(t, ctx, "form.bulk-form button[type=submit]")
	pressEnterAndWait(t, ctx)
	for id := int64(1); id <= 3; id++ {
		if st := f.contribution(t, id).Status; st != app.StatusPublished {
			t.Fatalf("contribution %d is %s after the bulk approval", id, st)
		}
	}
}
