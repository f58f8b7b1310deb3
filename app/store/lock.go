package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/gofrs/flock"
	"gorm.io/gorm"
)

// WithLock runs fn while this instance holds the lock called name, which
// every instance on the same database shares: on PostgreSQL a session
// advisory lock, on SQLite a lock file beside the database (flock). Both are
// released by the system when the process dies, so a crashed holder never
// blocks the others. fn uses the store as usual; the lock only orders whole
// runs (demo seeding when replicas start together).
func (s *Store) WithLock(ctx context.Context, name string, fn func() error) error {
	if s.dialect == Postgres {
		id := lockID(name)
		return s.q(ctx).Connection(func(conn *gorm.DB) error {
			if err := conn.Exec("SELECT pg_advisory_lock(?)", id).Error; err != nil {
				return s.err(err)
			}
			defer conn.Exec("SELECT pg_advisory_unlock(?)", id)
			return fn()
		})
	}
	lock := flock.New(s.sqlitePath + ".lock-" + name)
	ok, err := lock.TryLockContext(ctx, 100*time.Millisecond)
	if err != nil || !ok {
		return fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	defer lock.Unlock()
	return fn()
}

// lockID turns a lock name into PostgreSQL's 64-bit advisory lock key.
func lockID(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("mitwirken:" + name))
	return int64(h.Sum64())
}
