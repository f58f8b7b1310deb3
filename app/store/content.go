package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// ContentBlocks lists a section's blocks in display order.
func (s *Store) ContentBlocks(ctx context.Context, section string) ([]app.ContentBlock, error) {
	var out []app.ContentBlock
	err := s.q(ctx).Where("section = ?", section).Order("position, id").Find(&out).Error
	return out, s.err(err)
}

// AllContentBlocks lists every block, grouped by section.
func (s *Store) AllContentBlocks(ctx context.Context) ([]app.ContentBlock, error) {
	var out []app.ContentBlock
	err := s.q(ctx).Order("section, position, id").Find(&out).Error
	return out, s.err(err)
}

// ContentBlock loads one block by section and slug.
func (s *Store) ContentBlock(ctx context.Context, section, slug string) (*app.ContentBlock, error) {
	var b app.ContentBlock
	if err := s.q(ctx).Where("section = ? AND slug = ?", section, slug).First(&b).Error; err != nil {
		return nil, s.err(err)
	}
	return &b, nil
}

// ContentBlockByID loads one block.
func (s *Store) ContentBlockByID(ctx context.Context, id int64) (*app.ContentBlock, error) {
	var b app.ContentBlock
	if err := s.q(ctx).First(&b, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &b, nil
}

// UpdateContentBlock saves an admin's edit and records it in the audit log.
func (s *Store) UpdateContentBlock(ctx context.Context, actor *app.User, id int64, in app.ContentInput) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Model(&app.ContentBlock{}).Where("id = ?", id).Updates(map[string]any{
			"title_de": in.TitleDE, "title_en": in.TitleEN,
			"body_de": in.BodyDE, "body_en": in.BodyEN,
			"position": in.Position, "updated_at": tx.Now(), "updated_by": actor.ID,
		})
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return app.NotFound()
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditContentUpdate, ObjectType: "content", ObjectID: itoa(id)})
	})
}
