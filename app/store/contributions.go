package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// CreateContribution validates a contribution and stores it; it is the one
// entry to the contribution pipeline for online comments, transcribed input
// and future.labs cards (contract in docs/draft.md).
//
//   - Channel, Body and, for online comments, AuthorID are required;
//     transcribed input needs AuthorID or AuthorLabel.
//   - ChapterID (optional except online) fills DocumentID; Paragraph is an
//     anchor of VersionID (default: the chapter's current version).
//   - ParentID makes a reply (same chapter, published parent, at most
//     app.MaxReplyDepth levels); a reply takes its parent's paragraph.
//   - Tags are Handlungsschwerpunkt codes ("lq3") and theme codes
//     ("verkehr"); OrtsteilCode is one official Ortsteil number.
//   - Online comments need an open comment period and obey the limits
//     (app.RateLimitPerMinute, the same text within app.RepeatWindow),
//     checked under a lock on the author's row so they hold across instances.
//   - Status follows the document's moderation: pending (pre-moderation,
//     and for contributions without a document) or published.
//   - Number is the next public number (A-0001, …), without gaps.
//   - The text's fingerprint for similar contributions (app/similar) is
//     written in the same transaction.
//
// On success c holds ID, Number, Status, DocumentID, VersionID, Depth and the
// timestamps. Nothing is stored when an error is returned.
func (s *Store) CreateContribution(ctx context.Context, c *app.Contribution) error {
	c.Clean()
	invalid := c.Validate()
	if e, ok := app.AsError(invalid); ok && (e.Code != app.CodeInvalid || hasField(e, "channel") || hasField(e, "author_label")) {
		return invalid
	}
	return s.Tx(ctx, func(tx *Store) error { return tx.createContribution(ctx, c, invalid) })
}

func hasField(e *app.Error, field string) bool {
	_, ok := e.FieldMsg(field)
	return ok
}

// mergeInvalid joins the field errors of two validation errors (the first
// message per field wins), so that a form shows every problem at once.
func mergeInvalid(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	ea, okA := app.AsError(a)
	eb, okB := app.AsError(b)
	if !okA || !okB {
		return a
	}
	fields := append([]app.FieldError{}, ea.Fields...)
	for _, f := range eb.Fields {
		if !hasField(ea, f.Field) {
			fields = append(fields, f)
		}
	}
	return app.Invalid(fields...)
}

func (s *Store) createContribution(ctx context.Context, c *app.Contribution, invalid error) error {
	var v app.Validator
	var doc *app.DraftDocument
	if c.ParentID != nil {
		parent, err := s.ContributionByID(ctx, *c.ParentID)
		switch {
		case app.ErrorCode(err) == app.CodeNotFound:
			v.Add("parent_id", "contribution.parent_unknown")
		case err != nil:
			return err
		case parent.Status != app.StatusPublished:
			v.Add("parent_id", "contribution.parent_unknown")
		case parent.Depth >= app.MaxReplyDepth:
			v.Add("parent_id", "contribution.reply_too_deep", "Max", app.MaxReplyDepth)
		case c.ChapterID != nil && !sameID(parent.ChapterID, c.ChapterID):
			v.Add("parent_id", "contribution.parent_unknown")
		default:
			c.Depth = parent.Depth + 1
			c.ChapterID, c.DocumentID = parent.ChapterID, parent.DocumentID
			c.Paragraph, c.VersionID = parent.Paragraph, parent.VersionID
		}
	}
	if c.ChapterID != nil && c.ParentID == nil {
		ch, err := s.ChapterByID(ctx, *c.ChapterID)
		if app.ErrorCode(err) == app.CodeNotFound {
			return app.FieldInvalid("chapter", "contribution.chapter_unknown")
		}
		if err != nil {
			return err
		}
		if c.DocumentID != nil && *c.DocumentID != ch.DocumentID {
			return app.FieldInvalid("chapter", "contribution.chapter_unknown")
		}
		c.DocumentID = &ch.DocumentID
		if c.VersionID == nil {
			c.VersionID = ch.CurrentVersionID
		}
		if c.Paragraph != "" {
			ok := false
			if c.VersionID != nil {
				if ok, err = s.BlockExists(ctx, *c.VersionID, c.Paragraph); err != nil {
					return err
				}
			}
			if !ok {
				v.Add("paragraph", "contribution.paragraph_unknown")
			}
		}
	}
	if c.DocumentID != nil {
		d, err := s.DocumentByID(ctx, *c.DocumentID)
		if app.ErrorCode(err) == app.CodeNotFound {
			return app.FieldInvalid("chapter", "contribution.chapter_unknown")
		}
		if err != nil {
			return err
		}
		doc = d
	}
	if err := s.checkTags(ctx, &v, c.Tags); err != nil {
		return err
	}
	if code := c.Ortsteil(); code != "" {
		ok, err := s.OrtsteilExists(ctx, code)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("ortsteil", "form.ortsteil_unknown")
		}
	}
	if err := mergeInvalid(invalid, v.Err()); err != nil {
		return err
	}
	now := s.Now()
	c.BodyHash = app.BodyHashOf(c.Body)
	if c.Channel == app.ChannelOnline {
		if err := s.checkPeriodOpen(ctx, doc, now); err != nil {
			return err
		}
		if err := s.checkCommentLimits(ctx, *c.AuthorID, c.BodyHash, now); err != nil {
			return err
		}
	}
	c.Status = app.StatusPending
	if doc != nil && !doc.PreModeration() {
		c.Status = app.StatusPublished
	}
	number, err := s.nextContributionNumber(ctx)
	if err != nil {
		return err
	}
	c.ID, c.Number, c.CreatedAt, c.UpdatedAt = 0, number, now, now
	c.SupportCount, c.OpenReports = 0, 0
	if err := s.q(ctx).Create(c).Error; err != nil {
		if app.ErrorCode(s.err(err)) == app.CodeConflict && c.CardID != nil {
			return app.Errorf(app.CodeConflict, "contribution.card_taken")
		}
		return s.err(err)
	}
	if err := s.insertTags(ctx, c.ID, c.Tags); err != nil {
		return err
	}
	if err := s.indexSimilar(ctx, c.ID, c.Body); err != nil {
		return err
	}
	actor := c.AuthorID
	if c.EnteredBy != nil {
		actor = c.EnteredBy
	}
	return s.addLog(ctx, c.ID, actor, app.LogCreated, "", c.Channel)
}

func sameID(a, b *int64) bool { return a != nil && b != nil && *a == *b }

// checkTags reports unknown tag codes as a field error.
func (s *Store) checkTags(ctx context.Context, v *app.Validator, tags []string) error {
	if len(tags) == 0 {
		return nil
	}
	known, err := s.tagKinds(ctx, tags)
	if err != nil {
		return err
	}
	for _, t := range tags {
		if known[t] == "" {
			v.Add("tags", "contribution.tag_unknown")
		}
	}
	return nil
}

// tagKinds maps the known codes among tags to "hs" or "theme".
func (s *Store) tagKinds(ctx context.Context, tags []string) (map[string]string, error) {
	out := map[string]string{}
	var hs, themes []string
	if err := s.q(ctx).Model(&app.Handlungsschwerpunkt{}).Where("code IN ?", tags).Pluck("code", &hs).Error; err != nil {
		return nil, s.err(err)
	}
	if err := s.q(ctx).Model(&app.Theme{}).Where("code IN ?", tags).Pluck("code", &themes).Error; err != nil {
		return nil, s.err(err)
	}
	for _, c := range hs {
		out[c] = "hs"
	}
	for _, c := range themes {
		out[c] = "theme"
	}
	return out, nil
}

type contributionTag struct {
	ContributionID int64
	Kind           string
	Code           string
}

func (contributionTag) TableName() string { return "contribution_tags" }

func (s *Store) insertTags(ctx context.Context, id int64, tags []string) error {
	if len(tags) == 0 {
		return nil
	}
	kinds, err := s.tagKinds(ctx, tags)
	if err != nil {
		return err
	}
	rows := make([]contributionTag, 0, len(tags))
	for _, t := range tags {
		rows = append(rows, contributionTag{ContributionID: id, Kind: kinds[t], Code: t})
	}
	return s.err(s.q(ctx).Create(&rows).Error)
}

// checkPeriodOpen refuses comments outside every comment period.
func (s *Store) checkPeriodOpen(ctx context.Context, doc *app.DraftDocument, now time.Time) error {
	if doc == nil || !doc.Published {
		return app.Errorf(app.CodeConflict, "contribution.period_closed")
	}
	var n int64
	err := s.q(ctx).Model(&app.CommentPeriod{}).Where("document_id = ? AND starts_at <= ? AND ends_at > ?", doc.ID, now, now).Count(&n).Error
	if err != nil {
		return s.err(err)
	}
	if n == 0 {
		return app.Errorf(app.CodeConflict, "contribution.period_closed")
	}
	return nil
}

// checkCommentLimits enforces the per-person limits of online comments. The
// no-op update locks the author's row until the transaction ends, so that
// concurrent requests on any instance count one after the other (SQLite
// serialises write transactions anyway).
func (s *Store) checkCommentLimits(ctx context.Context, authorID int64, hash string, now time.Time) error {
	if err := s.q(ctx).Exec("UPDATE users SET updated_at = updated_at WHERE id = ?", authorID).Error; err != nil {
		return s.err(err)
	}
	var recent []struct {
		BodyHash  string
		CreatedAt time.Time
	}
	err := s.q(ctx).Model(&app.Contribution{}).Select("body_hash, created_at").
		Where("author_id = ? AND channel = ? AND created_at > ?", authorID, app.ChannelOnline, now.Add(-time.Minute)).
		Order("created_at").Scan(&recent).Error
	if err != nil {
		return s.err(err)
	}
	for _, r := range recent {
		if r.BodyHash == hash && r.CreatedAt.After(now.Add(-app.RepeatWindow)) {
			return &app.Error{Code: app.CodeConflict, Msg: app.M("contribution.repeated"),
				Fields: []app.FieldError{{Field: "body", Msg: app.M("contribution.repeated")}}}
		}
	}
	if len(recent) >= app.RateLimitPerMinute {
		wait := recent[0].CreatedAt.Add(time.Minute).Sub(now)
		if wait < time.Second {
			wait = time.Second
		}
		msg := app.M("contribution.rate_limited", "Max", app.RateLimitPerMinute, "Seconds", int(wait.Seconds())+1)
		return &app.Error{Code: app.CodeTooMany, Msg: msg, Fields: []app.FieldError{{Field: "body", Msg: msg}}, RetryAfter: wait}
	}
	return nil
}

// nextContributionNumber takes the next public number. The update locks the
// counter row until the transaction ends: numbers are unique on every
// instance and a rolled-back transaction gives its number back.
func (s *Store) nextContributionNumber(ctx context.Context) (int64, error) {
	if err := s.q(ctx).Exec("UPDATE contribution_counter SET last_number = last_number + 1 WHERE id = 1").Error; err != nil {
		return 0, s.err(err)
	}
	var n int64
	err := s.scanRaw(ctx, &n, "SELECT last_number FROM contribution_counter WHERE id = 1")
	return n, s.err(err)
}

func (s *Store) addLog(ctx context.Context, id int64, actor *int64, action, reason, detail string) error {
	e := app.ContributionLogEntry{ContributionID: id, ActorID: actor, Action: action, ReasonCode: reason, Detail: detail, CreatedAt: s.Now()}
	return s.err(s.q(ctx).Create(&e).Error)
}

// ContributionByID loads a contribution with its tags.
func (s *Store) ContributionByID(ctx context.Context, id int64) (*app.Contribution, error) {
	var c app.Contribution
	if err := s.q(ctx).First(&c, id).Error; err != nil {
		return nil, s.err(err)
	}
	tags, err := s.TagsOf(ctx, []int64{c.ID})
	c.Tags = tags[c.ID]
	return &c, err
}

// ContributionByNumber loads a contribution by its public number.
func (s *Store) ContributionByNumber(ctx context.Context, number int64) (*app.Contribution, error) {
	var c app.Contribution
	if err := s.q(ctx).Where("number = ?", number).First(&c).Error; err != nil {
		return nil, s.err(err)
	}
	tags, err := s.TagsOf(ctx, []int64{c.ID})
	c.Tags = tags[c.ID]
	return &c, err
}

// TagsOf loads the tags of contributions, keyed by contribution id.
func (s *Store) TagsOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []contributionTag
	if err := s.q(ctx).Where("contribution_id IN ?", ids).Order("kind, code").Find(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	for _, r := range rows {
		out[r.ContributionID] = append(out[r.ContributionID], r.Code)
	}
	return out, nil
}

// ContributionView is a contribution with what lists show besides it: the
// author's public name and the number of the contribution it duplicates.
type ContributionView struct {
	app.Contribution
	AuthorName      string
	AuthorErasedAt  *time.Time
	DuplicateNumber *int64
	ChapterTitle    string
	ChapterSlug     string
}

// Author is the author's account as far as pages may show it (pseudonym,
// erased or not), or nil for transcribed input.
func (c *ContributionView) Author() *app.User {
	if c.AuthorID == nil {
		return nil
	}
	return &app.User{ID: *c.AuthorID, DisplayName: c.AuthorName, ErasedAt: c.AuthorErasedAt}
}

// DuplicatePublicNumber is the number of the contribution this one repeats
// ("A-0042"), or "".
func (c *ContributionView) DuplicatePublicNumber() string {
	if c.DuplicateNumber == nil {
		return ""
	}
	return app.FormatContributionNumber(*c.DuplicateNumber)
}

const contributionViewColumns = "c.*, u.display_name AS author_name, u.erased_at AS author_erased_at, d.number AS duplicate_number, ch.title AS chapter_title, ch.slug AS chapter_slug"

func (s *Store) contributionViews(ctx context.Context) *gorm.DB {
	return s.q(ctx).Table("contributions c").Select(contributionViewColumns).
		Joins("LEFT JOIN users u ON u.id = c.author_id").
		Joins("LEFT JOIN contributions d ON d.id = c.duplicate_of").
		Joins("LEFT JOIN draft_chapters ch ON ch.id = c.chapter_id")
}

// chapterRowColumns are the columns a chapter page shows of a contribution.
const chapterRowColumns = `c.id, c.number, c.channel, c.document_id, c.chapter_id, c.paragraph, c.version_id, c.event_id,
	c.author_id, c.author_label, c.parent_id, c.depth, c.body, c.ortsteil_code, c.status, c.reason_code,
	c.redacted_at, c.duplicate_of, c.support_count, c.answer_body, c.answered_at, c.assessment_status,
	c.assessment_reasoning, c.assessment_fachamt, c.assessment_anchor, c.assessment_version_id,
	c.assessment_published_at, c.edited_at, c.created_at, u.display_name, u.erased_at, d.number,
	c.point_lat, c.point_lon, c.point_public, c.place_text`

// chapterRowsVisible picks a chapter's contributions a viewer may see: the
// public ones and their own.
const chapterRowsVisible = `c.chapter_id = ? AND (c.status IN (?, ?, ?) OR c.author_id = ?)`

// ChapterOutline lists what a chapter page needs to build, sort, count and
// page the discussion, without texts, names or tags: id, parent, paragraph,
// version, author id, depth, status, supports and time, and the point and
// place for the chapter's map (PublicPoints), so the map costs no statement
// of its own. FillContributions completes the rows a page shows.
func (s *Store) ChapterOutline(ctx context.Context, chapterID, viewerID int64) ([]*ContributionView, error) {
	rows, err := s.q(ctx).Raw(`SELECT c.id, c.parent_id, c.paragraph, c.version_id, c.author_id, c.depth, c.status,
		c.support_count, c.created_at, c.number, c.ortsteil_code, c.point_lat, c.point_lon, c.point_public,
		CASE WHEN c.point_public THEN c.place_text ELSE '' END FROM contributions c
		WHERE `+chapterRowsVisible+`
		ORDER BY c.created_at, c.id`,
		chapterID, app.StatusPublished, app.StatusHidden, app.StatusWithdrawn, viewerID).Rows()
	if err != nil {
		return nil, s.err(err)
	}
	defer rows.Close()
	var out []*ContributionView
	for rows.Next() {
		r := &ContributionView{}
		c := &r.Contribution
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Paragraph, &c.VersionID, &c.AuthorID, &c.Depth, &c.Status, &c.SupportCount, &c.CreatedAt,
			&c.Number, &c.OrtsteilCode, &c.PointLat, &c.PointLon, &c.PointPublic, &c.PlaceText); err != nil {
			return nil, s.err(err)
		}
		out = append(out, r)
	}
	return out, s.err(rows.Err())
}

// FillContributions completes rows of ChapterOutline in place (texts,
// names, tags) and tells which of them the viewer supports: two statements
// however many rows. The rows are scanned by hand because reflection
// (gorm's Scan) costs more than the query itself at several hundred rows.
func (s *Store) FillContributions(ctx context.Context, outline []*ContributionView, viewerID int64) (map[int64]bool, error) {
	supported := map[int64]bool{}
	if len(outline) == 0 {
		return supported, nil
	}
	ids := make([]int64, len(outline))
	byID := make(map[int64]*ContributionView, len(outline))
	for i, r := range outline {
		ids[i] = r.ID
		byID[r.ID] = r
	}
	rows, err := s.q(ctx).Raw(`SELECT `+chapterRowColumns+`,
		EXISTS (SELECT 1 FROM contribution_supports s WHERE s.contribution_id = c.id AND s.user_id = ?)
		FROM contributions c
		LEFT JOIN users u ON u.id = c.author_id
		LEFT JOIN contributions d ON d.id = c.duplicate_of
		WHERE c.id IN ?`, viewerID, ids).Rows()
	if err != nil {
		return nil, s.err(err)
	}
	defer rows.Close()
	for rows.Next() {
		r := &ContributionView{}
		c := &r.Contribution
		var authorName *string
		var mine bool
		if err := rows.Scan(&c.ID, &c.Number, &c.Channel, &c.DocumentID, &c.ChapterID, &c.Paragraph, &c.VersionID, &c.EventID,
			&c.AuthorID, &c.AuthorLabel, &c.ParentID, &c.Depth, &c.Body, &c.OrtsteilCode, &c.Status, &c.ReasonCode,
			&c.RedactedAt, &c.DuplicateOf, &c.SupportCount, &c.AnswerBody, &c.AnsweredAt, &c.AssessmentStatus,
			&c.AssessmentReasoning, &c.AssessmentFachamt, &c.AssessmentAnchor, &c.AssessmentVersionID,
			&c.AssessmentPublishedAt, &c.EditedAt, &c.CreatedAt, &authorName, &r.AuthorErasedAt, &r.DuplicateNumber,
			&c.PointLat, &c.PointLon, &c.PointPublic, &c.PlaceText, &mine); err != nil {
			return nil, s.err(err)
		}
		if authorName != nil {
			r.AuthorName = *authorName
		}
		if mine {
			supported[c.ID] = true
		}
		// In place: the page's threads point at these rows.
		if o := byID[c.ID]; o != nil {
			*o = *r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.err(err)
	}
	tags, err := s.TagsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range outline {
		r.Tags = tags[r.ID]
	}
	return supported, nil
}

// ContributionViewByNumber loads one contribution with author and chapter.
func (s *Store) ContributionViewByNumber(ctx context.Context, number int64) (*ContributionView, error) {
	var rows []*ContributionView
	if err := s.contributionViews(ctx).Where("c.number = ?", number).Limit(1).Scan(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	if len(rows) == 0 {
		return nil, app.NotFound()
	}
	tags, err := s.TagsOf(ctx, []int64{rows[0].ID})
	rows[0].Tags = tags[rows[0].ID]
	return rows[0], err
}

// ContributionViews loads contributions by id with author and chapter, in
// the order of ids.
func (s *Store) ContributionViews(ctx context.Context, ids []int64) ([]*ContributionView, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []*ContributionView
	if err := s.contributionViews(ctx).Where("c.id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	tags, err := s.TagsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*ContributionView{}
	for _, r := range rows {
		r.Tags = tags[r.ID]
		byID[r.ID] = r
	}
	out := make([]*ContributionView, 0, len(ids))
	for _, id := range ids {
		if r := byID[id]; r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// Thread loads the replies below a contribution (every level), visible to
// the viewer like on the chapter page, oldest first.
func (s *Store) Thread(ctx context.Context, rootID, viewerID int64) ([]*ContributionView, error) {
	var ids []int64
	level := []int64{rootID}
	for depth := 0; depth < app.MaxReplyDepth && len(level) > 0; depth++ {
		var next []int64
		if err := s.q(ctx).Model(&app.Contribution{}).Where("parent_id IN ?", level).Order("created_at, id").Pluck("id", &next).Error; err != nil {
			return nil, s.err(err)
		}
		ids = append(ids, next...)
		level = next
	}
	rows, err := s.ContributionViews(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if r.Status == app.StatusPublished || r.Status == app.StatusHidden || r.Status == app.StatusWithdrawn || (viewerID != 0 && r.IsAuthor(&app.User{ID: viewerID})) {
			out = append(out, r)
		}
	}
	return out, nil
}

// SupportedAmong returns which of the given contributions the person
// supports, in one query (a thread page shows the viewer's supports of
// every row).
func (s *Store) SupportedAmong(ctx context.Context, userID int64, contributionIDs []int64) (map[int64]bool, error) {
	supported := map[int64]bool{}
	if userID == 0 || len(contributionIDs) == 0 {
		return supported, nil
	}
	var ids []int64
	err := s.q(ctx).Table("contribution_supports").Where("user_id = ? AND contribution_id IN ?", userID, contributionIDs).
		Pluck("contribution_id", &ids).Error
	if err != nil {
		return nil, s.err(err)
	}
	for _, id := range ids {
		supported[id] = true
	}
	return supported, nil
}

type contributionSupport struct {
	ContributionID int64
	UserID         int64
	CreatedAt      time.Time
}

func (contributionSupport) TableName() string { return "contribution_supports" }

// AddSupport records one support ("Zustimmung"). The primary key (one row per
// person and contribution) makes a second support a conflict on every
// instance; the count changes in the same transaction.
func (s *Store) AddSupport(ctx context.Context, contributionID, userID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Create(&contributionSupport{ContributionID: contributionID, UserID: userID, CreatedAt: tx.Now()}).Error; err != nil {
			if app.ErrorCode(tx.err(err)) == app.CodeConflict {
				return app.Errorf(app.CodeConflict, "contribution.already_supported")
			}
			return tx.err(err)
		}
		return tx.err(tx.q(ctx).Exec("UPDATE contributions SET support_count = support_count + 1 WHERE id = ?", contributionID).Error)
	})
}

// RemoveSupport takes a support back; without one it changes nothing.
func (s *Store) RemoveSupport(ctx context.Context, contributionID, userID int64) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Where("contribution_id = ? AND user_id = ?", contributionID, userID).Delete(&contributionSupport{})
		if res.Error != nil || res.RowsAffected == 0 {
			return tx.err(res.Error)
		}
		return tx.err(tx.q(ctx).Exec("UPDATE contributions SET support_count = support_count - 1 WHERE id = ?", contributionID).Error)
	})
}

// CountSupports counts the support rows of a contribution (the stored count
// must always equal it).
func (s *Store) CountSupports(ctx context.Context, contributionID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Table("contribution_supports").Where("contribution_id = ?", contributionID).Count(&n).Error
	return n, s.err(err)
}

// AddReport stores a reader's report and raises the contribution in the
// moderation queue. A second report by the same person is a conflict.
func (s *Store) AddReport(ctx context.Context, r *app.ContributionReport) error {
	return s.Tx(ctx, func(tx *Store) error {
		r.CreatedAt = tx.Now()
		if err := tx.q(ctx).Create(r).Error; err != nil {
			if app.ErrorCode(tx.err(err)) == app.CodeConflict {
				return app.Errorf(app.CodeConflict, "contribution.already_reported")
			}
			return tx.err(err)
		}
		if err := tx.q(ctx).Exec("UPDATE contributions SET open_reports = open_reports + 1 WHERE id = ?", r.ContributionID).Error; err != nil {
			return tx.err(err)
		}
		return tx.addLog(ctx, r.ContributionID, r.UserID, app.LogReported, r.ReasonCode, r.Text)
	})
}

// HasReported reports whether the person already reported the contribution.
func (s *Store) HasReported(ctx context.Context, contributionID, userID int64) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&app.ContributionReport{}).Where("contribution_id = ? AND user_id = ?", contributionID, userID).Count(&n).Error
	return n > 0, s.err(err)
}

// Reports lists the reports of a contribution, newest first.
func (s *Store) Reports(ctx context.Context, contributionID int64) ([]app.ContributionReport, error) {
	var out []app.ContributionReport
	err := s.q(ctx).Where("contribution_id = ?", contributionID).Order("id DESC").Find(&out).Error
	return out, s.err(err)
}

// UpdateOwnContribution saves an author's edit of text, tags and Ortsteil.
// In pre-moderation a published text goes back to the queue.
func (s *Store) UpdateOwnContribution(ctx context.Context, c *app.Contribution, preModeration bool) error {
	c.Clean()
	if err := c.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		var v app.Validator
		if err := tx.checkTags(ctx, &v, c.Tags); err != nil {
			return err
		}
		if code := c.Ortsteil(); code != "" {
			if ok, err := tx.OrtsteilExists(ctx, code); err != nil {
				return err
			} else if !ok {
				v.Add("ortsteil", "form.ortsteil_unknown")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := tx.Now()
		status := c.Status
		if preModeration && status == app.StatusPublished {
			status = app.StatusPending
		}
		res := tx.q(ctx).Model(&app.Contribution{}).Where("id = ? AND status IN ?", c.ID, []string{app.StatusPending, app.StatusPublished}).
			Updates(map[string]any{"body": c.Body, "body_hash": app.BodyHashOf(c.Body), "ortsteil_code": c.OrtsteilCode,
				"point_lat": c.PointLat, "point_lon": c.PointLon, "point_public": c.PointPublic, "place_text": c.PlaceText,
				"status": status, "edited_at": now, "updated_at": now})
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.CodeConflict, "contribution.not_editable")
		}
		c.Status = status
		if err := tx.q(ctx).Where("contribution_id = ?", c.ID).Delete(&contributionTag{}).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.insertTags(ctx, c.ID, c.Tags); err != nil {
			return err
		}
		if err := tx.indexSimilar(ctx, c.ID, c.Body); err != nil {
			return err
		}
		return tx.addLog(ctx, c.ID, c.AuthorID, app.LogEdited, "", "")
	})
}

// WithdrawContribution removes an author's text at their wish; the row stays
// as a placeholder so that replies keep their place.
func (s *Store) WithdrawContribution(ctx context.Context, c *app.Contribution) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		res := tx.q(ctx).Model(&app.Contribution{}).Where("id = ? AND status <> ? AND assessment_published_at IS NULL", c.ID, app.StatusWithdrawn).
			Updates(map[string]any{"status": app.StatusWithdrawn, "body": "", "original_body": nil, "body_hash": "",
				"ortsteil_code": nil, "point_lat": nil, "point_lon": nil, "point_public": false, "place_text": "",
				"open_reports": 0, "updated_at": now})
		if res.Error != nil {
			return tx.err(res.Error)
		}
		if res.RowsAffected == 0 {
			return app.Errorf(app.CodeConflict, "contribution.not_withdrawable")
		}
		if err := tx.q(ctx).Where("contribution_id = ?", c.ID).Delete(&contributionTag{}).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.resolveReports(ctx, c.ID, c.AuthorID); err != nil {
			return err
		}
		if err := tx.indexSimilar(ctx, c.ID, ""); err != nil {
			return err
		}
		return tx.addLog(ctx, c.ID, c.AuthorID, app.LogWithdrawn, "", "")
	})
}

// UserContributions lists a person's contributions, newest first.
func (s *Store) UserContributions(ctx context.Context, userID int64) ([]*ContributionView, error) {
	var rows []*ContributionView
	err := s.contributionViews(ctx).Where("c.author_id = ?", userID).Order("c.created_at DESC, c.id DESC").Scan(&rows).Error
	if err != nil {
		return nil, s.err(err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	tags, err := s.TagsOf(ctx, ids)
	for _, r := range rows {
		r.Tags = tags[r.ID]
	}
	return rows, err
}

// escapeQuery prepares a search text for LIKE.
func likePattern(q string) string { return "%" + escapeLike(strings.ToLower(q)) + "%" }

// eraseContributionData is the erasure step of the contribution pipeline.
// Contributions stay in the public record under "gelöschtes Konto" (the
// author's row is a tombstone); what is removed: the texts of the person's
// reports and the unredacted originals of their contributions (which held
// personal data a moderator removed from the public text). Supports stay as
// anonymous counts.
func (s *Store) eraseContributionData(ctx context.Context, userID int64) error {
	if err := s.q(ctx).Model(&app.ContributionReport{}).Where("user_id = ?", userID).Update("text", "").Error; err != nil {
		return s.err(err)
	}
	if err := s.q(ctx).Model(&app.Contribution{}).Where("author_id = ? AND original_body IS NOT NULL", userID).
		Update("original_body", nil).Error; err != nil {
		return s.err(err)
	}
	// A point the author did not make public is personal data; a public
	// one stays with the public text, like the text itself.
	return s.err(s.q(ctx).Model(&app.Contribution{}).Where("author_id = ? AND point_public = ?", userID, false).
		Updates(map[string]any{"point_lat": nil, "point_lon": nil}).Error)
}

// PersonalContribution is one contribution of PersonalData.
type PersonalContribution struct {
	Number       string     `json:"number"`
	Chapter      string     `json:"chapter"`
	Paragraph    string     `json:"paragraph"`
	Body         string     `json:"body"`
	OriginalBody *string    `json:"original_body,omitempty"`
	Tags         []string   `json:"tags"`
	Ortsteil     string     `json:"ortsteil"`
	Place        string     `json:"place,omitempty"`
	PointLat     *float64   `json:"point_lat,omitempty"`
	PointLon     *float64   `json:"point_lon,omitempty"`
	PointPublic  bool       `json:"point_public"`
	Status       string     `json:"status"`
	Assessment   string     `json:"assessment"`
	CreatedAt    time.Time  `json:"created_at"`
	EditedAt     *time.Time `json:"edited_at"`
}

// PersonalReport is one report of PersonalData.
type PersonalReport struct {
	Contribution string    `json:"contribution"`
	Reason       string    `json:"reason"`
	Text         string    `json:"text"`
	CreatedAt    time.Time `json:"created_at"`
}

// PersonalSupport is one support of PersonalData.
type PersonalSupport struct {
	Contribution string    `json:"contribution"`
	CreatedAt    time.Time `json:"created_at"`
}

// personalContributionData adds the person's contributions, reports and
// supports to their data export.
func (s *Store) personalContributionData(ctx context.Context, userID int64, d *PersonalData) error {
	d.Contributions, d.Reports, d.Supports = []PersonalContribution{}, []PersonalReport{}, []PersonalSupport{}
	items, err := s.UserContributions(ctx, userID)
	if err != nil {
		return err
	}
	for _, c := range items {
		tags := c.Tags
		if tags == nil {
			tags = []string{}
		}
		d.Contributions = append(d.Contributions, PersonalContribution{
			Number: c.PublicNumber(), Chapter: c.ChapterTitle, Paragraph: c.Paragraph, Body: c.Body, OriginalBody: c.OriginalBody,
			Tags: tags, Ortsteil: c.Ortsteil(), Status: c.Status, Assessment: c.AssessmentStatus, CreatedAt: c.CreatedAt, EditedAt: c.EditedAt,
			Place: c.PlaceText, PointLat: c.PointLat, PointLon: c.PointLon, PointPublic: c.PointPublic,
		})
	}
	var reports []struct {
		Number     int64
		ReasonCode string
		Text       string
		CreatedAt  time.Time
	}
	err = s.q(ctx).Table("contribution_reports r").Select("c.number, r.reason_code, r.text, r.created_at").
		Joins("JOIN contributions c ON c.id = r.contribution_id").Where("r.user_id = ?", userID).Order("r.id").Scan(&reports).Error
	if err != nil {
		return s.err(err)
	}
	for _, r := range reports {
		d.Reports = append(d.Reports, PersonalReport{app.FormatContributionNumber(r.Number), r.ReasonCode, r.Text, r.CreatedAt})
	}
	var supports []struct {
		Number    int64
		CreatedAt time.Time
	}
	err = s.q(ctx).Table("contribution_supports sp").Select("c.number, sp.created_at").
		Joins("JOIN contributions c ON c.id = sp.contribution_id").Where("sp.user_id = ?", userID).Order("sp.created_at").Scan(&supports).Error
	if err != nil {
		return s.err(err)
	}
	for _, sp := range supports {
		d.Supports = append(d.Supports, PersonalSupport{app.FormatContributionNumber(sp.Number), sp.CreatedAt})
	}
	return nil
}
