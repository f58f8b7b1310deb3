package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/mitwirken/mitwirken/app"
)

// CreateLab inserts a lab and makes hostID its first host.
func (s *Store) CreateLab(ctx context.Context, l *app.Lab, hostID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		l.CreatedAt, l.UpdatedAt = now, now
		if l.InviteGen == 0 {
			l.InviteGen = 1
		}
		if err := tx.q(ctx).Create(l).Error; err != nil {
			return tx.err(err)
		}
		return tx.AddLabMember(ctx, l.ID, hostID, app.LabRoleHost)
	})
}

// LabByID loads a lab.
func (s *Store) LabByID(ctx context.Context, id int64) (*app.Lab, error) {
	var l app.Lab
	if err := s.q(ctx).First(&l, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &l, nil
}

// UpdateLab saves title, theme, description and openness.
func (s *Store) UpdateLab(ctx context.Context, id int64, in app.LabInput) error {
	return s.err(s.q(ctx).Model(&app.Lab{}).Where("id = ?", id).Updates(map[string]any{
		"title": in.Title, "theme": in.Theme, "description": in.Description, "open": in.Open, "updated_at": s.Now(),
	}).Error)
}

// BumpLabInviteGen invalidates every invitation link of the lab.
func (s *Store) BumpLabInviteGen(ctx context.Context, id int64) error {
	return s.err(s.q(ctx).Exec("UPDATE labs SET invite_gen = invite_gen + 1, updated_at = ? WHERE id = ?", s.Now(), id).Error)
}

// LabsByStatus lists labs in a state, newest first.
func (s *Store) LabsByStatus(ctx context.Context, status string) ([]app.Lab, error) {
	var out []app.Lab
	err := s.q(ctx).Where("status = ?", status).Order("created_at DESC, id DESC").Find(&out).Error
	return out, s.err(err)
}

// LabWithRole is a lab and the viewer's role in it ("" when not a member).
type LabWithRole struct {
	app.Lab
	Role string
}

// LabsOfUser lists the labs a person belongs to or proposed.
func (s *Store) LabsOfUser(ctx context.Context, userID int64) ([]LabWithRole, error) {
	var out []LabWithRole
	err := s.q(ctx).Table("labs").Select("labs.*, COALESCE(m.role, '') AS role").
		Joins("LEFT JOIN lab_members m ON m.lab_id = labs.id AND m.user_id = ?", userID).
		Where("m.user_id IS NOT NULL OR labs.proposed_by = ?", userID).
		Order("labs.title").Scan(&out).Error
	return out, s.err(err)
}

// ReviewLab approves or rejects a proposed lab; only a proposal can be
// reviewed, so two moderators cannot both decide.
func (s *Store) ReviewLab(ctx context.Context, actor *app.User, id int64, approve bool, reason string) error {
	return s.Tx(ctx, func(tx *Store) error {
		status, action := app.LabRejected, app.AuditLabReject
		if approve {
			status, action = app.LabActive, app.AuditLabApprove
		}
		now := tx.Now()
		res := tx.q(ctx).Model(&app.Lab{}).Where("id = ? AND status = ?", id, app.LabProposed).Updates(map[string]any{
			"status": status, "reviewed_by": actor.ID, "reviewed_at": now, "reject_reason": reason, "updated_at": now,
		})
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.CodeConflict, "labs.already_reviewed")
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: action, ObjectType: "lab", ObjectID: itoa(id)})
	})
}

// LabMember returns a person's membership, or not found.
func (s *Store) LabMember(ctx context.Context, labID, userID int64) (*app.LabMember, error) {
	var m app.LabMember
	if err := s.q(ctx).Where("lab_id = ? AND user_id = ?", labID, userID).First(&m).Error; err != nil {
		return nil, s.err(err)
	}
	return &m, nil
}

// AddLabMember adds a person to a lab; an existing membership keeps its role
// unless the new role is host.
func (s *Store) AddLabMember(ctx context.Context, labID, userID int64, role string) error {
	m := app.LabMember{LabID: labID, UserID: userID, Role: role, CreatedAt: s.Now()}
	onConflict := clause.OnConflict{Columns: []clause.Column{{Name: "lab_id"}, {Name: "user_id"}}, DoNothing: true}
	if role == app.LabRoleHost {
		onConflict = clause.OnConflict{Columns: []clause.Column{{Name: "lab_id"}, {Name: "user_id"}}, DoUpdates: clause.Assignments(map[string]any{"role": app.LabRoleHost})}
	}
	return s.err(s.q(ctx).Clauses(onConflict).Create(&m).Error)
}

// SetLabMemberRole makes a member a host or a host a member. The last host
// cannot step down.
func (s *Store) SetLabMemberRole(ctx context.Context, labID, userID int64, role string) error {
	return s.Tx(ctx, func(tx *Store) error {
		if role != app.LabRoleHost {
			if err := tx.keepOneHost(ctx, labID, userID); err != nil {
				return err
			}
		}
		res := tx.q(ctx).Model(&app.LabMember{}).Where("lab_id = ? AND user_id = ?", labID, userID).Update("role", role)
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return app.NotFound()
		}
		return nil
	})
}

// RemoveLabMember takes a person out of a lab; the last host stays.
func (s *Store) RemoveLabMember(ctx context.Context, labID, userID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.keepOneHost(ctx, labID, userID); err != nil {
			return err
		}
		return tx.err(tx.q(ctx).Where("lab_id = ? AND user_id = ?", labID, userID).Delete(&app.LabMember{}).Error)
	})
}

// keepOneHost fails when userID is the only host of the lab. The lab row is
// locked first so that two hosts leaving at once cannot both pass.
func (s *Store) keepOneHost(ctx context.Context, labID, userID int64) error {
	if err := s.q(ctx).Exec("UPDATE labs SET updated_at = updated_at WHERE id = ?", labID).Error; err != nil {
		return s.err(err)
	}
	var others int64
	err := s.q(ctx).Model(&app.LabMember{}).Where("lab_id = ? AND role = ? AND user_id <> ?", labID, app.LabRoleHost, userID).Count(&others).Error
	if err != nil {
		return s.err(err)
	}
	var self int64
	if err := s.q(ctx).Model(&app.LabMember{}).Where("lab_id = ? AND role = ? AND user_id = ?", labID, app.LabRoleHost, userID).Count(&self).Error; err != nil {
		return s.err(err)
	}
	if self > 0 && others == 0 {
		return app.Errorf(app.CodeConflict, "labs.last_host")
	}
	return nil
}

// LabMemberView is a member with the public name.
type LabMemberView struct {
	UserID      int64
	DisplayName string
	Role        string
	CreatedAt   time.Time
}

// LabMembers lists a lab's members, hosts first.
func (s *Store) LabMembers(ctx context.Context, labID int64) ([]LabMemberView, error) {
	var out []LabMemberView
	err := s.q(ctx).Table("lab_members m").Select("m.user_id, u.display_name, m.role, m.created_at").
		Joins("JOIN users u ON u.id = m.user_id").Where("m.lab_id = ?", labID).
		Order("CASE WHEN m.role = 'host' THEN 0 ELSE 1 END, lower(u.display_name)").Scan(&out).Error
	return out, s.err(err)
}

// CountLabMembers counts the members of each lab in ids.
func (s *Store) CountLabMembers(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		LabID int64
		N     int64
	}
	err := s.q(ctx).Table("lab_members").Select("lab_id, count(*) AS n").Where("lab_id IN ?", ids).Group("lab_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.LabID] = r.N
	}
	return out, s.err(err)
}
