package store

import (
	"errors"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// fullState remembers that the database ran out of space: the last write
// failed with "database or disk is full" (SQLite) or ENOSPC, and none has
// succeeded since. Readiness reports it, so a load balancer and the
// operators see the cause instead of a stream of failing requests.
type fullState struct{ full atomic.Bool }

// Full tells whether the last write failed for lack of space.
func (s *Store) Full() bool { return s.space.full.Load() }

// isFull recognises a write refused for lack of space: SQLite's
// SQLITE_FULL, ENOSPC, PostgreSQL's disk_full (53100).
func isFull(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "53100"
	}
	return errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "database or disk is full")
}

// noteFull records the outcome of a write.
func (s *Store) noteFull(err error) {
	switch {
	case isFull(err):
		if !s.space.full.Swap(true) {
			s.log.Error("the database is full: no space left for writes; free disk space", "database", string(s.dialect))
		}
	case err == nil:
		if s.space.full.Swap(false) {
			s.log.Info("the database accepts writes again")
		}
	}
}

// registerFullWatch watches every write: a write that succeeds after a full
// disk clears the state.
func registerFullWatch(db *gorm.DB, s *Store) {
	watch := func(tx *gorm.DB) { s.noteFull(tx.Error) }
	cb := db.Callback()
	_ = cb.Create().After("gorm:create").Register("mitwirken:full_create", watch)
	_ = cb.Update().After("gorm:update").Register("mitwirken:full_update", watch)
	_ = cb.Delete().After("gorm:delete").Register("mitwirken:full_delete", watch)
	_ = cb.Raw().After("gorm:raw").Register("mitwirken:full_raw", watch)
}
