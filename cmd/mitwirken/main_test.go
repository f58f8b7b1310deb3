package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

type cliRun struct {
	stdout, stderr string
	err            error
}

func runCLI(t *testing.T, stdin string, args ...string) cliRun {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), &cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}, args)
	return cliRun{out.String(), errOut.String(), err}
}

func openTestStore(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestUserAndTokenCommands: `user add` (verified at once), `user role`,
// `token create` (only the hash is stored), and German errors.
func TestUserAndTokenCommands(t *testing.T) {
	url := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", url)
	s := openTestStore(t, url)
	ctx := context.Background()

	r := runCLI(t, "ein sicheres Passwort\n", "user", "add", "--email", "Staff@Example.org", "--name", "Stadtplanung", "--role", "admin", "--password-stdin")
	if r.err != nil {
		t.Fatalf("user add: %v %s", r.err, r.stderr)
	}
	u, err := s.UserByEmail(ctx, "staff@example.org")
	if err != nil || !u.Verified() || u.Role != app.RoleAdmin || !u.HasPassword() {
		t.Fatalf("created account: %+v %v", u, err)
	}
	if ok, _ := auth.CheckPassword(*u.PasswordHash, "ein sicheres Passwort"); !ok {
		t.Fatal("password from stdin not set")
	}
	if r := runCLI(t, "kurz\n", "user", "add", "--email", "b@example.org", "--name", "B Name", "--password-stdin"); r.err == nil || !strings.Contains(r.err.Error(), "mindestens 10 Zeichen") {
		t.Fatalf("short password: %v", r.err)
	}
	if r := runCLI(t, "ein sicheres Passwort\n", "user", "add", "--email", "staff@example.org", "--name", "Doppelt", "--password-stdin"); r.err == nil {
		t.Fatal("a second account with the same address")
	}

	if r := runCLI(t, "", "user", "role", "--email", "staff@example.org", "--role", "moderator"); r.err == nil {
		t.Fatal("the last admin was demoted")
	}
	runCLI(t, "pw-ist-lang-genug\n", "user", "add", "--email", "zwei@example.org", "--name", "Zweite", "--role", "citizen", "--password-stdin")
	if r := runCLI(t, "", "user", "role", "--email", "zwei@example.org", "--role", "moderator"); r.err != nil {
		t.Fatalf("user role: %v", r.err)
	}
	if u2, _ := s.UserByEmail(ctx, "zwei@example.org"); u2.Role != app.RoleModerator {
		t.Fatalf("role %s", u2.Role)
	}

	r = runCLI(t, "", "token", "create", "--email", "staff@example.org")
	if r.err != nil {
		t.Fatal(r.err)
	}
	token := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(token, "mwk_") || strings.Contains(r.stderr, token) {
		t.Fatalf("token output %q / %q", r.stdout, r.stderr)
	}
	_, owner, err := s.APITokenUser(ctx, auth.HashToken(token))
	if err != nil || owner.ID != u.ID {
		t.Fatalf("token not usable: %v", err)
	}
	var raw int64
	s.Gorm().Table("api_tokens").Where("token_hash = ?", token).Count(&raw)
	if raw != 0 {
		t.Fatal("the plain token is stored")
	}
}

// TestMigrateAndAuditCommands.
func TestMigrateAndAuditCommands(t *testing.T) {
	url := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", url)
	if r := runCLI(t, "", "migrate"); r.err != nil || !strings.Contains(r.stdout, "aktuell") {
		t.Fatalf("migrate: %v %q", r.err, r.stdout)
	}
	r := runCLI(t, "", "migrate", "status")
	if r.err != nil || !strings.Contains(r.stdout, "0001") || strings.Contains(r.stdout, "ausstehend") {
		t.Fatalf("migrate status: %v\n%s", r.err, r.stdout)
	}
	s := openTestStore(t, url)
	for i := 0; i < 3; i++ {
		if err := s.AppendAudit(context.Background(), app.AuditEvent{Action: "test.cli"}); err != nil {
			t.Fatal(err)
		}
	}
	if r := runCLI(t, "", "audit", "verify"); r.err != nil || !strings.Contains(r.stdout, "3 Einträge") {
		t.Fatalf("audit verify: %v %q", r.err, r.stdout)
	}
	if s.Dialect() == store.Postgres {
		s.Gorm().Exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`)
	} else {
		s.Gorm().Exec(`DROP TRIGGER audit_log_no_update`)
	}
	if err := s.Gorm().Exec(`UPDATE audit_log SET action = 'geaendert' WHERE id = 2`).Error; err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "audit", "verify"); r.err == nil || !strings.Contains(r.err.Error(), "Eintrag 2") {
		t.Fatalf("tampered log: %v", r.err)
	}
}

// TestSeedIsIdempotent.
func TestSeedIsIdempotent(t *testing.T) {
	url := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", url)
	for i := 0; i < 2; i++ {
		if r := runCLI(t, "", "seed", "--demo"); r.err != nil {
			t.Fatalf("seed run %d: %v", i, r.err)
		}
	}
	s := openTestStore(t, url)
	n, _ := s.CountUsers(context.Background())
	if n < 3 {
		t.Fatalf("%d demo accounts", n)
	}
	admin, err := s.UserByEmail(context.Background(), "admin@mitwirken.example")
	if err != nil || admin.Role != app.RoleAdmin {
		t.Fatalf("demo admin: %v", err)
	}
	var drawn []*app.Event // the demo draw (checked in detail by app/seed's TestDemoDraw)
	if err := s.Gorm().Where("title = ?", seed.DemoDrawTitle).Find(&drawn).Error; err != nil || len(drawn) != 1 || drawn[0].DrawStatus != app.DrawDone {
		t.Fatalf("demo draw event: %d, %v", len(drawn), err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if r := runCLI(t, "", "zaubern"); r.err == nil || !strings.Contains(r.stderr, "Befehle") {
		t.Fatalf("unknown command: %v", r.err)
	}
}

// TestSelectionCommands: `selection run` on the Sortition Foundation's CSV
// formats writes a draw that `selection verify` accepts.
func TestSelectionCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cats := write("categories.csv", "category,name,min,max\nstadtgebiet,nord,1,2\nstadtgebiet,sued,1,2\n")
	resp := "id,stadtgebiet\n"
	for i := 0; i < 10; i++ {
		area := "nord"
		if i%3 == 0 {
			area = "sued"
		}
		resp += "p" + strconv.Itoa(i) + "," + area + "\n"
	}
	people := write("respondents.csv", resp)
	out := dir + "/out"
	r := runCLI(t, "", "selection", "run", "--categories", cats, "--respondents", people, "--panel-size", "3", "--out", out, "--seed", "Lottozahlen 2026-11-21: 3 7 19 24 33 41")
	if r.err != nil {
		t.Fatalf("selection run: %v\n%s", r.err, r.stderr)
	}
	if r := runCLI(t, "", "selection", "verify", out+"/draw.json"); r.err != nil {
		t.Fatalf("selection verify: %v\n%s", r.err, r.stdout)
	}
	// A tampered draw fails.
	b, _ := os.ReadFile(out + "/draw.json")
	tampered := strings.Replace(string(b), `"p1"`, `"p9x"`, 1)
	write("tampered.json", tampered)
	if r := runCLI(t, "", "selection", "verify", dir+"/tampered.json"); r.err == nil {
		t.Fatal("a tampered draw verified")
	}
}
