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
// advisory lock (see withAdvisoryLock), on SQLite a lock file beside the database (flock). Both are
// released by the system when the process dies, so a crashed holder never
// blocks the others. fn uses the store as usual; the lock only orders whole
// runs (demo seeding when replicas start together).
func (s *Store) WithLock(ctx context.Context, name string, fn func() error) error {
	if s.dialect == Postgres {
		return s.withAdvisoryLock(ctx, lockID(name), func(*gorm.DB) error { return fn() })
	}
	lock := flock.New(s.sqlitePath + ".lock-" + name)
	ok, err := lock.TryLockContext(ctx, 100*time.Millisecond)
	if err != nil || !ok {
		return fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	defer lock.Unlock()
	return fn()
}

// withAdvisoryLock holds PostgreSQL's advisory lock id while fn runs. The
// lock is transaction-scoped and its transaction stays open until fn
// returns: behind PgBouncer in transaction pooling a session lock would stay
// on whichever server connection took it (and the unlock might run on
// another), while an open transaction keeps its server connection. fn gets
// the locking transaction but may use the pool as well.
func (s *Store) withAdvisoryLock(ctx context.Context, id int64, fn func(tx *gorm.DB) error) error {
	tx := s.db.WithContext(ctx).Begin()
	if tx.Error != nil {
		return s.err(tx.Error)
	}
	defer tx.Rollback()
	if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", id).Error; err != nil {
		return s.err(err)
	}
	if err := fn(tx); err != nil {
		return err
	}
	return s.err(tx.Commit().Error)
}

// lockID turns a lock name into PostgreSQL's 64-bit advisory lock key.
func lockID(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("mitwirken:" + name))
	return int64(h.Sum64())
}
