package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// Moderate applies a moderator's decision (approve, reject, hide) and
// resolves the open reports. It returns the contribution as it is now and
// whether its status or reason changed (the caller mails the author then).
// Repeating a decision changes nothing and writes nothing.
func (s *Store) Moderate(ctx context.Context, actor *app.User, id int64, in app.ModerationInput) (*app.Contribution, bool, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, false, err
	}
	var c *app.Contribution
	var changed bool
	err := s.Tx(ctx, func(tx *Store) error {
		var err error
		if c, err = tx.lockLiveContribution(ctx, id); err != nil {
			return err
		}
		target, logAction := app.StatusPublished, app.LogApproved
		reason, reasonText := "", ""
		switch in.Action {
		case app.ActionReject:
			target, logAction, reason, reasonText = app.StatusRejected, app.LogRejected, in.Reason, in.ReasonText
		case app.ActionHide:
			target, logAction, reason, reasonText = app.StatusHidden, app.LogHidden, in.Reason, in.ReasonText
		}
		changed = c.Status != target || c.ReasonCode != reason || c.ReasonText != reasonText
		if !changed && c.OpenReports == 0 {
			return nil
		}
		from := c.Status
		if changed {
			now := tx.Now()
			err := tx.q(ctx).Model(&app.Contribution{}).Where("id = ?", id).Updates(map[string]any{
				"status": target, "reason_code": reason, "reason_text": reasonText,
				"moderated_by": actor.ID, "moderated_at": now, "updated_at": now,
			}).Error
			if err != nil {
				return tx.err(err)
			}
			c.Status, c.ReasonCode, c.ReasonText, c.ModeratedAt = target, reason, reasonText, &now
			c.ModeratedBy = &actor.ID
		}
		if err := tx.resolveReports(ctx, id, &actor.ID); err != nil {
			return err
		}
		c.OpenReports = 0
		if err := tx.addLog(ctx, id, &actor.ID, logAction, reason, reasonText); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditModerate, ObjectType: "contribution", ObjectID: c.PublicNumber(),
			Details: map[string]any{"action": in.Action, "reason": reason, "from": from, "to": target}})
	})
	return c, changed, err
}

// lockLiveContribution is lockContribution for actions that make no sense on
// a withdrawn contribution.
func (s *Store) lockLiveContribution(ctx context.Context, id int64) (*app.Contribution, error) {
	c, err := s.lockContribution(ctx, id)
	if err == nil && c.Status == app.StatusWithdrawn {
		return nil, app.Errorf(app.CodeConflict, "contribution.withdrawn")
	}
	return c, err
}

// lockContribution loads a contribution and holds its row until the
// transaction ends, so that two moderators acting at once take turns.
func (s *Store) lockContribution(ctx context.Context, id int64) (*app.Contribution, error) {
	res := s.q(ctx).Exec("UPDATE contributions SET updated_at = updated_at WHERE id = ?", id)
	if res.Error != nil {
		return nil, s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, app.NotFound()
	}
	return s.ContributionByID(ctx, id)
}

func (s *Store) resolveReports(ctx context.Context, id int64, actor *int64) error {
	now := s.Now()
	if err := s.q(ctx).Model(&app.ContributionReport{}).Where("contribution_id = ? AND resolved_at IS NULL", id).
		Updates(map[string]any{"resolved_at": now, "resolved_by": actor}).Error; err != nil {
		return s.err(err)
	}
	return s.err(s.q(ctx).Model(&app.Contribution{}).Where("id = ?", id).Update("open_reports", 0).Error)
}

// Redact replaces the public text by a version without personal data. The
// text as written is kept in OriginalBody for admins (only the first
// original: redacting twice keeps what the author wrote).
func (s *Store) Redact(ctx context.Context, actor *app.User, id int64, body, note string) (*app.Contribution, error) {
	body, note = app.CleanText(body), app.CleanText(note)
	var v app.Validator
	v.Text("body", body, true, app.MaxContributionBody)
	v.Text("redaction_note", note, false, app.MaxNote)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var c *app.Contribution
	err := s.Tx(ctx, func(tx *Store) error {
		var err error
		if c, err = tx.lockLiveContribution(ctx, id); err != nil {
			return err
		}
		if body == c.Body {
			return app.FieldInvalid("body", "contribution.redaction_unchanged")
		}
		original := c.Body
		if c.OriginalBody != nil {
			original = *c.OriginalBody
		}
		now := tx.Now()
		if err := tx.q(ctx).Model(&app.Contribution{}).Where("id = ?", id).Updates(map[string]any{
			"body": body, "original_body": original, "body_hash": app.BodyHashOf(body),
			"redacted_by": actor.ID, "redacted_at": now, "updated_at": now,
		}).Error; err != nil {
			return tx.err(err)
		}
		c.Body, c.OriginalBody, c.RedactedAt = body, &original, &now
		if err := tx.indexSimilar(ctx, id, body); err != nil {
			return err
		}
		if err := tx.addLog(ctx, id, &actor.ID, app.LogRedacted, app.ReasonPersonalData, note); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditRedact, ObjectType: "contribution", ObjectID: c.PublicNumber()})
	})
	return c, err
}

// MarkDuplicate groups a contribution under the one it repeats (given by its
// public number). Groups stay flat: marking under a duplicate groups under
// that one's primary, and the contribution's own duplicates move along.
func (s *Store) MarkDuplicate(ctx context.Context, actor *app.User, id, primaryNumber int64) (*app.Contribution, error) {
	var primary *app.Contribution
	err := s.Tx(ctx, func(tx *Store) error {
		c, err := tx.lockContribution(ctx, id)
		if err != nil {
			return err
		}
		primary, err = tx.ContributionByNumber(ctx, primaryNumber)
		if app.ErrorCode(err) == app.CodeNotFound {
			return app.FieldInvalid("primary", "contribution.primary_unknown")
		}
		if err != nil {
			return err
		}
		if primary.DuplicateOf != nil {
			if primary, err = tx.ContributionByID(ctx, *primary.DuplicateOf); err != nil {
				return err
			}
		}
		if primary.ID == c.ID {
			return app.FieldInvalid("primary", "contribution.primary_self")
		}
		if primary.Status == app.StatusWithdrawn {
			return app.FieldInvalid("primary", "contribution.primary_unknown")
		}
		now := tx.Now()
		if err := tx.q(ctx).Model(&app.Contribution{}).Where("id = ? OR duplicate_of = ?", c.ID, c.ID).
			Updates(map[string]any{"duplicate_of": primary.ID, "updated_at": now}).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.addLog(ctx, c.ID, &actor.ID, app.LogDuplicate, app.ReasonDuplicate, primary.PublicNumber()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditDuplicate, ObjectType: "contribution", ObjectID: c.PublicNumber(),
			Details: map[string]any{"of": primary.PublicNumber()}})
	})
	return primary, err
}

// UnmarkDuplicate takes a contribution out of its duplicate group.
func (s *Store) UnmarkDuplicate(ctx context.Context, actor *app.User, id int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		c, err := tx.lockContribution(ctx, id)
		if err != nil || c.DuplicateOf == nil {
			return err
		}
		if err := tx.q(ctx).Model(&app.Contribution{}).Where("id = ?", id).
			Updates(map[string]any{"duplicate_of": nil, "updated_at": tx.Now()}).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.addLog(ctx, id, &actor.ID, app.LogUnduplicate, "", ""); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditDuplicate, ObjectType: "contribution", ObjectID: c.PublicNumber(),
			Details: map[string]any{"of": nil}})
	})
}

// DuplicateGroup lists a primary contribution and its duplicates.
func (s *Store) DuplicateGroup(ctx context.Context, primaryID int64) ([]*ContributionView, error) {
	var ids []int64
	err := s.q(ctx).Model(&app.Contribution{}).Where("id = ? OR duplicate_of = ?", primaryID, primaryID).Order("number").Pluck("id", &ids).Error
	if err != nil {
		return nil, s.err(err)
	}
	return s.ContributionViews(ctx, ids)
}

// AddModerationNote adds an internal note for moderators.
func (s *Store) AddModerationNote(ctx context.Context, actor *app.User, id int64, note string) error {
	note = app.CleanText(note)
	var v app.Validator
	v.Text("note", note, true, app.MaxNote)
	if err := v.Err(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		c, err := tx.lockContribution(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.addLog(ctx, id, &actor.ID, app.LogNote, "", note); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditModerationNote, ObjectType: "contribution", ObjectID: c.PublicNumber()})
	})
}

// SetAnswer publishes (or replaces) the official answer to a contribution.
func (s *Store) SetAnswer(ctx context.Context, actor *app.User, id int64, body string) (*app.Contribution, error) {
	body = app.CleanText(body)
	var v app.Validator
	v.Text("answer", body, true, app.MaxAnswerBody)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var c *app.Contribution
	err := s.Tx(ctx, func(tx *Store) error {
		var err error
		if c, err = tx.lockLiveContribution(ctx, id); err != nil {
			return err
		}
		now := tx.Now()
		if err := tx.q(ctx).Model(&app.Contribution{}).Where("id = ?", id).Updates(map[string]any{
			"answer_body": body, "answered_by": actor.ID, "answered_at": now, "updated_at": now,
		}).Error; err != nil {
			return tx.err(err)
		}
		c.AnswerBody, c.AnsweredAt = body, &now
		c.AnsweredBy = &actor.ID
		if err := tx.addLog(ctx, id, &actor.ID, app.LogAnswered, "", ""); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditAnswer, ObjectType: "contribution", ObjectID: c.PublicNumber()})
	})
	return c, err
}

// AssessedContribution is one contribution an assessment changed, and
// whether its author should hear about it.
type AssessedContribution struct {
	Contribution *app.Contribution
	Notify       bool
}

// Assess records the Abwägung of a contribution. A duplicate group is
// assessed as a whole: the assessment of any member applies to the primary
// and every duplicate. Authors are to be told (Notify) when a published
// assessment is new to them or changed in status or reasoning.
func (s *Store) Assess(ctx context.Context, actor *app.User, id int64, in app.AssessmentInput) ([]AssessedContribution, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out []AssessedContribution
	err := s.Tx(ctx, func(tx *Store) error {
		c, err := tx.lockContribution(ctx, id)
		if err != nil {
			return err
		}
		primary := c
		if c.DuplicateOf != nil {
			if primary, err = tx.lockContribution(ctx, *c.DuplicateOf); err != nil {
				return err
			}
		}
		var versionID *int64
		if in.Paragraph != "" {
			if primary.ChapterID == nil {
				return app.FieldInvalid("paragraph", "contribution.paragraph_unknown")
			}
			ch, err := tx.ChapterByID(ctx, *primary.ChapterID)
			if err != nil {
				return err
			}
			ok := false
			if ch.CurrentVersionID != nil {
				if ok, err = tx.BlockExists(ctx, *ch.CurrentVersionID, in.Paragraph); err != nil {
					return err
				}
			}
			if !ok {
				return app.FieldInvalid("paragraph", "contribution.paragraph_unknown")
			}
			versionID = ch.CurrentVersionID
		}
		var members []app.Contribution
		if err := tx.q(ctx).Where("(id = ? OR duplicate_of = ?) AND status <> ?", primary.ID, primary.ID, app.StatusWithdrawn).
			Order("number").Find(&members).Error; err != nil {
			return tx.err(err)
		}
		if len(members) == 0 {
			return app.Errorf(app.CodeConflict, "contribution.withdrawn")
		}
		now := tx.Now()
		for i := range members {
			m := &members[i]
			wasPublished := m.AssessmentPublishedAt != nil
			notify := in.Publish && (!wasPublished || m.AssessmentStatus != in.Status || m.AssessmentReasoning != in.Reasoning)
			var published *time.Time
			switch {
			case in.Publish && wasPublished && !notify:
				published = m.AssessmentPublishedAt
			case in.Publish:
				published = &now
			}
			if err := tx.q(ctx).Model(&app.Contribution{}).Where("id = ?", m.ID).Updates(map[string]any{
				"assessment_status": in.Status, "assessment_reasoning": in.Reasoning, "assessment_fachamt": in.Fachamt,
				"assessment_version_id": versionID, "assessment_anchor": in.Paragraph,
				"assessed_by": actor.ID, "assessed_at": now, "assessment_published_at": published, "updated_at": now,
			}).Error; err != nil {
				return tx.err(err)
			}
			m.AssessmentStatus, m.AssessmentReasoning, m.AssessmentFachamt = in.Status, in.Reasoning, in.Fachamt
			m.AssessmentVersionID, m.AssessmentAnchor, m.AssessedAt, m.AssessmentPublishedAt = versionID, in.Paragraph, &now, published
			m.AssessedBy = &actor.ID
			detail := "draft"
			if in.Publish {
				detail = "published"
			}
			if err := tx.addLog(ctx, m.ID, &actor.ID, app.LogAssessed, in.Status, detail); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditAssess, ObjectType: "contribution", ObjectID: m.PublicNumber(),
				Details: map[string]any{"status": in.Status, "published": in.Publish}}); err != nil {
				return err
			}
			out = append(out, AssessedContribution{Contribution: m, Notify: notify})
		}
		return nil
	})
	return out, err
}

// LogEntryView is a moderation log entry with the actor's public name.
type LogEntryView struct {
	app.ContributionLogEntry
	ActorName     string
	ActorErasedAt *time.Time
}

// Actor is the acting account as pages may show it, or nil.
func (e *LogEntryView) Actor() *app.User {
	if e.ActorID == nil {
		return nil
	}
	return &app.User{ID: *e.ActorID, DisplayName: e.ActorName, ErasedAt: e.ActorErasedAt}
}

// ContributionLog lists what happened to a contribution, oldest first.
func (s *Store) ContributionLog(ctx context.Context, id int64) ([]*LogEntryView, error) {
	var out []*LogEntryView
	err := s.q(ctx).Table("contribution_log l").Select("l.*, u.display_name AS actor_name, u.erased_at AS actor_erased_at").
		Joins("LEFT JOIN users u ON u.id = l.actor_id").Where("l.contribution_id = ?", id).Order("l.id").Scan(&out).Error
	return out, s.err(err)
}

// Queue statuses besides the contribution statuses.
const (
	QueueOpen = "open" // pending or reported
	QueueAll  = "all"
)

// Queue ages.
const (
	AgeNewerThanDay = "24h"
	AgeOlderThan3d  = "3d"
	AgeOlderThan7d  = "7d"
)

// Assessment states of the queue filter.
const (
	AssessmentOpen  = "open"
	AssessmentDraft = "draft"
	AssessmentDone  = "done"
)

// QueueFilter narrows the moderation queue and the Abwägung list.
type QueueFilter struct {
	DocumentID int64
	ChapterID  int64
	Status     string
	Reported   bool
	Channel    string
	Age        string
	Assessment string
	Query      string
	Page       int
	PerPage    int
	// ReportedFirst orders reported contributions first, then oldest first
	// (the queue); otherwise by number.
	ReportedFirst bool
}

func (s *Store) applyQueueFilter(q *gorm.DB, f QueueFilter) *gorm.DB {
	if f.DocumentID != 0 {
		q = q.Where("c.document_id = ?", f.DocumentID)
	}
	if f.ChapterID != 0 {
		q = q.Where("c.chapter_id = ?", f.ChapterID)
	}
	switch f.Status {
	case "", QueueOpen:
		q = q.Where("(c.status = ? OR c.open_reports > 0)", app.StatusPending)
	case QueueAll:
	default:
		q = q.Where("c.status = ?", f.Status)
	}
	if f.Reported {
		q = q.Where("c.open_reports > 0")
	}
	if f.Channel != "" {
		q = q.Where("c.channel = ?", f.Channel)
	}
	now := s.Now()
	switch f.Age {
	case AgeNewerThanDay:
		q = q.Where("c.created_at > ?", now.Add(-24*time.Hour))
	case AgeOlderThan3d:
		q = q.Where("c.created_at <= ?", now.Add(-72*time.Hour))
	case AgeOlderThan7d:
		q = q.Where("c.created_at <= ?", now.Add(-7*24*time.Hour))
	}
	switch f.Assessment {
	case AssessmentOpen:
		q = q.Where("c.assessment_status = '' AND c.status <> ?", app.StatusWithdrawn)
	case AssessmentDraft:
		q = q.Where("c.assessment_status <> '' AND c.assessment_published_at IS NULL")
	case AssessmentDone:
		q = q.Where("c.assessment_published_at IS NOT NULL")
	}
	if f.Query != "" {
		if n, ok := app.ParseContributionNumber(f.Query); ok {
			q = q.Where("c.number = ?", n)
		} else {
			q = q.Where("lower(c.body) LIKE ? ESCAPE '\\'", likePattern(f.Query))
		}
	}
	return q
}

// ModerationQueue returns a page of contributions for moderators and the
// total count.
func (s *Store) ModerationQueue(ctx context.Context, f QueueFilter) ([]*ContributionView, int64, error) {
	var total int64
	if err := s.applyQueueFilter(s.q(ctx).Table("contributions c"), f).Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	q := s.applyQueueFilter(s.contributionViews(ctx), f)
	if f.ReportedFirst {
		q = q.Order("CASE WHEN c.open_reports > 0 THEN 0 ELSE 1 END, c.open_reports DESC, c.created_at, c.id")
	} else {
		q = q.Order("c.number")
	}
	var rows []*ContributionView
	if err := paginate(q, f.Page, f.PerPage).Scan(&rows).Error; err != nil {
		return nil, 0, s.err(err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	tags, err := s.TagsOf(ctx, ids)
	for _, r := range rows {
		r.Tags = tags[r.ID]
	}
	return rows, total, err
}

// ModerationCounts are the numbers on the admin dashboard.
type ModerationCounts struct {
	Pending    int64
	Reported   int64
	Unassessed int64
}

// CountModeration counts waiting, reported and not yet assessed contributions.
func (s *Store) CountModeration(ctx context.Context) (ModerationCounts, error) {
	var m ModerationCounts
	q := func() *gorm.DB { return s.q(ctx).Model(&app.Contribution{}) }
	if err := q().Where("status = ?", app.StatusPending).Count(&m.Pending).Error; err != nil {
		return m, s.err(err)
	}
	if err := q().Where("open_reports > 0").Count(&m.Reported).Error; err != nil {
		return m, s.err(err)
	}
	err := q().Where("assessment_status = '' AND status IN ?", []string{app.StatusPublished, app.StatusPending}).Count(&m.Unassessed).Error
	return m, s.err(err)
}

// PublishedAssessments lists the visible contributions of a chapter whose
// assessment is published, by number.
func (s *Store) PublishedAssessments(ctx context.Context, chapterID int64) ([]*ContributionView, error) {
	var rows []*ContributionView
	err := s.contributionViews(ctx).
		Where("c.chapter_id = ? AND c.status = ? AND c.assessment_published_at IS NOT NULL AND c.assessment_status <> ''", chapterID, app.StatusPublished).
		Order("c.number").Scan(&rows).Error
	return rows, s.err(err)
}
