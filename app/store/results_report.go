package store

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	err := s.scanRaw(ctx, &out, sql, args...)
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

// ContributionsPerDay counts contributions by day in Europe/Berlin
// ("2026-11-21"), the day the report's readers live in: a contribution at
// 23:30 UTC on a Sunday belongs to Berlin's Monday and so to the next week.
// The databases group by UTC hour (SQLite has no time zones) and the hours
// are summed into Berlin days here; Berlin's offsets are whole hours, so no
// hour straddles two days.
func (s *Store) ContributionsPerDay(ctx context.Context) ([]Count, error) {
	hour := "substr(created_at, 1, 13)"
	if s.dialect == Postgres {
		hour = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
	}
	hours, err := s.countRows(ctx, `SELECT `+hour+` AS key, COUNT(*) AS n FROM contributions WHERE status IN ? GROUP BY `+hour+` ORDER BY 1`, liveStatuses)
	if err != nil {
		return nil, err
	}
	var out []Count
	for _, h := range hours {
		t, err := time.ParseInLocation("2006-01-02 15", strings.Replace(h.Key, "T", " ", 1), time.UTC)
		if err != nil {
			return nil, fmt.Errorf("contributions per day: hour %q: %w", h.Key, err)
		}
		day := t.In(app.Berlin).Format(time.DateOnly)
		if n := len(out); n > 0 && out[n-1].Key == day {
			out[n-1].N += h.N
		} else {
			out = append(out, Count{day, h.N})
		}
	}
	return out, nil
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
