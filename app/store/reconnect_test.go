package store_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestRestartCostsOneFailedQuery: when PostgreSQL cuts every connection (a
// restart, a failover), the pool still holds them. The first query to meet
// a dead one fails; every later query must get a live connection instead of
// meeting the next dead one. pgx itself checks only connections idle for
// more than a second, so on a busy instance each dead connection used to
// cost one failed request (CI saw 503s after /readyz had recovered).
func TestRestartCostsOneFailedQuery(t *testing.T) {
	ctx := context.Background()
	const pooled = 6
	cluster := testenv.StartCluster(t)
	s, err := store.Open(ctx, store.Options{URL: cluster.URL(), MaxOpenConns: pooled})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	// Fill the pool and use every connection twice: pgx checks a connection
	// on its first reuse, and then only after a second of idleness.
	for round := 0; round < 2; round++ {
		holdConnections(t, s, pooled)
	}

	// Cut them all, as a restart does, from a connection of its own.
	admin, err := sql.Open("pgx", cluster.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var cut int
	if err := admin.QueryRowContext(ctx,
		"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()").Scan(&cut); err != nil {
		t.Fatal(err)
	}
	if cut < pooled {
		t.Fatalf("cut %d connections, want the %d pooled ones", cut, pooled)
	}

	failed := 0
	for i := 0; i < 2*pooled; i++ {
		if _, err := s.CountUsers(ctx); err != nil {
			failed++
			t.Logf("query %d: %v", i, err)
		}
	}
	if failed > 1 {
		t.Fatalf("%d of %d queries after the cut failed; only the first to meet a dead connection may", failed, 2*pooled)
	}
}

// holdConnections runs n transactions at once, so the pool holds n
// connections afterwards.
func holdConnections(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	var inside, release sync.WaitGroup
	inside.Add(n)
	release.Add(1)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			errs <- s.Tx(ctx, func(tx *store.Store) error {
				_, err := tx.CountUsers(ctx)
				inside.Done()
				release.Wait()
				return err
			})
		}()
	}
	inside.Wait()
	release.Done()
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
