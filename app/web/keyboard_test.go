package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestKeyboardOnlyLogin: the skip link comes first, and a person using only
// the keyboard reaches the fields, fills them and submits with Enter.
func TestKeyboardOnlyLogin(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "tastatur@example.org", "Tastatur", app.RoleCitizen)
	tab := testenv.StartBrowser(t).Tab(t)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/anmelden")); err != nil {
		t.Fatal(err)
	}
	testenv.Press(t, ctx, kb.Tab)
	if first := testenv.Eval[string](t, ctx, `document.activeElement.className`); first != "skip-link" {
		t.Fatalf("first Tab stop is %q, not the skip link", first)
	}
	testenv.TabTo(t, ctx, "#f-email", 25)
	testenv.Type(t, ctx, u.EmailAddress())
	testenv.TabTo(t, ctx, "#f-password", 3)
	testenv.Type(t, ctx, testenv.DefaultPassword)
	testenv.Press(t, ctx, kb.Enter)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(".flash")); err != nil {
		t.Fatal(err)
	}
	flash, _ := chromedp.Run(ctx, chromedp.Text(".flash"))
	if !strings.Contains(flash, "angemeldet") {
		t.Fatalf("after Enter: %q", flash)
	}
}

// TestKeyboardSignupErrorsGetFocus: after a failed submit the error summary
// has the focus, and its links lead to the fields.
func TestKeyboardSignupErrorsGetFocus(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	tab := testenv.StartBrowser(t).Tab(t)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/registrieren")); err != nil {
		t.Fatal(err)
	}
	testenv.TabTo(t, ctx, "main form button[type=submit]", 40)
	testenv.Press(t, ctx, kb.Enter)
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#error-summary")); err != nil {
		t.Fatal(err)
	}
	if id := testenv.Eval[string](t, ctx, `document.activeElement.id`); id != "error-summary" {
		t.Fatalf("focus after the failed submit is on %q", id)
	}
	testenv.TabTo(t, ctx, "#error-summary a[href='#f-email']", 3)
	testenv.Press(t, ctx, kb.Enter)
	time.Sleep(100 * time.Millisecond)
	if id := testenv.Eval[string](t, ctx, `document.activeElement.id`); id != "f-email" {
		t.Fatalf("the summary link moved focus to %q", id)
	}
}

// TestPhoneLayout: on a 360 px wide phone no page scrolls sideways (WCAG
// 1.4.10 Reflow) and the navigation stays reachable.
func TestPhoneLayout(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	admin := a.CreateUser(t, "handy@example.org", "Handy Admin", app.RoleAdmin)
	b := testenv.StartBrowser(t)
	pages := []struct {
		path  string
		login bool
	}{{"/", false}, {"/registrieren", false}, {"/anmelden", false}, {"/datenschutz", false}, {"/profil", true}, {"/profil/sitzungen", true}, {"/admin/nutzer", true}, {"/admin/outbox", true}}
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			tab := b.Tab(t)
			if p.login {
				testenv.LoginAs(t, tab, a, admin)
			}
			ctx, cancel := context.WithTimeout(tab, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740), chromedp.Navigate(a.URL+p.path)); err != nil {
				t.Fatal(err)
			}
			overflow := testenv.Eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
			if overflow > 0 {
				wide := testenv.Eval[string](t, ctx, `Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap table')).slice(0, 8).map(e => e.tagName + '.' + e.className).join(', ')`)
				t.Fatalf("page is %d px wider than the phone; too wide: %s", overflow, wide)
			}
		})
	}
}
