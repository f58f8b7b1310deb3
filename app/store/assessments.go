package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// Cosigner is a co-signing Fachamt of an assessment and its signature.
type Cosigner struct {
	AssessmentID int64
	FachamtID    int64
	Short        string
	Name         string
	SignedBy     *int64
	SignedAt     *time.Time
	SignedText   int
}

// Signed reports whether the signature is for text number n.
func (c *Cosigner) Signed(n int) bool { return c.SignedAt != nil && c.SignedText == n && n > 0 }

// AssessmentByContribution loads the assessment row of a contribution (not
// of its group primary); not found when there is none.
func (s *Store) AssessmentByContribution(ctx context.Context, contributionID int64) (*app.Assessment, error) {
	var a app.Assessment
	if err := s.q(ctx).Where("contribution_id = ?", contributionID).First(&a).Error; err != nil {
		return nil, s.err(err)
	}
	return &a, nil
}

// AssessmentsByContributions loads the assessment rows of contributions,
// keyed by contribution id (those without one are missing).
func (s *Store) AssessmentsByContributions(ctx context.Context, ids []int64) (map[int64]*app.Assessment, error) {
	out := map[int64]*app.Assessment{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []*app.Assessment
	if err := s.q(ctx).Where("contribution_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	for _, a := range rows {
		out[a.ContributionID] = a
	}
	return out, nil
}

// EnsureAssessment creates the assessment of a contribution unless it
// exists; created tells whether this call made it (only one caller on any
// instance does). An Abwägung made before the workflow existed (the
// contribution's assessment_* columns) becomes its published state.
func (s *Store) EnsureAssessment(ctx context.Context, c *app.Contribution) (created bool, err error) {
	now := s.Now()
	state, result, reasoning, anchor := app.StateOpen, "", "", ""
	var published *time.Time
	if c.AssessmentPublishedAt != nil && c.AssessmentStatus != "" {
		state, result, reasoning, anchor, published = app.StatePublished, c.AssessmentStatus, c.AssessmentReasoning, c.AssessmentAnchor, c.AssessmentPublishedAt
	}
	res := s.q(ctx).Exec(insertIgnore("assessments", "contribution_id, state, version, result, reasoning, anchor, published_at, created_at, updated_at",
		"?, ?, 0, ?, ?, ?, ?, ?, ?", "contribution_id"), c.ID, state, result, reasoning, anchor, published, now, now)
	return res.RowsAffected == 1, s.err(res.Error)
}

// LockAssessment holds the assessment of a contribution's group (the
// primary's, created when missing) until the transaction ends, so that two
// people acting at once on any instance take turns. It returns the primary
// contribution and its assessment.
func (s *Store) LockAssessment(ctx context.Context, contributionID int64) (*app.Contribution, *app.Assessment, error) {
	c, err := s.ContributionByID(ctx, contributionID)
	if err != nil {
		return nil, nil, err
	}
	if c.DuplicateOf != nil {
		if c, err = s.ContributionByID(ctx, *c.DuplicateOf); err != nil {
			return nil, nil, err
		}
	}
	if c.Status != app.StatusPublished {
		return nil, nil, app.Errorf(app.CodeConflict, "abwaegung.not_published")
	}
	if _, err := s.EnsureAssessment(ctx, c); err != nil {
		return nil, nil, err
	}
	if err := s.q(ctx).Exec("UPDATE assessments SET updated_at = updated_at WHERE contribution_id = ?", c.ID).Error; err != nil {
		return nil, nil, s.err(err)
	}
	a, err := s.AssessmentByContribution(ctx, c.ID)
	return c, a, err
}

// UpdateAssessment writes fields of a locked assessment and raises its
// version; a version other than expect (0: any) is a conflict.
func (s *Store) UpdateAssessment(ctx context.Context, a *app.Assessment, expect int, fields map[string]any) error {
	if expect != 0 && expect != a.Version {
		return app.Errorf(app.CodeConflict, "abwaegung.conflict")
	}
	fields["version"] = a.Version + 1
	fields["updated_at"] = s.Now()
	res := s.q(ctx).Model(&app.Assessment{}).Where("id = ? AND version = ?", a.ID, a.Version).Updates(fields)
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.Errorf(app.CodeConflict, "abwaegung.conflict")
	}
	fresh, err := s.AssessmentByContribution(ctx, a.ContributionID)
	if err == nil {
		*a = *fresh
	}
	return err
}

// AddAssessmentVersion stores a new text of an assessment.
func (s *Store) AddAssessmentVersion(ctx context.Context, v *app.AssessmentVersion) error {
	v.CreatedAt = s.Now()
	return s.err(s.q(ctx).Create(v).Error)
}

// AddTransition records a step of an assessment's way.
func (s *Store) AddTransition(ctx context.Context, t *app.AssessmentTransition) error {
	t.CreatedAt = s.Now()
	return s.err(s.q(ctx).Create(t).Error)
}

// TextAuthors lists who wrote any text of an assessment (the four-eyes
// rule keeps them from publishing it).
func (s *Store) TextAuthors(ctx context.Context, assessmentID int64) ([]int64, error) {
	var ids []int64
	err := s.q(ctx).Model(&app.AssessmentVersion{}).Where("assessment_id = ? AND author_id IS NOT NULL", assessmentID).
		Distinct("author_id").Pluck("author_id", &ids).Error
	return ids, s.err(err)
}

// CosignersOf loads the co-signers of assessments, keyed by assessment id.
func (s *Store) CosignersOf(ctx context.Context, ids []int64) (map[int64][]*Cosigner, error) {
	out := map[int64][]*Cosigner{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []*Cosigner
	err := s.q(ctx).Table("assessment_cosigners x").
		Select("x.assessment_id, x.fachamt_id, f.short, f.name, x.signed_by, x.signed_at, x.signed_text").
		Joins("JOIN fachaemter f ON f.id = x.fachamt_id").Where("x.assessment_id IN ?", ids).
		Order("lower(f.short)").Scan(&rows).Error
	for _, r := range rows {
		out[r.AssessmentID] = append(out[r.AssessmentID], r)
	}
	return out, s.err(err)
}

type assessmentCosigner struct {
	AssessmentID int64
	FachamtID    int64
	SignedBy     *int64
	SignedAt     *time.Time
	SignedText   int
}

func (assessmentCosigner) TableName() string { return "assessment_cosigners" }

// SetCosigners replaces the co-signing Fachämter; signatures of those who
// stay are kept.
func (s *Store) SetCosigners(ctx context.Context, assessmentID int64, fachamtIDs []int64) error {
	q := s.q(ctx).Where("assessment_id = ?", assessmentID)
	if len(fachamtIDs) > 0 {
		q = q.Where("fachamt_id NOT IN ?", fachamtIDs)
	}
	if err := q.Delete(&assessmentCosigner{}).Error; err != nil {
		return s.err(err)
	}
	for _, id := range fachamtIDs {
		if err := s.q(ctx).Exec(insertIgnore("assessment_cosigners", "assessment_id, fachamt_id, signed_text", "?, ?, 0", "assessment_id, fachamt_id"),
			assessmentID, id).Error; err != nil {
			return s.err(err)
		}
	}
	return nil
}

// SignCosign records the signature of a co-signing Fachamt for text n.
func (s *Store) SignCosign(ctx context.Context, assessmentID, fachamtID, userID int64, n int) error {
	return s.err(s.q(ctx).Model(&assessmentCosigner{}).Where("assessment_id = ? AND fachamt_id = ?", assessmentID, fachamtID).
		Updates(map[string]any{"signed_by": userID, "signed_at": s.Now(), "signed_text": n}).Error)
}

// VersionView is a text of an assessment with its author as pages show it.
type VersionView struct {
	app.AssessmentVersion
	AuthorName     string
	AuthorErasedAt *time.Time
	FachamtShort   string
}

// Author is the author's account as far as pages may show it, or nil.
func (v *VersionView) Author() *app.User {
	if v.AuthorID == nil {
		return nil
	}
	return &app.User{ID: *v.AuthorID, DisplayName: v.AuthorName, ErasedAt: v.AuthorErasedAt}
}

// AssessmentVersions lists every text of an assessment, newest first.
func (s *Store) AssessmentVersions(ctx context.Context, assessmentID int64) ([]*VersionView, error) {
	var out []*VersionView
	err := s.q(ctx).Table("assessment_versions v").
		Select("v.*, u.display_name AS author_name, u.erased_at AS author_erased_at, f.short AS fachamt_short").
		Joins("LEFT JOIN users u ON u.id = v.author_id").Joins("LEFT JOIN fachaemter f ON f.id = v.author_fachamt_id").
		Where("v.assessment_id = ?", assessmentID).Order("v.number DESC").Scan(&out).Error
	return out, s.err(err)
}

// TransitionView is a transition with the actor's public name.
type TransitionView struct {
	app.AssessmentTransition
	ActorName     string
	ActorErasedAt *time.Time
}

// Actor is the acting account as pages may show it, or nil.
func (t *TransitionView) Actor() *app.User {
	if t.ActorID == nil {
		return nil
	}
	return &app.User{ID: *t.ActorID, DisplayName: t.ActorName, ErasedAt: t.ActorErasedAt}
}

// AssessmentTransitions lists the way of an assessment, oldest first.
func (s *Store) AssessmentTransitions(ctx context.Context, assessmentID int64) ([]*TransitionView, error) {
	var out []*TransitionView
	err := s.q(ctx).Table("assessment_transitions t").
		Select("t.*, u.display_name AS actor_name, u.erased_at AS actor_erased_at").
		Joins("LEFT JOIN users u ON u.id = t.actor_id").Where("t.assessment_id = ?", assessmentID).Order("t.id").Scan(&out).Error
	return out, s.err(err)
}

// ProposedChange is a published assessment's proposed new wording of a
// paragraph of a chapter.
type ProposedChange struct {
	Number       int64
	ChangeAnchor string
	ChangeText   string
}

// ProposedChanges lists the proposed changes of a chapter's published
// assessments, by paragraph and number.
func (s *Store) ProposedChanges(ctx context.Context, chapterID int64) ([]ProposedChange, error) {
	var out []ProposedChange
	err := s.q(ctx).Table("assessments a").Select("c.number, a.change_anchor, a.change_text").
		Joins("JOIN contributions c ON c.id = a.contribution_id").
		Where("c.chapter_id = ? AND c.status = ? AND a.state = ? AND a.change_text <> ''", chapterID, app.StatusPublished, app.StatePublished).
		Order("a.change_anchor, c.number").Scan(&out).Error
	return out, s.err(err)
}
