package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestFachamtCommands: `fachamt add` and `list`, `user add --role fachamt
// --fachamt KURZ`, `user role --role ag_insek`, and their German errors.
func TestFachamtCommands(t *testing.T) {
	url := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", url)
	s := openTestStore(t, url)
	ctx := context.Background()
	if r := runCLI(t, "", "fachamt", "add", "--short", "ASW", "--name", "Amt für Wohnungsbau und Stadterneuerung", "--email", "asw@leipzig.example"); r.err != nil {
		t.Fatalf("fachamt add: %v", r.err)
	}
	if r := runCLI(t, "", "fachamt", "add", "--short", "asw", "--name", "Doppelt"); r.err == nil || !strings.Contains(r.err.Error(), "--short: Dieses Kürzel ist schon vergeben") {
		t.Fatalf("taken short name: %v", r.err)
	}
	if r := runCLI(t, "", "fachamt", "add", "--short", "A W", "--name", ""); r.err == nil || !strings.Contains(r.err.Error(), "--name") {
		t.Fatalf("bad input: %v", r.err)
	}
	r := runCLI(t, "ein sicheres Passwort\n", "user", "add", "--email", "asw@example.org", "--name", "ASW Sachbearbeitung", "--role", "fachamt", "--fachamt", "ASW", "--password-stdin")
	if r.err != nil {
		t.Fatalf("user add --role fachamt: %v", r.err)
	}
	u, _ := s.UserByEmail(ctx, "asw@example.org")
	grants, _ := s.GrantsOf(ctx, u.ID)
	amts, _ := s.MemberFachaemter(ctx, u.ID)
	if u.Role != app.RoleCitizen || !slices.Equal(grants, []app.Role{app.RoleFachamt}) || len(amts) != 1 || amts[0].Short != "ASW" {
		t.Fatalf("staff account: %s %v %v", u.Role, grants, amts)
	}
	if r := runCLI(t, "ein sicheres Passwort\n", "user", "add", "--email", "x@example.org", "--name", "Ohne Amt", "--role", "fachamt", "--password-stdin"); r.err == nil || !strings.Contains(r.err.Error(), "--fachamt") {
		t.Fatalf("fachamt without --fachamt: %v", r.err)
	}
	if r := runCLI(t, "", "user", "role", "--email", "asw@example.org", "--role", "ag_insek"); r.err != nil {
		t.Fatalf("user role ag_insek: %v", r.err)
	}
	if grants, _ := s.GrantsOf(ctx, u.ID); !slices.Equal(grants, []app.Role{app.RoleAgInsek, app.RoleFachamt}) {
		t.Fatalf("grants after user role: %v", grants)
	}
	if r := runCLI(t, "", "user", "role", "--email", "asw@example.org", "--role", "ag_insek", "--revoke"); r.err != nil {
		t.Fatal(r.err)
	}
	if grants, _ := s.GrantsOf(ctx, u.ID); !slices.Equal(grants, []app.Role{app.RoleFachamt}) {
		t.Fatalf("grants after --revoke: %v", grants)
	}
	list := runCLI(t, "", "fachamt", "list")
	if list.err != nil || !strings.Contains(list.stdout, "ASW      Amt für Wohnungsbau und Stadterneuerung (aktiv, 1 Mitarbeitende) – asw@leipzig.example") {
		t.Fatalf("fachamt list: %v %q", list.err, list.stdout)
	}
	if n := len(auditOf(t, s, app.AuditGrant)); n != 3 {
		t.Errorf("%d grant changes audited", n)
	}
}

func auditOf(t *testing.T, s *store.Store, action string) []app.AuditEntry {
	t.Helper()
	var out []app.AuditEntry
	s.Gorm().Where("action = ?", action).Find(&out)
	return out
}
