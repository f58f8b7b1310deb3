package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// SurveyAnswer loads one answer of a finished response.
func (s *Store) SurveyAnswer(ctx context.Context, responseID, questionID int64) (*app.SurveyAnswer, error) {
	var a app.SurveyAnswer
	err := s.q(ctx).Where("response_id = ? AND question_id = ?", responseID, questionID).Take(&a).Error
	return &a, s.err(err)
}

// UnsentSurveyAnswers lists the visible answers to a question that have not
// gone into the contribution pipeline yet, oldest response first.
func (s *Store) UnsentSurveyAnswers(ctx context.Context, questionID int64, other bool, limit int) ([]app.SurveyAnswer, error) {
	var out []app.SurveyAnswer
	text := "value <> ''"
	if other {
		text = "other <> ''"
	}
	err := s.q(ctx).Where("question_id = ? AND contribution_id IS NULL AND hidden = ? AND "+text, questionID, false).
		Order("response_id").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// MarkSurveyAnswerSent links an answer to its contribution. It refuses
// (conflict) when the answer was sent or hidden meanwhile, so that of two
// concurrent sends only one commits.
func (s *Store) MarkSurveyAnswerSent(ctx context.Context, responseID, questionID, contributionID int64) error {
	res := s.q(ctx).Model(&app.SurveyAnswer{}).
		Where("response_id = ? AND question_id = ? AND contribution_id IS NULL AND hidden = ?", responseID, questionID, false).
		Update("contribution_id", contributionID)
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.Errorf(app.CodeConflict, "surveys.already_sent")
	}
	return nil
}
