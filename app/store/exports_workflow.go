package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// fillExportWorkflow adds the co-signers, the drafters' and the
// publisher's roles (and names, when asked for) to a batch, with three
// queries. Open data (PublicOnly) keeps only what is published.
func (s *Store) fillExportWorkflow(ctx context.Context, batch []*ExportRow, f ExportFilter) error {
	byAssessment := map[int64][]*ExportRow{}
	var ids []int64
	var publishers []int64
	for _, r := range batch {
		w := r.Workflow
		if w == nil {
			continue
		}
		if f.PublicOnly && w.State != app.StatePublished {
			r.Workflow = nil
			continue
		}
		if byAssessment[w.AssessmentID] == nil {
			ids = append(ids, w.AssessmentID)
		}
		byAssessment[w.AssessmentID] = append(byAssessment[w.AssessmentID], r)
		if w.publishedBy != nil {
			publishers = append(publishers, *w.publishedBy)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	cos, err := s.CosignersOf(ctx, ids)
	if err != nil {
		return err
	}
	var authors []struct {
		AssessmentID int64
		AuthorRole   string
		Short        *string
		DisplayName  *string
	}
	// In the order they first wrote.
	err = s.q(ctx).Table("assessment_versions v").Select("v.assessment_id, v.author_role, f.short, u.display_name, MIN(v.number) AS first").
		Joins("LEFT JOIN fachaemter f ON f.id = v.author_fachamt_id").Joins("LEFT JOIN users u ON u.id = v.author_id AND u.erased_at IS NULL").
		Where("v.assessment_id IN ?", ids).Group("v.assessment_id, v.author_role, f.short, u.display_name").
		Order("v.assessment_id, first").Scan(&authors).Error
	if err != nil {
		return s.err(err)
	}
	var reviewers []struct {
		AssessmentID int64
		ActorRole    string
	}
	err = s.q(ctx).Table("assessment_transitions").Select("assessment_id, actor_role").
		Where("assessment_id IN ? AND action = ?", ids, app.ActPublish).Order("id").Scan(&reviewers).Error
	if err != nil {
		return s.err(err)
	}
	names, err := s.UsersByIDs(ctx, unique(publishers))
	if err != nil {
		return err
	}
	for id, rows := range byAssessment {
		for _, r := range rows {
			w := r.Workflow
			for _, c := range cos[id] {
				w.Cosigners = append(w.Cosigners, c.Short)
			}
			for _, a := range authors {
				if a.AssessmentID != id {
					continue
				}
				role := a.AuthorRole
				if a.Short != nil {
					role += " " + *a.Short
				}
				w.Drafters = appendNew(w.Drafters, role)
				if f.StaffNames && !f.PublicOnly && a.DisplayName != nil {
					w.DrafterNames = appendNew(w.DrafterNames, *a.DisplayName)
				}
			}
			for _, rv := range reviewers {
				if rv.AssessmentID == id {
					w.Reviewer = rv.ActorRole
				}
			}
			if u := names[deref64(w.publishedBy)]; u != nil && f.StaffNames && !f.PublicOnly && !u.Erased() {
				w.ReviewerName = u.DisplayName
			}
		}
	}
	return nil
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func deref64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
