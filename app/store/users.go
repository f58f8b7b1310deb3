package store

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// UserByID loads an account, erased ones included.
func (s *Store) UserByID(ctx context.Context, id int64) (*app.User, error) {
	var u app.User
	if err := s.q(ctx).First(&u, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &u, nil
}

// UserByEmail loads the account with this (normalised) address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*app.User, error) {
	var u app.User
	if err := s.q(ctx).Where("email = ?", app.NormalizeEmail(email)).First(&u).Error; err != nil {
		return nil, s.err(err)
	}
	return &u, nil
}

// UsersByIDs loads several accounts at once, keyed by id.
func (s *Store) UsersByIDs(ctx context.Context, ids []int64) (map[int64]*app.User, error) {
	out := make(map[int64]*app.User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var users []*app.User
	if err := s.q(ctx).Where("id IN ?", ids).Find(&users).Error; err != nil {
		return nil, s.err(err)
	}
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}

// CreateUser inserts an account. It reports a taken pseudonym or address as a
// field error and an unknown Ortsteil likewise.
func (s *Store) CreateUser(ctx context.Context, u *app.User) error {
	if err := s.checkUserFields(ctx, u, 0); err != nil {
		return err
	}
	if u.Role == "" {
		u.Role = app.RoleCitizen
	}
	if u.Locale == "" {
		u.Locale = "de"
	}
	if err := s.q(ctx).Create(u).Error; err != nil {
		if app.ErrorCode(s.err(err)) == app.CodeConflict {
			return app.FieldInvalid("display_name", "account.display_name_taken")
		}
		return s.err(err)
	}
	return nil
}

func (s *Store) checkUserFields(ctx context.Context, u *app.User, exceptID int64) error {
	var v app.Validator
	taken, err := s.DisplayNameTaken(ctx, u.DisplayName, exceptID)
	if err != nil {
		return err
	}
	if taken {
		v.Add("display_name", "account.display_name_taken")
	}
	if code := u.Ortsteil(); code != "" {
		ok, err := s.OrtsteilExists(ctx, code)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("ortsteil", "form.ortsteil_unknown")
		}
	}
	return v.Err()
}

// DisplayNameTaken reports whether another live, verified account uses the
// pseudonym or one that looks the same (same confusable skeleton: "Аnna"
// with a Cyrillic А is taken when "Anna" exists). Unverified accounts
// reserve nothing (see claimDisplayName).
func (s *Store) DisplayNameTaken(ctx context.Context, name string, exceptID int64) (bool, error) {
	live := s.q(ctx).Model(&app.User{}).Where("erased_at IS NULL AND email_verified_at IS NOT NULL AND id <> ?", exceptID)
	var n int64
	if err := live.Session(&gorm.Session{}).Where("lower(display_name) = ?", strings.ToLower(name)).Count(&n).Error; err != nil || n > 0 {
		return n > 0, s.err(err)
	}
	// SQL knows no skeletons; the table maps letter to letter, so only names
	// of the same length can look alike.
	var names []string
	if err := live.Session(&gorm.Session{}).Where("length(display_name) = ?", utf8.RuneCountInString(app.CleanDisplayName(name))).
		Pluck("display_name", &names).Error; err != nil {
		return false, s.err(err)
	}
	skeleton := app.NameSkeleton(name)
	for _, other := range names {
		if app.NameSkeleton(other) == skeleton {
			return true, nil
		}
	}
	return false, nil
}

// UpdateProfile saves pseudonym, Ortsteil and language.
func (s *Store) UpdateProfile(ctx context.Context, userID int64, in app.ProfileInput) error {
	u := &app.User{ID: userID, DisplayName: in.DisplayName}
	if in.OrtsteilCode != "" {
		u.OrtsteilCode = &in.OrtsteilCode
	}
	if err := s.checkUserFields(ctx, u, userID); err != nil {
		return err
	}
	err := s.q(ctx).Model(&app.User{}).Where("id = ? AND erased_at IS NULL", userID).Updates(map[string]any{
		"display_name":  in.DisplayName,
		"ortsteil_code": u.OrtsteilCode,
		"locale":        in.Locale,
		"updated_at":    s.Now(),
	}).Error
	if app.ErrorCode(s.err(err)) == app.CodeConflict {
		return app.FieldInvalid("display_name", "account.display_name_taken")
	}
	return s.err(err)
}

// SetPassword replaces the password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	return s.updateUser(ctx, userID, map[string]any{"password_hash": hash})
}

// MarkEmailVerified records that the person confirmed their address.
func (s *Store) MarkEmailVerified(ctx context.Context, userID int64) error {
	if err := s.claimDisplayName(ctx, userID); err != nil {
		return err
	}
	return s.updateUser(ctx, userID, map[string]any{"email_verified_at": s.Now()})
}

// claimDisplayName runs when an address is verified: if a verified account
// took the pseudonym meanwhile, this account gets the first free variant
// ("Name 2", "Name 3", …), which the person can change in the profile.
func (s *Store) claimDisplayName(ctx context.Context, userID int64) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil || u.Verified() || u.Erased() {
		return err
	}
	name := u.DisplayName
	for n := 2; ; n++ {
		taken, err := s.DisplayNameTaken(ctx, name, userID)
		if err != nil || !taken {
			if err == nil && name != u.DisplayName {
				err = s.updateUser(ctx, userID, map[string]any{"display_name": name})
			}
			return err
		}
		suffix := " " + strconv.Itoa(n)
		base := []rune(u.DisplayName)
		if len(base)+len(suffix) > app.MaxDisplayName {
			base = base[:app.MaxDisplayName-len(suffix)]
		}
		name = string(base) + suffix
	}
}

// ChangeEmail sets a new, already confirmed address. A taken address is a
// conflict.
func (s *Store) ChangeEmail(ctx context.Context, userID int64, email string) error {
	if err := s.claimDisplayName(ctx, userID); err != nil {
		return err
	}
	err := s.updateUser(ctx, userID, map[string]any{"email": app.NormalizeEmail(email), "email_verified_at": s.Now()})
	if app.ErrorCode(err) == app.CodeConflict {
		return app.FieldInvalid("email", "account.email_change_failed")
	}
	return err
}

// SetRole changes a role and writes the change to the audit log.
func (s *Store) SetRole(ctx context.Context, actor *app.User, userID int64, role app.Role) error {
	if !role.Valid() {
		return app.FieldInvalid("role", "form.choice_invalid")
	}
	return s.Tx(ctx, func(tx *Store) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if u.Erased() {
			return app.NotFound()
		}
		if u.Role == role {
			return nil
		}
		if u.Role == app.RoleAdmin && role != app.RoleAdmin {
			var admins int64
			if err := tx.q(ctx).Model(&app.User{}).Where("role = ? AND erased_at IS NULL", app.RoleAdmin).Count(&admins).Error; err != nil {
				return tx.err(err)
			}
			if admins <= 1 {
				return app.FieldInvalid("role", "admin.last_admin")
			}
		}
		if err := tx.updateUser(ctx, userID, map[string]any{"role": role}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{
			Actor: actor, Action: app.AuditRoleChange, ObjectType: "user", ObjectID: itoa(userID),
			Details: map[string]any{"from": u.Role, "to": role},
		})
	})
}

func (s *Store) updateUser(ctx context.Context, userID int64, fields map[string]any) error {
	fields["updated_at"] = s.Now()
	res := s.q(ctx).Model(&app.User{}).Where("id = ? AND erased_at IS NULL", userID).Updates(fields)
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.NotFound()
	}
	return nil
}

// UserFilter narrows the admin's list of accounts.
type UserFilter struct {
	Query   string
	Role    app.Role
	Page    int
	PerPage int
}

// ListUsers returns a page of live accounts and the total count.
func (s *Store) ListUsers(ctx context.Context, f UserFilter) ([]*app.User, int64, error) {
	q := s.q(ctx).Model(&app.User{}).Where("erased_at IS NULL")
	if f.Query != "" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		q = q.Where("(lower(display_name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", like, like)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	var users []*app.User
	err := paginate(q.Order("id"), f.Page, f.PerPage).Find(&users).Error
	return users, total, s.err(err)
}

// UsersWithRole lists live accounts holding at least role r.
func (s *Store) UsersWithRole(ctx context.Context, r app.Role) ([]*app.User, error) {
	var roles []app.Role
	for _, known := range app.Roles {
		if known.AtLeast(r) {
			roles = append(roles, known)
		}
	}
	var users []*app.User
	err := s.q(ctx).Where("role IN ? AND erased_at IS NULL", roles).Order("id").Find(&users).Error
	return users, s.err(err)
}

// CountUsers counts live accounts.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&app.User{}).Where("erased_at IS NULL").Count(&n).Error
	return n, s.err(err)
}

func paginate(q *gorm.DB, page, perPage int) *gorm.DB {
	if perPage <= 0 || perPage > 200 {
		perPage = 50
	}
	if page < 1 {
		page = 1
	}
	return q.Limit(perPage).Offset((page - 1) * perPage)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
