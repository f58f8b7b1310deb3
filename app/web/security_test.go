package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestCSRFIsRequired: a state change without the form's token, or from
// another site, is refused and changes nothing.
func TestCSRFIsRequired(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "csrf@example.org", "Csrf Test", app.RoleCitizen)
	c := a.SessionClient(t, u)
	c.Get("/profil") // obtains the CSRF cookie, as a browser would

	values := url.Values{"display_name": {"Übernommen"}, "ortsteil": {""}, "locale": {"de"}}
	res := c.PostRaw("/profil", "application/x-www-form-urlencoded", []byte(values.Encode()))
	if res.Status != http.StatusForbidden || !strings.Contains(res.Text(), "Sicherheitsprüfung") {
		t.Fatalf("POST without token: %d %s", res.Status, res.Text())
	}
	values.Set("_csrf", "falsch")
	if res = c.PostRaw("/profil", "application/x-www-form-urlencoded", []byte(values.Encode())); res.Status != http.StatusForbidden {
		t.Fatalf("POST with a wrong token: %d", res.Status)
	}
	// A browser telling us the request comes from another site.
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/profil", strings.NewReader(url.Values{"display_name": {"Übernommen"}, "locale": {"de"}, "_csrf": {c.CSRF()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res = c.Do(req); res.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", res.Status)
	}
	// The API with the session cookie needs the header too.
	var out map[string]any
	if status := c.JSON(http.MethodPut, "/api/v1/admin/users/1/role", map[string]string{"role": "admin"}, &out, "X-CSRF-Token", "falsch"); status != http.StatusForbidden {
		t.Fatalf("API PUT with a wrong CSRF header: %d", status)
	}
	got, _ := a.Store.UserByID(context.Background(), u.ID)
	if got.DisplayName != "Csrf Test" || got.Role != app.RoleCitizen {
		t.Fatalf("a refused request changed the account: %q %s", got.DisplayName, got.Role)
	}
	// With the token it works.
	values.Set("_csrf", c.CSRF())
	if res = c.PostRaw("/profil", "application/x-www-form-urlencoded", []byte(values.Encode())); res.Status != http.StatusOK || !strings.Contains(res.Text(), "gespeichert") {
		t.Fatalf("POST with the token: %d %s", res.Status, res.Text())
	}
}

// TestLoginThrottling: after five failures an address is locked for a while
// (429 with Retry-After), also for the right password, and unknown addresses
// behave exactly like known ones.
func TestLoginThrottling(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	a.CreateUser(t, "ziel@example.org", "Ziel", app.RoleCitizen)
	for _, email := range []string{"ziel@example.org", "niemand@example.org"} {
		c := a.Client(t)
		for i := 0; i < 5; i++ {
			res := c.Login(email, "falsches Passwort "+strconv.Itoa(i))
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text(), "E-Mail-Adresse oder Passwort ist falsch") {
				t.Fatalf("%s attempt %d: %d %s", email, i, res.Status, res.Text())
			}
		}
		res := c.Login(email, testenv.DefaultPassword)
		if res.Status != http.StatusTooManyRequests {
			t.Fatalf("%s sixth attempt: %d %s", email, res.Status, res.Text())
		}
		retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
		if err != nil || retry < 60 || retry > 15*60 {
			t.Fatalf("%s Retry-After %q", email, res.Header.Get("Retry-After"))
		}
		if !strings.Contains(res.Text(), "Zu viele fehlgeschlagene Anmeldeversuche") {
			t.Fatalf("%s throttle message: %s", email, res.Text())
		}
	}
	// After the window the right password works again.
	a.Clock.Advance(16 * 60 * 1e9)
	res := a.Client(t).Login("ziel@example.org", testenv.DefaultPassword)
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "angemeldet") {
		t.Fatalf("login after the lock: %d %s", res.Status, res.Text())
	}
}

// TestLoginThrottlingPerIP: one client trying many addresses is stopped too.
func TestLoginThrottlingPerIP(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	for i := 0; i < 50; i++ {
		if err := a.Store.RecordLoginFailure(context.Background(), hashKey("ip:127.0.0.1")); err != nil {
			t.Fatal(err)
		}
	}
	res := a.Client(t).Login("jemand-neues@example.org", "irgendein Passwort")
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("login from a throttled IP: %d", res.Status)
	}
}

// TestCitizenCannotAdminister: 403 on admin pages and the admin API, for
// sessions and bearer tokens alike.
func TestCitizenCannotAdminister(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	citizen := a.CreateUser(t, "buerger@example.org", "Bürger", app.RoleCitizen)
	moderator := a.CreateUser(t, "mod@example.org", "Moderatorin", app.RoleModerator)
	c := a.SessionClient(t, citizen)
	for _, path := range []string{"/admin", "/admin/nutzer", "/admin/outbox", "/admin/inhalte", "/admin/rueckmeldungen"} {
		if res := c.Get(path); res.Status != http.StatusForbidden || !strings.Contains(res.Text(), "Berechtigung") {
			t.Errorf("citizen GET %s: %d", path, res.Status)
		}
	}
	if res := c.PostForm("/admin/nutzer/"+itoa(citizen.ID)+"/rolle", url.Values{"role": {"admin"}}); res.Status != http.StatusForbidden {
		t.Errorf("citizen POST role change: %d", res.Status)
	}
	var out map[string]any
	if status := c.JSON(http.MethodGet, "/api/v1/admin/users", nil, &out); status != http.StatusForbidden {
		t.Errorf("citizen GET /api/v1/admin/users: %d", status)
	}
	if status := c.JSON(http.MethodPut, "/api/v1/admin/users/"+itoa(citizen.ID)+"/role", map[string]string{"role": "admin"}, &out); status != http.StatusForbidden {
		t.Errorf("citizen PUT role: %d", status)
	}
	token, err := a.Platform.Auth.CreateAPIToken(context.Background(), citizen, citizen, "test")
	if err != nil {
		t.Fatal(err)
	}
	bearer := a.Client(t)
	if status := bearer.JSON(http.MethodGet, "/api/v1/admin/users", nil, &out, "Authorization", "Bearer "+token); status != http.StatusForbidden {
		t.Errorf("citizen token GET admin API: %d", status)
	}
	// Moderators see the admin area but not the admin-only pages.
	m := a.SessionClient(t, moderator)
	if res := m.Get("/admin"); res.Status != http.StatusOK {
		t.Errorf("moderator /admin: %d", res.Status)
	}
	if res := m.Get("/admin/nutzer"); res.Status != http.StatusForbidden {
		t.Errorf("moderator /admin/nutzer: %d", res.Status)
	}
	// Anonymous: sent to the login page, or 401 on the API.
	anon := a.Client(t).NoRedirects()
	if res := anon.Get("/admin"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/anmelden?next=") {
		t.Errorf("anonymous /admin: %d %s", res.Status, res.Header.Get("Location"))
	}
	if status := a.Client(t).JSON(http.MethodGet, "/api/v1/me", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("anonymous /api/v1/me: %d", status)
	}
	got, _ := a.Store.UserByID(context.Background(), citizen.ID)
	if got.Role != app.RoleCitizen {
		t.Fatal("the citizen became " + string(got.Role))
	}
}

// TestSecurityHeaders: CSP without unsafe-inline, framing forbidden,
// no sniffing, a referrer policy; static files cached for a year under
// content-hashed names.
func TestSecurityHeaders(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.Client(t)
	res := c.Get("/")
	csp := res.Header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP: %q", csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin", "X-Frame-Options": "DENY"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q", h, got)
		}
	}
	if strings.Contains(res.Body, "<script>") || strings.Contains(res.Body, " style=\"") {
		t.Error("inline script or style on the home page")
	}
	css, _ := res.Doc.Find("link[rel=stylesheet]").Attr("href")
	static := c.Get(css)
	if static.Status != 200 || !strings.Contains(static.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(static.Header.Get("Content-Type"), "text/css") {
		t.Errorf("static %s: %d %q %q", css, static.Status, static.Header.Get("Cache-Control"), static.Header.Get("Content-Type"))
	}
	// Session cookies are HttpOnly and SameSite=Lax.
	u := a.CreateUser(t, "cookie@example.org", "Cookie", app.RoleCitizen)
	login := a.Client(t).NoRedirects()
	page := login.Get("/anmelden")
	_ = page
	resp, err := login.HTTP.PostForm(a.URL+"/anmelden", url.Values{"email": {u.EmailAddress()}, "password": {testenv.DefaultPassword}, "_csrf": {login.CSRF()}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name == "mw_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
				t.Errorf("session cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Errorf("no session cookie after login (%d)", resp.StatusCode)
	}
}

// TestHealthReadyMetrics.
func TestHealthReadyMetrics(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.Client(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := c.Get(p); res.Status != 200 {
			t.Errorf("%s: %d", p, res.Status)
		}
	}
	c.Get("/")
	c.Get("/gibt-es-nicht")
	res := c.Get("/metrics")
	for _, want := range []string{
		`mitwirken_http_requests_total{method="GET",route="/",status="200"}`,
		`status="404"}`,
		"mitwirken_http_request_duration_seconds_bucket",
		"mitwirken_outbox_backlog",
		"mitwirken_registrations_waiting ",
		// the soak's leak check beside RSS (docs/operations.md)
		"go_gc_heap_live_bytes ",
		"go_goroutines ",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
