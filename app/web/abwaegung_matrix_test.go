package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// matrixRoles are the viewers of the route × role matrix: anonymous, the
// ranked roles, and the grantable ones (staff of the lead Fachamt, staff of
// an unrelated Fachamt, AG INSEK).
var matrixRoles = []string{"anonymous", "citizen", "moderator", "fachamt", "fachamt_other", "ag_insek", "admin"}

// TestAbwaegungRoleMatrix: every route of the Abwägung, the Fachämter and
// the access page answers each role as documented in docs/abwaegung.md —
// allowed (any answer but 401/403/login) or refused — for sessions and
// bearer tokens alike; refused changes change nothing.
func TestAbwaegungRoleMatrix(t *testing.T) {
	f := newAbwFix(t)
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	c := f.tagged(t, f.cit, "Mehr Schatten auf Spielplätzen.")
	ctx := context.Background()
	if _, _, err := f.a.Platform.Abwaegung.ApplyRules(ctx, f.agA, true, 10); err != nil {
		t.Fatal(err)
	}
	round, _, err := f.a.Store.StartRound(ctx, f.agA, app.RoundInput{Name: "Erste Runde", Deadline: "2030-01-31"})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]*app.User{
		"citizen": f.other, "moderator": f.mod, "fachamt": f.staffASW, "fachamt_other": f.staffVTA, "ag_insek": f.agA, "admin": f.admin,
	}
	n := c.PublicNumber()
	r := itoa(round.ID)
	coord := []string{"ag_insek", "admin"}
	staff := []string{"fachamt", "fachamt_other", "ag_insek", "admin"}
	lead := []string{"fachamt", "ag_insek", "admin"}
	admin := []string{"admin"}
	routes := []struct {
		method, path, body string
		allowed            []string
	}{
		{"GET", "/abwaegung", "", staff},
		{"GET", "/abwaegung/nicht-zugeordnet", "", coord},
		{"GET", "/abwaegung/uebersicht", "", coord},
		{"GET", "/abwaegung/regeln", "", coord},
		{"GET", "/abwaegung/runden", "", coord},
		{"GET", "/abwaegung/runden/" + r, "", coord},
		{"GET", "/abwaegung/amt/ASW", "", lead},
		{"GET", "/abwaegung/amt/ASW/tabelle.xlsx", "", lead},
		{"GET", "/abwaegung/amt/ASW/hochladen", "", lead},
		{"GET", "/abwaegung/" + n, "", lead},
		{"POST", "/abwaegung/" + n + "/entwurf", "version=0&result=beruecksichtigt&reasoning=x", lead},
		{"POST", "/abwaegung/" + n + "/schritt", "action=submit", lead},
		{"POST", "/abwaegung/" + n + "/schritt", "action=publish", coord},
		{"POST", "/abwaegung/" + n + "/schritt", "action=handback&handback_reason=x", []string{"fachamt"}},
		{"POST", "/abwaegung/" + n + "/zuordnung", "lead=ASW", coord},
		{"POST", "/abwaegung/" + n + "/doppelung", "primary=A-9999", coord},
		{"POST", "/abwaegung/sammelaktion", "ids=" + itoa(c.ID) + "&bulk_action=submit", staff},
		{"POST", "/abwaegung/regeln", "kind=channel&value_channel=online&fachamt=VTA&role=cosign", coord},
		{"POST", "/abwaegung/regeln/anwenden", "", coord},
		{"POST", "/abwaegung/runden", "name=Zweite&deadline=2030-03-01", coord},
		{"POST", "/abwaegung/runden/" + r + "/fristen", "fachamt=ASW&deadline=2030-02-01", coord},
		{"GET", "/admin/fachaemter", "", admin},
		{"GET", "/admin/fachaemter/" + itoa(f.asw.ID), "", admin},
		{"POST", "/admin/fachaemter", "short=AfS&name=Amt+f%C3%BCr+Sport&active=true", admin},
		{"GET", "/admin/nutzer/" + itoa(f.other.ID), "", admin},
		{"POST", "/admin/nutzer/" + itoa(f.other.ID) + "/zugriff", "", admin},
		{"GET", "/api/v1/fachaemter", "", staff},
		{"GET", "/api/v1/fachaemter/ASW/queue", "", lead},
		{"GET", "/api/v1/fachaemter/ASW/queue.xlsx", "", lead},
		{"GET", "/api/v1/assessments", "", coord},
		{"GET", "/api/v1/assessments/" + n, "", lead},
		{"PUT", "/api/v1/assessments/" + n, `{"version":0,"result":"beruecksichtigt","reasoning":"x"}`, lead},
		{"POST", "/api/v1/assessments/" + n + "/transitions", `{"action":"submit"}`, lead},
		{"PUT", "/api/v1/assessments/" + n + "/assignment", `{"lead":"ASW"}`, coord},
	}
	clients := map[string]*testenv.Client{"anonymous": f.a.Client(t).NoRedirects()}
	tokens := map[string]string{}
	for role, u := range users {
		clients[role] = f.a.SessionClient(t, u).NoRedirects()
		tok, err := f.a.Platform.Auth.CreateAPIToken(ctx, u, u, "matrix")
		if err != nil {
			t.Fatal(err)
		}
		tokens[role] = tok
	}
	for _, rt := range routes {
		for _, role := range matrixRoles {
			want := slices.Contains(rt.allowed, role)
			status, login := matrixRequest(t, f.a, clients[role], tokens[role], rt.method, rt.path, rt.body)
			refused := status == http.StatusForbidden || status == http.StatusUnauthorized || login
			if refused == want {
				t.Errorf("%s %s as %s: %d (allowed: %v)", rt.method, rt.path, role, status, want)
			}
			if role == "anonymous" && !refused {
				t.Errorf("%s %s is open to anonymous visitors", rt.method, rt.path)
			}
		}
	}
	// The grants are loaded with bearer tokens too: a Fachamt token cannot
	// read another Fachamt's queue.
	bearer := f.a.Client(t)
	if s := bearer.JSON(http.MethodGet, "/api/v1/fachaemter/ASW/queue", nil, nil, "Authorization", "Bearer "+tokens["fachamt_other"]); s != http.StatusForbidden {
		t.Errorf("VTA token on the ASW queue: %d", s)
	}
	if s := bearer.JSON(http.MethodGet, "/api/v1/fachaemter/ASW/queue", nil, nil, "Authorization", "Bearer "+tokens["fachamt"]); s != http.StatusOK {
		t.Errorf("ASW token on the ASW queue: %d", s)
	}
	// The moderator's and citizen's refused changes left no trace.
	var n2 int64
	f.a.Store.Gorm().Model(&app.AuditEntry{}).Where("action = ? AND actor_id IN ?", app.AuditTransition, []int64{f.mod.ID, f.other.ID, f.staffVTA.ID}).Count(&n2)
	if n2 != 0 {
		t.Errorf("%d transitions by people without the right", n2)
	}
}

// matrixRequest sends one request of the matrix: forms with the CSRF token,
// API calls as JSON with the session (and, for GETs of the API, once more
// with the bearer token, which must answer alike).
func matrixRequest(t *testing.T, a *testenv.App, c *testenv.Client, token, method, path, body string) (int, bool) {
	t.Helper()
	if strings.HasPrefix(path, "/api/") {
		var in any
		if body != "" {
			in = json.RawMessage(body)
		}
		status := c.JSON(method, path, in, nil)
		if method == http.MethodGet && token != "" {
			if s := a.Client(t).JSON(method, path, nil, nil, "Authorization", "Bearer "+token); (s == http.StatusForbidden) != (status == http.StatusForbidden) {
				t.Errorf("GET %s: session %d, bearer token %d", path, status, s)
			}
		}
		return status, false
	}
	var res *testenv.Response
	if method == http.MethodGet {
		res = c.Get(path)
	} else {
		v, _ := url.ParseQuery(body)
		res = c.PostForm(path, v)
	}
	login := res.Status == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/anmelden")
	return res.Status, login
}
