package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// Documents lists draft documents, newest first; publishedOnly hides the
// ones admins are still preparing.
func (s *Store) Documents(ctx context.Context, publishedOnly bool) ([]app.DraftDocument, error) {
	q := s.q(ctx)
	if publishedOnly {
		q = q.Where("published = ?", true)
	}
	var out []app.DraftDocument
	err := q.Order("id DESC").Find(&out).Error
	return out, s.err(err)
}

// DocumentByID loads a document.
func (s *Store) DocumentByID(ctx context.Context, id int64) (*app.DraftDocument, error) {
	var d app.DraftDocument
	if err := s.q(ctx).First(&d, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &d, nil
}

// DocumentBySlug loads a document by its address part.
func (s *Store) DocumentBySlug(ctx context.Context, slug string) (*app.DraftDocument, error) {
	var d app.DraftDocument
	if err := s.q(ctx).Where("slug = ?", slug).First(&d).Error; err != nil {
		return nil, s.err(err)
	}
	return &d, nil
}

// SaveDocument creates (id 0) or updates a document and audits the change.
func (s *Store) SaveDocument(ctx context.Context, actor *app.User, id int64, in app.DocumentInput) (*app.DraftDocument, error) {
	var d app.DraftDocument
	err := s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		if id == 0 {
			d = app.DraftDocument{Slug: in.Slug, Title: in.Title, Intro: in.Intro, Moderation: in.Moderation, Published: in.Published, CreatedAt: now, UpdatedAt: now}
			if err := tx.q(ctx).Create(&d).Error; err != nil {
				return slugConflict(tx.err(err))
			}
		} else {
			res := tx.q(ctx).Model(&app.DraftDocument{}).Where("id = ?", id).Updates(map[string]any{
				"slug": in.Slug, "title": in.Title, "intro": in.Intro, "moderation": in.Moderation,
				"published": in.Published, "updated_at": now,
			})
			if res.Error != nil {
				return slugConflict(tx.err(res.Error))
			}
			if res.RowsAffected == 0 {
				return app.NotFound()
			}
			if err := tx.q(ctx).First(&d, id).Error; err != nil {
				return tx.err(err)
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditDraftDocument, ObjectType: "draft_document", ObjectID: itoa(d.ID),
			Details: map[string]any{"moderation": d.Moderation, "published": d.Published}})
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func slugConflict(err error) error {
	if app.ErrorCode(err) == app.CodeConflict {
		return app.FieldInvalid("slug", "draft.slug_taken")
	}
	return err
}

// Chapters lists a document's chapters in reading order.
func (s *Store) Chapters(ctx context.Context, documentID int64) ([]app.DraftChapter, error) {
	var out []app.DraftChapter
	err := s.q(ctx).Where("document_id = ?", documentID).Order("position, id").Find(&out).Error
	return out, s.err(err)
}

// ChaptersOf lists the chapters of several documents in reading order.
func (s *Store) ChaptersOf(ctx context.Context, documentIDs []int64) ([]app.DraftChapter, error) {
	var out []app.DraftChapter
	if len(documentIDs) == 0 {
		return out, nil
	}
	err := s.q(ctx).Where("document_id IN ?", documentIDs).Order("document_id, position, id").Find(&out).Error
	return out, s.err(err)
}

// ChapterByID loads a chapter.
func (s *Store) ChapterByID(ctx context.Context, id int64) (*app.DraftChapter, error) {
	var c app.DraftChapter
	if err := s.q(ctx).First(&c, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &c, nil
}

// ChapterBySlug loads a chapter by its address part.
func (s *Store) ChapterBySlug(ctx context.Context, slug string) (*app.DraftChapter, error) {
	var c app.DraftChapter
	if err := s.q(ctx).Where("slug = ?", slug).First(&c).Error; err != nil {
		return nil, s.err(err)
	}
	return &c, nil
}

// LockChapter loads a chapter inside a transaction and holds its row until
// the transaction ends, so that two editors saving versions at once on any
// instances take turns (anchor numbers and version numbers stay unique).
func (s *Store) LockChapter(ctx context.Context, id int64) (*app.DraftChapter, error) {
	res := s.q(ctx).Exec("UPDATE draft_chapters SET next_anchor = next_anchor WHERE id = ?", id)
	if res.Error != nil {
		return nil, s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, app.NotFound()
	}
	return s.ChapterByID(ctx, id)
}

// LockDocumentChapters holds a document's row until the transaction ends
// (so that chapters added at once on any instances take turns) and counts
// its chapters.
func (s *Store) LockDocumentChapters(ctx context.Context, documentID int64) (int64, error) {
	res := s.q(ctx).Exec("UPDATE draft_documents SET updated_at = updated_at WHERE id = ?", documentID)
	if res.Error != nil {
		return 0, s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return 0, app.NotFound()
	}
	var n int64
	err := s.q(ctx).Model(&app.DraftChapter{}).Where("document_id = ?", documentID).Count(&n).Error
	return n, s.err(err)
}

// CreateChapter inserts a chapter without text; SaveVersion adds the text.
func (s *Store) CreateChapter(ctx context.Context, c *app.DraftChapter) error {
	now := s.Now()
	c.CreatedAt, c.UpdatedAt = now, now
	if c.NextAnchor < 1 {
		c.NextAnchor = 1
	}
	return slugConflict(s.err(s.q(ctx).Create(c).Error))
}

// UpdateChapterMeta changes title, address, Fachamt and position.
func (s *Store) UpdateChapterMeta(ctx context.Context, id int64, in app.ChapterInput) error {
	res := s.q(ctx).Model(&app.DraftChapter{}).Where("id = ?", id).Updates(map[string]any{
		"title": in.Title, "slug": in.Slug, "fachamt": in.Fachamt, "position": in.Position, "updated_at": s.Now(),
	})
	if res.Error != nil {
		return slugConflict(s.err(res.Error))
	}
	if res.RowsAffected == 0 {
		return app.NotFound()
	}
	return nil
}

// InsertVersion stores a new version with its blocks and makes it the
// chapter's current one. Call it inside the transaction that locked the
// chapter (LockChapter) and computed the anchors.
func (s *Store) InsertVersion(ctx context.Context, v *app.DraftVersion, blocks []app.DraftBlock, nextAnchor int) error {
	var last int
	if err := s.q(ctx).Model(&app.DraftVersion{}).Where("chapter_id = ?", v.ChapterID).
		Select("COALESCE(MAX(number), 0)").Scan(&last).Error; err != nil {
		return s.err(err)
	}
	v.Number = last + 1
	v.CreatedAt = s.Now()
	if err := s.q(ctx).Create(v).Error; err != nil {
		return s.err(err)
	}
	for i := range blocks {
		blocks[i].VersionID, blocks[i].ChapterID, blocks[i].Position = v.ID, v.ChapterID, i
	}
	if len(blocks) > 0 {
		if err := s.q(ctx).CreateInBatches(blocks, 200).Error; err != nil {
			return s.err(err)
		}
	}
	return s.err(s.q(ctx).Model(&app.DraftChapter{}).Where("id = ?", v.ChapterID).Updates(map[string]any{
		"current_version_id": v.ID, "next_anchor": nextAnchor, "updated_at": s.Now(),
	}).Error)
}

// Versions lists a chapter's versions, oldest first (without their text).
func (s *Store) Versions(ctx context.Context, chapterID int64) ([]app.DraftVersion, error) {
	var out []app.DraftVersion
	err := s.q(ctx).Select("id, chapter_id, number, note, created_by, created_at").
		Where("chapter_id = ?", chapterID).Order("number").Find(&out).Error
	return out, s.err(err)
}

// VersionByID loads a version with its text.
func (s *Store) VersionByID(ctx context.Context, id int64) (*app.DraftVersion, error) {
	var v app.DraftVersion
	if err := s.q(ctx).First(&v, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &v, nil
}

// VersionBlocks lists the blocks of a version in reading order.
func (s *Store) VersionBlocks(ctx context.Context, versionID int64) ([]app.DraftBlock, error) {
	var out []app.DraftBlock
	err := s.q(ctx).Where("version_id = ?", versionID).Order("position").Find(&out).Error
	return out, s.err(err)
}

// BlocksOfVersions lists the blocks of several versions, for quoting the
// text that older comments refer to.
func (s *Store) BlocksOfVersions(ctx context.Context, versionIDs []int64) ([]app.DraftBlock, error) {
	var out []app.DraftBlock
	if len(versionIDs) == 0 {
		return out, nil
	}
	err := s.q(ctx).Where("version_id IN ?", versionIDs).Order("version_id, position").Find(&out).Error
	return out, s.err(err)
}

// BlockExists reports whether a version has a block with this anchor.
func (s *Store) BlockExists(ctx context.Context, versionID int64, anchor string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&app.DraftBlock{}).Where("version_id = ? AND anchor = ?", versionID, anchor).Count(&n).Error
	return n > 0, s.err(err)
}

// Periods lists a document's comment periods in time order.
func (s *Store) Periods(ctx context.Context, documentID int64) ([]app.CommentPeriod, error) {
	var out []app.CommentPeriod
	err := s.q(ctx).Where("document_id = ?", documentID).Order("starts_at, id").Find(&out).Error
	return out, s.err(err)
}

// PeriodsOf lists the periods of several documents.
func (s *Store) PeriodsOf(ctx context.Context, documentIDs []int64) ([]app.CommentPeriod, error) {
	var out []app.CommentPeriod
	if len(documentIDs) == 0 {
		return out, nil
	}
	err := s.q(ctx).Where("document_id IN ?", documentIDs).Order("document_id, starts_at, id").Find(&out).Error
	return out, s.err(err)
}

// AddPeriod adds a comment period and audits it.
func (s *Store) AddPeriod(ctx context.Context, actor *app.User, p *app.CommentPeriod) error {
	return s.Tx(ctx, func(tx *Store) error {
		p.CreatedAt = tx.Now()
		if err := tx.q(ctx).Create(p).Error; err != nil {
			return tx.err(err)
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditDraftPeriod, ObjectType: "draft_document", ObjectID: itoa(p.DocumentID),
			Details: map[string]any{"period": p.ID, "op": "add"}})
	})
}

// DeletePeriod removes a comment period of a document and audits it.
func (s *Store) DeletePeriod(ctx context.Context, actor *app.User, documentID, periodID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Where("id = ? AND document_id = ?", periodID, documentID).Delete(&app.CommentPeriod{})
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return app.NotFound()
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditDraftPeriod, ObjectType: "draft_document", ObjectID: itoa(documentID),
			Details: map[string]any{"period": periodID, "op": "delete"}})
	})
}

// PublishedCounts counts the published contributions per chapter of the
// given documents (replies included).
func (s *Store) PublishedCounts(ctx context.Context, documentIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(documentIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ChapterID int64
		N         int
	}
	err := s.q(ctx).Model(&app.Contribution{}).Select("chapter_id, COUNT(*) AS n").
		Where("document_id IN ? AND chapter_id IS NOT NULL AND status = ?", documentIDs, app.StatusPublished).
		Group("chapter_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.ChapterID] = r.N
	}
	return out, s.err(err)
}
