package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSignupVerifyLoginProfileLogout walks the newcomer's path end to end:
// the verification mail arrives at a real SMTP server.
func TestSignupVerifyLoginProfileLogout(t *testing.T) {
	a := testenv.StartApp(t)
	c := a.Client(t)

	page := c.Get("/registrieren")
	if page.Status != 200 {
		t.Fatalf("sign-up page: %d", page.Status)
	}
	res := c.Submit(page, "main form[action='/registrieren']", url.Values{
		"email": {"Neu@Example.org"}, "display_name": {"Lindenauerin"}, "password": {"ein langes Passwort"},
		"ortsteil": {"70"}, "privacy_consent": {"true"},
	})
	if res.URL.Path != "/registrieren/danke" {
		t.Fatalf("after sign-up at %s (%d): %s", res.URL.Path, res.Status, res.Text())
	}
	u, err := a.Store.UserByEmail(context.Background(), "neu@example.org")
	if err != nil {
		t.Fatalf("account not stored: %v", err)
	}
	if u.Verified() || u.Ortsteil() != "70" || u.PrivacyConsentAt == nil {
		t.Fatalf("new account: verified=%v ortsteil=%q consent=%v", u.Verified(), u.Ortsteil(), u.PrivacyConsentAt)
	}

	// Unverified accounts can log in and read, but not take part.
	res = c.Login("neu@example.org", "ein langes Passwort")
	if !strings.Contains(res.Text(), "noch nicht bestätigt") && !strings.Contains(res.Body, "noch nicht bestätigt") {
		t.Fatalf("unverified notice missing after login: %s", res.Text())
	}

	mail := a.Mail.WaitFor("neu@example.org", "E-Mail-Adresse")
	if !strings.Contains(mail.Text, "Lindenauerin") || mail.HTML == "" {
		t.Fatalf("verification mail lacks name or HTML part:\n%s", mail.Text)
	}
	if !strings.Contains(mail.Text, "mitwirken Leipzig") || !strings.Contains(mail.Text, "/kontakt") {
		t.Fatalf("mail lacks platform name or contact line:\n%s", mail.Text)
	}
	link := mail.Link(t, "/konto/bestaetigen")
	res = c.Get(strings.TrimPrefix(link, a.URL))
	if !strings.Contains(res.Text(), "bestätigt") {
		t.Fatalf("verification answer: %d %s", res.Status, res.Text())
	}
	if u, _ = a.Store.UserByEmail(context.Background(), "neu@example.org"); !u.Verified() {
		t.Fatal("address not verified after following the link")
	}
	// The link works once.
	if res = c.Get(strings.TrimPrefix(link, a.URL)); res.Status != http.StatusNotFound {
		t.Fatalf("second use of the link: %d", res.Status)
	}

	// Profile edit.
	page = c.Get("/profil")
	res = c.Submit(page, "main form[action='/profil']", url.Values{"display_name": {"Lindenauerin 2"}, "ortsteil": {"71"}, "locale": {"de"}})
	if !strings.Contains(res.Text(), "gespeichert") {
		t.Fatalf("profile save: %d %s", res.Status, res.Text())
	}
	u, _ = a.Store.UserByEmail(context.Background(), "neu@example.org")
	if u.DisplayName != "Lindenauerin 2" || u.Ortsteil() != "71" {
		t.Fatalf("profile not saved: %q %q", u.DisplayName, u.Ortsteil())
	}

	// Logout ends the session on the server, not just in the browser.
	session := c.Cookie("mw_session")
	res = c.PostForm("/abmelden", nil)
	if !strings.Contains(res.Text(), "abgemeldet") {
		t.Fatalf("logout: %s", res.Text())
	}
	replay := a.Client(t).NoRedirects()
	replay.HTTP.Jar.SetCookies(mustURL(a.URL), []*http.Cookie{{Name: "mw_session", Value: session}})
	if res := replay.Get("/profil"); res.Status != http.StatusSeeOther {
		t.Fatalf("old session cookie still works after logout: %d", res.Status)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestSignupWithTakenAddressRevealsNothing: the answer is the same and the
// owner of the address gets a hint by mail.
func TestSignupWithTakenAddressRevealsNothing(t *testing.T) {
	a := testenv.StartApp(t)
	a.CreateUser(t, "vorhanden@example.org", "Vorhanden", app.RoleCitizen)
	c := a.Client(t)
	res := c.Submit(c.Get("/registrieren"), "main form[action='/registrieren']", url.Values{
		"email": {"vorhanden@example.org"}, "display_name": {"Jemand Anderes"}, "password": {"ein langes Passwort"}, "privacy_consent": {"true"},
	})
	if res.URL.Path != "/registrieren/danke" {
		t.Fatalf("taken address answered differently: %s %s", res.URL.Path, res.Text())
	}
	a.Mail.WaitFor("vorhanden@example.org", "Anmeldeversuch")
	n, _ := a.Store.CountUsers(context.Background())
	if n != 1 {
		t.Fatalf("%d accounts after sign-up with a taken address", n)
	}
}

// syncBuffer is a log sink the platform's goroutines may write to.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsHoldNoPersonalData: a sign-up, a failed and a good login and a
// password reset leave no address, password or token in the log.
func TestLogsHoldNoPersonalData(t *testing.T) {
	var log syncBuffer
	a := testenv.StartApp(t, testenv.WithLogOutput(&log))
	c := a.Client(t)
	c.Submit(c.Get("/registrieren"), "main form[action='/registrieren']", url.Values{
		"email": {"geheim@example.org"}, "display_name": {"Logtest"}, "password": {"mein geheimes Passwort"}, "privacy_consent": {"true"},
	})
	link := a.Mail.WaitFor("geheim@example.org", "bestätigen").Link(t, "token=")
	c.Get(strings.TrimPrefix(link, a.URL))
	c.Login("geheim@example.org", "falsches Passwort 123")
	c.Login("geheim@example.org", "mein geheimes Passwort")
	c.Submit(c.Get("/passwort/vergessen"), "main form", url.Values{"email": {"geheim@example.org"}})
	a.Mail.WaitFor("geheim@example.org", "Passwort zurücksetzen")
	token := link[strings.Index(link, "token=")+6:]
	out := log.String()
	if !strings.Contains(out, "/registrieren") {
		t.Fatalf("the request log is missing:\n%s", out)
	}
	for _, secret := range []string{"geheim@example.org", "mein geheimes Passwort", "falsches Passwort", token, c.Cookie("mw_session")} {
		if secret != "" && strings.Contains(out, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}
