package abwaegung

import (
	"context"
	"slices"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Match applies the rules to one contribution: the lead comes from the
// most specific lead rule (chapter, then its tags in order, then the
// channel); every matching co-sign rule adds a co-signer.
func Match(rules []*store.RuleView, c *store.RuleCandidate) (lead int64, cosigners []int64) {
	matches := func(r *store.RuleView) bool {
		switch r.Kind {
		case app.RuleChapter:
			return c.ChapterID != nil && r.Value == strconv.FormatInt(*c.ChapterID, 10)
		case app.RuleTag:
			return slices.Contains(c.Tags, r.Value)
		case app.RuleChannel:
			return r.Value == c.Channel
		}
		return false
	}
	for _, kind := range app.RuleKinds {
		for _, r := range rules {
			if lead == 0 && r.Kind == kind && r.Role == app.RuleLead && matches(r) {
				lead = r.FachamtID
			}
		}
	}
	for _, r := range rules {
		if r.Role == app.RuleCosign && r.FachamtID != lead && matches(r) && !slices.Contains(cosigners, r.FachamtID) {
			cosigners = append(cosigners, r.FachamtID)
		}
	}
	return lead, cosigners
}

// ApplyRules assigns published contributions by the rules: the new ones
// (no assessment yet) and, with unassigned, those still without a lead
// that no Fachamt handed back. actor nil is the background job. It
// returns how many were assigned and how many no rule matched.
func (s *Service) ApplyRules(ctx context.Context, actor *app.User, unassigned bool, limit int) (assigned, unmatched int, err error) {
	rules, err := s.Store.AssignmentRules(ctx)
	if err != nil {
		return 0, 0, err
	}
	candidates, err := s.Store.RuleCandidates(ctx, unassigned, limit)
	if err != nil {
		return 0, 0, err
	}
	acc := &Access{User: actor, Coordinator: true}
	if actor == nil {
		acc.User = &app.User{} // the job: transitions without an actor
	}
	for _, c := range candidates {
		lead, cos := Match(rules, c)
		err := s.Store.Tx(ctx, func(tx *store.Store) error {
			com, err := tx.ContributionByID(ctx, c.ID)
			if err != nil {
				return err
			}
			created, err := tx.EnsureAssessment(ctx, com)
			if err != nil || (!created && !unassigned) {
				return err // another instance took it
			}
			if lead == 0 {
				unmatched++
				return nil
			}
			l, err := s.lock(ctx, tx, acc, c.ID)
			if err != nil {
				return err
			}
			if l.a.LeadFachamtID != nil || l.a.HandbackReason != "" || l.a.State != app.StateOpen {
				return nil
			}
			leadAmt, err := tx.FachamtByID(ctx, lead)
			if err != nil {
				return err
			}
			cosAmt := make([]*app.Fachamt, 0, len(cos))
			for _, id := range cos {
				f, err := tx.FachamtByID(ctx, id)
				if err != nil {
					return err
				}
				cosAmt = append(cosAmt, f)
			}
			assigned++
			return s.assignByRule(ctx, tx, acc, l, leadAmt, cosAmt)
		})
		if err != nil {
			return assigned, unmatched, err
		}
	}
	if assigned > 0 && actor != nil {
		err = s.Store.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditRulesApplied, ObjectType: "rules", ObjectID: "all",
			Details: map[string]any{"assigned": assigned, "unmatched": unmatched}})
	}
	return assigned, unmatched, err
}

func (s *Service) assignByRule(ctx context.Context, tx *store.Store, acc *Access, l *locked, lead *app.Fachamt, cos []*app.Fachamt) error {
	if acc.User.ID != 0 {
		return s.assign(ctx, tx, acc, l, 0, lead, cos, "Regel")
	}
	ids := make([]int64, len(cos))
	for i, f := range cos {
		ids[i] = f.ID
	}
	if err := tx.SetCosigners(ctx, l.a.ID, ids); err != nil {
		return err
	}
	if err := tx.UpdateAssessment(ctx, l.a, 0, map[string]any{"lead_fachamt_id": lead.ID, "assigned_at": tx.Now()}); err != nil {
		return err
	}
	return tx.AddTransition(ctx, &app.AssessmentTransition{AssessmentID: l.a.ID, ActorRole: "system", Action: app.ActAssign,
		FromState: l.a.State, ToState: l.a.State, Comment: lead.Short + " (Regel)"})
}

// BulkResult tells how a bulk action went: how many it changed and why the
// others were not.
type BulkResult struct {
	Done   int
	Failed []BulkFailure
}

// BulkFailure is one contribution a bulk action left as it was.
type BulkFailure struct {
	Number string
	Err    error
}

// BulkInput is one action for many contributions (by id).
type BulkInput struct {
	IDs     []int64  `form:"ids" json:"ids"`
	Action  string   `form:"bulk_action" json:"action"`
	Lead    string   `form:"lead" json:"lead"`
	Cosign  []string `form:"cosigners" json:"cosigners"`
	RoundID int64    `form:"round" json:"round"`
	Comment string   `form:"comment" json:"comment"`
}

// Bulk actions besides the transitions.
const (
	BulkAssign = "assign"
	BulkRound  = "round"
)

// Bulk applies one action to each contribution in its own transaction, so
// that one refusal (the four-eyes rule, a wrong state) leaves the others
// done; the result names the refused ones and why.
func (s *Service) Bulk(ctx context.Context, acc *Access, in BulkInput) (*BulkResult, error) {
	if len(in.IDs) == 0 {
		return nil, app.FieldInvalid("ids", "contribution.bulk_none")
	}
	if len(in.IDs) > app.MaxBulk {
		return nil, app.FieldInvalid("ids", "contribution.bulk_too_many", "Max", app.MaxBulk)
	}
	var do func(id int64) error
	switch in.Action {
	case BulkAssign:
		if !acc.Coordinator {
			return nil, app.Forbidden()
		}
		lead, cos, err := s.resolveAssign(ctx, AssignInput{Lead: in.Lead, Cosigners: in.Cosign})
		if err != nil {
			return nil, err
		}
		if lead == nil {
			return nil, app.FieldInvalid("lead", "form.required")
		}
		do = func(id int64) error {
			return s.Store.Tx(ctx, func(tx *store.Store) error {
				l, err := s.lock(ctx, tx, acc, id)
				if err != nil {
					return err
				}
				return s.assign(ctx, tx, acc, l, 0, lead, cos, "")
			})
		}
	case BulkRound:
		if in.RoundID == 0 {
			return nil, app.FieldInvalid("round", "form.required")
		}
		do = func(id int64) error { return s.SetRound(ctx, acc, id, in.RoundID) }
	case app.ActSubmit, app.ActCosign, app.ActPublish, app.ActReturn:
		t := app.TransitionInput{Action: in.Action, Comment: in.Comment}
		t.Clean()
		if err := t.Validate(); err != nil {
			return nil, err
		}
		do = func(id int64) error { _, err := s.Transition(ctx, acc, id, t); return err }
	default:
		return nil, app.FieldInvalid("bulk_action", "form.choice_invalid")
	}
	res := &BulkResult{}
	for _, id := range in.IDs {
		err := do(id)
		switch {
		case err == nil:
			res.Done++
		case app.ErrorCode(err) == app.CodeInternal || app.ErrorCode(err) == app.CodeUnavailable:
			return res, err
		default:
			number := "#" + strconv.FormatInt(id, 10)
			if c, cerr := s.Store.ContributionByID(ctx, id); cerr == nil {
				number = c.PublicNumber()
			}
			res.Failed = append(res.Failed, BulkFailure{Number: number, Err: err})
		}
	}
	return res, nil
}
