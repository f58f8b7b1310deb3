package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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

// TestAccessibility loads every page type in Chromium and runs axe-core with
// the WCAG 2.1 A and AA rules: no violation is allowed.
func TestAccessibility(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
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
			if p.submit == "" {
				testenv.CheckAxe(t, tab, a.URL+path)
				return
			}
			ctx, cancel := context.WithTimeout(tab, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+path), chromedp.Click(p.submit), chromedp.WaitVisible("#error-summary")); err != nil {
				t.Fatalf("submit %s on %s: %v", p.submit, path, err)
			}
			testenv.ReportAxe(t, ctx, p.name)
		})
	}
}
