package store

import (
	"context"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// Fachaemter lists the Fachämter by short name; inactive ones only if all.
func (s *Store) Fachaemter(ctx context.Context, all bool) ([]*app.Fachamt, error) {
	q := s.q(ctx).Order("lower(short)")
	if !all {
		q = q.Where("active = ?", true)
	}
	var out []*app.Fachamt
	return out, s.err(q.Find(&out).Error)
}

// FachamtByShort finds a Fachamt by its short name, ignoring case.
func (s *Store) FachamtByShort(ctx context.Context, short string) (*app.Fachamt, error) {
	var f app.Fachamt
	if err := s.q(ctx).Where("lower(short) = ?", strings.ToLower(strings.TrimSpace(short))).First(&f).Error; err != nil {
		return nil, s.err(err)
	}
	return &f, nil
}

// FachamtByID loads a Fachamt.
func (s *Store) FachamtByID(ctx context.Context, id int64) (*app.Fachamt, error) {
	var f app.Fachamt
	if err := s.q(ctx).First(&f, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &f, nil
}

// SaveFachamt creates (id 0) or changes a Fachamt; a taken short name is a
// field error. Audited.
func (s *Store) SaveFachamt(ctx context.Context, actor *app.User, id int64, in app.FachamtInput) (*app.Fachamt, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var f *app.Fachamt
	err := s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		if id == 0 {
			f = &app.Fachamt{Short: in.Short, Name: in.Name, Email: in.Email, Active: in.Active, CreatedAt: now, UpdatedAt: now}
			if err := tx.q(ctx).Create(f).Error; err != nil {
				return tx.shortTaken(err)
			}
		} else {
			var err error
			if f, err = tx.FachamtByID(ctx, id); err != nil {
				return err
			}
			f.Short, f.Name, f.Email, f.Active, f.UpdatedAt = in.Short, in.Name, in.Email, in.Active, now
			if err := tx.q(ctx).Model(f).Select("short", "name", "email", "active", "updated_at").Updates(f).Error; err != nil {
				return tx.shortTaken(err)
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditFachamt, ObjectType: "fachamt", ObjectID: f.Short,
			Details: map[string]any{"active": f.Active, "new": id == 0}})
	})
	return f, err
}

func (s *Store) shortTaken(err error) error {
	if app.ErrorCode(s.err(err)) == app.CodeConflict {
		return app.FieldInvalid("short", "abwaegung.short_taken")
	}
	return s.err(err)
}

// userRole is one grant of a grantable role.
type userRole struct {
	UserID    int64
	Role      app.Role
	GrantedBy *int64
	GrantedAt time.Time
}

func (userRole) TableName() string { return "user_roles" }

// GrantsOf lists the grantable roles a person holds.
func (s *Store) GrantsOf(ctx context.Context, userID int64) ([]app.Role, error) {
	var out []app.Role
	err := s.q(ctx).Model(&userRole{}).Where("user_id = ?", userID).Order("role").Pluck("role", &out).Error
	return out, s.err(err)
}

// SetGrant grants (on) or revokes a grantable role; a change is audited,
// repeating one changes nothing.
func (s *Store) SetGrant(ctx context.Context, actor *app.User, userID int64, role app.Role, on bool) error {
	if !role.Grantable() {
		return app.FieldInvalid("role", "form.choice_invalid")
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.liveUser(ctx, userID); err != nil {
			return err
		}
		n, err := tx.toggleRow(ctx, on, actor, "user_roles", "user_id, role, granted_by, granted_at", "user_id, role", &userRole{},
			"user_id = ? AND role = ?", userID, role)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditGrant, ObjectType: "user", ObjectID: itoa(userID),
			Details: map[string]any{"role": role, "granted": on}})
	})
}

// insertIgnore is an INSERT that does nothing when the key exists, on both
// databases.
func insertIgnore(table, columns, values, key string) string {
	return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT (" + key + ") DO NOTHING"
}

// toggleRow inserts the row of a grant or membership (on; its two key
// values, then who and when) unless it exists, or deletes it. It returns
// how many rows changed, so that only a change is audited.
func (s *Store) toggleRow(ctx context.Context, on bool, actor *app.User, table, columns, key string, model any, where string, k1, k2 any) (int64, error) {
	if !on {
		db := s.q(ctx).Where(where, k1, k2).Delete(model)
		return db.RowsAffected, s.err(db.Error)
	}
	var by *int64
	if actor != nil {
		by = &actor.ID
	}
	db := s.q(ctx).Exec(insertIgnore(table, columns, "?, ?, ?, ?", key), k1, k2, by, s.Now())
	return db.RowsAffected, s.err(db.Error)
}

func (s *Store) liveUser(ctx context.Context, userID int64) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.Erased() {
		return app.NotFound()
	}
	return nil
}

// fachamtMember is one person's membership of a Fachamt.
type fachamtMember struct {
	FachamtID int64
	UserID    int64
	AddedBy   *int64
	AddedAt   time.Time
}

func (fachamtMember) TableName() string { return "fachamt_members" }

// SetMembership adds a person to a Fachamt's staff (on) or removes them;
// a change is audited.
func (s *Store) SetMembership(ctx context.Context, actor *app.User, userID, fachamtID int64, on bool) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.liveUser(ctx, userID); err != nil {
			return err
		}
		f, err := tx.FachamtByID(ctx, fachamtID)
		if err != nil {
			return err
		}
		n, err := tx.toggleRow(ctx, on, actor, "fachamt_members", "fachamt_id, user_id, added_by, added_at", "fachamt_id, user_id", &fachamtMember{},
			"fachamt_id = ? AND user_id = ?", fachamtID, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditMembership, ObjectType: "user", ObjectID: itoa(userID),
			Details: map[string]any{"fachamt": f.Short, "member": on}})
	})
}

// MemberFachaemter lists the Fachämter a person works for.
func (s *Store) MemberFachaemter(ctx context.Context, userID int64) ([]*app.Fachamt, error) {
	var out []*app.Fachamt
	err := s.q(ctx).Table("fachaemter f").Select("f.*").Joins("JOIN fachamt_members m ON m.fachamt_id = f.id").
		Where("m.user_id = ?", userID).Order("lower(f.short)").Scan(&out).Error
	return out, s.err(err)
}

// FachamtStaff lists the live accounts that work for a Fachamt and hold the
// fachamt role (the recipients of its reminders).
func (s *Store) FachamtStaff(ctx context.Context, fachamtID int64) ([]*app.User, error) {
	var out []*app.User
	err := s.q(ctx).Table("users u").Select("u.*").
		Joins("JOIN fachamt_members m ON m.user_id = u.id").
		Joins("JOIN user_roles r ON r.user_id = u.id AND r.role = ?", app.RoleFachamt).
		Where("m.fachamt_id = ? AND u.erased_at IS NULL", fachamtID).Order("u.id").Scan(&out).Error
	return out, s.err(err)
}

// eraseAbwaegungData is the erasure step of the Abwägung: the person loses
// their roles and memberships. The texts they wrote stay in the record of
// the city's decision; pages name them "gelöschtes Konto".
func (s *Store) eraseAbwaegungData(ctx context.Context, userID int64) error {
	if err := s.q(ctx).Where("user_id = ?", userID).Delete(&userRole{}).Error; err != nil {
		return s.err(err)
	}
	return s.err(s.q(ctx).Where("user_id = ?", userID).Delete(&fachamtMember{}).Error)
}
