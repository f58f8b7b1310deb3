package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// MapFilter selects the public contributions a map counts (issue 14). The
// map only ever counts published contributions and published assessments.
type MapFilter struct {
	ChapterID  int64
	Tag        string // a Handlungsschwerpunkt (or any tag) code
	Channel    string
	From, To   *time.Time // created_at in [From, To)
	Assessment string     // a published assessment status
}

func (s *Store) mapWhere(q *gorm.DB, f MapFilter) *gorm.DB {
	q = s.exportWhere(q, ExportFilter{ChapterID: f.ChapterID, Tag: f.Tag, Channel: f.Channel, From: f.From, To: f.To, PublicOnly: true})
	if f.Assessment != "" {
		q = q.Where("c.assessment_status = ? AND c.assessment_published_at IS NOT NULL", f.Assessment)
	}
	return q
}

// ContributionsByOrtsteil counts the published contributions per Ortsteil
// (keyed by code; Ortsteile without any are missing).
func (s *Store) ContributionsByOrtsteil(ctx context.Context, f MapFilter) (map[string]int, error) {
	var rows []struct {
		Code string
		N    int
	}
	q := s.mapWhere(s.q(ctx).Table("contributions AS c"), f).Where("c.ortsteil_code IS NOT NULL")
	if err := q.Select("c.ortsteil_code AS code, COUNT(*) AS n").Group("c.ortsteil_code").Scan(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Code] = r.N
	}
	return out, nil
}

// PlaceContribution is one published contribution listed on an Ortsteil page.
type PlaceContribution struct {
	Number           int64
	Body             string
	Channel          string
	ChapterTitle     *string
	ChapterSlug      *string
	CreatedAt        time.Time
	AssessmentStatus string // only when published
}

// MaxPlaceContributions bounds the list on an Ortsteil page.
const MaxPlaceContributions = 100

// OrtsteilContributions lists the newest published contributions of an
// Ortsteil that match the filter, and how many there are in all.
func (s *Store) OrtsteilContributions(ctx context.Context, code string, f MapFilter) ([]PlaceContribution, int64, error) {
	base := func() *gorm.DB {
		return s.mapWhere(s.q(ctx).Table("contributions AS c"), f).Where("c.ortsteil_code = ?", code)
	}
	var total int64
	if err := base().Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	var out []PlaceContribution
	err := base().Select(`c.number, c.body, c.channel, ch.title AS chapter_title, ch.slug AS chapter_slug, c.created_at,
		CASE WHEN c.assessment_published_at IS NOT NULL THEN c.assessment_status ELSE '' END AS assessment_status`).
		Joins("LEFT JOIN draft_chapters ch ON ch.id = c.chapter_id").
		Order("c.created_at DESC, c.number DESC").Limit(MaxPlaceContributions).Scan(&out).Error
	return out, total, s.err(err)
}

// OrtsteilAssessments counts the published assessments of the published
// contributions of an Ortsteil by status.
func (s *Store) OrtsteilAssessments(ctx context.Context, code string, f MapFilter) (map[string]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	err := s.mapWhere(s.q(ctx).Table("contributions AS c"), f).
		Where("c.ortsteil_code = ? AND c.assessment_published_at IS NOT NULL AND c.assessment_status <> ''", code).
		Select("c.assessment_status AS status, COUNT(*) AS n").Group("c.assessment_status").Scan(&rows).Error
	if err != nil {
		return nil, s.err(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// OrtsteilEvents lists the published events that concern an Ortsteil: the
// Stadtgebietsforen of its Stadtgebiet and the events whose published
// contributions came from it.
func (s *Store) OrtsteilEvents(ctx context.Context, code string) ([]*app.Event, error) {
	var out []*app.Event
	err := s.q(ctx).Table("events AS e").Select("e.*").
		Where("e.status <> ?", app.EventDraft).
		Where(`e.stadtgebiet_id IN (SELECT g.stadtgebiet_id FROM stadtgebiet_bezirke g JOIN ortsteile o ON o.stadtbezirk_code = g.stadtbezirk_code WHERE o.code = ?)
			OR e.id IN (SELECT c.event_id FROM contributions c WHERE c.ortsteil_code = ? AND c.status = ? AND c.event_id IS NOT NULL)`,
			code, code, app.StatusPublished).
		Order("e.starts_at, e.id").Limit(100).Find(&out).Error
	return out, s.err(err)
}

// OrtsteilLabs lists the active labs that handed over published
// contributions concerning an Ortsteil.
func (s *Store) OrtsteilLabs(ctx context.Context, code string) ([]*app.Lab, error) {
	var out []*app.Lab
	err := s.q(ctx).Where("status = ? AND id IN (SELECT c.lab_id FROM contributions c WHERE c.ortsteil_code = ? AND c.status = ? AND c.lab_id IS NOT NULL)",
		app.LabActive, code, app.StatusPublished).Order("title, id").Limit(100).Find(&out).Error
	return out, s.err(err)
}

// Population is the number of inhabitants of an Ortsteil on a date.
type Population struct {
	OrtsteilCode string `gorm:"primaryKey"`
	Population   int
	AsOf         string // YYYY-MM-DD
	ImportedAt   time.Time
	ImportedBy   *int64
}

// TableName keeps gorm on the table created by the migration.
func (Population) TableName() string { return "ortsteil_population" }

// PopulationByOrtsteil reads the imported population, keyed by Ortsteil.
func (s *Store) PopulationByOrtsteil(ctx context.Context) (map[string]Population, error) {
	var rows []Population
	if err := s.q(ctx).Order("ortsteil_code").Find(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	out := make(map[string]Population, len(rows))
	for _, r := range rows {
		out[r.OrtsteilCode] = r
	}
	return out, nil
}

// ReplacePopulation replaces the whole population table with rows (all or
// nothing) and records the import in the audit log.
func (s *Store) ReplacePopulation(ctx context.Context, actor *app.User, rows []Population) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Where("1 = 1").Delete(&Population{}).Error; err != nil {
			return tx.err(err)
		}
		now := tx.Now()
		for i := range rows {
			rows[i].ImportedAt = now
			if actor != nil {
				rows[i].ImportedBy = &actor.ID
			}
		}
		if len(rows) > 0 {
			if err := tx.q(ctx).Create(&rows).Error; err != nil {
				return tx.err(err)
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditPopulationImport, ObjectType: "ortsteil_population",
			Details: map[string]any{"rows": len(rows)}})
	})
}
