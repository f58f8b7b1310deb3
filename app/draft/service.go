package draft

import (
	"context"
	"strconv"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/mail"
	"github.com/mitwirken/mitwirken/app/markdown"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/store"
)

// Service runs the flows of the draft and the contribution pipeline. Every
// flow that mails writes the mail to the outbox in the transaction of its
// change.
type Service struct {
	Store *store.Store
	// Mail may be nil (seed, CLI): then no mails are written.
	Mail     *mail.Composer
	WakeMail func()
	// Notify tells followers (issue 15); nil: nobody is notified.
	Notify *notify.Service
	// Locate finds the Ortsteil of a point (longitude, latitude) from the
	// boundaries (issue 14); nil refuses every point.
	Locate func(lon, lat float64) (code, name string, ok bool)
}

func (s *Service) wake() {
	if s.WakeMail != nil {
		s.WakeMail()
	}
}

// ContributionLink is the public address of a contribution.
func ContributionLink(c *app.Contribution) string { return "/beitraege/" + c.PublicNumber() }

// mailAuthor queues a mail to the online author of c, if there is one who
// can receive mail. It reports whether a mail was queued.
func (s *Service) mailAuthor(ctx context.Context, tx *store.Store, kind string, c *app.Contribution, data map[string]any) (bool, error) {
	if s.Mail == nil || c.AuthorID == nil {
		return false, nil
	}
	u, err := tx.UserByID(ctx, *c.AuthorID)
	if err != nil {
		return false, err
	}
	if u.Erased() || u.EmailAddress() == "" {
		return false, nil
	}
	data["Name"] = u.DisplayName
	data["Number"] = c.PublicNumber()
	data["Link"] = ContributionLink(c)
	if c.ChapterID != nil {
		ch, err := tx.ChapterByID(ctx, *c.ChapterID)
		if err != nil {
			return false, err
		}
		data["Chapter"] = ch.Title
	}
	return true, s.Mail.Queue(ctx, tx, kind, mail.To(u), data)
}

// SaveChapter creates a chapter (chapterID 0) or changes one. A changed text
// becomes a new version whose blocks keep the anchors of their predecessors
// (AssignAnchors). It reports whether a version was added.
func (s *Service) SaveChapter(ctx context.Context, actor *app.User, documentID, chapterID int64, in app.ChapterInput) (*app.DraftChapter, bool, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, false, err
	}
	var ch *app.DraftChapter
	var added bool
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		ch, added, err = s.saveChapter(ctx, tx, actor, documentID, chapterID, in)
		return err
	})
	return ch, added, err
}

func (s *Service) saveChapter(ctx context.Context, tx *store.Store, actor *app.User, documentID, chapterID int64, in app.ChapterInput) (*app.DraftChapter, bool, error) {
	var ch *app.DraftChapter
	var err error
	if chapterID == 0 {
		n, err := tx.LockDocumentChapters(ctx, documentID)
		if err != nil {
			return nil, false, err
		}
		if n >= app.MaxChapterCount {
			return nil, false, app.Errorf(app.CodeConflict, "draft.too_many_chapters", "Max", app.MaxChapterCount)
		}
		ch = &app.DraftChapter{DocumentID: documentID, Slug: in.Slug, Title: in.Title, Fachamt: in.Fachamt, Position: in.Position}
		if err := tx.CreateChapter(ctx, ch); err != nil {
			return nil, false, err
		}
	} else {
		if ch, err = tx.LockChapter(ctx, chapterID); err != nil {
			return nil, false, err
		}
		if documentID != 0 && ch.DocumentID != documentID {
			return nil, false, app.NotFound()
		}
		if err := tx.UpdateChapterMeta(ctx, ch.ID, in); err != nil {
			return nil, false, err
		}
		ch.Title, ch.Slug, ch.Fachamt, ch.Position = in.Title, in.Slug, in.Fachamt, in.Position
	}
	if err := tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditDraftChapter, ObjectType: "draft_chapter", ObjectID: itoa(ch.ID)}); err != nil {
		return nil, false, err
	}
	var prev []app.DraftBlock
	if ch.CurrentVersionID != nil {
		cur, err := tx.VersionByID(ctx, *ch.CurrentVersionID)
		if err != nil {
			return nil, false, err
		}
		if cur.Body == in.Body {
			return ch, false, nil
		}
		if prev, err = tx.VersionBlocks(ctx, cur.ID); err != nil {
			return nil, false, err
		}
	}
	parsed := markdown.Blocks(in.Body)
	if len(parsed) == 0 {
		return nil, false, app.FieldInvalid("body", "draft.body_empty")
	}
	anchors, next := AssignAnchors(prev, parsed, ch.NextAnchor)
	blocks := make([]app.DraftBlock, len(parsed))
	for i, b := range parsed {
		blocks[i] = app.DraftBlock{Anchor: anchors[i], Kind: b.Kind, Text: b.Text, HTML: string(b.HTML),
			ListGroup: b.ListGroup, ListOrdered: b.ListOrdered, ListStart: b.ListStart}
	}
	v := &app.DraftVersion{ChapterID: ch.ID, Body: in.Body, Note: in.Note}
	if actor != nil {
		v.CreatedBy = &actor.ID
	}
	if err := tx.InsertVersion(ctx, v, blocks, next); err != nil {
		return nil, false, err
	}
	ch.CurrentVersionID, ch.NextAnchor = &v.ID, next
	err = tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditDraftVersion, ObjectType: "draft_chapter", ObjectID: itoa(ch.ID),
		Details: map[string]any{"version": v.Number, "blocks": len(blocks)}})
	return ch, true, err
}

// CommentInput is what a person sends to comment on a chapter or a paragraph
// (form or API).
type CommentInput struct {
	Body      string   `form:"body" json:"body"`
	Paragraph string   `form:"paragraph" json:"paragraph"`
	ParentID  *int64   `form:"-" json:"parent_id"`
	Tags      []string `form:"tags" json:"tags"`
	Ortsteil  string   `form:"ortsteil" json:"ortsteil"`
	// The optional point (set by the map's script or the API), the
	// author's description of the place and the consent to show the point.
	Lat         string `form:"lat" json:"-"`
	Lon         string `form:"lon" json:"-"`
	Place       string `form:"place" json:"place"`
	PointPublic bool   `form:"point_public" json:"point_public"`
	// Points is how many points were sent (a form or API call with more
	// than one is refused).
	Points int `form:"-" json:"-"`
}

func (in CommentInput) contribution(u *app.User) *app.Contribution {
	c := &app.Contribution{Channel: app.ChannelOnline, AuthorID: &u.ID, Body: in.Body, Paragraph: in.Paragraph, Tags: in.Tags}
	if in.ParentID != nil && *in.ParentID != 0 {
		c.ParentID = in.ParentID
	}
	if o := strings.TrimSpace(in.Ortsteil); o != "" {
		c.OrtsteilCode = &o
	}
	c.PlaceText, c.PointPublic = in.Place, in.PointPublic
	return c
}

// Comment stores a verified person's comment on a chapter (or a reply, with
// ParentID). The store checks the period, the limits and every reference.
func (s *Service) Comment(ctx context.Context, u *app.User, chapterID int64, in CommentInput) (*app.Contribution, error) {
	if !u.Verified() {
		return nil, app.Errorf(app.CodeForbidden, "account.verify_first")
	}
	c := in.contribution(u)
	c.ChapterID = &chapterID
	if err := s.place(in, c); err != nil {
		return nil, err
	}
	if err := s.create(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// create stores a person's contribution; its author follows it from now on
// and, once it is published, the followers of its chapter, Ortsteil or
// parent hear of it.
func (s *Service) create(ctx context.Context, c *app.Contribution) error {
	mailed := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateContribution(ctx, c); err != nil {
			return err
		}
		if c.AuthorID != nil && s.Notify != nil {
			if err := tx.Follow(ctx, *c.AuthorID, app.FollowContribution, c.ID); err != nil && app.ErrorCode(err) != app.CodeConflict {
				return err
			}
		}
		var err error
		mailed, err = s.announce(ctx, tx, c)
		return err
	})
	if err == nil && mailed {
		s.Notify.Wake()
	}
	return err
}

// announce notifies the followers of a newly published contribution: of
// its parent for a reply, else of its chapter and Ortsteil. Contributions
// that wait for moderation are announced when approved.
func (s *Service) announce(ctx context.Context, tx *store.Store, c *app.Contribution) (bool, error) {
	if s.Notify == nil || c.Status != app.StatusPublished {
		return false, nil
	}
	e := notify.Event{Kind: app.NotifyNewContribution, SubjectKind: app.FollowContribution, SubjectID: c.ID,
		Title: c.PublicNumber(), URL: ContributionLink(c), Actor: c.AuthorID}
	if c.ParentID != nil {
		parent, err := tx.ContributionByID(ctx, *c.ParentID)
		if err != nil {
			return false, err
		}
		e.Kind, e.Title = app.NotifyReply, parent.PublicNumber()
		e.Targets = []app.Follow{notify.Target(app.FollowContribution, parent.ID)}
		return s.Notify.Publish(ctx, tx, e)
	}
	if c.ChapterID != nil {
		ch, err := tx.ChapterByID(ctx, *c.ChapterID)
		if err != nil {
			return false, err
		}
		e.Title += " (" + ch.Title + ")"
		e.Targets = append(e.Targets, notify.Target(app.FollowChapter, ch.ID))
	}
	if c.OrtsteilCode != nil {
		if n, err := strconv.Atoi(*c.OrtsteilCode); err == nil {
			e.Targets = append(e.Targets, notify.Target(app.FollowOrtsteil, int64(n)))
		}
	}
	return s.Notify.Publish(ctx, tx, e)
}

// Reply stores a reply to a published contribution.
func (s *Service) Reply(ctx context.Context, u *app.User, parentID int64, in CommentInput) (*app.Contribution, error) {
	if !u.Verified() {
		return nil, app.Errorf(app.CodeForbidden, "account.verify_first")
	}
	parent, err := s.Store.ContributionByID(ctx, parentID)
	if err != nil {
		return nil, err
	}
	in.ParentID, in.Paragraph = &parentID, ""
	c := in.contribution(u)
	c.ChapterID = parent.ChapterID
	if err := s.create(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// periodOpen reports whether the document of c is open for comments now.
func (s *Service) periodOpen(ctx context.Context, c *app.Contribution) (bool, error) {
	if c.DocumentID == nil {
		return true, nil
	}
	periods, err := s.Store.Periods(ctx, *c.DocumentID)
	if err != nil {
		return false, err
	}
	return PeriodStateOf(periods, s.Store.Now()).Open, nil
}

// Support adds (on) or takes back a person's support of a contribution.
func (s *Service) Support(ctx context.Context, u *app.User, id int64, on bool) error {
	if !u.Verified() {
		return app.Errorf(app.CodeForbidden, "account.verify_first")
	}
	c, err := s.Store.ContributionByID(ctx, id)
	if err != nil {
		return err
	}
	if !on {
		return s.Store.RemoveSupport(ctx, id, u.ID)
	}
	if c.Status != app.StatusPublished {
		return app.NotFound()
	}
	if c.IsAuthor(u) {
		return app.Errorf(app.CodeConflict, "contribution.support_own")
	}
	open, err := s.periodOpen(ctx, c)
	if err != nil {
		return err
	}
	if !open {
		return app.Errorf(app.CodeConflict, "contribution.period_closed")
	}
	return s.Store.AddSupport(ctx, id, u.ID)
}

// Report stores a reader's report of a published contribution.
func (s *Service) Report(ctx context.Context, u *app.User, id int64, in app.ReportInput) error {
	in.Clean()
	if err := in.Validate(); err != nil {
		return err
	}
	c, err := s.Store.ContributionByID(ctx, id)
	if err != nil {
		return err
	}
	if c.Status != app.StatusPublished {
		return app.NotFound()
	}
	if c.IsAuthor(u) {
		return app.Errorf(app.CodeConflict, "contribution.report_own")
	}
	return s.Store.AddReport(ctx, &app.ContributionReport{ContributionID: id, UserID: &u.ID, ReasonCode: in.Reason, Text: in.Text})
}

// CanEdit reports whether u may still change the contribution: only its
// author, while it waits or is published, before an answer or assessment.
func CanEdit(c *app.Contribution, u *app.User) bool {
	return c.IsAuthor(u) && !u.Erased() && (c.Status == app.StatusPending || c.Status == app.StatusPublished) &&
		c.AssessmentStatus == "" && c.AnswerBody == ""
}

// CanWithdraw reports whether u may withdraw the contribution: its author,
// as long as no assessment was published.
func CanWithdraw(c *app.Contribution, u *app.User) bool {
	return c.IsAuthor(u) && !u.Erased() && c.Status != app.StatusWithdrawn && c.AssessmentPublishedAt == nil
}

// Edit changes the author's own contribution while the period is open.
func (s *Service) Edit(ctx context.Context, u *app.User, id int64, in CommentInput) (*app.Contribution, error) {
	c, err := s.Store.ContributionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !c.IsAuthor(u) {
		return nil, app.Forbidden()
	}
	if !CanEdit(c, u) {
		return nil, app.Errorf(app.CodeConflict, "contribution.not_editable")
	}
	open, err := s.periodOpen(ctx, c)
	if err != nil {
		return nil, err
	}
	if !open {
		return nil, app.Errorf(app.CodeConflict, "contribution.period_closed")
	}
	pre := true
	if c.DocumentID != nil {
		doc, err := s.Store.DocumentByID(ctx, *c.DocumentID)
		if err != nil {
			return nil, err
		}
		pre = doc.PreModeration()
	}
	edited := in.contribution(u)
	if c.Depth == 0 {
		if err := s.place(in, edited); err != nil {
			return nil, err
		}
		c.PointLat, c.PointLon, c.PointPublic, c.PlaceText = edited.PointLat, edited.PointLon, edited.PointPublic, edited.PlaceText
	}
	c.Body, c.Tags, c.OrtsteilCode = edited.Body, edited.Tags, edited.OrtsteilCode
	if err := s.Store.UpdateOwnContribution(ctx, c, pre); err != nil {
		return nil, err
	}
	return c, nil
}

// Withdraw removes the author's own contribution.
func (s *Service) Withdraw(ctx context.Context, u *app.User, id int64) error {
	c, err := s.Store.ContributionByID(ctx, id)
	if err != nil {
		return err
	}
	if !c.IsAuthor(u) {
		return app.Forbidden()
	}
	if !CanWithdraw(c, u) {
		return app.Errorf(app.CodeConflict, "contribution.not_withdrawable")
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.WithdrawContribution(ctx, c); err != nil {
			return err
		}
		return tx.RetractNotifications(ctx, app.FollowContribution, c.ID)
	})
}

// Moderate applies a moderator's decision; a rejection or hiding is mailed
// to the author with the reason.
func (s *Service) Moderate(ctx context.Context, actor *app.User, id int64, in app.ModerationInput) (*app.Contribution, error) {
	var c *app.Contribution
	mailed := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		c, mailed, err = s.moderate(ctx, tx, actor, id, in)
		return err
	})
	if err == nil && mailed {
		s.wake()
	}
	return c, err
}

func (s *Service) moderate(ctx context.Context, tx *store.Store, actor *app.User, id int64, in app.ModerationInput) (*app.Contribution, bool, error) {
	before, err := tx.ContributionByID(ctx, id)
	if err != nil {
		return nil, false, err
	}
	c, changed, err := tx.Moderate(ctx, actor, id, in)
	if err != nil || !changed {
		return c, false, err
	}
	if in.Action == app.ActionApprove {
		if before.Status != app.StatusPending {
			return c, false, nil
		}
		mailed, err := s.announce(ctx, tx, c)
		return c, mailed, err
	}
	if c.Status != app.StatusPublished {
		if err := tx.RetractNotifications(ctx, app.FollowContribution, c.ID); err != nil {
			return c, false, err
		}
	}
	sent, err := s.mailAuthor(ctx, tx, "contribution_rejected", c, map[string]any{
		"Action": in.Action, "Reason": c.ReasonCode, "ReasonText": c.ReasonText,
	})
	return c, sent, err
}

// ModerateMany applies one decision to several contributions in one
// transaction; withdrawn ones are skipped. It returns how many it changed.
func (s *Service) ModerateMany(ctx context.Context, actor *app.User, ids []int64, in app.ModerationInput) (int, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, app.FieldInvalid("ids", "contribution.bulk_none")
	}
	if len(ids) > 200 {
		return 0, app.FieldInvalid("ids", "contribution.bulk_too_many", "Max", 200)
	}
	n, anyMail := 0, false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		for _, id := range ids {
			_, mailed, err := s.moderate(ctx, tx, actor, id, in)
			if app.ErrorCode(err) == app.CodeConflict {
				continue
			}
			if err != nil {
				return err
			}
			anyMail = anyMail || mailed
			n++
		}
		return nil
	})
	if err == nil && anyMail {
		s.wake()
	}
	return n, err
}

// Answer publishes the official answer to a contribution and mails the author.
func (s *Service) Answer(ctx context.Context, actor *app.User, id int64, body string) (*app.Contribution, error) {
	var c *app.Contribution
	mailed := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		if c, err = tx.SetAnswer(ctx, actor, id, body); err != nil {
			return err
		}
		if mailed, err = s.mailAuthor(ctx, tx, "contribution_answered", c, map[string]any{"Answer": c.AnswerBody}); err != nil {
			return err
		}
		followers, err := s.tellFollowers(ctx, tx, app.NotifyAnswer, c, actor, mailed)
		mailed = mailed || followers
		return err
	})
	if err == nil && mailed {
		s.wake()
	}
	return c, err
}

// Assess records the Abwägung of a contribution (and its duplicate group);
// when published, every author whose assessment is new or changed gets a
// mail with the status, the reasoning and a link.
func (s *Service) Assess(ctx context.Context, actor *app.User, id int64, in app.AssessmentInput) ([]store.AssessedContribution, error) {
	var out []store.AssessedContribution
	mailed := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		out, mailed, err = s.AssessIn(ctx, tx, actor, id, in)
		return err
	})
	if err == nil && mailed {
		s.wake()
	}
	return out, err
}

// AssessIn is Assess inside the caller's transaction (the Abwägung workflow
// publishes with it); it reports whether a mail was queued, and the caller
// wakes the mail worker after the commit.
func (s *Service) AssessIn(ctx context.Context, tx *store.Store, actor *app.User, id int64, in app.AssessmentInput) ([]store.AssessedContribution, bool, error) {
	out, err := tx.Assess(ctx, actor, id, in)
	if err != nil {
		return nil, false, err
	}
	mailed := false
	for _, a := range out {
		if !a.Notify {
			continue
		}
		c := a.Contribution
		sent, err := s.mailAuthor(ctx, tx, "contribution_assessed", c, map[string]any{
			"Status": c.AssessmentStatus, "Reasoning": c.AssessmentReasoning, "Fachamt": c.AssessmentFachamt,
		})
		if err != nil {
			return nil, false, err
		}
		followers, err := s.tellFollowers(ctx, tx, app.NotifyAssessed, c, actor, sent)
		if err != nil {
			return nil, false, err
		}
		mailed = mailed || sent || followers
	}
	return out, mailed, nil
}

// tellFollowers notifies the followers of a published contribution about
// its answer or assessment; authorMailed: its author got the mail of that
// already and is only listed.
func (s *Service) tellFollowers(ctx context.Context, tx *store.Store, kind string, c *app.Contribution, actor *app.User, authorMailed bool) (bool, error) {
	if s.Notify == nil || c.Status != app.StatusPublished {
		return false, nil
	}
	e := notify.Event{Kind: kind, SubjectKind: app.FollowContribution, SubjectID: c.ID, Title: c.PublicNumber(),
		URL: ContributionLink(c), Targets: []app.Follow{notify.Target(app.FollowContribution, c.ID)}}
	if actor != nil {
		e.Actor = &actor.ID
	}
	if authorMailed && c.AuthorID != nil {
		e.Mailed = map[int64]bool{*c.AuthorID: true}
	}
	return s.Notify.Publish(ctx, tx, e)
}

// Wake starts the mail worker after a commit that queued mail.
func (s *Service) Wake() { s.wake() }

// TranscribeInput is what a moderator enters for input from an in-person
// format (Werkstattgespräch, Stadtgebietsforum, Fachforum).
type TranscribeInput struct {
	Channel     string   `form:"channel" json:"channel"`
	EventID     int64    `form:"event_id" json:"event_id"`
	ChapterID   int64    `form:"chapter_id" json:"chapter_id"`
	Paragraph   string   `form:"paragraph" json:"paragraph"`
	AuthorLabel string   `form:"author_label" json:"author_label"`
	Body        string   `form:"body" json:"body"`
	Tags        []string `form:"tags" json:"tags"`
	Ortsteil    string   `form:"ortsteil" json:"ortsteil"`
	Approve     bool     `form:"approve" json:"approve"`
}

// Transcribe enters in-person input into the pipeline; with Approve the
// moderator approves it at once (logged as such).
func (s *Service) Transcribe(ctx context.Context, actor *app.User, in TranscribeInput) (*app.Contribution, error) {
	if in.Channel == "" {
		return nil, app.FieldInvalid("channel", "form.choice_required")
	}
	if !app.ValidChannel(in.Channel) || in.Channel == app.ChannelOnline || in.Channel == app.ChannelFutureLab || in.Channel == app.ChannelSurvey {
		return nil, app.FieldInvalid("channel", "form.choice_invalid")
	}
	c := &app.Contribution{Channel: in.Channel, AuthorLabel: in.AuthorLabel, EnteredBy: &actor.ID, Body: in.Body,
		Paragraph: in.Paragraph, Tags: in.Tags}
	if in.EventID > 0 {
		c.EventID = &in.EventID
	}
	if in.ChapterID > 0 {
		c.ChapterID = &in.ChapterID
	}
	if o := strings.TrimSpace(in.Ortsteil); o != "" {
		c.OrtsteilCode = &o
	}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateContribution(ctx, c); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditTranscribe, ObjectType: "contribution", ObjectID: c.PublicNumber(),
			Details: map[string]any{"channel": c.Channel}}); err != nil {
			return err
		}
		if in.Approve && c.Status != app.StatusPublished {
			moderated, _, err := tx.Moderate(ctx, actor, c.ID, app.ModerationInput{Action: app.ActionApprove})
			if err != nil {
				return err
			}
			c.Status = moderated.Status
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
