package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// ExportUnassessed is the export filter's value for contributions without
// an assessment (the moderation queue's filter says AssessmentOpen; the
// export keeps "offen", which stored jobs and the documentation use).
const ExportUnassessed = "offen"

// ExportFilter selects the contributions of an export. Zero values select
// everything.
type ExportFilter struct {
	ChapterID  int64
	Channel    string
	From, To   *time.Time // created_at in [From, To)
	Bezirke    []string   // Stadtbezirk codes (a Stadtgebiet)
	Tag        string
	Status     string // moderation status
	Assessment string // assessment status, or ExportUnassessed
	// Published keeps published contributions only (Abwägungstabelle).
	Published bool
	// PublicOnly keeps published contributions and blanks unpublished
	// assessments (open data).
	PublicOnly bool
	// TopLevel leaves out replies.
	TopLevel bool
	// StaffNames adds the names of who drafted and who published an
	// assessment (AG INSEK chooses it; otherwise only their roles).
	StaffNames bool
}

// ExportRow is one contribution with everything an export shows. It never
// holds an address: the author is the public pseudonym.
type ExportRow struct {
	ID                    int64
	Number                int64
	ChapterID             *int64
	ChapterTitle          string
	ChapterFachamt        string
	Paragraph             string
	ParagraphText         string
	VersionID             *int64
	Body                  string
	AuthorID              *int64
	AuthorLabel           string
	DisplayName           string
	ErasedAt              *time.Time
	CreatedAt             time.Time
	Channel               string
	EventID               *int64
	EventTitle            string
	OrtsteilCode          *string
	Status                string
	AnswerBody            string
	AssessmentStatus      string
	AssessmentReasoning   string
	AssessmentFachamt     string
	AssessmentVersionID   *int64
	AssessmentAnchor      string
	AssessmentText        string
	AssessmentPublishedAt *time.Time
	Tags                  []string `gorm:"-"`
	// The workflow of the Abwägung (the group primary's assessment).
	Workflow *ExportWorkflow `gorm:"-"`
}

// ExportWorkflow is how an assessment came about: who was responsible, in
// which roles it was drafted and published (names only on request), when
// each state was reached, and the proposed change.
type ExportWorkflow struct {
	AssessmentID                             int64
	State                                    string
	Lead, LeadName                           string
	Cosigners                                []string
	Drafters, DrafterNames                   []string
	Reviewer, ReviewerName                   string
	DraftedAt, CosignedAt, ReviewAt, Publish *time.Time
	ChangeAnchor, ChangeText                 string
	publishedBy                              *int64
}

// ExportBatch is how many rows one keyset query reads.
const ExportBatch = 5000

// ExportChapters lists the chapters in reading order (documents by id,
// chapters by position) for exports grouped by chapter.
func (s *Store) ExportChapters(ctx context.Context) ([]app.DraftChapter, error) {
	var out []app.DraftChapter
	err := s.q(ctx).Order("document_id, position, id").Find(&out).Error
	return out, s.err(err)
}

// CountExport counts the contributions a filter selects (for progress).
func (s *Store) CountExport(ctx context.Context, f ExportFilter) (int64, error) {
	var n int64
	err := s.exportWhere(s.q(ctx).Table("contributions AS c"), f).Count(&n).Error
	return n, s.err(err)
}

func (s *Store) exportWhere(q *gorm.DB, f ExportFilter) *gorm.DB {
	if f.ChapterID > 0 {
		q = q.Where("c.chapter_id = ?", f.ChapterID)
	} else if f.ChapterID < 0 {
		q = q.Where("c.chapter_id IS NULL")
	}
	if f.Channel != "" {
		q = q.Where("c.channel = ?", f.Channel)
	}
	if f.From != nil {
		q = q.Where("c.created_at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("c.created_at < ?", *f.To)
	}
	if len(f.Bezirke) > 0 {
		q = q.Where("c.ortsteil_code IN (SELECT code FROM ortsteile WHERE stadtbezirk_code IN ?)", f.Bezirke)
	}
	if f.Tag != "" {
		q = q.Where("EXISTS (SELECT 1 FROM contribution_tags t WHERE t.contribution_id = c.id AND t.code = ?)", f.Tag)
	}
	if f.Published || f.PublicOnly {
		q = q.Where("c.status = ?", app.StatusPublished)
	} else if f.Status != "" {
		q = q.Where("c.status = ?", f.Status)
	}
	switch {
	case f.Assessment == ExportUnassessed:
		q = q.Where("c.assessment_status = ''")
	case f.Assessment != "":
		q = q.Where("c.assessment_status = ?", f.Assessment)
	}
	if f.TopLevel {
		q = q.Where("c.parent_id IS NULL")
	}
	return q
}

const exportColumns = `c.id, c.number, c.chapter_id, ch.title AS chapter_title, ch.fachamt AS chapter_fachamt,
 c.paragraph, c.version_id, c.body, c.author_id, c.author_label, u.display_name, u.erased_at, c.created_at,
 c.channel, c.event_id, e.title AS event_title, c.ortsteil_code, c.status, c.answer_body,
 c.assessment_status, c.assessment_reasoning, c.assessment_fachamt, c.assessment_version_id,
 c.assessment_anchor, c.assessment_published_at, a.id, a.state, lf.short, lf.name, a.drafted_at, a.cosigned_at, a.review_at,
 a.published_at, a.published_by, a.change_anchor, a.change_text`

// EachExportRow calls fn for every contribution the filter selects, in
// number order. It reads ExportBatch rows per query by keyset (number >
// last), so memory stays flat however many rows there are; the next batch
// is read while fn works through the current one.
func (s *Store) EachExportRow(ctx context.Context, f ExportFilter, fn func(*ExportRow) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		rows []*ExportRow
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		defer close(ch)
		var last int64
		for {
			batch, err := s.exportBatch(ctx, f, last)
			if err == nil && len(batch) > 0 {
				err = s.fillExportBatch(ctx, batch, f.PublicOnly)
			}
			if err == nil && len(batch) > 0 {
				err = s.fillExportWorkflow(ctx, batch, f)
			}
			select {
			case ch <- result{batch, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(batch) < ExportBatch {
				return
			}
			last = batch[len(batch)-1].Number
		}
	}()
	for res := range ch {
		if res.err != nil {
			return res.err
		}
		for _, r := range res.rows {
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

func (s *Store) exportBatch(ctx context.Context, f ExportFilter, last int64) ([]*ExportRow, error) {
	batch := make([]*ExportRow, 0, ExportBatch)
	q := s.q(ctx).Table("contributions AS c").Select(exportColumns).
		Joins("LEFT JOIN draft_chapters ch ON ch.id = c.chapter_id").
		Joins("LEFT JOIN users u ON u.id = c.author_id").
		Joins("LEFT JOIN events e ON e.id = c.event_id").
		Joins("LEFT JOIN assessments a ON a.contribution_id = COALESCE(c.duplicate_of, c.id)").
		Joins("LEFT JOIN fachaemter lf ON lf.id = a.lead_fachamt_id")
	q = s.exportWhere(q, f).Where("c.number > ?", last).Order("c.number").Limit(ExportBatch)
	rows, err := q.Rows()
	if err != nil {
		return nil, s.err(err)
	}
	defer rows.Close()
	for rows.Next() {
		r := &ExportRow{}
		var title, amt, name, event *string
		var wid *int64
		var state, lead, leadName, changeAnchor, changeText *string
		w := &ExportWorkflow{}
		err := rows.Scan(&r.ID, &r.Number, &r.ChapterID, &title, &amt, &r.Paragraph, &r.VersionID, &r.Body,
			&r.AuthorID, &r.AuthorLabel, &name, &r.ErasedAt, &r.CreatedAt, &r.Channel, &r.EventID, &event,
			&r.OrtsteilCode, &r.Status, &r.AnswerBody, &r.AssessmentStatus, &r.AssessmentReasoning,
			&r.AssessmentFachamt, &r.AssessmentVersionID, &r.AssessmentAnchor, &r.AssessmentPublishedAt,
			&wid, &state, &lead, &leadName, &w.DraftedAt, &w.CosignedAt, &w.ReviewAt, &w.Publish, &w.publishedBy, &changeAnchor, &changeText)
		if err != nil {
			return nil, s.err(err)
		}
		if wid != nil {
			w.AssessmentID, w.State, w.Lead, w.LeadName = *wid, deref(state), deref(lead), deref(leadName)
			w.ChangeAnchor, w.ChangeText = deref(changeAnchor), deref(changeText)
			r.Workflow = w
		}
		r.ChapterTitle, r.ChapterFachamt, r.DisplayName, r.EventTitle = deref(title), deref(amt), deref(name), deref(event)
		batch = append(batch, r)
	}
	return batch, s.err(rows.Err())
}

// fillExportBatch adds the tags and the quoted paragraphs of a batch with
// two queries.
func (s *Store) fillExportBatch(ctx context.Context, batch []*ExportRow, public bool) error {
	ids := make([]int64, len(batch))
	byID := make(map[int64]*ExportRow, len(batch))
	var versions []int64
	var anchors []string
	for i, r := range batch {
		ids[i], byID[r.ID] = r.ID, r
		if public && r.AssessmentPublishedAt == nil {
			r.AssessmentStatus, r.AssessmentReasoning, r.AssessmentFachamt = "", "", ""
			r.AssessmentVersionID, r.AssessmentAnchor = nil, ""
		}
		if r.VersionID != nil && r.Paragraph != "" {
			versions, anchors = append(versions, *r.VersionID), append(anchors, r.Paragraph)
		}
		if r.AssessmentVersionID != nil && r.AssessmentAnchor != "" {
			versions, anchors = append(versions, *r.AssessmentVersionID), append(anchors, r.AssessmentAnchor)
		}
	}
	rows, err := s.q(ctx).Table("contribution_tags").Select("contribution_id, code").
		Where("contribution_id IN ?", ids).Order("contribution_id, kind, code").Rows()
	if err != nil {
		return s.err(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return s.err(err)
		}
		if r := byID[id]; r != nil {
			r.Tags = append(r.Tags, code)
		}
	}
	if err := rows.Err(); err != nil {
		return s.err(err)
	}
	if len(versions) == 0 {
		return nil
	}
	var blocks []struct {
		VersionID int64
		Anchor    string
		Text      string
	}
	err = s.q(ctx).Table("draft_blocks").Select("version_id, anchor, text").
		Where("version_id IN ? AND anchor IN ?", unique(versions), unique(anchors)).Scan(&blocks).Error
	if err != nil {
		return s.err(err)
	}
	type key struct {
		v int64
		a string
	}
	text := make(map[key]string, len(blocks))
	for _, b := range blocks {
		text[key{b.VersionID, b.Anchor}] = b.Text
	}
	for _, r := range batch {
		if r.VersionID != nil {
			r.ParagraphText = text[key{*r.VersionID, r.Paragraph}]
		}
		if r.AssessmentVersionID != nil {
			r.AssessmentText = text[key{*r.AssessmentVersionID, r.AssessmentAnchor}]
		}
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// unique drops repeated values, keeping the first of each in order.
func unique[T comparable](in []T) []T {
	seen := map[T]bool{}
	out := in[:0:0]
	for _, x := range in {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Pseudonym is the public name of the author: the display name of an
// account, "" after erasure (the caller names it), or the label of
// transcribed input. Never an address.
func (r *ExportRow) Pseudonym() (name string, erased bool) {
	if r.AuthorID == nil {
		return r.AuthorLabel, false
	}
	if r.ErasedAt != nil || r.DisplayName == "" || strings.Contains(r.DisplayName, "@") {
		return "", true
	}
	return r.DisplayName, false
}
