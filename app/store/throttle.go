package store

import (
	"context"
	"time"
)

type loginFailure struct {
	ID       int64
	KeyHash  string
	FailedAt time.Time
}

func (loginFailure) TableName() string { return "login_failures" }

// RecordLoginFailure notes one failed login under each key.
func (s *Store) RecordLoginFailure(ctx context.Context, keyHashes ...string) error {
	now := s.Now()
	rows := make([]loginFailure, 0, len(keyHashes))
	for _, k := range keyHashes {
		rows = append(rows, loginFailure{KeyHash: k, FailedAt: now})
	}
	return s.err(s.q(ctx).Create(&rows).Error)
}

// LoginFailures counts the failures of a key since a time and returns the
// oldest one in that window, which decides when the key is free again.
func (s *Store) LoginFailures(ctx context.Context, keyHash string, since time.Time) (int, time.Time, error) {
	var rows []loginFailure
	err := s.q(ctx).Where("key_hash = ? AND failed_at > ?", keyHash, since).Order("failed_at").Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return 0, time.Time{}, s.err(err)
	}
	return len(rows), rows[0].FailedAt, nil
}

// ClearLoginFailures forgets a key's failures after a successful login.
func (s *Store) ClearLoginFailures(ctx context.Context, keyHash string) error {
	return s.err(s.q(ctx).Where("key_hash = ?", keyHash).Delete(&loginFailure{}).Error)
}

// PruneLoginFailures deletes failures older than the given time.
func (s *Store) PruneLoginFailures(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Where("failed_at < ?", before).Delete(&loginFailure{})
	return res.RowsAffected, s.err(res.Error)
}
