package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAuditChainDetectsTampering: an edited row breaks the chain exactly
// there, and so does a deleted one.
func TestAuditChainDetectsTampering(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	admin := testenv.CreateUser(t, s, "admin@example.org", "Admin", app.RoleAdmin)
	for i := 0; i < 5; i++ {
		if err := s.AppendAudit(ctx, app.AuditEvent{Actor: admin, Action: "test.action", ObjectType: "thing", ObjectID: itoa(int64(i)), Details: map[string]any{"n": i}}); err != nil {
			t.Fatal(err)
		}
	}
	checked, broken, err := s.VerifyAudit(ctx)
	if err != nil || broken != nil || checked != 5 {
		t.Fatalf("intact chain: checked=%d broken=%v err=%v", checked, broken, err)
	}

	// The table refuses updates: tampering needs to go around the trigger.
	if err := s.Gorm().Exec(`UPDATE audit_log SET details = '{"n":99}' WHERE id = 3`).Error; err == nil {
		t.Fatal("audit_log accepted an UPDATE")
	}
	tamper(t, s, `UPDATE audit_log SET details = '{"n":99}' WHERE id = 3`)
	_, broken, err = s.VerifyAudit(ctx)
	if err != nil || broken == nil || broken.ID != 3 {
		t.Fatalf("edited entry 3: broken=%+v err=%v", broken, err)
	}
}

func TestAuditChainDetectsDeletion(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	for i := 0; i < 4; i++ {
		if err := s.AppendAudit(ctx, app.AuditEvent{Action: "test.action", ObjectID: itoa(int64(i))}); err != nil {
			t.Fatal(err)
		}
	}
	tamper(t, s, `DELETE FROM audit_log WHERE id = 2`)
	_, broken, _ := s.VerifyAudit(ctx)
	if broken == nil || broken.ID != 2 || !strings.Contains(broken.Reason, "missing") {
		t.Fatalf("deleted entry 2: %+v", broken)
	}
	tamper(t, s, `DELETE FROM audit_log WHERE id = 4`)
	// The last entry deleted: the head still remembers it.
	_, broken, _ = s.VerifyAudit(ctx)
	if broken == nil {
		t.Fatal("deleting entries went unnoticed")
	}
}

// tamper runs a statement with the append-only protection switched off, as
// someone with full database access could.
func tamper(t *testing.T, s *store.Store, stmt string) {
	t.Helper()
	db := s.Gorm()
	var err error
	if s.Dialect() == store.Postgres {
		err = db.Exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`).Error
	} else {
		err = db.Exec(`DROP TRIGGER IF EXISTS audit_log_no_update`).Error
		if err == nil {
			err = db.Exec(`DROP TRIGGER IF EXISTS audit_log_no_delete`).Error
		}
	}
	if err != nil {
		t.Fatalf("switch off protection: %v", err)
	}
	if err := db.Exec(stmt).Error; err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// TestAuditAppendsConcurrently: parallel appends from many goroutines keep
// one unbroken chain.
func TestAuditAppendsConcurrently(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- s.AppendAudit(ctx, app.AuditEvent{Action: "test.parallel", ObjectID: itoa(int64(i))})
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checked, broken, err := s.VerifyAudit(ctx)
	if err != nil || broken != nil || checked != 40 {
		t.Fatalf("checked=%d broken=%+v err=%v", checked, broken, err)
	}
}
