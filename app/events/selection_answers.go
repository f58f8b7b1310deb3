package events

import (
	"context"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// SelectionAnswerField is the form field of a free category's answer.
func SelectionAnswerField(categoryID int64) string {
	return "answer_cat_" + strconv.FormatInt(categoryID, 10)
}

// checkSelectionAnswers validates the answers to the free quota categories
// of an event (category id → value). Like the other answers for the draw
// they need consent; answers to unknown categories or values are refused.
func checkSelectionAnswers(ctx context.Context, tx *store.Store, ev *app.Event, in *app.RegistrationInput) (map[int64]string, error) {
	answers := map[int64]string{}
	for id, v := range in.Selection {
		if v != "" {
			answers[id] = v
		}
	}
	if len(answers) == 0 {
		return nil, nil
	}
	if ev.Allocation != app.AllocSelection {
		return nil, app.FieldInvalid("answers_consent", "events.answers_not_asked")
	}
	if len(answers) > app.MaxSelectionCategories {
		return nil, app.Errorf(app.CodeInvalid, "events.answers_too_many", "Max", app.MaxSelectionCategories)
	}
	cats, err := tx.SelectionCategories(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	var v app.Validator
	for id, value := range answers {
		field := SelectionAnswerField(id)
		ok := false
		for _, c := range cats {
			if c.ID != id || c.Source != app.SourceFree {
				continue
			}
			for _, val := range c.Values {
				ok = ok || (val.Code != "" && val.Code == value)
			}
		}
		if !ok {
			v.Add(field, "form.choice_invalid")
		}
	}
	if !in.AnswersConsent {
		v.Add("answers_consent", "events.answers_consent_required")
	}
	return answers, v.Err()
}

// FreeCategories lists the free quota categories applicants are asked about.
func (s *Service) FreeCategories(ctx context.Context, ev *app.Event) ([]*app.SelectionCategory, error) {
	if ev.Allocation != app.AllocSelection {
		return nil, nil
	}
	cats, err := s.Store.SelectionCategories(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	var out []*app.SelectionCategory
	for _, c := range cats {
		if c.Source == app.SourceFree {
			out = append(out, c)
		}
	}
	return out, nil
}
