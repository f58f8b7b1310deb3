package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

func bearerStatus(t *testing.T, a *testenv.App, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return a.Client(t).Do(req).Status
}

// TestPasswordChangeAndResetRevokeAPITokens: after a password change or a
// reset, the person's API tokens no longer work and the mail says so
// (issue 11, item 10).
func TestPasswordChangeAndResetRevokeAPITokens(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	u := a.CreateUser(t, "schluessel@example.org", "Schlüssel", app.RoleCitizen)
	newToken := func() string {
		tok, err := a.Platform.Auth.CreateAPIToken(ctx, u, u, "Skript")
		if err != nil {
			t.Fatal(err)
		}
		if st := bearerStatus(t, a, tok); st != http.StatusOK {
			t.Fatalf("fresh token: %d", st)
		}
		return tok
	}

	// Change in the profile.
	tok := newToken()
	c := a.SessionClient(t, u)
	res := c.Submit(c.Get("/profil/passwort"), "main form[action='/profil/passwort']", url.Values{
		"current_password": {testenv.DefaultPassword}, "new_password": {"ein neues langes Passwort"}})
	if !strings.Contains(res.Text(), "geändert") {
		t.Fatalf("password change: %d %s", res.Status, res.Text())
	}
	if st := bearerStatus(t, a, tok); st != http.StatusUnauthorized {
		t.Fatalf("API token after a password change: %d", st)
	}
	m := a.Mail.WaitFor("schluessel@example.org", "Passwort wurde geändert")
	if !strings.Contains(m.Text, "Zugangsschlüssel") {
		t.Fatalf("the mail does not say the tokens were revoked:\n%s", m.Text)
	}
	if list, _ := a.Store.UserAPITokens(ctx, u.ID); len(list) != 0 {
		t.Fatalf("%d tokens left", len(list))
	}

	// Reset through the mailed link.
	tok = newToken()
	anon := a.Client(t)
	anon.Submit(anon.Get("/passwort/vergessen"), "main form[action='/passwort/vergessen']", url.Values{"email": {"schluessel@example.org"}})
	link := a.Mail.WaitFor("schluessel@example.org", "zurücksetzen").Link(t, "/passwort/neu")
	page := anon.Get(strings.TrimPrefix(link, a.URL))
	res = anon.Submit(page, "main form[action='/passwort/neu']", url.Values{"password": {"noch ein langes Passwort"}})
	if res.Status != http.StatusOK {
		t.Fatalf("reset: %d %s", res.Status, res.Text())
	}
	if st := bearerStatus(t, a, tok); st != http.StatusUnauthorized {
		t.Fatalf("API token after a reset: %d", st)
	}
	// The second "changed" mail (after the reset) says it too.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var changed []*testenv.Mail
		for _, m := range a.Mail.MailsTo("schluessel@example.org") {
			if strings.Contains(m.Subject, "Passwort wurde geändert") {
				changed = append(changed, m)
			}
		}
		if len(changed) == 2 {
			if !strings.Contains(changed[1].Text, "Zugangsschlüssel (API) wurde dabei widerrufen") {
				t.Fatalf("the mail after the reset does not say the token was revoked:\n%s", changed[1].Text)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d password-changed mails", len(changed))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
