package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestMyDataDownload: "Meine Daten" is a JSON file with everything stored
// about the person and nothing about others.
func TestMyDataDownload(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "daten@example.org", "Datenfreundin", app.RoleCitizen)
	a.CreateUser(t, "andere@example.org", "Andere Person", app.RoleCitizen)
	c := a.SessionClient(t, u)
	c.Submit(c.Get("/profil"), "main form[action='/profil']", url.Values{"ortsteil": {"30"}})
	if _, err := a.Platform.Auth.CreateAPIToken(context.Background(), u, u, "Mein Skript"); err != nil {
		t.Fatal(err)
	}
	res := c.Get("/profil/meine-daten")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q %q", res.Status, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	var d store.PersonalData
	if err := json.Unmarshal([]byte(res.Body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Account.Email != "daten@example.org" || d.Account.Ortsteil != "30" || d.Account.DisplayName != "Datenfreundin" {
		t.Fatalf("account part: %+v", d.Account)
	}
	if len(d.Sessions) != 1 || len(d.APITokens) != 1 || d.APITokens[0].Name != "Mein Skript" {
		t.Fatalf("sessions %d, tokens %+v", len(d.Sessions), d.APITokens)
	}
	if strings.Contains(res.Body, "andere@example.org") || strings.Contains(res.Body, "argon2") {
		t.Fatal("the download holds another person's data or the password hash")
	}
}

// TestDeleteAccount: confirmed with the password, the account is erased at
// once, the session ends and the address can log in no more.
func TestDeleteAccount(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "weg@example.org", "Bald Weg", app.RoleCitizen)
	c := a.SessionClient(t, u)
	page := c.Get("/profil/loeschen")
	res := c.Submit(page, "main form", url.Values{"password": {testenv.DefaultPassword}})
	if res.Status != 422 || res.FieldError("confirm") == "" {
		t.Fatalf("without confirmation: %d", res.Status)
	}
	res = c.Submit(page, "main form", url.Values{"password": {"falsch falsch falsch"}, "confirm": {"true"}})
	if res.Status != 422 || res.FieldError("password") == "" {
		t.Fatalf("wrong password: %d", res.Status)
	}
	res = c.Submit(page, "main form", url.Values{"password": {testenv.DefaultPassword}, "confirm": {"true"}})
	if res.URL.Path != "/" || !strings.Contains(res.Text(), "gelöscht") {
		t.Fatalf("delete: %s %s", res.URL.Path, res.Text())
	}
	got, _ := a.Store.UserByID(context.Background(), u.ID)
	if !got.Erased() || got.Email != nil {
		t.Fatal("account not erased")
	}
	if res := c.NoRedirects().Get("/profil"); res.Status != http.StatusSeeOther {
		t.Fatalf("still logged in: %d", res.Status)
	}
	if res := a.Client(t).Login("weg@example.org", testenv.DefaultPassword); res.Status != 422 {
		t.Fatalf("login after deletion: %d", res.Status)
	}
}

// TestSessionsAndLogoutEverywhere.
func TestSessionsAndLogoutEverywhere(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	u := a.CreateUser(t, "viele@example.org", "Viele Geräte", app.RoleCitizen)
	phone, laptop := a.SessionClient(t, u), a.SessionClient(t, u)
	list := laptop.Get("/profil/sitzungen")
	if n := list.Doc.Find("tbody tr").Length(); n != 2 {
		t.Fatalf("%d sessions listed", n)
	}
	// End the phone's session from the laptop.
	var phoneForm string
	list.Doc.Find("tbody tr form").Each(func(i int, s *goquerySelection) {
		if !strings.Contains(s.Parent().Parent().Text(), "dieses Gerät") {
			phoneForm, _ = s.Attr("action")
		}
	})
	if phoneForm == "" {
		t.Fatal("no form to end the other session")
	}
	laptop.PostForm(phoneForm, nil)
	if res := phone.NoRedirects().Get("/profil"); res.Status != http.StatusSeeOther {
		t.Fatalf("phone still logged in: %d", res.Status)
	}
	if res := laptop.Get("/profil"); res.Status != 200 {
		t.Fatalf("laptop logged out too: %d", res.Status)
	}
	tablet := a.SessionClient(t, u)
	laptop.PostForm("/abmelden/ueberall", nil)
	for name, c := range map[string]*testenv.Client{"laptop": laptop, "tablet": tablet} {
		if res := c.NoRedirects().Get("/profil"); res.Status != http.StatusSeeOther {
			t.Errorf("%s still logged in after logout everywhere: %d", name, res.Status)
		}
	}
}

// TestAPIAuthentication: bearer tokens and the session cookie with the CSRF
// header both work; a revoked token does not.
func TestAPIAuthentication(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	admin := a.CreateUser(t, "api-admin@example.org", "API Admin", app.RoleAdmin)
	citizen := a.CreateUser(t, "api-buerger@example.org", "API Bürger", app.RoleCitizen)
	token, err := a.Platform.Auth.CreateAPIToken(context.Background(), admin, admin, "CI")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "mwk_") {
		t.Fatalf("token %q", token)
	}
	var me struct {
		ID    int64  `json:"id"`
		Role  string `json:"role"`
		Email string `json:"email"`
	}
	bearer := a.Client(t)
	if status := bearer.JSON(http.MethodGet, "/api/v1/me", nil, &me, "Authorization", "Bearer "+token); status != 200 || me.ID != admin.ID {
		t.Fatalf("bearer /me: %d %+v", status, me)
	}
	// A change with a bearer token needs no CSRF header.
	req, _ := http.NewRequest(http.MethodPut, a.URL+"/api/v1/admin/users/"+itoa(citizen.ID)+"/role", strings.NewReader(`{"role":"moderator"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if res := bearer.Do(req); res.Status != 200 {
		t.Fatalf("bearer PUT: %d %s", res.Status, res.Body)
	}
	// The session cookie with the CSRF header.
	session := a.SessionClient(t, admin)
	var info struct {
		CSRF string `json:"csrf_token"`
	}
	session.JSON(http.MethodGet, "/api/v1/session", nil, &info)
	if info.CSRF == "" {
		t.Fatal("no CSRF token from /api/v1/session")
	}
	var errBody struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	if status := session.JSON(http.MethodPut, "/api/v1/admin/users/"+itoa(citizen.ID)+"/role", map[string]string{"role": "kaiser"}, &errBody, "X-CSRF-Token", info.CSRF); status != 422 || errBody.Error.Fields["role"] == "" {
		t.Fatalf("invalid role: %d %+v", status, errBody)
	}
	// Audit: the role change through the API is logged.
	entries, _, _ := a.Store.ListAudit(context.Background(), store.AuditFilter{Action: app.AuditRoleChange})
	if len(entries) != 1 || *entries[0].ActorID != admin.ID {
		t.Fatalf("audit entries: %+v", entries)
	}
	// Revoke the token.
	toks, _ := a.Store.UserAPITokens(context.Background(), admin.ID)
	if err := a.Store.DeleteAPIToken(context.Background(), admin.ID, toks[0].ID); err != nil {
		t.Fatal(err)
	}
	if status := bearer.JSON(http.MethodGet, "/api/v1/me", nil, &errBody, "Authorization", "Bearer "+token); status != 401 || errBody.Error.Code != "unauthorized" {
		t.Fatalf("revoked token: %d %+v", status, errBody)
	}
	// English error messages on request.
	bearer.JSON(http.MethodGet, "/api/v1/me", nil, &errBody, "Authorization", "Bearer "+token, "Accept-Language", "en")
	if !strings.Contains(errBody.Error.Message, "token") {
		t.Fatalf("English message: %q", errBody.Error.Message)
	}
}

// TestAdminChangesRoles: through the admin area, logged in the audit log;
// the last admin cannot be demoted.
func TestAdminChangesRoles(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	admin := a.CreateUser(t, "chefin@example.org", "Chefin", app.RoleAdmin)
	u := a.CreateUser(t, "helfer@example.org", "Helfer", app.RoleCitizen)
	c := a.SessionClient(t, admin)
	list := c.Get("/admin/nutzer?q=helf")
	if n := list.Doc.Find("tbody tr").Length(); n != 1 {
		t.Fatalf("search found %d rows", n)
	}
	res := c.Submit(list, "form[action='/admin/nutzer/"+itoa(u.ID)+"/rolle']", url.Values{"role": {"moderator"}})
	if !strings.Contains(res.Text(), "Rolle wurde geändert") {
		t.Fatalf("role change: %s", res.Text())
	}
	if got, _ := a.Store.UserByID(context.Background(), u.ID); got.Role != app.RoleModerator {
		t.Fatalf("role %s", got.Role)
	}
	res = c.Submit(c.Get("/admin/nutzer"), "form[action='/admin/nutzer/"+itoa(admin.ID)+"/rolle']", url.Values{"role": {"citizen"}})
	if res.Status != 422 || !strings.Contains(res.Text(), "letzte Konto") {
		t.Fatalf("demoting the last admin: %d %s", res.Status, res.Text())
	}
	entries, _, _ := a.Store.ListAudit(context.Background(), store.AuditFilter{Action: app.AuditRoleChange})
	if len(entries) != 1 || entries[0].ObjectID != itoa(u.ID) || !strings.Contains(entries[0].Details, `"to":"moderator"`) {
		t.Fatalf("audit: %+v", entries)
	}
}

// TestHomeContentIsEditable: the home page shows the phases and formats
// from the database; an admin's edit appears at once.
func TestHomeContentIsEditable(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	home := a.Client(t).Get("/")
	for _, want := range []string{"Bilanzphase", "Kernarbeitsphase", "Abstimmung und Beschluss", "Werkstattgespräche", "Stadtgebietsforen",
		"Fachforum", "Online-Beteiligung", "Diskussion des Entwurfs", "future.labs"} {
		if !strings.Contains(home.Text(), want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if n := home.Doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1 elements", n)
	}
	admin := a.CreateUser(t, "redaktion@example.org", "Redaktion", app.RoleAdmin)
	c := a.SessionClient(t, admin)
	b, err := a.Store.ContentBlock(context.Background(), app.SectionPhase, "bilanzphase")
	if err != nil {
		t.Fatal(err)
	}
	edit := c.Get("/admin/inhalte/" + itoa(b.ID))
	if res := c.Submit(edit, "main form", url.Values{"title_de": {""}}); res.Status != 422 || res.FieldError("title_de") == "" {
		t.Fatalf("empty title: %d", res.Status)
	}
	c.Submit(edit, "main form", url.Values{"title_de": {"Bilanz ziehen"}, "body_de": {"Neuer **Text** mit <script>alert(1)</script>"}})
	home = a.Client(t).Get("/")
	if !strings.Contains(home.Text(), "Bilanz ziehen") || strings.Contains(home.Body, "<script>alert") {
		t.Fatalf("edited home: %s", home.Text())
	}
	if en := a.Client(t).Get("/?lang=en"); !strings.Contains(en.Text(), "Taking stock") {
		t.Fatal("the English title was lost")
	}
}

// TestLanguage: Accept-Language picks English, the switcher wins and is
// remembered, German is the default.
func TestLanguage(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.Client(t)
	if res := c.Get("/anmelden"); res.Doc.Find("html").AttrOr("lang", "") != "de" || !strings.Contains(res.Text(), "Passwort vergessen") {
		t.Fatal("German is not the default")
	}
	req, _ := http.NewRequest(http.MethodGet, a.URL+"/anmelden", nil)
	req.Header.Set("Accept-Language", "en-GB,en;q=0.9")
	if res := c.Do(req); res.Doc.Find("html").AttrOr("lang", "") != "en" || !strings.Contains(res.Text(), "Forgot your password") {
		t.Fatal("Accept-Language: en was ignored")
	}
	c.Get("/?lang=en")
	if res := c.Get("/anmelden"); !strings.Contains(res.Text(), "Forgot your password") {
		t.Fatal("the language choice was not remembered")
	}
	if res := c.Get("/gibt-es-nicht"); res.Status != 404 || !strings.Contains(res.Text(), "Page not found") {
		t.Fatalf("English 404: %s", res.Text())
	}
	c.Get("/?lang=de")
	if res := c.Get("/gibt-es-nicht"); !strings.Contains(res.Text(), "Seite nicht gefunden") {
		t.Fatalf("German 404: %s", res.Text())
	}
}
