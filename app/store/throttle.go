package store

import (
	"context"
	"time"
)

// LoginWindow is the window of the login throttle.
const LoginWindow = 15 * time.Minute

// Hit counts one event under key in a fixed window of the given length and
// returns the count in the current window (this event included) and when
// the window started. Counting and reading are one statement, so that
// concurrent callers on any instance each see a different count.
func (s *Store) Hit(ctx context.Context, key string, window time.Duration) (int, time.Time, error) {
	now := s.Now().Unix()
	cutoff := now - int64(window/time.Second)
	var row struct {
		Hits        int
		WindowStart int64
	}
	err := s.scanRaw(ctx, &row, `INSERT INTO rate_counters (key_hash, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (key_hash) DO UPDATE SET
			hits = CASE WHEN rate_counters.window_start <= ? THEN 1 ELSE rate_counters.hits + 1 END,
			window_start = CASE WHEN rate_counters.window_start <= ? THEN excluded.window_start ELSE rate_counters.window_start END
		RETURNING hits, window_start`, key, now, cutoff, cutoff)
	if err != nil {
		return 0, time.Time{}, s.err(err)
	}
	return row.Hits, time.Unix(row.WindowStart, 0), nil
}

// Unhit takes back one event counted under key (a login that turned out to
// be right does not count against its IP).
func (s *Store) Unhit(ctx context.Context, key string) error {
	return s.err(s.q(ctx).Exec(`UPDATE rate_counters SET hits = hits - 1 WHERE key_hash = ? AND hits > 0`, key).Error)
}

// RecordLoginFailure counts one failed login under each key in the login
// window (the login itself counts through Hit; this is for tools and tests).
func (s *Store) RecordLoginFailure(ctx context.Context, keyHashes ...string) error {
	for _, k := range keyHashes {
		if _, _, err := s.Hit(ctx, k, LoginWindow); err != nil {
			return err
		}
	}
	return nil
}

// ClearLoginFailures forgets a key's count after a successful login.
func (s *Store) ClearLoginFailures(ctx context.Context, keyHash string) error {
	return s.err(s.q(ctx).Exec(`DELETE FROM rate_counters WHERE key_hash = ?`, keyHash).Error)
}

// PruneLoginFailures deletes counters whose window started before the given
// time (login and mail counters alike).
func (s *Store) PruneLoginFailures(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Exec(`DELETE FROM rate_counters WHERE window_start < ?`, before.Unix())
	return res.RowsAffected, s.err(res.Error)
}
