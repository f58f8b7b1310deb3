package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// sessionTouchInterval limits how often a request writes last_seen_at.
const sessionTouchInterval = 5 * time.Minute

// CreateSession stores a new login.
func (s *Store) CreateSession(ctx context.Context, sess *app.Session) error {
	now := s.Now()
	sess.CreatedAt, sess.LastSeenAt = now, now
	return s.err(s.q(ctx).Create(sess).Error)
}

// SessionUser finds the live session with this token hash and its account,
// in one query. Expired sessions and erased accounts are not found.
func (s *Store) SessionUser(ctx context.Context, tokenHash string) (*app.Session, *app.User, error) {
	now := s.Now()
	r, err := s.loadCredentialUser(ctx, `SELECT x.id, x.last_seen_at, `+credentialColumns+` FROM sessions x
		JOIN users u ON u.id = x.user_id WHERE x.token_hash = ? AND x.expires_at > ? AND u.erased_at IS NULL`, tokenHash, now)
	if err != nil {
		return nil, nil, err
	}
	sess := &app.Session{ID: r.CredID, TokenHash: tokenHash, UserID: r.User.ID}
	if r.CredTime != nil {
		sess.LastSeenAt = *r.CredTime
	}
	if now.Sub(sess.LastSeenAt) > sessionTouchInterval {
		sess.LastSeenAt = now
		if err := s.q(ctx).Model(&app.Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now).Error; err != nil {
			return nil, nil, s.err(err)
		}
	}
	return sess, r.user(), nil
}

// DeleteSession ends one login.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return s.err(s.q(ctx).Where("token_hash = ?", tokenHash).Delete(&app.Session{}).Error)
}

// DeleteUserSession ends one of the person's logins by id.
func (s *Store) DeleteUserSession(ctx context.Context, userID, sessionID int64) error {
	return s.err(s.q(ctx).Where("id = ? AND user_id = ?", sessionID, userID).Delete(&app.Session{}).Error)
}

// DeleteUserSessions ends every login of a person except keepID (0: all).
func (s *Store) DeleteUserSessions(ctx context.Context, userID, keepID int64) error {
	return s.err(s.q(ctx).Where("user_id = ? AND id <> ?", userID, keepID).Delete(&app.Session{}).Error)
}

// UserSessions lists a person's live logins, newest first.
func (s *Store) UserSessions(ctx context.Context, userID int64) ([]app.Session, error) {
	var out []app.Session
	err := s.q(ctx).Where("user_id = ? AND expires_at > ?", userID, s.Now()).Order("last_seen_at DESC").Find(&out).Error
	return out, s.err(err)
}

// PruneSessions deletes expired sessions.
func (s *Store) PruneSessions(ctx context.Context) (int64, error) {
	res := s.q(ctx).Where("expires_at <= ?", s.Now()).Delete(&app.Session{})
	return res.RowsAffected, s.err(res.Error)
}
