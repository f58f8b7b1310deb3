package store

import (
	"context"
	"slices"
	"strings"
	"sync"
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

// credentialUser is an account loaded together with the session or token
// row that authenticates it, in one query.
type credentialUser struct {
	CredID   int64
	CredTime *time.Time
	app.User
	GrantFachamt bool
	GrantAgInsek bool
}

// grantColumns load the grantable roles with the account, in the same query.
const grantColumns = `, EXISTS (SELECT 1 FROM user_roles g WHERE g.user_id = u.id AND g.role = 'fachamt') AS grant_fachamt,
	EXISTS (SELECT 1 FROM user_roles g WHERE g.user_id = u.id AND g.role = 'ag_insek') AS grant_ag_insek`

// credentialColumns are the columns of credentialUser after the credential's
// id and time: the account by name and its grants.
const credentialColumns = `u.id, u.email, u.email_verified_at, u.display_name, u.password_hash, u.ortsteil_code, u.role,
	u.locale, u.privacy_consent_at, u.privacy_version, u.created_at, u.updated_at, u.erased_at` + grantColumns

// loadCredentialUser runs a query that selects the credential's id and
// time, then credentialColumns, and scans its one row by position: every
// request with a login or token runs it, and gorm's scan by reflection cost
// about 60 µs of it (issue 16, the rush's profile).
func (s *Store) loadCredentialUser(ctx context.Context, query string, args ...any) (*credentialUser, error) {
	rows, err := s.q(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, s.err(err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, s.err(err)
		}
		return nil, app.NotFound()
	}
	var r credentialUser
	u := &r.User
	if err := rows.Scan(&r.CredID, &r.CredTime, &u.ID, &u.Email, &u.EmailVerifiedAt, &u.DisplayName, &u.PasswordHash, &u.OrtsteilCode,
		&u.Role, &u.Locale, &u.PrivacyConsentAt, &u.PrivacyVersion, &u.CreatedAt, &u.UpdatedAt, &u.ErasedAt, &r.GrantFachamt, &r.GrantAgInsek); err != nil {
		return nil, s.err(err)
	}
	return &r, nil
}

// user is the account with its grants.
func (r *credentialUser) user() *app.User {
	u := r.User
	if r.GrantFachamt {
		u.Grants = append(u.Grants, app.RoleFachamt)
	}
	if r.GrantAgInsek {
		u.Grants = append(u.Grants, app.RoleAgInsek)
	}
	return &u
}

// APITokenUser finds the account a personal access token belongs to, in one
// query. The token's last use is noted in memory and written by
// FlushTokenUse, so that a request with a token costs no write.
func (s *Store) APITokenUser(ctx context.Context, tokenHash string) (*app.APIToken, *app.User, error) {
	r, err := s.loadCredentialUser(ctx, `SELECT t.id, t.last_used_at, `+credentialColumns+` FROM api_tokens t
		JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.erased_at IS NULL`, tokenHash)
	if err != nil {
		return nil, nil, err
	}
	t := &app.APIToken{ID: r.CredID, UserID: r.User.ID, TokenHash: tokenHash, LastUsedAt: r.CredTime}
	now := s.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > apiTokenTouchInterval {
		s.tokenUse.note(t.ID, now)
	}
	return t, r.user(), nil
}

// tokenUse collects the last use of personal access tokens between flushes.
type tokenUse struct {
	mu   sync.Mutex
	last map[int64]time.Time
}

func (u *tokenUse) note(id int64, at time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.last == nil {
		u.last = map[int64]time.Time{}
	}
	u.last[id] = at
}

func (u *tokenUse) take() map[int64]time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	m := u.last
	u.last = nil
	return m
}

// FlushTokenUse writes the noted last uses of tokens; the platform calls it
// every few seconds and at shutdown. All uses go out in one statement
// (UPDATE … FROM a VALUES list, on PostgreSQL and on SQLite ≥ 3.33), split
// only when more than tokenFlushBatch tokens were used since the last flush;
// a rush of 2,000 token requests costs one write instead of 2,000.
func (s *Store) FlushTokenUse(ctx context.Context) error {
	pending := s.tokenUse.take()
	if len(pending) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(pending))
	for id := range pending {
		ids = append(ids, id)
	}
	slices.Sort(ids) // a fixed lock order across instances
	for len(ids) > 0 {
		n := min(len(ids), tokenFlushBatch)
		if err := s.flushTokenBatch(ctx, ids[:n], pending); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// tokenFlushBatch bounds the rows of one flush statement: two parameters a
// row stay well below the limits of PostgreSQL (65,535) and SQLite (32,766).
const tokenFlushBatch = 5000

func (s *Store) flushTokenBatch(ctx context.Context, ids []int64, at map[int64]time.Time) error {
	row := "(?, ?)"
	if s.dialect == Postgres {
		row = "(?::bigint, ?::timestamptz)"
	}
	var b strings.Builder
	args := make([]any, 0, 2*len(ids))
	b.WriteString(`UPDATE api_tokens SET last_used_at = v.at
		FROM (SELECT column1 AS id, column2 AS at FROM (VALUES `)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
		args = append(args, id, at[id].UTC())
	}
	b.WriteString(`) AS x) AS v
		WHERE api_tokens.id = v.id AND (api_tokens.last_used_at IS NULL OR api_tokens.last_used_at < v.at)`)
	return s.err(s.q(ctx).Exec(b.String(), args...).Error)
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

// DeleteUserAPITokens revokes all of a person's tokens (after a password
// change or reset) and says how many there were.
func (s *Store) DeleteUserAPITokens(ctx context.Context, userID int64) (int64, error) {
	res := s.q(ctx).Where("user_id = ?", userID).Delete(&app.APIToken{})
	return res.RowsAffected, s.err(res.Error)
}
