package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// switchOffAuditProtection drops the triggers of audit_log and audit_head,
// as the owner of the database could.
func switchOffAuditProtection(t *testing.T, s *store.Store) {
	t.Helper()
	stmts := []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`, `ALTER TABLE audit_head DISABLE TRIGGER USER`}
	if s.Dialect() == store.SQLite {
		stmts = nil
		for _, tr := range []string{"audit_log_no_update", "audit_log_no_delete", "audit_head_forward", "audit_head_no_insert", "audit_head_no_delete"} {
			stmts = append(stmts, "DROP TRIGGER IF EXISTS "+tr)
		}
	}
	for _, stmt := range stmts {
		if err := s.Gorm().Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditHeadDetectsTruncation: `audit head` exports a signed head; after
// the newest entries are cut off and audit_head is rewound (the triggers
// switched off), plain `audit verify` cannot tell, `audit verify --head`
// can. A head file that was edited is refused.
func TestAuditHeadDetectsTruncation(t *testing.T) {
	url := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", url)
	t.Setenv("MITWIRKEN_AUDIT_KEY", strings.Repeat("k", 40))
	if r := runCLI(t, "", "migrate"); r.err != nil {
		t.Fatal(r.err)
	}
	ctx := context.Background()
	s := openTestStore(t, url)
	if err := s.UseAuditKeys(ctx, [][]byte{[]byte(strings.Repeat("k", 40))}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if err := s.AppendAudit(ctx, app.AuditEvent{Action: "test.cli"}); err != nil {
			t.Fatal(err)
		}
	}
	r := runCLI(t, "", "audit", "head")
	if r.err != nil || !strings.Contains(r.stdout, "entry: 5") || !strings.Contains(r.stdout, "signature: ") {
		t.Fatalf("audit head: %v %q", r.err, r.stdout)
	}
	headFile := filepath.Join(t.TempDir(), "stand.txt")
	if err := os.WriteFile(headFile, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "audit", "verify", "--head", headFile); r.err != nil || !strings.Contains(r.stdout, "Eintrag 5") {
		t.Fatalf("verify against the head: %v %q", r.err, r.stdout)
	}

	switchOffAuditProtection(t, s)
	var hash string
	s.Gorm().Raw(`SELECT hash FROM audit_log WHERE id = 3`).Scan(&hash)
	if err := s.Gorm().Exec(`DELETE FROM audit_log WHERE id > 3`).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Gorm().Exec(`UPDATE audit_head SET last_id = 3, last_hash = ? WHERE id = 1`, hash).Error; err != nil {
		t.Fatal(err)
	}
	// The chain that is left is whole: without the exported head this
	// truncation cannot be seen (docs/operations.md says so).
	if r := runCLI(t, "", "audit", "verify"); r.err != nil {
		t.Fatalf("plain verify of the truncated log: %v", r.err)
	}
	r = runCLI(t, "", "audit", "verify", "--head", headFile)
	if r.err == nil || !strings.Contains(r.err.Error(), "entries were removed") {
		t.Fatalf("verify --head of the truncated log: %v %q", r.err, r.stdout)
	}
	forged := strings.Replace(string(mustRead(t, headFile)), "entry: 5", "entry: 3", 1)
	if err := os.WriteFile(headFile, []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "audit", "verify", "--head", headFile); r.err == nil || !strings.Contains(r.err.Error(), "signature") {
		t.Fatalf("an edited head file: %v", r.err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
