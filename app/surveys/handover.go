package surveys

import (
	"context"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// MaxSendAll bounds one "send all not yet sent" run; the button stays until
// every answer is sent.
const MaxSendAll = 200

// SendAnswers turns free-text answers of a question, or the "other: …" texts
// of a choice, into contributions of
// channel "Umfrage" (moderated, assigned and assessed like every
// contribution) and remembers the contribution on the answer, so an answer
// is sent once. responseID 0 sends every visible answer not yet sent. The
// chapter is the survey's link, else chapterID (nil: no chapter). No author
// is handed over, not even for account-bound surveys: respondents answered a
// survey, not wrote a public comment. It returns how many answers were sent.
// chapterField names the form field of a chosen chapter for its error.
func (s *Service) SendAnswers(ctx context.Context, actor *app.User, sv *app.Survey, questionID, responseID int64, chapterID *int64, chapterField string) (int, error) {
	q, err := s.Store.SurveyQuestionByID(ctx, questionID)
	if err != nil {
		return 0, err
	}
	if q.SurveyID != sv.ID || !hasTexts(q) {
		return 0, app.NotFound()
	}
	if sv.ChapterID != nil {
		chapterID = sv.ChapterID
	} else if chapterID != nil {
		if _, err := s.Store.ChapterByID(ctx, *chapterID); app.ErrorCode(err) == app.CodeNotFound {
			return 0, app.FieldInvalid(chapterField, "contribution.chapter_unknown")
		} else if err != nil {
			return 0, err
		}
	}
	var answers []app.SurveyAnswer
	if responseID != 0 {
		a, err := s.Store.SurveyAnswer(ctx, responseID, questionID)
		if err != nil {
			return 0, err
		}
		switch {
		case sentText(q, a) == "":
			return 0, app.NotFound()
		case a.Hidden:
			return 0, app.Errorf(app.CodeConflict, "surveys.send_hidden")
		case a.ContributionID != nil:
			return 0, app.Errorf(app.CodeConflict, "surveys.already_sent")
		}
		answers = []app.SurveyAnswer{*a}
	} else if answers, err = s.Store.UnsentSurveyAnswers(ctx, questionID, !Free(q), MaxSendAll); err != nil {
		return 0, err
	}
	label := []rune("Umfrage: " + sv.Title)
	if len(label) > app.MaxAuthorLabel {
		label = label[:app.MaxAuthorLabel]
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		for _, a := range answers {
			c := &app.Contribution{Channel: app.ChannelSurvey, ChapterID: chapterID, AuthorLabel: string(label),
				EnteredBy: &actor.ID, Body: sentText(q, &a)}
			if err := tx.CreateContribution(ctx, c); err != nil {
				return err
			}
			if err := tx.MarkSurveyAnswerSent(ctx, a.ResponseID, a.QuestionID, c.ID); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSurveyAnswerSend, ObjectType: "survey_answer",
				ObjectID: strconv.FormatInt(a.ResponseID, 10) + ":" + strconv.FormatInt(a.QuestionID, 10)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(answers), nil
}

// sentText is what an answer contributes: a free text, or the "other: …"
// text of a choice (the choice itself is counted in the results).
func sentText(q *app.SurveyQuestion, a *app.SurveyAnswer) string {
	if Free(q) {
		return a.Value
	}
	return a.Other
}
