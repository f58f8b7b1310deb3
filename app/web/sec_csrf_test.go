package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestCSRFTokenTiedToSession: a token (and cookie) taken from another
// session, or from before the login, is refused; the session's own token
// works (issue 11, item 12).
func TestCSRFTokenTiedToSession(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	attacker := a.CreateUser(t, "angreifer@example.org", "Angreifer", app.RoleCitizen)
	victim := a.CreateUser(t, "opfer@example.org", "Opfer", app.RoleCitizen)

	ac := a.SessionClient(t, attacker)
	ac.Get("/profil")
	foreign := ac.CSRF()
	anon := a.Client(t)
	anon.Get("/")
	anonToken := anon.CSRF()

	vc := a.SessionClient(t, victim)
	base := mustURL(a.URL)
	for name, tok := range map[string]string{"another session's": foreign, "an anonymous": anonToken} {
		// The attacker plants its cookie in the victim's browser (cookie
		// tossing from a sibling host) and sends the matching token.
		vc.HTTP.Jar.SetCookies(base, []*http.Cookie{{Name: "mw_csrf", Value: tok, Path: "/"}})
		values := url.Values{"display_name": {"Übernommen"}, "ortsteil": {""}, "locale": {"de"}, "_csrf": {tok}}
		res := vc.PostRaw("/profil", "application/x-www-form-urlencoded", []byte(values.Encode()))
		if res.Status != http.StatusForbidden {
			t.Errorf("%s token in the victim's session: %d", name, res.Status)
		}
	}
	if got, _ := a.Store.UserByID(context.Background(), victim.ID); got.DisplayName != "Opfer" {
		t.Fatalf("a foreign token changed the account: %q", got.DisplayName)
	}
	// After a refusal the victim's next page carries a token of its own
	// session, which works.
	vc.Get("/profil")
	if vc.CSRF() == foreign || vc.CSRF() == anonToken {
		t.Fatal("the planted token was kept")
	}
	res := vc.PostForm("/profil", url.Values{"display_name": {"Opfer Neu"}, "ortsteil": {""}, "locale": {"de"}})
	if res.Status != http.StatusOK {
		t.Fatalf("own token: %d %s", res.Status, res.Text())
	}
	// The token also ends with the session: after logout and a new login
	// the old one is refused.
	old := vc.CSRF()
	vc.PostForm("/abmelden", nil)
	vc2 := a.SessionClient(t, victim)
	vc2.HTTP.Jar.SetCookies(base, []*http.Cookie{{Name: "mw_csrf", Value: old, Path: "/"}})
	values := url.Values{"display_name": {"Wieder"}, "ortsteil": {""}, "locale": {"de"}, "_csrf": {old}}
	if res := vc2.PostRaw("/profil", "application/x-www-form-urlencoded", []byte(values.Encode())); res.Status != http.StatusForbidden {
		t.Fatalf("token of an ended session: %d", res.Status)
	}
}
