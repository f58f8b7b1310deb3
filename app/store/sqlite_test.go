package store_test

import (
	"context"
	"fmt"
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
