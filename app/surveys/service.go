// Package surveys runs the surveys (Umfragen, issue 15): the builder of
// admins and AG INSEK, answering (account-bound or anonymous) and the
// results. A change of what a question asks after the first response starts
// a new version of the survey; responses keep the version they answered.
package surveys

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/auth"
	"github.com/mitwirken/mitwirken/app/geo"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/store"
)

// Anonymous repeat protection: at most this many finished responses per
// address and survey in the window (hashed in rate_counters, which keeps
// neither the address nor the survey in plain text).
const (
	AnonymousPerWindow = 5
	AnonymousWindow    = time.Hour
)

// Service runs the survey flows.
type Service struct {
	Store *store.Store
	// Geo refuses map points outside the city; nil refuses every point.
	Geo *geo.Atlas
	// Notify announces openings; nil announces nothing.
	Notify *notify.Service
	Log    *slog.Logger
	// Tallies keeps the counts of results pages; nil counts on every load.
	Tallies *Tallies
}

// Builders are admins and AG INSEK.
func Builder(u *app.User) bool { return u.Coordinates() }

// Create stores a new survey from the settings form.
func (s *Service) Create(ctx context.Context, u *app.User, in app.SurveyInput) (*app.Survey, error) {
	sv := &app.Survey{CreatedBy: &u.ID}
	if err := s.apply(ctx, sv, in); err != nil {
		return nil, err
	}
	return sv, s.Store.CreateSurvey(ctx, sv)
}

// UpdateSettings saves the settings form.
func (s *Service) UpdateSettings(ctx context.Context, sv *app.Survey, in app.SurveyInput) error {
	if err := s.apply(ctx, sv, in); err != nil {
		return err
	}
	return s.Store.UpdateSurveySettings(ctx, sv)
}

func (s *Service) apply(ctx context.Context, sv *app.Survey, in app.SurveyInput) error {
	in.Clean()
	opens, closes, chapter, event, err := in.Validate()
	if err != nil {
		return err
	}
	if err := s.checkLinks(ctx, chapter, event); err != nil {
		return err
	}
	sv.Title, sv.Intro, sv.ThankYou, sv.Consent = in.Title, in.Intro, in.ThankYou, in.Consent
	sv.OpensAt, sv.ClosesAt, sv.ChapterID, sv.EventID = opens, closes, chapter, event
	sv.Anonymous, sv.OnePerScreen = in.Anonymous, in.OnePerScreen
	return nil
}

// AddSection appends a section.
func (s *Service) AddSection(ctx context.Context, sv *app.Survey, in app.SectionInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return s.Store.CreateSurveySection(ctx, &app.SurveySection{SurveyID: sv.ID, Title: in.Title})
}

// AddQuestion appends a question. Once the current version has responses,
// the question starts the next version.
func (s *Service) AddQuestion(ctx context.Context, sv *app.Survey, in app.QuestionInput) (*app.SurveyQuestion, error) {
	q, err := s.checkQuestion(ctx, sv, in, 0)
	if err != nil {
		return nil, err
	}
	return q, s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := nextVersionIfAnswered(ctx, tx, sv); err != nil {
			return err
		}
		q.SurveyID, q.SinceVersion = sv.ID, sv.Version
		return tx.CreateSurveyQuestion(ctx, q)
	})
}

// EditQuestion changes a question. Wording changes in place; a change of
// what it asks replaces it in place while nobody answered the current
// version, and otherwise ends it and asks the new one from the next version.
func (s *Service) EditQuestion(ctx context.Context, sv *app.Survey, old *app.SurveyQuestion, in app.QuestionInput) error {
	q, err := s.checkQuestion(ctx, sv, in, old.ID)
	if err != nil {
		return err
	}
	q.ID = old.ID
	if q.SameStructure(old) {
		return s.Store.UpdateSurveyQuestionWording(ctx, q)
	}
	current, err := s.Store.SurveyQuestions(ctx, sv.ID, sv.Version)
	if err != nil {
		return err
	}
	if err := conditionsKept(current, old.ID, q); err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		answered, err := tx.SurveyVersionAnswered(ctx, sv.ID, sv.Version)
		if err != nil || !answered {
			if err == nil {
				err = tx.ReplaceSurveyQuestion(ctx, q)
			}
			return err
		}
		if err := tx.BumpSurveyVersion(ctx, sv); err != nil {
			return err
		}
		if err := tx.EndSurveyQuestion(ctx, old.ID, sv.Version); err != nil {
			return err
		}
		q.ID, q.SurveyID, q.Position, q.SinceVersion = 0, sv.ID, old.Position, sv.Version
		if err := tx.CreateSurveyQuestion(ctx, q); err != nil {
			return err
		}
		return carryConditions(ctx, tx, sv, current, old.ID, q.ID)
	})
}

// conditionsKept refuses a change of the question oldID into q that leaves
// a question asked only after one of its answers without that answer: q no
// longer a choice, or the option gone. The error names that question.
func conditionsKept(questions []app.SurveyQuestion, oldID int64, q *app.SurveyQuestion) error {
	for _, d := range questions {
		if d.CondQuestionID == nil || *d.CondQuestionID != oldID {
			continue
		}
		field := "options"
		if !q.Choice() {
			field = "kind"
		} else if d.CondOption <= len(q.Options) {
			continue
		}
		return app.FieldInvalid(field, "surveys.condition_depends", "Question", d.Text, "Option", d.CondOption)
	}
	return nil
}

// carryConditions moves the questions of the new version sv.Version that
// are asked only after an answer to the ended row oldID onto its successor
// newID. The condition is part of what a question asks, so each of them is
// ended and asked again as a new row (and so on for questions conditioned
// on those): the rows of the earlier versions, which their answers point
// at, keep their conditions.
func carryConditions(ctx context.Context, tx *store.Store, sv *app.Survey, questions []app.SurveyQuestion, oldID, newID int64) error {
	for _, d := range questions {
		if d.CondQuestionID == nil || *d.CondQuestionID != oldID {
			continue
		}
		if err := tx.EndSurveyQuestion(ctx, d.ID, sv.Version); err != nil {
			return err
		}
		next := d
		next.ID, next.CondQuestionID, next.SinceVersion, next.UntilVersion = 0, &newID, sv.Version, nil
		if err := tx.CreateSurveyQuestion(ctx, &next); err != nil {
			return err
		}
		if err := carryConditions(ctx, tx, sv, questions, d.ID, next.ID); err != nil {
			return err
		}
	}
	return nil
}

func nextVersionIfAnswered(ctx context.Context, tx *store.Store, sv *app.Survey) error {
	answered, err := tx.SurveyVersionAnswered(ctx, sv.ID, sv.Version)
	if err != nil || !answered {
		return err
	}
	return tx.BumpSurveyVersion(ctx, sv)
}

// checkQuestion validates the form and its references: the section of this
// survey, a condition on an earlier choice question and one of its options.
func (s *Service) checkQuestion(ctx context.Context, sv *app.Survey, in app.QuestionInput, self int64) (*app.SurveyQuestion, error) {
	q, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if q.SectionID != nil {
		secs, err := s.Store.SurveySections(ctx, sv.ID)
		if err != nil {
			return nil, err
		}
		found := false
		for _, sec := range secs {
			found = found || sec.ID == *q.SectionID
		}
		if !found {
			return nil, app.FieldInvalid("section_id", "surveys.link_invalid")
		}
	}
	if q.CondQuestionID != nil {
		qs, err := s.Store.SurveyQuestions(ctx, sv.ID, sv.Version)
		if err != nil {
			return nil, err
		}
		ok := false
		for _, c := range qs {
			if c.ID == self {
				break // only earlier questions
			}
			if c.ID == *q.CondQuestionID && c.Choice() && q.CondOption <= len(c.Options) {
				ok = true
			}
		}
		if !ok {
			return nil, app.FieldInvalid("condition", "surveys.condition_invalid")
		}
	}
	return q, nil
}

// Checks are the lookups ParseAnswers needs.
func (s *Service) Checks(ctx context.Context) app.AnswerChecks {
	return app.AnswerChecks{
		Ortsteil: func(code string) bool {
			ok, err := s.Store.OrtsteilExists(ctx, code)
			return err == nil && ok
		},
		InCity: func(lat, lon float64) bool {
			if s.Geo == nil {
				return false
			}
			_, ok := s.Geo.Locate(orb.Point{lon, lat})
			return ok
		},
	}
}

// Respondent is who answers: an account, or an anonymous browser's
// one-time token (the plain token; only its hash is stored).
type Respondent struct {
	User  *app.User
	Token string
	IP    string
}

// Current loads the respondent's response to sv and its answers (nil when
// there is none). Only account-bound surveys keep a response to come back to.
func (s *Service) Current(ctx context.Context, sv *app.Survey, who Respondent) (*app.SurveyResponse, map[int64]app.SurveyAnswer, error) {
	if sv.Anonymous || who.User == nil {
		return nil, nil, nil
	}
	r, err := s.Store.SurveyResponseOfUser(ctx, sv.ID, who.User.ID)
	if app.ErrorCode(err) == app.CodeNotFound {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	answers, err := s.Store.SurveyAnswersOf(ctx, r.ID)
	return r, answers, err
}

// Submit checks and stores a complete response from the one-page form. An
// account answers once and may change the answers until the survey closes;
// an anonymous browser answers once per token, within the rate limit.
func (s *Service) Submit(ctx context.Context, sv *app.Survey, who Respondent, form map[string][]string) error {
	now := s.Store.Now()
	if err := sv.NotOpenError(now); err != nil {
		return err
	}
	questions, err := s.Store.SurveyQuestions(ctx, sv.ID, sv.Version)
	if err != nil {
		return err
	}
	answers, err := app.ParseAnswers(questions, form, s.Checks(ctx))
	if err != nil {
		return err
	}
	r := &app.SurveyResponse{SurveyID: sv.ID, Version: sv.Version, SubmittedAt: &now}
	var replace []int64
	switch {
	case !sv.Anonymous:
		if who.User == nil {
			return app.Unauthorized()
		}
		// One response per account means one per person only when the
		// account's address is confirmed (as for supports and seats).
		if !who.User.Verified() {
			return app.Errorf(app.CodeForbidden, "account.verify_first")
		}
		old, _, err := s.Current(ctx, sv, who)
		if err != nil {
			return err
		}
		if old != nil {
			// Answering again replaces every answer; after a new version the
			// response moves to the version it now answers.
			r.ID = old.ID
		}
		r.UserID = &who.User.ID
		if r.ID != 0 {
			replace, err = s.answeredQuestionIDs(ctx, r.ID)
			if err != nil {
				return err
			}
		}
	default:
		if who.Token == "" {
			return app.Errorf(app.CodeConflict, "surveys.token_missing")
		}
		h := auth.HashToken(who.Token)
		if used, err := s.Store.SurveyTokenUsed(ctx, sv.ID, h); err != nil || used {
			if err == nil {
				err = app.Errorf(app.CodeConflict, "surveys.already_answered")
			}
			return err
		}
		key := auth.HashToken("survey-ip:" + who.IP + ":" + strconv.FormatInt(sv.ID, 10))
		n, _, err := s.Store.Hit(ctx, key, AnonymousWindow)
		if err != nil {
			return err
		}
		if n > AnonymousPerWindow {
			return &app.Error{Code: app.CodeTooMany, Msg: app.M("surveys.too_many"), RetryAfter: AnonymousWindow}
		}
		r.OnceHash = &h
	}
	return s.Store.SaveSurveyResponse(ctx, r, replace, answers)
}

func (s *Service) answeredQuestionIDs(ctx context.Context, responseID int64) ([]int64, error) {
	answers, err := s.Store.SurveyAnswersOf(ctx, responseID)
	ids := make([]int64, 0, len(answers))
	for id := range answers {
		ids = append(ids, id)
	}
	return ids, err
}
