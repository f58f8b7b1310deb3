package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// IdentityUser finds the account linked to an external login.
func (s *Store) IdentityUser(ctx context.Context, issuer, subject string) (*app.User, error) {
	var id app.Identity
	if err := s.q(ctx).Where("issuer = ? AND subject = ?", issuer, subject).First(&id).Error; err != nil {
		return nil, s.err(err)
	}
	u, err := s.UserByID(ctx, id.UserID)
	if err != nil {
		return nil, err
	}
	if u.Erased() {
		return nil, app.NotFound()
	}
	return u, nil
}

// CreateUserWithIdentity creates an account for a first external login.
func (s *Store) CreateUserWithIdentity(ctx context.Context, u *app.User, ident *app.Identity) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		ident.UserID = u.ID
		return tx.LinkIdentity(ctx, ident)
	})
}

// LinkIdentity links an external login to an existing account.
func (s *Store) LinkIdentity(ctx context.Context, ident *app.Identity) error {
	ident.CreatedAt = s.Now()
	err := s.q(ctx).Create(ident).Error
	if app.ErrorCode(s.err(err)) == app.CodeConflict {
		return app.Errorf(app.CodeConflict, "account.identity_linked_elsewhere")
	}
	return s.err(err)
}

// UserIdentities lists the external logins linked to an account.
func (s *Store) UserIdentities(ctx context.Context, userID int64) ([]app.Identity, error) {
	var out []app.Identity
	err := s.q(ctx).Where("user_id = ?", userID).Order("id").Find(&out).Error
	return out, s.err(err)
}
