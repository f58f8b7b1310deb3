package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// Count is a labelled number of a report.
type Count struct {
	Key string
	N   int
}

// countRows runs a grouping query that selects "key" and "n".
func (s *Store) countRows(ctx context.Context, sql string, args ...any) ([]Count, error) {
	var out []Count
	err := s.q(ctx).Raw(sql, args...).Scan(&out).Error
	return out, s.err(err)
}

// liveStatuses are the contributions a report counts: everything except
// rejected and withdrawn input.
var liveStatuses = []string{app.StatusPending, app.StatusPublished, app.StatusHidden}

// ContributionsPerChapter counts contributions by chapter id ("" without a
// chapter).
func (s *Store) ContributionsPerChapter(ctx context.Context) ([]Count, error) {
	return s.countRows(ctx, `SELECT COALESCE(CAST(chapter_id AS TEXT), '') AS key, COUNT(*) AS n
		FROM contributions WHERE status IN ? GROUP BY chapter_id`, liveStatuses)
}

// ContributionsPerHandlungsschwerpunkt counts contributions by tag code of
// kind hs.
func (s *Store) ContributionsPerHandlungsschwerpunkt(ctx context.Context) ([]Count, error) {
	return s.countRows(ctx, `SELECT t.code AS key, COUNT(*) AS n FROM contribution_tags t
		JOIN contributions c ON c.id = t.contribution_id WHERE t.kind = 'hs' AND c.status IN ? GROUP BY t.code`, liveStatuses)
}

// ContributionsPerZielfeld counts contributions by Zielfeld (a contribution
// tagged with two Handlungsschwerpunkte of one Zielfeld counts once).
func (s *Store) ContributionsPerZielfeld(ctx context.Context) ([]Count, error) {
	return s.countRows(ctx, `SELECT h.zielfeld_code AS key, COUNT(DISTINCT t.contribution_id) AS n FROM contribution_tags t
		JOIN handlungsschwerpunkte h ON h.code = t.code
		JOIN contributions c ON c.id = t.contribution_id WHERE t.kind = 'hs' AND c.status IN ? GROUP BY h.zielfeld_code`, liveStatuses)
}

// ContributionsPerDay counts contributions by UTC day ("2026-11-21").
func (s *Store) ContributionsPerDay(ctx context.Context) ([]Count, error) {
	day := "substr(created_at, 1, 10)"
	if s.dialect == Postgres {
		day = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return s.countRows(ctx, `SELECT `+day+` AS key, COUNT(*) AS n FROM contributions WHERE status IN ? GROUP BY `+day+` ORDER BY 1`, liveStatuses)
}

// AssessmentProgress counts the published contributions by assessment
// status ("" not yet assessed) and, with key "published", how many
// assessments are published.
func (s *Store) AssessmentProgress(ctx context.Context) ([]Count, error) {
	out, err := s.countRows(ctx, `SELECT assessment_status AS key, COUNT(*) AS n FROM contributions
		WHERE status = ? GROUP BY assessment_status`, app.StatusPublished)
	if err != nil {
		return nil, err
	}
	var n int64
	if err := s.q(ctx).Model(&app.Contribution{}).Where("status = ? AND assessment_published_at IS NOT NULL", app.StatusPublished).Count(&n).Error; err != nil {
		return nil, s.err(err)
	}
	return append(out, Count{"published", int(n)}), nil
}

// Demographics counts the confirmed registrations by the optional answer
// column ("answer_age" or "answer_gender"); empty answers are left out.
// Callers must suppress small cells before showing them.
func (s *Store) Demographics(ctx context.Context, column string) ([]Count, error) {
	if column != "answer_age" && column != "answer_gender" {
		return nil, app.NotFound()
	}
	return s.countRows(ctx, `SELECT `+column+` AS key, COUNT(*) AS n FROM event_registrations
		WHERE status = ? AND `+column+` <> '' GROUP BY `+column, app.RegConfirmed)
}
