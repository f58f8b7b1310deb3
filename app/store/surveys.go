package store

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// CreateSurvey inserts a survey (version 1).
func (s *Store) CreateSurvey(ctx context.Context, sv *app.Survey) error {
	now := s.Now()
	sv.CreatedAt, sv.UpdatedAt = now, now
	if sv.Version == 0 {
		sv.Version = 1
	}
	return s.err(s.q(ctx).Create(sv).Error)
}

// SurveyByID loads a survey.
func (s *Store) SurveyByID(ctx context.Context, id int64) (*app.Survey, error) {
	var sv app.Survey
	if err := s.q(ctx).First(&sv, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &sv, nil
}

// UpdateSurveySettings saves what the settings form changes.
func (s *Store) UpdateSurveySettings(ctx context.Context, sv *app.Survey) error {
	sv.UpdatedAt = s.Now()
	return s.err(s.q(ctx).Model(&app.Survey{}).Where("id = ?", sv.ID).Updates(map[string]any{
		"title": sv.Title, "intro": sv.Intro, "thank_you": sv.ThankYou, "consent": sv.Consent,
		"opens_at": sv.OpensAt, "closes_at": sv.ClosesAt, "anonymous": sv.Anonymous, "one_per_screen": sv.OnePerScreen,
		"chapter_id": sv.ChapterID, "event_id": sv.EventID, "updated_at": sv.UpdatedAt,
	}).Error)
}

// Surveys lists every survey, newest first (for the builder).
func (s *Store) Surveys(ctx context.Context) ([]app.Survey, error) {
	var out []app.Survey
	return out, s.err(s.q(ctx).Order("created_at DESC, id DESC").Find(&out).Error)
}

// OpenSurveys lists the surveys that take answers at now, closing soonest first.
func (s *Store) OpenSurveys(ctx context.Context, now time.Time) ([]app.Survey, error) {
	var out []app.Survey
	err := s.q(ctx).Where("opens_at IS NOT NULL AND opens_at <= ? AND (closes_at IS NULL OR closes_at > ?)", now, now).
		Order("closes_at IS NULL, closes_at, id").Find(&out).Error
	return out, s.err(err)
}

// UpcomingSurveys lists the announced surveys that open after now, soonest
// first.
func (s *Store) UpcomingSurveys(ctx context.Context, now time.Time, limit int) ([]app.Survey, error) {
	var out []app.Survey
	err := s.q(ctx).Where("opens_at IS NOT NULL AND opens_at > ?", now).Order("opens_at, id").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// OpenSurveysOfChapter lists the open surveys that belong to a chapter.
func (s *Store) OpenSurveysOfChapter(ctx context.Context, chapterID int64, now time.Time) ([]app.Survey, error) {
	return s.openSurveysWhere(ctx, now, "chapter_id = ?", chapterID)
}

// OpenSurveysOfEvent lists the open surveys that belong to an event.
func (s *Store) OpenSurveysOfEvent(ctx context.Context, eventID int64, now time.Time) ([]app.Survey, error) {
	return s.openSurveysWhere(ctx, now, "event_id = ?", eventID)
}

func (s *Store) openSurveysWhere(ctx context.Context, now time.Time, cond string, id int64) ([]app.Survey, error) {
	var out []app.Survey
	err := s.q(ctx).Where(cond, id).Where("opens_at IS NOT NULL AND opens_at <= ? AND (closes_at IS NULL OR closes_at > ?)", now, now).
		Order("id").Find(&out).Error
	return out, s.err(err)
}

// SurveySections lists a survey's sections in order.
func (s *Store) SurveySections(ctx context.Context, surveyID int64) ([]app.SurveySection, error) {
	var out []app.SurveySection
	return out, s.err(s.q(ctx).Where("survey_id = ?", surveyID).Order("position, id").Find(&out).Error)
}

// CreateSurveySection appends a section.
func (s *Store) CreateSurveySection(ctx context.Context, sec *app.SurveySection) error {
	var n int64
	if err := s.q(ctx).Model(&app.SurveySection{}).Where("survey_id = ?", sec.SurveyID).Count(&n).Error; err != nil {
		return s.err(err)
	}
	sec.Position = int(n) + 1
	return s.err(s.q(ctx).Create(sec).Error)
}

// SurveyQuestions lists the questions of one version of a survey, in order.
func (s *Store) SurveyQuestions(ctx context.Context, surveyID int64, version int) ([]app.SurveyQuestion, error) {
	var out []app.SurveyQuestion
	err := s.q(ctx).Where("survey_id = ? AND since_version <= ? AND (until_version IS NULL OR until_version > ?)", surveyID, version, version).
		Order("position, id").Find(&out).Error
	return out, s.err(err)
}

// AllSurveyQuestions lists every question row of a survey across its
// versions (for results and exports of responses of older versions).
func (s *Store) AllSurveyQuestions(ctx context.Context, surveyID int64) ([]app.SurveyQuestion, error) {
	var out []app.SurveyQuestion
	return out, s.err(s.q(ctx).Where("survey_id = ?", surveyID).Order("position, id").Find(&out).Error)
}

// SurveyQuestionByID loads a question.
func (s *Store) SurveyQuestionByID(ctx context.Context, id int64) (*app.SurveyQuestion, error) {
	var q app.SurveyQuestion
	if err := s.q(ctx).First(&q, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &q, nil
}

// CreateSurveyQuestion inserts a question; a zero position appends it.
func (s *Store) CreateSurveyQuestion(ctx context.Context, q *app.SurveyQuestion) error {
	if q.Position == 0 {
		var max struct{ N int }
		if err := s.q(ctx).Model(&app.SurveyQuestion{}).Select("COALESCE(MAX(position), 0) AS n").Where("survey_id = ?", q.SurveyID).Scan(&max).Error; err != nil {
			return s.err(err)
		}
		q.Position = max.N + 1
	}
	if q.Options == nil {
		q.Options = []string{}
	}
	return s.err(s.q(ctx).Create(q).Error)
}

// UpdateSurveyQuestionWording changes what a question says, nothing of
// what it asks.
func (s *Store) UpdateSurveyQuestionWording(ctx context.Context, q *app.SurveyQuestion) error {
	return s.err(s.q(ctx).Model(&app.SurveyQuestion{}).Where("id = ?", q.ID).Updates(map[string]any{
		"text": q.Text, "help": q.Help, "scale_low": q.ScaleLow, "scale_high": q.ScaleHigh, "section_id": q.SectionID,
	}).Error)
}

// ReplaceSurveyQuestion overwrites a question that nobody answered yet.
func (s *Store) ReplaceSurveyQuestion(ctx context.Context, q *app.SurveyQuestion) error {
	if q.Options == nil {
		q.Options = []string{}
	}
	return s.err(s.q(ctx).Select("*").Omit("id", "survey_id", "position", "since_version", "until_version").Save(q).Error)
}

// EndSurveyQuestion takes a question out of the versions from until on.
func (s *Store) EndSurveyQuestion(ctx context.Context, id int64, until int) error {
	return s.err(s.q(ctx).Model(&app.SurveyQuestion{}).Where("id = ?", id).Update("until_version", until).Error)
}

// BumpSurveyVersion starts the next version of a survey and returns it.
func (s *Store) BumpSurveyVersion(ctx context.Context, sv *app.Survey) error {
	res := s.q(ctx).Model(&app.Survey{}).Where("id = ? AND version = ?", sv.ID, sv.Version).
		Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": s.Now()})
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected != 1 {
		return app.Errorf(app.CodeConflict, "surveys.changed_meanwhile")
	}
	sv.Version++
	return nil
}

// SurveyVersionAnswered reports whether any response (finished or not)
// was given to a version of the survey.
func (s *Store) SurveyVersionAnswered(ctx context.Context, surveyID int64, version int) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&app.SurveyResponse{}).Where("survey_id = ? AND version = ?", surveyID, version).Limit(1).Count(&n).Error
	return n > 0, s.err(err)
}

// SurveyTokenUsed reports whether an anonymous one-time token (its hash)
// already answered the survey.
func (s *Store) SurveyTokenUsed(ctx context.Context, surveyID int64, onceHash string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&app.SurveyResponse{}).Where("survey_id = ? AND once_hash = ?", surveyID, onceHash).Count(&n).Error
	return n > 0, s.err(err)
}

// SurveyResponseOfUser loads a person's response, NotFound when there is none.
func (s *Store) SurveyResponseOfUser(ctx context.Context, surveyID, userID int64) (*app.SurveyResponse, error) {
	var r app.SurveyResponse
	if err := s.q(ctx).Where("survey_id = ? AND user_id = ?", surveyID, userID).First(&r).Error; err != nil {
		return nil, s.err(err)
	}
	return &r, nil
}

// SaveSurveyProgress keeps where an account is in a one-per-screen run
// and its answers so far (form values, JSON), creating an unfinished
// response when it has none. A finished response keeps its answers until
// the run is submitted.
func (s *Store) SaveSurveyProgress(ctx context.Context, surveyID, userID int64, version, step int, draft string) error {
	now := s.Now()
	res := s.q(ctx).Model(&app.SurveyResponse{}).Where("survey_id = ? AND user_id = ?", surveyID, userID).
		Updates(map[string]any{"step": step, "draft": draft, "updated_at": now})
	if res.Error != nil || res.RowsAffected > 0 {
		return s.err(res.Error)
	}
	r := &app.SurveyResponse{SurveyID: surveyID, Version: version, UserID: &userID, Step: step, Draft: draft, CreatedAt: now, UpdatedAt: now}
	return s.err(s.q(ctx).Create(r).Error)
}

// SurveyAnswersOf loads the answers of one response by question.
func (s *Store) SurveyAnswersOf(ctx context.Context, responseID int64) (map[int64]app.SurveyAnswer, error) {
	var rows []app.SurveyAnswer
	if err := s.q(ctx).Where("response_id = ?", responseID).Find(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	out := make(map[int64]app.SurveyAnswer, len(rows))
	for _, a := range rows {
		out[a.QuestionID] = a
	}
	return out, nil
}

// SaveSurveyResponse stores a response (new when r.ID is 0) with its
// answers; the answers to the questions in replace are replaced by those
// given. A second anonymous response with the same one-time token, or a
// second response of one account, is a conflict.
func (s *Store) SaveSurveyResponse(ctx context.Context, r *app.SurveyResponse, replace []int64, answers map[int64]app.SurveyAnswer) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		r.UpdatedAt = now
		if r.ID == 0 {
			r.CreatedAt = now
			if err := tx.q(ctx).Create(r).Error; err != nil {
				if app.ErrorCode(tx.err(err)) == app.CodeConflict {
					return app.Errorf(app.CodeConflict, "surveys.already_answered")
				}
				return tx.err(err)
			}
		} else if err := tx.q(ctx).Model(&app.SurveyResponse{}).Where("id = ?", r.ID).Updates(map[string]any{
			"version": r.Version, "step": r.Step, "draft": r.Draft, "submitted_at": r.SubmittedAt, "updated_at": now}).Error; err != nil {
			return tx.err(err)
		}
		if len(replace) > 0 {
			if err := tx.q(ctx).Where("response_id = ? AND question_id IN ?", r.ID, replace).Delete(&app.SurveyAnswer{}).Error; err != nil {
				return tx.err(err)
			}
		}
		for _, a := range answers {
			a.ResponseID = r.ID
			if err := tx.q(ctx).Create(&a).Error; err != nil {
				return tx.err(err)
			}
		}
		// Last, so the survey's row is locked only until the commit: the
		// cached results of every instance are stale from the commit on.
		return tx.err(tx.q(ctx).Exec("UPDATE surveys SET answers_changed = answers_changed + 1 WHERE id = ?", r.SurveyID).Error)
	})
}

// SurveyResultsStamp is what the cached results of a survey are kept
// under: a counter every save of a response moves on (migration 1140), the
// number of finished responses, which a deletion lowers, and the newest
// finished response (counts are taken up to it, so that later ones can be
// added to them). One query: a primary-key read, and a count and maximum on
// the partial index of finished responses (migration 1310).
type SurveyResultsStamp struct {
	Changes      int64
	Responses    int64
	LastResponse int64
}

// SurveyResultsStamp reads the stamp of a survey's answers.
func (s *Store) SurveyResultsStamp(ctx context.Context, surveyID int64) (SurveyResultsStamp, error) {
	var st SurveyResultsStamp
	err := s.scanRaw(ctx, &st, `SELECT s.answers_changed AS changes, r.n AS responses, r.last AS last_response
		FROM surveys s, (SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS last FROM survey_responses
			WHERE survey_id = ? AND submitted_at IS NOT NULL) r WHERE s.id = ?`, surveyID, surveyID)
	return st, s.err(err)
}

// SurveyResponsesBetween lists the ids of the finished responses of a
// survey in (after, through], at most limit of them.
func (s *Store) SurveyResponsesBetween(ctx context.Context, surveyID, after, through int64, limit int) ([]int64, error) {
	var ids []int64
	err := s.q(ctx).Model(&app.SurveyResponse{}).Where("survey_id = ? AND submitted_at IS NOT NULL AND id > ? AND id <= ?", surveyID, after, through).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, s.err(err)
}

// CountSurveyResponses counts the finished responses of a survey.
func (s *Store) CountSurveyResponses(ctx context.Context, surveyID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&app.SurveyResponse{}).Where("survey_id = ? AND submitted_at IS NOT NULL", surveyID).Count(&n).Error
	return n, s.err(err)
}

// SurveyAnswerRow is one answer of a finished response, for results.
type SurveyAnswerRow struct {
	ResponseID   int64
	Version      int
	SubmittedAt  time.Time
	QuestionID   int64
	Value        string
	Other        string
	Hidden       bool
	HiddenReason string
	// ContributionID is set once the answer went into the contribution pipeline.
	ContributionID *int64
}

// EachSurveyAnswer calls fn for every answer of the finished responses of
// a survey, ordered by response, without holding them all in memory.
func (s *Store) EachSurveyAnswer(ctx context.Context, surveyID int64, fn func(SurveyAnswerRow) error) error {
	rows, err := s.q(ctx).Table("survey_answers a").
		Select("a.response_id, r.version, r.submitted_at, a.question_id, a.value, a.other, a.hidden, a.hidden_reason").
		Joins("JOIN survey_responses r ON r.id = a.response_id").
		Where("r.survey_id = ? AND r.submitted_at IS NOT NULL", surveyID).Order("a.response_id").Rows()
	if err != nil {
		return s.err(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a SurveyAnswerRow
		if err := s.q(ctx).ScanRows(rows, &a); err != nil {
			return s.err(err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return s.err(rows.Err())
}

// HideSurveyAnswer hides (or shows again) a free-text answer with a reason.
func (s *Store) HideSurveyAnswer(ctx context.Context, responseID, questionID int64, hidden bool, reason string) error {
	res := s.q(ctx).Model(&app.SurveyAnswer{}).Where("response_id = ? AND question_id = ?", responseID, questionID).
		Updates(map[string]any{"hidden": hidden, "hidden_reason": reason})
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.NotFound()
	}
	return nil
}

// SurveyValueCount is how often one question got one answer value.
type SurveyValueCount struct {
	QuestionID int64
	Value      string
	N          int
}

// SurveyFilter keeps only the responses that chose Option (1-based) in
// the choice question QuestionID; zero keeps all.
type SurveyFilter struct {
	QuestionID int64
	Option     int
	// Through (0: no bound) keeps the answers of the responses up to that
	// id, Responses (nil: all) those of the listed responses: cached counts
	// are taken up to a response and the answers of later ones added.
	Through   int64
	Responses []int64
}

// filtered limits a query on survey_answers a to the responses of the
// filter: the option is one element of the comma-separated value.
func (f SurveyFilter) apply(q *gorm.DB) *gorm.DB {
	if f.Responses != nil {
		// A list, not a range: the primary key (response_id, question_id)
		// finds a few new responses' answers whatever the planner thinks
		// of the range.
		q = q.Where("a.response_id IN ?", f.Responses)
	}
	if f.Through > 0 {
		q = q.Where("a.response_id <= ?", f.Through)
	}
	if f.QuestionID == 0 {
		return q
	}
	o := strconv.Itoa(f.Option)
	return q.Where(`a.response_id IN (SELECT response_id FROM survey_answers
		WHERE question_id = ? AND (value = ? OR value LIKE ? OR value LIKE ? OR value LIKE ?))`,
		f.QuestionID, o, o+",%", "%,"+o, "%,"+o+",%")
}

// SurveyValueCounts counts the answers per question and value of the given
// questions (the caller leaves out the free-text ones, whose values are all
// different), in the database. Answers are only ever stored together with a
// finished response (SaveSurveyResponse sets submitted_at in the same
// transaction), so the count needs no join. The questions are named, not
// found by a subquery on the survey: with the subquery PostgreSQL chose a
// parallel scan of the whole table and a sort spilled to disk (EXPLAIN
// ANALYZE, 50,000 responses: 245–280 ms); with the list it reads the index
// (question_id, value) in order and groups without a sort.
func (s *Store) SurveyValueCounts(ctx context.Context, questionIDs []int64, f SurveyFilter) ([]SurveyValueCount, error) {
	if len(questionIDs) == 0 {
		return nil, nil
	}
	q := s.q(ctx).Table("survey_answers a").Select("a.question_id, a.value, COUNT(*) AS n").
		Where("a.question_id IN ?", questionIDs)
	var out []SurveyValueCount
	err := f.apply(q).Group("a.question_id, a.value").Scan(&out).Error
	return out, s.err(err)
}

// SurveyTextsTotal counts the "other: …" texts or free-text answers of one
// question (hidden ones too).
func (s *Store) SurveyTextsTotal(ctx context.Context, questionID int64, other bool, f SurveyFilter) (int64, error) {
	var n int64
	err := s.surveyTextsQuery(ctx, questionID, other, f).Count(&n).Error
	return n, s.err(err)
}

// surveyTextsQuery reads the texts of one question. No join: answers
// exist only for finished responses (see SurveyValueCounts).
func (s *Store) surveyTextsQuery(ctx context.Context, questionID int64, other bool, f SurveyFilter) *gorm.DB {
	q := s.q(ctx).Table("survey_answers a").Where("a.question_id = ?", questionID)
	if other {
		q = q.Where("a.other <> ''")
	}
	return f.apply(q)
}

// SurveyTexts returns the "other: …" texts or free-text answers of one
// question, oldest response first, at most limit of those after the
// response afterID (0: from the start); SurveyTextsTotal counts them all.
// The page is a range read of the index (question_id, response_id)
// (migration 1120), so a later page costs as little as the first.
func (s *Store) SurveyTexts(ctx context.Context, questionID int64, other bool, f SurveyFilter, afterID int64, limit int) ([]SurveyAnswerRow, error) {
	q := s.surveyTextsQuery(ctx, questionID, other, f)
	if afterID > 0 {
		q = q.Where("a.response_id > ?", afterID)
	}
	var out []SurveyAnswerRow
	err := q.Select("a.response_id, a.question_id, a.value, a.other, a.hidden, a.hidden_reason, a.contribution_id").
		Order("a.response_id").Limit(limit).Scan(&out).Error
	return out, s.err(err)
}
