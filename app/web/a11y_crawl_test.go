package web_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// crawledPage is one page type of a11yPages as Chromium shows it to its
// viewer in one language.
type crawledPage struct {
	a11yPage
	App  *testenv.App
	Lang string
	Tab  context.Context
}

// label names the page in messages: "event logged out (en)".
func (p *crawledPage) label() string { return p.name + " (" + p.Lang + ")" }

// crawlA11yPages is the one crawl over every page type: a11yPages is its
// single source, so a page type added by any feature goes through every
// check. Each page is prepared once and then loaded in every language of
// langs (the German scan first); check runs in a subtest "name/lang".
func crawlA11yPages(t *testing.T, a *testenv.App, langs []string, check func(t *testing.T, p *crawledPage)) {
	crawlA11yPagesWhere(t, a, langs, nil, check)
}

// crawlA11yPagesWhere crawls the page types of a11yPages that keep says
// to keep (all when keep is nil), for checks about some kind of page only.
func crawlA11yPagesWhere(t *testing.T, a *testenv.App, langs []string, keep func(p a11yPage) bool, check func(t *testing.T, p *crawledPage)) {
	b := testenv.StartBrowser(t)
	users := map[app.Role]*app.User{}
	// viewer takes the subtest's t: failing through the parent's t from a
	// subtest is not allowed.
	viewer := func(t *testing.T, role app.Role) *app.User {
		if u, ok := users[role]; ok {
			return u
		}
		var u *app.User
		if role == "unverified" {
			u = a.CreateUser(t, "unverified@example.org", "Noch Unbestätigt", app.RoleCitizen)
			if err := a.Store.Gorm().Model(u).Update("email_verified_at", nil).Error; err != nil {
				t.Fatal(err)
			}
		} else {
			u = a.CreateUser(t, string(role)+"@example.org", "Scan "+string(role), role)
		}
		users[role] = u
		return u
	}
	for _, p := range a11yPages {
		if keep != nil && !keep(p) {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			tab := b.Tab(t)
			var u *app.User
			if p.as != "" {
				u = viewer(t, p.as)
				testenv.LoginAs(t, tab, a, u)
			}
			path := p.path
			if p.prepare != nil {
				path = p.prepare(t, a, u)
			}
			for _, lang := range langs {
				t.Run(lang, func(t *testing.T) {
					testenv.UseLanguage(t, tab, a, lang)
					ctx, cancel := context.WithTimeout(tab, 60*time.Second)
					defer cancel()
					actions := []chromedp.Action[chromedp.Void]{chromedp.Navigate(a.URL + path)}
					if p.submit != "" {
						actions = append(actions, chromedp.Click(p.submit), chromedp.WaitVisible("#error-summary"))
					}
					if err := chromedp.Do(ctx, actions...); err != nil {
						t.Fatalf("load %s (submit %q): %v", path, p.submit, err)
					}
					check(t, &crawledPage{a11yPage: p, App: a, Lang: lang, Tab: ctx})
				})
			}
		})
	}
}

// reportHTMLCheck runs the Nu HTML Checker over the documents of the
// crawl: no error and no warning is allowed.
func reportHTMLCheck(t *testing.T, html *testenv.HTMLChecker) {
	results, err := html.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]string, 0, len(results))
	for label := range results {
		labels = append(labels, label)
	}
	sort.Strings(labels)
	for _, label := range labels {
		for _, m := range results[label] {
			if m.Error() || m.Warning() {
				t.Errorf("%s: Nu HTML Checker %s", label, m)
			}
		}
	}
}
