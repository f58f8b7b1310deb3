package web_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// a11yPage is one page type scanned with axe-core in Chromium. Features add
// their pages in their own test files:
//
//	func init() { a11yPages = append(a11yPages, a11yPage{...}) }
type a11yPage struct {
	name string
	// as is the role of the viewer; "" scans the page logged out.
	as app.Role
	// path is the address; prepare may create data and return it instead.
	path    string
	prepare func(t *testing.T, a *testenv.App, viewer *app.User) string
	// submit, when set, clicks this button first (e.g. to show form errors)
	// and scans the page that follows.
	submit string
}

var a11yPages = []a11yPage{
	{name: "home", path: "/"},
	{name: "home english", path: "/?lang=en"},
	{name: "signup", path: "/registrieren"},
	{name: "signup with errors", path: "/registrieren", submit: "main form[action='/registrieren'] button[type=submit]"},
	{name: "signup sent", path: "/registrieren/danke"},
	{name: "login", path: "/anmelden"},
	{name: "login with errors", path: "/anmelden", submit: "main form[action='/anmelden'] button[type=submit]"},
	{name: "forgot password", path: "/passwort/vergessen"},
	{name: "forgot password sent", path: "/passwort/vergessen/gesendet"},
	{name: "reset password", path: "/passwort/neu?token=x"},
	{name: "link invalid", path: "/konto/bestaetigen?token=x"},
	{name: "privacy", path: "/datenschutz"},
	{name: "accessibility statement", path: "/barrierefreiheit"},
	{name: "accessibility feedback errors", path: "/barrierefreiheit", submit: "main form[action='/rueckmeldung'] button[type=submit]"},
	{name: "easy language", path: "/leichte-sprache"},
	{name: "imprint", path: "/impressum"},
	{name: "contact", path: "/kontakt"},
	{name: "contact thanks", path: "/kontakt/danke"},
	{name: "404", path: "/gibt-es-nicht"},
	{name: "403", as: app.RoleCitizen, path: "/admin"},
	{name: "profile", as: app.RoleCitizen, path: "/profil"},
	{name: "profile unverified", as: "unverified", path: "/profil"},
	{name: "profile email", as: app.RoleCitizen, path: "/profil/email"},
	{name: "profile password", as: app.RoleCitizen, path: "/profil/passwort"},
	{name: "profile password errors", as: app.RoleCitizen, path: "/profil/passwort", submit: "main form[action='/profil/passwort'] button[type=submit]"},
	{name: "profile sessions", as: app.RoleCitizen, path: "/profil/sitzungen"},
	{name: "profile access", as: app.RoleCitizen, path: "/profil/zugaenge"},
	{name: "profile delete", as: app.RoleCitizen, path: "/profil/loeschen"},
	{name: "admin dashboard", as: app.RoleAdmin, path: "/admin"},
	{name: "admin users", as: app.RoleAdmin, path: "/admin/nutzer"},
	{name: "admin content", as: app.RoleAdmin, path: "/admin/inhalte"},
	{name: "admin content edit", as: app.RoleAdmin, path: "/admin/inhalte/1"},
	{name: "admin feedback", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
		if err := a.Platform.Feedback.Submit(context.Background(), app.FeedbackInput{Kind: app.FeedbackAccessibility, Message: "Kontrast zu gering", PageURL: "/"}, nil); err != nil {
			t.Fatal(err)
		}
		return "/admin/rueckmeldungen"
	}},
	{name: "admin outbox", as: app.RoleAdmin, path: "/admin/outbox"},
	{name: "admin outbox message", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
		if err := a.Platform.Auth.RequestPasswordReset(context.Background(), u.EmailAddress()); err != nil {
			t.Fatal(err)
		}
		msgs, _, err := a.Store.ListOutbox(context.Background(), storeOutboxAll)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("no mail in outbox: %v", err)
		}
		return "/admin/outbox/" + itoa(msgs[0].ID)
	}},
}

// TestAccessibility loads every page type in Chromium, in German and in
// English, and checks each with axe-core (WCAG 2.1 A and AA) and the Nu HTML
// Checker: no violation, no HTML error or warning is allowed. On the English
// pages every piece of German content must be marked lang="de"; axe runs on
// the German pages only (the markup is the same, and the crawl is long).
func TestAccessibility(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	html := testenv.NewHTMLChecker(t)
	marked := map[string]int{}
	crawlA11yPages(t, a, []string{"de", "en"}, func(t *testing.T, p *crawledPage) {
		html.Add(t, p.label(), testenv.PageHTML(t, p.Tab))
		if p.Lang == "de" {
			testenv.ReportAxe(t, p.Tab, p.label())
		} else {
			marked[p.name] += checkContentLanguage(t, p)
		}
	})
	reportHTMLCheck(t, html)
	// The language check must have seen the content it is about.
	for _, name := range []string{"event logged out", "draft chapter", "draft contribution", "moderation detail",
		"lab page", "board logged out", "card page", "admin event overview", "selection public draw with lookup", "search results"} {
		if marked[name] == 0 {
			t.Errorf("%s (en): no German content found marked lang=\"de\"", name)
		}
	}
}
