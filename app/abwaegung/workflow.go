package abwaegung

import (
	"context"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Sources of a text.
const (
	SourceWeb  = "web"
	SourceXLSX = "xlsx"
	SourceAPI  = "api"
)

// locked is an assessment under its row lock with what the checks need.
type locked struct {
	c   *app.Contribution
	a   *app.Assessment
	cos []*store.Cosigner
}

func (s *Service) lock(ctx context.Context, tx *store.Store, acc *Access, contributionID int64) (*locked, error) {
	c, a, err := tx.LockAssessment(ctx, contributionID)
	if err != nil {
		return nil, err
	}
	cos, err := tx.CosignersOf(ctx, []int64{a.ID})
	if err != nil {
		return nil, err
	}
	l := &locked{c: c, a: a, cos: cos[a.ID]}
	if !acc.CanSee(a.LeadFachamtID, l.cos) {
		return nil, app.Forbidden()
	}
	return l, nil
}

// capacity is the role in which the person acts on the assessment and, as
// Fachamt, for which one.
func capacity(acc *Access, a *app.Assessment) (string, *int64) {
	if acc.Member(a.LeadFachamtID) && acc.User.Holds(app.RoleFachamt) {
		return app.AsFachamt, a.LeadFachamtID
	}
	if acc.Coordinator {
		return app.AsAgInsek, nil
	}
	return app.AsFachamt, nil
}

func (s *Service) record(ctx context.Context, tx *store.Store, acc *Access, l *locked, action, from, comment string) error {
	role, _ := capacity(acc, l.a)
	t := &app.AssessmentTransition{AssessmentID: l.a.ID, ActorID: &acc.User.ID, ActorRole: role, Action: action,
		FromState: from, ToState: l.a.State, Comment: comment}
	if err := tx.AddTransition(ctx, t); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, app.AuditEvent{Actor: acc.User, Action: app.AuditTransition, ObjectType: "contribution", ObjectID: l.c.PublicNumber(),
		Details: map[string]any{"action": action, "from": from, "to": l.a.State, "as": role, "version": l.a.Version}})
}

// SaveDraft stores a new text (result, reasoning, proposed change) of the
// assessment of a contribution's group. The lead Fachamt writes while the
// assessment is with it; AG INSEK until it is published. A version other
// than the current one is a conflict: nothing is overwritten.
func (s *Service) SaveDraft(ctx context.Context, acc *Access, contributionID int64, in app.DraftInput, source string) (*app.Assessment, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *app.Assessment
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		l, err := s.lock(ctx, tx, acc, contributionID)
		if err != nil {
			return err
		}
		out = l.a
		return s.saveDraft(ctx, tx, acc, l, in, source)
	})
	return out, err
}

func (s *Service) saveDraft(ctx context.Context, tx *store.Store, acc *Access, l *locked, in app.DraftInput, source string) error {
	a := l.a
	lead := acc.Member(a.LeadFachamtID) && acc.User.Holds(app.RoleFachamt)
	switch {
	case a.State == app.StatePublished:
		return app.Errorf(app.CodeConflict, "abwaegung.not_editable")
	case acc.Coordinator:
	case !lead:
		return app.Forbidden()
	case a.State == app.StateInReview:
		return app.Errorf(app.CodeConflict, "abwaegung.not_editable")
	}
	if in.Version != a.Version {
		return app.Errorf(app.CodeConflict, "abwaegung.conflict")
	}
	changeVersion, err := s.checkAnchors(ctx, tx, l.c, in)
	if err != nil {
		return err
	}
	if in.SameText(a) {
		return nil
	}
	role, fachamt := capacity(acc, a)
	v := &app.AssessmentVersion{AssessmentID: a.ID, Number: a.TextNumber + 1, AuthorID: &acc.User.ID, AuthorRole: role, AuthorFachamtID: fachamt,
		Source: source, Result: in.Result, Reasoning: in.Reasoning, Anchor: in.Anchor, ChangeAnchor: in.ChangeAnchor, ChangeText: in.ChangeText}
	if err := tx.AddAssessmentVersion(ctx, v); err != nil {
		return err
	}
	from := a.State
	state := app.StateDrafted
	if from == app.StateInReview {
		state = app.StateInReview
	}
	if err := tx.UpdateAssessment(ctx, a, in.Version, map[string]any{
		"state": state, "text_number": v.Number, "result": in.Result, "reasoning": in.Reasoning, "anchor": in.Anchor,
		"change_anchor": in.ChangeAnchor, "change_text": in.ChangeText, "change_version_id": changeVersion, "drafted_at": tx.Now(),
	}); err != nil {
		return err
	}
	return s.record(ctx, tx, acc, l, app.ActDraft, from, "")
}

// checkAnchors makes sure the paragraphs named exist in the chapter's
// current version and returns that version for a proposed change.
func (s *Service) checkAnchors(ctx context.Context, tx *store.Store, c *app.Contribution, in app.DraftInput) (*int64, error) {
	if in.Anchor == "" && in.ChangeAnchor == "" {
		return nil, nil
	}
	var current *int64
	if c.ChapterID != nil {
		ch, err := tx.ChapterByID(ctx, *c.ChapterID)
		if err != nil {
			return nil, err
		}
		current = ch.CurrentVersionID
	}
	var v app.Validator
	for field, anchor := range map[string]string{"anchor": in.Anchor, "change_anchor": in.ChangeAnchor} {
		if anchor == "" {
			continue
		}
		ok := false
		if current != nil {
			var err error
			if ok, err = tx.BlockExists(ctx, *current, anchor); err != nil {
				return nil, err
			}
		}
		if !ok {
			v.Add(field, "contribution.paragraph_unknown")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if in.ChangeAnchor == "" {
		return nil, nil
	}
	return current, nil
}

// Transition moves the assessment of a contribution's group on: cosign,
// submit (to review), return (to the drafters, with a comment), publish,
// handback (to AG INSEK, with a reason) or reopen. Version 0 skips the
// version check (bulk actions act on what is there).
func (s *Service) Transition(ctx context.Context, acc *Access, contributionID int64, in app.TransitionInput) (*app.Assessment, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *app.Assessment
	mailed := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		l, err := s.lock(ctx, tx, acc, contributionID)
		if err != nil {
			return err
		}
		out = l.a
		if in.Version != 0 && in.Version != l.a.Version {
			return app.Errorf(app.CodeConflict, "abwaegung.conflict")
		}
		mailed, err = s.transition(ctx, tx, acc, l, in)
		return err
	})
	if err == nil && mailed {
		s.Draft.Wake()
	}
	return out, err
}

func (s *Service) transition(ctx context.Context, tx *store.Store, acc *Access, l *locked, in app.TransitionInput) (bool, error) {
	a := l.a
	from := a.State
	now := tx.Now()
	lead := acc.Member(a.LeadFachamtID) && acc.User.Holds(app.RoleFachamt)
	wrongState := app.Errorf(app.CodeConflict, "abwaegung.wrong_state")
	var fields map[string]any
	mailed := false
	switch in.Action {
	case app.ActCosign:
		mine := 0
		for _, c := range l.cos {
			if !acc.Member(&c.FachamtID) || !acc.User.Holds(app.RoleFachamt) {
				continue
			}
			mine++
			if (from == app.StateDrafted || from == app.StateCosigned) && !c.Signed(a.TextNumber) {
				if err := tx.SignCosign(ctx, a.ID, c.FachamtID, acc.User.ID, a.TextNumber); err != nil {
					return false, err
				}
				c.SignedAt, c.SignedText = &now, a.TextNumber
			}
		}
		if mine == 0 {
			return false, app.Forbidden()
		}
		if from != app.StateDrafted && from != app.StateCosigned {
			return false, wrongState
		}
		fields = map[string]any{}
		if allSigned(l.cos, a.TextNumber) {
			fields["state"], fields["cosigned_at"] = app.StateCosigned, now
		}
	case app.ActSubmit:
		if !lead && !acc.Coordinator {
			return false, app.Forbidden()
		}
		if (from != app.StateDrafted && from != app.StateCosigned) || a.TextNumber == 0 {
			return false, wrongState
		}
		if missing := unsigned(l.cos, a.TextNumber); len(missing) > 0 {
			return false, app.Errorf(app.CodeConflict, "abwaegung.cosign_missing", "Missing", strings.Join(missing, ", "))
		}
		fields = map[string]any{"state": app.StateInReview, "review_at": now}
	case app.ActReturn:
		if !acc.Coordinator {
			return false, app.Forbidden()
		}
		if from != app.StateInReview {
			return false, wrongState
		}
		fields = map[string]any{"state": app.StateDrafted, "return_comment": in.Comment, "returned_at": now}
	case app.ActPublish:
		if !acc.Coordinator {
			return false, app.Forbidden()
		}
		if from != app.StateInReview {
			return false, wrongState
		}
		authors, err := tx.TextAuthors(ctx, a.ID)
		if err != nil {
			return false, err
		}
		for _, id := range authors {
			if id == acc.User.ID {
				return false, app.Errorf(app.CodeConflict, "abwaegung.four_eyes")
			}
		}
		answering, err := s.answeringOffice(ctx, tx, l)
		if err != nil {
			return false, err
		}
		if _, mailed, err = s.Draft.AssessIn(ctx, tx, acc.User, l.c.ID, app.AssessmentInput{Status: a.Result, Reasoning: a.Reasoning,
			Fachamt: answering, Paragraph: a.Anchor, Publish: true}); err != nil {
			return false, err
		}
		fields = map[string]any{"state": app.StatePublished, "published_at": now, "published_by": acc.User.ID, "return_comment": ""}
	case app.ActHandBack:
		if !lead {
			return false, app.Forbidden()
		}
		if from == app.StateInReview || from == app.StatePublished {
			return false, wrongState
		}
		fields = map[string]any{"lead_fachamt_id": nil, "handback_reason": in.Comment}
	case app.ActReopen:
		if !acc.Coordinator {
			return false, app.Forbidden()
		}
		if from != app.StatePublished {
			return false, wrongState
		}
		fields = map[string]any{"state": app.StateDrafted}
	}
	if err := tx.UpdateAssessment(ctx, a, 0, fields); err != nil {
		return false, err
	}
	return mailed, s.record(ctx, tx, acc, l, in.Action, from, in.Comment)
}

// answeringOffice is the office named in the published assessment: the
// lead Fachamt, or the chapter's responsible office when AG INSEK answered
// without one.
func (s *Service) answeringOffice(ctx context.Context, tx *store.Store, l *locked) (string, error) {
	if l.a.LeadFachamtID != nil {
		f, err := tx.FachamtByID(ctx, *l.a.LeadFachamtID)
		if err != nil {
			return "", err
		}
		return f.Name, nil
	}
	if l.c.ChapterID == nil {
		return "", nil
	}
	ch, err := tx.ChapterByID(ctx, *l.c.ChapterID)
	if err != nil {
		return "", err
	}
	return ch.Fachamt, nil
}

func allSigned(cos []*store.Cosigner, n int) bool { return len(unsigned(cos, n)) == 0 }

func unsigned(cos []*store.Cosigner, n int) []string {
	var out []string
	for _, c := range cos {
		if !c.Signed(n) {
			out = append(out, c.Short)
		}
	}
	return out
}

// AssignInput names the lead Fachamt ("" leaves the contribution
// unassigned) and the co-signing ones by short name.
type AssignInput struct {
	Version   int      `form:"version" json:"version"`
	Lead      string   `form:"lead" json:"lead"`
	Cosigners []string `form:"cosigners" json:"cosigners"`
}

// Assign sets the lead and co-signing Fachämter (AG INSEK). Signatures of
// co-signers who stay are kept.
func (s *Service) Assign(ctx context.Context, acc *Access, contributionID int64, in AssignInput) (*app.Assessment, error) {
	if !acc.Coordinator {
		return nil, app.Forbidden()
	}
	lead, cos, err := s.resolveAssign(ctx, in)
	if err != nil {
		return nil, err
	}
	var out *app.Assessment
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		l, err := s.lock(ctx, tx, acc, contributionID)
		if err != nil {
			return err
		}
		out = l.a
		return s.assign(ctx, tx, acc, l, in.Version, lead, cos, "")
	})
	return out, err
}

func (s *Service) assign(ctx context.Context, tx *store.Store, acc *Access, l *locked, version int, lead *app.Fachamt, cos []*app.Fachamt, note string) error {
	if l.a.State == app.StatePublished {
		return app.Errorf(app.CodeConflict, "abwaegung.not_editable")
	}
	ids := make([]int64, 0, len(cos))
	names := make([]string, 0, len(cos))
	for _, f := range cos {
		ids, names = append(ids, f.ID), append(names, f.Short)
	}
	if err := tx.SetCosigners(ctx, l.a.ID, ids); err != nil {
		return err
	}
	fields := map[string]any{"lead_fachamt_id": nil, "assigned_at": tx.Now()}
	comment := "–"
	if lead != nil {
		fields["lead_fachamt_id"], fields["handback_reason"] = lead.ID, ""
		comment = lead.Short
	}
	if len(names) > 0 {
		comment += " + " + strings.Join(names, ", ")
	}
	if note != "" {
		comment += " (" + note + ")"
	}
	from := l.a.State
	if from == app.StateCosigned && !allSigned(l.cos, l.a.TextNumber) {
		fields["state"] = app.StateDrafted
	}
	if err := tx.UpdateAssessment(ctx, l.a, version, fields); err != nil {
		return err
	}
	return s.record(ctx, tx, acc, l, app.ActAssign, from, comment)
}

func (s *Service) resolveAssign(ctx context.Context, in AssignInput) (*app.Fachamt, []*app.Fachamt, error) {
	var lead *app.Fachamt
	var v app.Validator
	if strings.TrimSpace(in.Lead) != "" {
		f, err := s.Store.FachamtByShort(ctx, in.Lead)
		switch {
		case app.ErrorCode(err) == app.CodeNotFound || (err == nil && !f.Active):
			v.Add("lead", "abwaegung.fachamt_unknown")
		case err != nil:
			return nil, nil, err
		default:
			lead = f
		}
	}
	var cos []*app.Fachamt
	seen := map[int64]bool{}
	for _, short := range in.Cosigners {
		if strings.TrimSpace(short) == "" {
			continue
		}
		f, err := s.Store.FachamtByShort(ctx, short)
		switch {
		case app.ErrorCode(err) == app.CodeNotFound || (err == nil && !f.Active):
			v.Add("cosigners", "abwaegung.fachamt_unknown")
		case err != nil:
			return nil, nil, err
		case lead != nil && f.ID == lead.ID:
			v.Add("cosigners", "abwaegung.cosigner_is_lead")
		case !seen[f.ID]:
			seen[f.ID] = true
			cos = append(cos, f)
		}
	}
	if len(cos) > app.MaxCosigners {
		v.Add("cosigners", "abwaegung.too_many_cosigners", "Max", app.MaxCosigners)
	}
	return lead, cos, v.Err()
}

// SetRound puts the assessment into a round (AG INSEK).
func (s *Service) SetRound(ctx context.Context, acc *Access, contributionID, roundID int64) error {
	if !acc.Coordinator {
		return app.Forbidden()
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		r, err := tx.RoundByID(ctx, roundID)
		if err != nil {
			return err
		}
		l, err := s.lock(ctx, tx, acc, contributionID)
		if err != nil {
			return err
		}
		if l.a.State == app.StatePublished {
			return app.Errorf(app.CodeConflict, "abwaegung.not_editable")
		}
		if err := tx.UpdateAssessment(ctx, l.a, 0, map[string]any{"round_id": r.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, acc, l, app.ActRound, l.a.State, r.Name)
	})
}
