package store

import (
	"context"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
)

// RuleView is a rule with its Fachamt's names.
type RuleView struct {
	app.AssignmentRule
	Short string
	Name  string
}

// AssignmentRules lists the rules by kind and value.
func (s *Store) AssignmentRules(ctx context.Context) ([]*RuleView, error) {
	var out []*RuleView
	err := s.q(ctx).Table("assignment_rules r").Select("r.*, f.short, f.name").
		Joins("JOIN fachaemter f ON f.id = r.fachamt_id").Order("r.kind, r.value, r.role DESC, lower(f.short)").Scan(&out).Error
	return out, s.err(err)
}

// AddRule stores a rule after checking its references: a chapter by id or
// slug, a known tag, an active Fachamt. Audited.
func (s *Store) AddRule(ctx context.Context, actor *app.User, in app.RuleInput) (*app.AssignmentRule, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var r *app.AssignmentRule
	err := s.Tx(ctx, func(tx *Store) error {
		var v app.Validator
		f, err := tx.FachamtByShort(ctx, in.Fachamt)
		switch {
		case app.ErrorCode(err) == app.CodeNotFound || (err == nil && !f.Active):
			v.Add("fachamt", "abwaegung.fachamt_unknown")
		case err != nil:
			return err
		}
		value := in.Value
		switch in.Kind {
		case app.RuleChapter:
			ch, err := tx.chapterByIDOrSlug(ctx, in.Value)
			if app.ErrorCode(err) == app.CodeNotFound {
				v.Add("value", "contribution.chapter_unknown")
			} else if err != nil {
				return err
			} else {
				value = itoa(ch.ID)
			}
		case app.RuleTag:
			if err := tx.checkTags(ctx, &v, []string{in.Value}); err != nil {
				return err
			}
			if v.Has("tags") {
				v = app.Validator{}
				v.Add("value", "contribution.tag_unknown")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		var n int64
		if err := tx.q(ctx).Model(&app.AssignmentRule{}).Where("kind = ?", in.Kind).Count(&n).Error; err != nil {
			return tx.err(err)
		}
		if n >= app.MaxRulesPerKind {
			return app.FieldInvalid("value", "abwaegung.too_many_rules", "Max", app.MaxRulesPerKind)
		}
		if in.Role == app.RuleLead {
			var leads int64
			if err := tx.q(ctx).Model(&app.AssignmentRule{}).Where("kind = ? AND value = ? AND role = ?", in.Kind, value, app.RuleLead).Count(&leads).Error; err != nil {
				return tx.err(err)
			}
			if leads > 0 {
				return app.FieldInvalid("role", "abwaegung.rule_lead_taken")
			}
		}
		r = &app.AssignmentRule{Kind: in.Kind, Value: value, FachamtID: f.ID, Role: in.Role, CreatedAt: tx.Now()}
		if actor != nil {
			r.CreatedBy = &actor.ID
		}
		if err := tx.q(ctx).Create(r).Error; err != nil {
			if app.ErrorCode(tx.err(err)) == app.CodeConflict {
				return app.FieldInvalid("value", "abwaegung.rule_exists")
			}
			return tx.err(err)
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditRule, ObjectType: "rule", ObjectID: itoa(r.ID),
			Details: map[string]any{"kind": r.Kind, "value": r.Value, "fachamt": f.Short, "role": r.Role}})
	})
	return r, err
}

// DeleteRule removes a rule. Audited.
func (s *Store) DeleteRule(ctx context.Context, actor *app.User, id int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Delete(&app.AssignmentRule{}, id)
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return app.NotFound()
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditRule, ObjectType: "rule", ObjectID: itoa(id),
			Details: map[string]any{"deleted": true}})
	})
}

func (s *Store) chapterByIDOrSlug(ctx context.Context, v string) (*app.DraftChapter, error) {
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		return s.ChapterByID(ctx, id)
	}
	return s.ChapterBySlug(ctx, v)
}

// RuleCandidate is a published contribution the rules may assign.
type RuleCandidate struct {
	ID        int64
	ChapterID *int64
	Channel   string
	Tags      []string `gorm:"-"`
}

// RuleCandidates lists up to limit published group primaries that have no
// assessment yet, or (withUnassigned) whose assessment has no lead and was
// never handed back, oldest first.
func (s *Store) RuleCandidates(ctx context.Context, withUnassigned bool, limit int) ([]*RuleCandidate, error) {
	q := s.q(ctx).Table("contributions c").Select("c.id, c.chapter_id, c.channel").
		Joins("LEFT JOIN assessments a ON a.contribution_id = c.id").
		Where("c.status = ? AND c.duplicate_of IS NULL AND (a.id IS NOT NULL OR c.assessment_published_at IS NULL)", app.StatusPublished)
	if withUnassigned {
		q = q.Where("a.id IS NULL OR (a.lead_fachamt_id IS NULL AND a.state = ? AND a.handback_reason = '')", app.StateOpen)
	} else {
		q = q.Where("a.id IS NULL")
	}
	var out []*RuleCandidate
	if err := q.Order("c.id").Limit(limit).Scan(&out).Error; err != nil {
		return nil, s.err(err)
	}
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.ID
	}
	tags, err := s.TagsOf(ctx, ids)
	for _, c := range out {
		c.Tags = tags[c.ID]
	}
	return out, err
}
