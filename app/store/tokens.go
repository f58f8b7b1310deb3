package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// CreateUserToken stores a mailed single-purpose token and invalidates older
// unused tokens of the same purpose, so only the newest link works.
func (s *Store) CreateUserToken(ctx context.Context, t *app.UserToken) error {
	now := s.Now()
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Model(&app.UserToken{}).
			Where("user_id = ? AND purpose = ? AND used_at IS NULL", t.UserID, t.Purpose).
			Update("used_at", now).Error; err != nil {
			return tx.err(err)
		}
		t.CreatedAt = now
		return tx.err(tx.q(ctx).Create(t).Error)
	})
}

// UseUserToken redeems a token exactly once. An unknown or used token is not
// found; an expired one is gone.
func (s *Store) UseUserToken(ctx context.Context, tokenHash, purpose string) (*app.UserToken, error) {
	var t app.UserToken
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Where("token_hash = ? AND purpose = ?", tokenHash, purpose).First(&t).Error; err != nil {
			return tx.err(err)
		}
		now := tx.Now()
		switch {
		case t.UsedAt != nil:
			return app.NotFound()
		case !t.ExpiresAt.After(now):
			return app.Errorf(app.CodeGone, "account.link_expired")
		}
		res := tx.q(ctx).Model(&app.UserToken{}).Where("id = ? AND used_at IS NULL", t.ID).Update("used_at", now)
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected != 1 {
			return app.NotFound()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateAPIToken stores a personal access token (its hash).
func (s *Store) CreateAPIToken(ctx context.Context, t *app.APIToken) error {
	t.CreatedAt = s.Now()
	return s.err(s.q(ctx).Create(t).Error)
}

// apiTokenTouchInterval limits writes of last_used_at.
const apiTokenTouchInterval = time.Minute

// APITokenUser finds the account a personal access token belongs to.
func (s *Store) APITokenUser(ctx context.Context, tokenHash string) (*app.APIToken, *app.User, error) {
	var t app.APIToken
	if err := s.q(ctx).Where("token_hash = ?", tokenHash).First(&t).Error; err != nil {
		return nil, nil, s.err(err)
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Erased() {
		return nil, nil, app.NotFound()
	}
	now := s.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > apiTokenTouchInterval {
		t.LastUsedAt = &now
		if err := s.q(ctx).Model(&app.APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error; err != nil {
			return nil, nil, s.err(err)
		}
	}
	return &t, u, nil
}

// UserAPITokens lists a person's tokens (never the secret).
func (s *Store) UserAPITokens(ctx context.Context, userID int64) ([]app.APIToken, error) {
	var out []app.APIToken
	err := s.q(ctx).Where("user_id = ?", userID).Order("id").Find(&out).Error
	return out, s.err(err)
}

// DeleteAPIToken revokes one of the person's tokens.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, tokenID int64) error {
	res := s.q(ctx).Where("id = ? AND user_id = ?", tokenID, userID).Delete(&app.APIToken{})
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.NotFound()
	}
	return nil
}
