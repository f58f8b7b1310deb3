package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

func appendN(t *testing.T, s *store.Store, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := s.AppendAudit(context.Background(), app.AuditEvent{Action: "test.action", ObjectID: strconv.Itoa(i), Details: map[string]any{"n": i}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditHeadCannotBeRewound: deleting the newest entries (around the
// log's triggers) and rewinding audit_head to the entry before them is
// refused by audit_head's own trigger, so verify reports the gap.
func TestAuditHeadCannotBeRewound(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	appendN(t, s, 5)
	tamper(t, s, `DELETE FROM audit_log WHERE id > 3`)
	var hash string
	if err := s.Gorm().Raw(`SELECT hash FROM audit_log WHERE id = 3`).Scan(&hash).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Gorm().Exec(`UPDATE audit_head SET last_id = 3, last_hash = ? WHERE id = 1`, hash).Error; err == nil {
		t.Fatal("audit_head was rewound")
	}
	for _, stmt := range []string{`DELETE FROM audit_head`, `INSERT INTO audit_head (id, last_id, last_hash) VALUES (2, 0, '')`} {
		if err := s.Gorm().Exec(stmt).Error; err == nil {
			t.Fatalf("audit_head accepted %s", stmt)
		}
	}
	_, broken, err := s.VerifyAudit(ctx)
	if err != nil || broken == nil || broken.ID != 4 {
		t.Fatalf("truncated log: broken=%+v err=%v", broken, err)
	}
}

// sha256Chain recomputes the hashes of entries from..last (and the head)
// in the documented format without any key, as someone with write access to
// the database but not the audit key could.
func sha256Chain(t *testing.T, s *store.Store, from int64) {
	t.Helper()
	var rows []app.AuditEntry
	if err := s.Gorm().Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	prev := ""
	for _, e := range rows {
		if e.ID >= from {
			e.PrevHash = prev
			actor := ""
			if e.ActorID != nil {
				actor = strconv.FormatInt(*e.ActorID, 10)
			}
			var b strings.Builder
			for _, f := range []string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano), actor, e.ActorRole, e.Action, e.ObjectType, e.ObjectID, e.Details, e.PrevHash} {
				fmt.Fprintf(&b, "%d:%s\n", len(f), f)
			}
			sum := sha256.Sum256([]byte(b.String()))
			e.Hash = hex.EncodeToString(sum[:])
			if err := s.Gorm().Exec(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`, e.PrevHash, e.Hash, e.ID).Error; err != nil {
				t.Fatal(err)
			}
		}
		prev = e.Hash
	}
	tamperHead(t, s, `UPDATE audit_head SET last_hash = ? WHERE id = 1`, prev)
}

// tamperHead changes audit_head with its protection switched off.
func tamperHead(t *testing.T, s *store.Store, stmt string, args ...any) {
	t.Helper()
	db := s.Gorm()
	if s.Dialect() == store.Postgres {
		if err := db.Exec(`ALTER TABLE audit_head DISABLE TRIGGER USER`).Error; err != nil {
			t.Fatal(err)
		}
	} else {
		for _, tr := range []string{"audit_head_forward", "audit_head_no_insert", "audit_head_no_delete"} {
			if err := db.Exec(`DROP TRIGGER IF EXISTS ` + tr).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Exec(stmt, args...).Error; err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// TestAuditRecomputedChainIsRefused: an entry edited and the chain after it
// recomputed without the audit key does not verify.
func TestAuditRecomputedChainIsRefused(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	appendN(t, s, 4)
	tamper(t, s, `UPDATE audit_log SET details = '{"n":99}' WHERE id = 2`)
	sha256Chain(t, s, 2)
	_, broken, err := s.VerifyAudit(ctx)
	if err != nil || broken == nil || broken.ID != 2 {
		t.Fatalf("recomputed chain: broken=%+v err=%v", broken, err)
	}
}

// TestAuditKeyRotation: a new key is recorded as an entry written with it;
// the log verifies with both keys, not without the old one, and rewriting
// it as unkeyed entries does not pass either.
func TestAuditKeyRotation(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	keyA, keyB := []byte(strings.Repeat("a", 32)), []byte(strings.Repeat("b", 32))
	if err := s.UseAuditKeys(ctx, [][]byte{keyA}); err != nil {
		t.Fatal(err)
	}
	appendN(t, s, 2)
	if err := s.UseAuditKeys(ctx, [][]byte{keyB, keyA}); err != nil {
		t.Fatal(err)
	}
	if err := s.RotateAuditKey(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.RotateAuditKey(ctx); err != nil { // unchanged now: nothing written
		t.Fatal(err)
	}
	appendN(t, s, 1)
	rotations, _, err := s.ListAudit(ctx, store.AuditFilter{Action: app.AuditKeyRotated, Page: 1, PerPage: 10})
	if err != nil || len(rotations) != 1 || rotations[0].ID != 3 {
		t.Fatalf("rotation entries: %+v %v", rotations, err)
	}
	a, b := store.NewAuditKey(keyA), store.NewAuditKey(keyB)
	if want := fmt.Sprintf(`{"from":%q,"to":%q}`, a.ID, b.ID); rotations[0].Details != want || rotations[0].KeyID != b.ID {
		t.Fatalf("rotation entry %s (key %s), want %s (key %s)", rotations[0].Details, rotations[0].KeyID, want, b.ID)
	}
	if checked, broken, err := s.VerifyAudit(ctx); err != nil || broken != nil || checked != 4 {
		t.Fatalf("both keys: checked=%d broken=%+v err=%v", checked, broken, err)
	}

	// Without the old key the old entries cannot be checked. (A store of
	// its own: UseAuditKeys also loads the generated key, which never
	// wrote here.)
	onlyB, err := store.Open(ctx, store.Options{URL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	defer onlyB.Close()
	if err := onlyB.UseAuditKeys(ctx, [][]byte{keyB}); err != nil {
		t.Fatal(err)
	}
	if _, broken, _ := onlyB.VerifyAudit(ctx); broken == nil || broken.ID != 1 || !strings.Contains(broken.Reason, "not configured") {
		t.Fatalf("without the old key: %+v", broken)
	}

	// Rewritten as entries from before the chain was keyed.
	tamper(t, s, `UPDATE audit_log SET key_id = ''`)
	sha256Chain(t, s, 1)
	tamperHead(t, s, `UPDATE audit_head SET key_id = '' WHERE id = 1`)
	if _, broken, _ := s.VerifyAudit(ctx); broken == nil {
		t.Fatal("a log rewritten without keys verifies")
	}
}
