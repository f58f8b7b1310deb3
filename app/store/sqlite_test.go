package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestConcurrentReadThenWriteTransactions: transactions that read before
// they write must queue for the write lock instead of failing with "database
// is locked" (SQLite) or losing an update (PostgreSQL, with a row lock).
func TestConcurrentReadThenWriteTransactions(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- s.Tx(ctx, func(tx *store.Store) error {
				if _, err := tx.CountUsers(ctx); err != nil {
					return err
				}
				email := fmt.Sprintf("p%d@example.org", i)
				return tx.CreateUser(ctx, &app.User{Email: &email, DisplayName: fmt.Sprintf("Person %d", i)})
			})
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("transaction failed: %v", err)
		}
	}
	if n, _ := s.CountUsers(ctx); n != 20 {
		t.Fatalf("%d accounts", n)
	}
}

// TestReadOnlyDataDirectoryIsNamed: a data directory SQLite cannot write to
// is named when the store opens, not discovered later without a path.
func TestReadOnlyDataDirectoryIsNamed(t *testing.T) {
	dir := "/sys/kernel" // sysfs takes no new files, not even from root
	if os.Geteuid() != 0 {
		dir = t.TempDir()
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("no read-only directory to test with: %v", err)
	}
	_, err := store.Open(context.Background(), store.Options{URL: "sqlite://" + dir + "/mitwirken.db"})
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "not writable") {
		t.Fatalf("open in a read-only directory: %v", err)
	}
}
