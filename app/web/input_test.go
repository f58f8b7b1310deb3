package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSignupRejectsBadInput: each bad value gets a clear German message next
// to its field, the other values are kept, and nothing is saved.
func TestSignupRejectsBadInput(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	good := url.Values{"email": {"gut@example.org"}, "display_name": {"Gute Nachbarin"}, "password": {"ein langes Passwort"}, "ortsteil": {"41"}, "privacy_consent": {"true"}}
	cases := []struct {
		name, field, value, message string
	}{
		{"malformed email", "email", "keine-adresse", "gültige E-Mail-Adresse"},
		{"email with spaces", "email", "a b@example.org", "gültige E-Mail-Adresse"},
		{"email too long", "email", strings.Repeat("a", 250) + "@example.org", "höchstens 254 Zeichen"},
		{"name too long", "display_name", strings.Repeat("Ä", 41), "höchstens 40 Zeichen"},
		{"name too short", "display_name", "A", "mindestens 2 Zeichen"},
		{"name is an email", "display_name", "ich@example.org", "keine E-Mail-Adresse"},
		{"invalid UTF-8", "display_name", "Bad\xff\xfeName", "ungültige Zeichen"},
		{"bidi override", "display_name", "Anna\u202eevil", "Richtungszeichen"},
		{"unknown Ortsteil", "ortsteil", "99", "Ortsteil aus der Liste"},
		{"garbage Ortsteil", "ortsteil", "<b>", "Ortsteil aus der Liste"},
		{"short password", "password", "kurz", "mindestens 10 Zeichen"},
		{"no consent", "privacy_consent", "", "Datenschutzerklärung"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := a.Client(t)
			v := url.Values{}
			for k, vals := range good {
				v[k] = vals
			}
			if tc.value == "" {
				v.Del(tc.field)
			} else {
				v.Set(tc.field, tc.value)
			}
			res := c.PostForm("/registrieren", v)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.Status)
			}
			if msg := res.FieldError(tc.field); !strings.Contains(msg, tc.message) {
				t.Fatalf("message next to %s: %q (want %q)", tc.field, msg, tc.message)
			}
			input := res.Doc.Find("#f-" + tc.field)
			if input.AttrOr("aria-invalid", "") != "true" || !strings.Contains(input.AttrOr("aria-describedby", ""), "f-"+tc.field+"-error") {
				t.Fatalf("field %s not marked invalid / not linked to its error", tc.field)
			}
			if res.Doc.Find("#error-summary a[href='#f-"+tc.field+"']").Length() != 1 {
				t.Fatalf("summary does not link to %s", tc.field)
			}
			if tc.field != "email" && res.Doc.Find("#f-email").AttrOr("value", "") != "gut@example.org" {
				t.Fatal("the other values were not kept")
			}
			if res.Doc.Find("#f-password").AttrOr("value", "") != "" {
				t.Fatal("the password was sent back to the browser")
			}
			if n, _ := a.Store.CountUsers(context.Background()); n != 0 {
				t.Fatalf("%d accounts saved", n)
			}
		})
	}
}

// TestScriptInDisplayNameIsEscaped: a hostile pseudonym is stored as typed
// and shown as text everywhere.
func TestScriptInDisplayNameIsEscaped(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	hostile := `<script>alert(1)</script>`
	u := a.CreateUser(t, "xss@example.org", hostile, app.RoleCitizen)
	admin := a.CreateUser(t, "admin@example.org", "Admin", app.RoleAdmin)
	pages := []struct {
		c    *testenv.Client
		path string
	}{{a.SessionClient(t, u), "/profil"}, {a.SessionClient(t, admin), "/admin/nutzer"}}
	for _, p := range pages {
		res := p.c.Get(p.path)
		if strings.Contains(res.Body, hostile) {
			t.Fatalf("%s renders the name unescaped", p.path)
		}
		if !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Fatalf("%s does not show the name as text", p.path)
		}
	}
}

// TestOversizedBodyIsRefused: 413 with a German page, nothing saved.
func TestOversizedBodyIsRefused(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.Client(t)
	big := url.Values{"email": {"gross@example.org"}, "display_name": {"Gross"}, "password": {"ein langes Passwort"},
		"privacy_consent": {"true"}, "padding": {strings.Repeat("x", 3<<20)}, "_csrf": {c.CSRF()}}
	res := c.PostRaw("/registrieren", "application/x-www-form-urlencoded", []byte(big.Encode()))
	if res.Status != http.StatusRequestEntityTooLarge || !strings.Contains(res.Text(), "zu groß") {
		t.Fatalf("oversized body: %d %s", res.Status, res.Text())
	}
	if n, _ := a.Store.CountUsers(context.Background()); n != 0 {
		t.Fatalf("%d accounts saved", n)
	}
	var out map[string]map[string]any
	status := c.JSON(http.MethodPut, "/api/v1/admin/users/1/role", map[string]string{"role": strings.Repeat("x", 3<<20)}, &out)
	if status != http.StatusRequestEntityTooLarge || out["error"]["code"] != "too_large" {
		t.Fatalf("oversized API body: %d %v", status, out)
	}
}

// TestProfileRejectsBadInput: the same rules on the profile form, and a
// pseudonym already taken (in any case) is refused.
func TestProfileRejectsBadInput(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	a.CreateUser(t, "erste@example.org", "Vergeben", app.RoleCitizen)
	u := a.CreateUser(t, "zweite@example.org", "Frei", app.RoleCitizen)
	c := a.SessionClient(t, u)
	page := c.Get("/profil")
	for field, value := range map[string]string{"display_name": "vergeben", "ortsteil": "100", "locale": "fr"} {
		res := c.Submit(page, "main form[action='/profil']", url.Values{field: {value}})
		if res.Status != 422 || res.FieldError(field) == "" {
			t.Errorf("%s=%q: %d %q", field, value, res.Status, res.FieldError(field))
		}
	}
	got, _ := a.Store.UserByID(context.Background(), u.ID)
	if got.DisplayName != "Frei" || got.Ortsteil() != "" || got.Locale != "de" {
		t.Fatalf("a refused form changed the profile: %+v", got)
	}
}
