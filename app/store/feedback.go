package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// CreateFeedback stores a message from the feedback form.
func (s *Store) CreateFeedback(ctx context.Context, f *app.Feedback) error {
	f.CreatedAt = s.Now()
	return s.err(s.q(ctx).Create(f).Error)
}

// ListFeedback lists messages, unhandled first and newest first.
func (s *Store) ListFeedback(ctx context.Context, page int) ([]app.Feedback, int64, error) {
	var total int64
	q := s.q(ctx).Model(&app.Feedback{})
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	var out []app.Feedback
	err := paginate(q.Order("CASE WHEN handled_at IS NULL THEN 0 ELSE 1 END, id DESC"), page, 50).Find(&out).Error
	return out, total, s.err(err)
}

// MarkFeedbackHandled closes a message.
func (s *Store) MarkFeedbackHandled(ctx context.Context, id int64) error {
	res := s.q(ctx).Model(&app.Feedback{}).Where("id = ? AND handled_at IS NULL", id).Update("handled_at", s.Now())
	return s.err(res.Error)
}

// CountOpenFeedback counts messages nobody has handled yet.
func (s *Store) CountOpenFeedback(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&app.Feedback{}).Where("handled_at IS NULL").Count(&n).Error
	return n, s.err(err)
}
