package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// SurveysToAnnounce lists the surveys open at now whose opening nobody
// has announced yet, oldest opening first.
func (s *Store) SurveysToAnnounce(ctx context.Context, now time.Time, limit int) ([]app.Survey, error) {
	var out []app.Survey
	err := s.q(ctx).Where("announced_at IS NULL AND opens_at IS NOT NULL AND opens_at <= ? AND (closes_at IS NULL OR closes_at > ?)", now, now).
		Order("opens_at, id").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// ClaimSurveyAnnouncement marks a survey's opening as announced; false when
// another instance claimed it first (call it in the announcing transaction).
func (s *Store) ClaimSurveyAnnouncement(ctx context.Context, id int64, now time.Time) (bool, error) {
	res := s.q(ctx).Model(&app.Survey{}).Where("id = ? AND announced_at IS NULL", id).Update("announced_at", now)
	return res.RowsAffected == 1, s.err(res.Error)
}
