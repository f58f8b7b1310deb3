package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// PersonalAbwaegung is the Abwägung part of PersonalData: the roles and
// Fachamt memberships a person holds, and what they did in the workflow
// (texts written, steps taken, co-signatures). On erasure the roles and
// memberships go; the texts and steps stay, as official statements of the
// Fachamt, under the account's tombstone ("gelöschtes Konto") like
// contributions (eraseAbwaegungData).
type PersonalAbwaegung struct {
	Roles      []PersonalRole            `json:"roles"`
	Fachaemter []PersonalMembership      `json:"fachaemter"`
	Texts      []PersonalAssessmentText  `json:"assessment_texts"`
	Steps      []PersonalAssessmentStep  `json:"assessment_steps"`
	Signatures []PersonalCosignSignature `json:"cosign_signatures"`
}

// PersonalRole is a role granted besides the account's rank.
type PersonalRole struct {
	Role      app.Role  `json:"role"`
	GrantedAt time.Time `json:"granted_at"`
}

// PersonalMembership is the membership in a Fachamt's staff.
type PersonalMembership struct {
	Short   string    `json:"short"`
	Name    string    `json:"name"`
	AddedAt time.Time `json:"added_at"`
}

// PersonalAssessmentText is one text of an assessment the person wrote.
type PersonalAssessmentText struct {
	Contribution string    `json:"contribution"`
	Number       int       `json:"text_number"`
	Role         string    `json:"as"`
	Fachamt      string    `json:"fachamt,omitempty"`
	Source       string    `json:"source"`
	Result       string    `json:"result"`
	Reasoning    string    `json:"reasoning"`
	ChangeAnchor string    `json:"change_paragraph,omitempty"`
	ChangeText   string    `json:"change_text,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// PersonalAssessmentStep is one workflow step the person took.
type PersonalAssessmentStep struct {
	Contribution string    `json:"contribution"`
	Action       string    `json:"action"`
	Role         string    `json:"as"`
	From         string    `json:"from"`
	To           string    `json:"to"`
	Comment      string    `json:"comment,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// PersonalCosignSignature is one co-signature given for a Fachamt.
type PersonalCosignSignature struct {
	Contribution string     `json:"contribution"`
	Fachamt      string     `json:"fachamt"`
	TextNumber   int        `json:"text_number"`
	SignedAt     *time.Time `json:"signed_at"`
}

func (s *Store) personalAbwaegung(ctx context.Context, userID int64) (*PersonalAbwaegung, error) {
	d := &PersonalAbwaegung{Roles: []PersonalRole{}, Fachaemter: []PersonalMembership{}, Texts: []PersonalAssessmentText{},
		Steps: []PersonalAssessmentStep{}, Signatures: []PersonalCosignSignature{}}
	var roles []userRole
	if err := s.q(ctx).Where("user_id = ?", userID).Order("role").Find(&roles).Error; err != nil {
		return nil, s.err(err)
	}
	for _, r := range roles {
		d.Roles = append(d.Roles, PersonalRole{r.Role, r.GrantedAt})
	}
	if err := s.q(ctx).Table("fachamt_members m").Select("f.short, f.name, m.added_at").
		Joins("JOIN fachaemter f ON f.id = m.fachamt_id").Where("m.user_id = ?", userID).
		Order("lower(f.short)").Scan(&d.Fachaemter).Error; err != nil {
		return nil, s.err(err)
	}
	var texts []struct {
		Number                                       int64
		TextNumber                                   int
		AuthorRole, Short, Source, Result, Reasoning string
		ChangeAnchor, ChangeText                     string
		CreatedAt                                    time.Time
	}
	if err := s.q(ctx).Table("assessment_versions v").
		Select("c.number, v.number AS text_number, v.author_role, COALESCE(f.short, '') AS short, v.source, v.result, v.reasoning, v.change_anchor, v.change_text, v.created_at").
		Joins("JOIN assessments a ON a.id = v.assessment_id").Joins("JOIN contributions c ON c.id = a.contribution_id").
		Joins("LEFT JOIN fachaemter f ON f.id = v.author_fachamt_id").
		Where("v.author_id = ?", userID).Order("v.id").Scan(&texts).Error; err != nil {
		return nil, s.err(err)
	}
	for _, x := range texts {
		d.Texts = append(d.Texts, PersonalAssessmentText{app.FormatContributionNumber(x.Number), x.TextNumber, x.AuthorRole, x.Short,
			x.Source, x.Result, x.Reasoning, x.ChangeAnchor, x.ChangeText, x.CreatedAt})
	}
	var steps []struct {
		Number                                         int64
		Action, ActorRole, FromState, ToState, Comment string
		CreatedAt                                      time.Time
	}
	if err := s.q(ctx).Table("assessment_transitions t").
		Select("c.number, t.action, t.actor_role, t.from_state, t.to_state, t.comment, t.created_at").
		Joins("JOIN assessments a ON a.id = t.assessment_id").Joins("JOIN contributions c ON c.id = a.contribution_id").
		Where("t.actor_id = ?", userID).Order("t.id").Scan(&steps).Error; err != nil {
		return nil, s.err(err)
	}
	for _, x := range steps {
		d.Steps = append(d.Steps, PersonalAssessmentStep{app.FormatContributionNumber(x.Number), x.Action, x.ActorRole, x.FromState, x.ToState, x.Comment, x.CreatedAt})
	}
	var sigs []struct {
		Number     int64
		Short      string
		SignedText int
		SignedAt   *time.Time
	}
	if err := s.q(ctx).Table("assessment_cosigners x").Select("c.number, f.short, x.signed_text, x.signed_at").
		Joins("JOIN assessments a ON a.id = x.assessment_id").Joins("JOIN contributions c ON c.id = a.contribution_id").
		Joins("JOIN fachaemter f ON f.id = x.fachamt_id").
		Where("x.signed_by = ?", userID).Order("c.number").Scan(&sigs).Error; err != nil {
		return nil, s.err(err)
	}
	for _, x := range sigs {
		d.Signatures = append(d.Signatures, PersonalCosignSignature{app.FormatContributionNumber(x.Number), x.Short, x.SignedText, x.SignedAt})
	}
	return d, nil
}
