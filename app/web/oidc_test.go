package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestOpenIDConnectLogin runs the full redirect flow against a real OpenID
// Connect provider in the test process: the first login creates an account
// (with a pseudonym the person chooses, not their real name), later logins
// find it.
func TestOpenIDConnectLogin(t *testing.T) {
	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	subject := "leipzig-4711"
	addUserinfoSubject(t, idp, &subject)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	cfg := idp.Config()
	a := testenv.StartApp(t, testenv.WithConfig(func(c *platform.Config) {
		c.OIDCIssuer, c.OIDCClientID, c.OIDCSecret = cfg.Issuer, cfg.ClientID, cfg.ClientSecret
		c.OIDCName = "Mit Leipzig-Konto anmelden"
	}))
	c := a.Client(t)

	login := c.Get("/anmelden")
	button := login.Doc.Find("a[href^='/auth/oidc']")
	if strings.TrimSpace(button.Text()) != "Mit Leipzig-Konto anmelden" {
		t.Fatalf("login button: %q", button.Text())
	}

	idp.QueueUser(&mockoidc.MockUser{Subject: "leipzig-4711", Email: "petra@example.org", EmailVerified: true, PreferredUsername: "Petra Mustermann"})
	page := c.Get("/auth/oidc")
	if page.URL.Path != "/auth/abschliessen" {
		t.Fatalf("first login ended at %s (%d): %s", page.URL, page.Status, page.Text())
	}
	if strings.Contains(page.Body, "Petra Mustermann") {
		t.Fatal("the real name from the identity provider is offered as public name")
	}
	if !strings.Contains(page.Text(), "petra@example.org") {
		t.Fatalf("the verified address is not shown: %s", page.Text())
	}
	res := c.Submit(page, "main form", url.Values{"display_name": {"Petra aus Plagwitz"}, "ortsteil": {"51"}, "privacy_consent": {"true"}})
	if res.URL.Path != "/" || !strings.Contains(res.Text(), "Willkommen") {
		t.Fatalf("completing the account: %s %d %s", res.URL, res.Status, res.Text())
	}
	u, err := a.Store.UserByEmail(context.Background(), "petra@example.org")
	if err != nil {
		t.Fatalf("no account: %v", err)
	}
	if !u.Verified() || u.DisplayName != "Petra aus Plagwitz" || u.HasPassword() {
		t.Fatalf("account: verified=%v name=%q password=%v", u.Verified(), u.DisplayName, u.HasPassword())
	}
	ids, _ := a.Store.UserIdentities(context.Background(), u.ID)
	if len(ids) != 1 || ids[0].Issuer != cfg.Issuer || ids[0].Subject != "leipzig-4711" {
		t.Fatalf("identity: %+v", ids)
	}

	// Log out, log in again: the same account, no form.
	c.PostForm("/abmelden", nil)
	idp.QueueUser(&mockoidc.MockUser{Subject: "leipzig-4711", Email: "petra@example.org", EmailVerified: true})
	res = c.Get("/auth/oidc")
	if res.URL.Path != "/" || !strings.Contains(res.Text(), "angemeldet") {
		t.Fatalf("second login: %s %s", res.URL, res.Text())
	}
	if prof := c.Get("/profil"); strings.TrimSpace(prof.Doc.Find(".user-name").Text()) != "Petra aus Plagwitz" {
		t.Fatalf("not logged in as Petra: %s", prof.Text())
	}
	if n, _ := a.Store.CountUsers(context.Background()); n != 1 {
		t.Fatalf("%d accounts after two logins", n)
	}

	// A forged callback (state not from this browser) is refused.
	forged := a.Client(t).Get("/auth/oidc/callback?code=abc&state=forged")
	if forged.Status != 403 {
		t.Fatalf("forged callback: %d", forged.Status)
	}
}

// TestNoOIDCButtonWithoutConfiguration.
func TestNoOIDCButtonWithoutConfiguration(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.Client(t)
	if c.Get("/anmelden").Doc.Find("a[href^='/auth/']").Length() != 0 {
		t.Fatal("a login provider button without configuration")
	}
	if res := c.Get("/auth/oidc"); res.Status != 404 {
		t.Fatalf("/auth/oidc without configuration: %d", res.Status)
	}
}

// addUserinfoSubject makes mockoidc's userinfo answer carry the "sub" claim,
// which OpenID Connect Core 5.3.2 requires and goth (rightly) checks, but
// mockoidc leaves out.
func addUserinfoSubject(t *testing.T, idp *mockoidc.MockOIDC, subject *string) {
	t.Helper()
	err := idp.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, mockoidc.UserinfoEndpoint) {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var claims map[string]any
			if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &claims) == nil {
				claims["sub"] = *subject
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(claims)
				return
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
