package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// offSiteNexts are the redirect targets of the review (issue 11, item 1) and
// their relatives: each leads off the site if echoed into Location.
var offSiteNexts = []string{
	"/\t/evil.example", "/\x0b/evil.example", "/\x00/evil.example", "/\n/evil.example", "/\r/evil.example",
	"//evil.example", "/\\evil.example", "\\\\evil.example", "/%09/evil.example", "/%2F/evil.example",
	"/%5Cevil.example", "https://evil.example/",
}

// TestOpenRedirectRefusedOverHTTP: GET /anmelden (logged in) and POST
// /anmelden answer Location "/" for every off-site next.
func TestOpenRedirectRefusedOverHTTP(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "weiter@example.org", "Weiter", app.RoleCitizen)
	logged := a.SessionClient(t, u).NoRedirects()
	for _, next := range offSiteNexts {
		res := logged.Get("/anmelden?next=" + url.QueryEscape(next))
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("GET /anmelden next=%q: %d Location %q", next, res.Status, res.Header.Get("Location"))
		}
		c := a.Client(t).NoRedirects()
		page := c.Get("/anmelden")
		res = c.Submit(page, "main form[action='/anmelden']", url.Values{"email": {"weiter@example.org"}, "password": {testenv.DefaultPassword}, "next": {next}})
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("POST /anmelden next=%q: %d Location %q", next, res.Status, res.Header.Get("Location"))
		}
	}
	// A path on the site is kept.
	res := logged.Get("/anmelden?next=" + url.QueryEscape("/profil"))
	if res.Header.Get("Location") != "/profil" {
		t.Fatalf("same-site next lost: %q", res.Header.Get("Location"))
	}
}

// TestOpenRedirectStaysOnSiteInChromium: a real browser that logs in through
// a crafted link, or is sent there while logged in, ends on our origin.
func TestOpenRedirectStaysOnSiteInChromium(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "browser-weiter@example.org", "Browser Weiter", app.RoleCitizen)
	b := testenv.StartBrowser(t)
	origin := a.URL
	for _, next := range []string{"/\t/evil.example", "/\x0b/evil.example", "/\\evil.example"} {
		link := origin + "/anmelden?next=" + url.QueryEscape(next)

		// Logged in: the login page forwards at once.
		tab := b.Tab(t)
		testenv.LoginAs(t, tab, a, u)
		ctx, cancel := context.WithTimeout(tab, 30*time.Second)
		_ = chromedp.Do(ctx, chromedp.Navigate(link)) // a navigation off-site may fail to load; the location tells
		if got := testenv.Eval[string](t, ctx, `location.origin`); got != origin {
			t.Errorf("logged in, next=%q: browser went to %q", next, testenv.Eval[string](t, ctx, `location.href`))
		}
		cancel()

		// Logged out: the form carries next and the browser submits it.
		tab = b.Tab(t)
		ctx, cancel = context.WithTimeout(tab, 30*time.Second)
		err := chromedp.Do(ctx, chromedp.Navigate(link),
			chromedp.SendKeys("#f-email", u.EmailAddress()),
			chromedp.SendKeys("#f-password", testenv.DefaultPassword),
			chromedp.Submit("#f-password"))
		if err != nil {
			t.Fatalf("fill login form: %v", err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) && strings.Contains(testenv.Eval[string](t, ctx, `location.href`), "/anmelden") {
			time.Sleep(100 * time.Millisecond)
		}
		href := testenv.Eval[string](t, ctx, `location.href`)
		if got := testenv.Eval[string](t, ctx, `location.origin`); got != origin || strings.Contains(href, "/anmelden") {
			t.Errorf("login form, next=%q: browser at %q", next, href)
		}
		cancel()
	}
}
