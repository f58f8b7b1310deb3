package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) draftAPIRoutes() {
	g := s.apiGroup()
	g.GET("/documents", s.apiDocuments)
	g.GET("/chapters/:id", s.apiChapter)
	g.GET("/chapters/:id/comments", s.apiChapterComments)
	g.POST("/chapters/:id/comments", s.apiCreateComment, requireVerified)
	g.GET("/comments/:id", s.apiComment)
	g.POST("/comments/:id/moderation", s.apiModerate, requireRole(app.RoleModerator))
	g.PUT("/comments/:id/assessment", s.apiAssess, requireLogin, s.requireStaff, requireCoordinator)
}

type apiPeriod struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Label    string    `json:"label,omitempty"`
}

type apiChapterSummary struct {
	ID           int64  `json:"id"`
	Slug         string `json:"slug"`
	Title        string `json:"title"`
	Fachamt      string `json:"fachamt"`
	Position     int    `json:"position"`
	CommentCount int    `json:"comment_count"`
	URL          string `json:"url"`
}

type apiDocument struct {
	ID         int64               `json:"id"`
	Slug       string              `json:"slug"`
	Title      string              `json:"title"`
	Moderation string              `json:"moderation"`
	Open       bool                `json:"open"`
	Periods    []apiPeriod         `json:"periods"`
	Chapters   []apiChapterSummary `json:"chapters"`
}

func (s *Server) apiDocuments(c echo.Context) error {
	docs, err := s.draft.Documents(c.Request().Context(), false)
	if err != nil {
		return err
	}
	out := struct {
		Documents []apiDocument `json:"documents"`
	}{Documents: []apiDocument{}}
	for _, d := range docs {
		ad := apiDocument{ID: d.Document.ID, Slug: d.Document.Slug, Title: d.Document.Title, Moderation: d.Document.Moderation,
			Open: d.Period.Open, Periods: []apiPeriod{}, Chapters: []apiChapterSummary{}}
		for _, p := range d.Periods {
			ad.Periods = append(ad.Periods, apiPeriod{StartsAt: p.StartsAt, EndsAt: p.EndsAt, Label: p.Label})
		}
		for _, ch := range d.Chapters {
			ad.Chapters = append(ad.Chapters, apiChapterSummary{ID: ch.ID, Slug: ch.Slug, Title: ch.Title, Fachamt: ch.Fachamt,
				Position: ch.Position, CommentCount: ch.Count, URL: "/entwurf/" + ch.Slug})
		}
		out.Documents = append(out.Documents, ad)
	}
	return c.JSON(http.StatusOK, out)
}

type apiParagraph struct {
	Anchor       string `json:"anchor"`
	Kind         string `json:"kind"`
	Text         string `json:"text"`
	CommentCount int    `json:"comment_count"`
}

type apiChapter struct {
	apiChapterSummary
	DocumentID int64          `json:"document_id"`
	Version    int            `json:"version"`
	VersionID  int64          `json:"version_id"`
	UpdatedAt  *time.Time     `json:"updated_at"`
	Open       bool           `json:"open"`
	Paragraphs []apiParagraph `json:"paragraphs"`
}

// apiChapterPage loads a chapter page by numeric id.
func (s *Server) apiChapterPage(c echo.Context) (*draft.ChapterPage, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	ch, err := s.store.ChapterByID(ctx, id)
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	return s.draft.ChapterPage(ctx, ch.Slug, draft.ChapterPageOptions{Viewer: u, Preview: u.Is(app.RoleAdmin), Sort: c.QueryParam("sort"), All: true})
}

func (s *Server) apiChapter(c echo.Context) error {
	p, err := s.apiChapterPage(c)
	if err != nil {
		return err
	}
	out := apiChapter{
		apiChapterSummary: apiChapterSummary{ID: p.Chapter.ID, Slug: p.Chapter.Slug, Title: p.Chapter.Title, Fachamt: p.Chapter.Fachamt,
			Position: p.Chapter.Position, CommentCount: p.Total, URL: "/entwurf/" + p.Chapter.Slug},
		DocumentID: p.Document.ID, Open: p.Period.Open, Paragraphs: []apiParagraph{},
	}
	if p.Version != nil {
		out.Version, out.VersionID, out.UpdatedAt = p.Version.Number, p.Version.ID, &p.Version.CreatedAt
	}
	for _, b := range p.Blocks {
		out.Paragraphs = append(out.Paragraphs, apiParagraph{Anchor: b.Anchor, Kind: b.Kind, Text: b.Text, CommentCount: b.Count})
	}
	return c.JSON(http.StatusOK, out)
}

type apiAnswer struct {
	Body       string    `json:"body"`
	AnsweredAt time.Time `json:"answered_at"`
}

type apiAssessment struct {
	Status      string     `json:"status"`
	Reasoning   string     `json:"reasoning"`
	Fachamt     string     `json:"fachamt"`
	Paragraph   string     `json:"paragraph,omitempty"`
	VersionID   *int64     `json:"version_id,omitempty"`
	PublishedAt *time.Time `json:"published_at"`
}

type apiComment struct {
	ID           int64          `json:"id"`
	Number       string         `json:"number"`
	URL          string         `json:"url"`
	Channel      string         `json:"channel"`
	DocumentID   *int64         `json:"document_id"`
	ChapterID    *int64         `json:"chapter_id"`
	Paragraph    *string        `json:"paragraph"`
	VersionID    *int64         `json:"version_id"`
	Outdated     bool           `json:"outdated"`
	ParentID     *int64         `json:"parent_id"`
	Depth        int            `json:"depth"`
	Author       string         `json:"author"`
	Body         string         `json:"body"`
	Redacted     bool           `json:"redacted"`
	Status       string         `json:"status"`
	Reason       string         `json:"reason,omitempty"`
	Tags         []string       `json:"tags"`
	Ortsteil     *string        `json:"ortsteil"`
	Place        string         `json:"place,omitempty"`
	Point        *apiPoint      `json:"point,omitempty"`
	SupportCount int            `json:"support_count"`
	DuplicateOf  *string        `json:"duplicate_of"`
	EventID      *int64         `json:"event_id,omitempty"`
	CreatedAt    time.Time      `json:"created_at"`
	EditedAt     *time.Time     `json:"edited_at,omitempty"`
	Answer       *apiAnswer     `json:"answer"`
	Assessment   *apiAssessment `json:"assessment"`
}

// toAPIComment shows a contribution as the API does. Texts of hidden and
// withdrawn contributions are left out; an unpublished assessment appears
// only to admins.
func toAPIComment(v *View, c *store.ContributionView, outdated bool, viewer *app.User) apiComment {
	out := apiComment{
		ID: c.ID, Number: c.PublicNumber(), URL: draft.ContributionLink(&c.Contribution), Channel: c.Channel,
		DocumentID: c.DocumentID, ChapterID: c.ChapterID, VersionID: c.VersionID, Outdated: outdated, ParentID: c.ParentID,
		Depth: c.Depth, Author: v.ContributionAuthor(c), Redacted: c.Redacted(), Status: c.Status,
		Tags: c.Tags, Ortsteil: c.OrtsteilCode, SupportCount: c.SupportCount, EventID: c.EventID,
		CreatedAt: c.CreatedAt, EditedAt: c.EditedAt,
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if c.Status != app.StatusHidden && c.Status != app.StatusWithdrawn || viewer.Is(app.RoleModerator) {
		out.Place = c.PlaceText
	}
	// A point is shown only with its author's consent (the author sees
	// their own).
	if c.PublicPoint() || c.HasPoint() && c.IsAuthor(viewer) {
		out.Point = &apiPoint{Lat: *c.PointLat, Lon: *c.PointLon, Public: c.PointPublic}
	}
	if c.Paragraph != "" {
		p := c.Paragraph
		out.Paragraph = &p
	}
	if c.DuplicateNumber != nil {
		n := app.FormatContributionNumber(*c.DuplicateNumber)
		out.DuplicateOf = &n
	}
	switch c.Status {
	case app.StatusHidden, app.StatusRejected:
		out.Reason = c.ReasonCode
	}
	if c.Status != app.StatusHidden && c.Status != app.StatusWithdrawn || viewer.Is(app.RoleModerator) {
		out.Body = c.Body
	}
	if c.AnswerBody != "" && c.AnsweredAt != nil {
		out.Answer = &apiAnswer{Body: c.AnswerBody, AnsweredAt: *c.AnsweredAt}
	}
	if c.AssessmentStatus != "" && (c.AssessmentPublishedAt != nil || viewer.Is(app.RoleAdmin)) {
		out.Assessment = &apiAssessment{Status: c.AssessmentStatus, Reasoning: c.AssessmentReasoning, Fachamt: c.AssessmentFachamt,
			Paragraph: c.AssessmentAnchor, VersionID: c.AssessmentVersionID, PublishedAt: c.AssessmentPublishedAt}
	}
	return out
}

func flattenComments(list []*draft.Comment, out *[]*draft.Comment) {
	for _, c := range list {
		*out = append(*out, c)
		flattenComments(c.Replies, out)
	}
}

func (s *Server) apiChapterComments(c echo.Context) error {
	p, err := s.apiChapterPage(c)
	if err != nil {
		return err
	}
	var all []*draft.Comment
	flattenComments(p.Threads, &all)
	v := s.view(c, "", nil)
	out := struct {
		Comments []apiComment `json:"comments"`
		Total    int          `json:"total"`
		Sort     string       `json:"sort"`
	}{Comments: make([]apiComment, 0, len(all)), Total: p.Total, Sort: p.Sort}
	for _, com := range all {
		out.Comments = append(out.Comments, toAPIComment(v, com.ContributionView, com.Outdated, currentUser(c)))
	}
	return c.JSON(http.StatusOK, out)
}

// apiCreateInput is the body of POST /chapters/{id}/comments.
type apiCreateInput struct {
	Body      string   `json:"body"`
	Paragraph *string  `json:"paragraph"`
	ParentID  *int64   `json:"parent_id"`
	Tags      []string `json:"tags"`
	Ortsteil  *string  `json:"ortsteil"`
	// Point is {"lat": …, "lon": …}; a list of more than one is refused
	// (one point per contribution).
	Point       json.RawMessage `json:"point"`
	Place       *string         `json:"place"`
	PointPublic bool            `json:"point_public"`
}

func (s *Server) apiCreateComment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in apiCreateInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := currentUser(c)
	ch, err := s.store.ChapterByID(ctx, id)
	if err != nil {
		return err
	}
	if _, _, err := s.draft.LoadChapter(ctx, ch.Slug, u.Is(app.RoleAdmin)); err != nil {
		return err
	}
	ci := draft.CommentInput{Body: in.Body, Tags: in.Tags}
	if in.Paragraph != nil {
		ci.Paragraph = *in.Paragraph
	}
	if in.Ortsteil != nil {
		ci.Ortsteil = *in.Ortsteil
	}
	if in.Place != nil {
		ci.Place = *in.Place
	}
	ci.PointPublic = in.PointPublic
	if err := readAPIPoint(in.Point, &ci); err != nil {
		return err
	}
	var created *app.Contribution
	if in.ParentID != nil && *in.ParentID != 0 {
		parent, err := s.store.ContributionByID(ctx, *in.ParentID)
		if err != nil || !sameChapter(parent.ChapterID, ch.ID) {
			return app.FieldInvalid("parent_id", "contribution.parent_unknown")
		}
		created, err = s.draft.Reply(ctx, u, parent.ID, ci)
		if err != nil {
			return err
		}
	} else if created, err = s.draft.Comment(ctx, u, ch.ID, ci); err != nil {
		return err
	}
	return s.apiCommentJSON(c, http.StatusCreated, created.ID)
}

func sameChapter(a *int64, id int64) bool { return a != nil && *a == id }

// apiCommentID reads {id}: the internal id or the public number ("A-0042").
func (s *Server) apiCommentID(c echo.Context) (int64, error) {
	raw := c.Param("id")
	if strings.HasPrefix(strings.ToUpper(raw), "A-") {
		n, ok := app.ParseContributionNumber(raw)
		if !ok {
			return 0, app.NotFound()
		}
		com, err := s.store.ContributionByNumber(c.Request().Context(), n)
		if err != nil {
			return 0, err
		}
		return com.ID, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, app.NotFound()
	}
	return id, nil
}

// apiCommentJSON answers with one contribution as its viewer may see it.
func (s *Server) apiCommentJSON(c echo.Context, status int, id int64) error {
	ctx := c.Request().Context()
	views, err := s.store.ContributionViews(ctx, []int64{id})
	if err != nil {
		return err
	}
	if len(views) == 0 {
		return app.NotFound()
	}
	com := views[0]
	u := currentUser(c)
	if (com.Status == app.StatusPending || com.Status == app.StatusRejected) && !com.IsAuthor(u) && !u.Is(app.RoleModerator) {
		return app.NotFound()
	}
	outdated := false
	if com.ChapterID != nil && com.Paragraph != "" {
		ch, err := s.store.ChapterByID(ctx, *com.ChapterID)
		if err != nil {
			return err
		}
		if ch.CurrentVersionID != nil && (com.VersionID == nil || *com.VersionID != *ch.CurrentVersionID) {
			ok, err := s.store.BlockExists(ctx, *ch.CurrentVersionID, com.Paragraph)
			if err != nil {
				return err
			}
			outdated = !ok
		}
	}
	return c.JSON(status, toAPIComment(s.view(c, "", nil), com, outdated, u))
}

func (s *Server) apiComment(c echo.Context) error {
	id, err := s.apiCommentID(c)
	if err != nil {
		return err
	}
	return s.apiCommentJSON(c, http.StatusOK, id)
}

func (s *Server) apiModerate(c echo.Context) error {
	id, err := s.apiCommentID(c)
	if err != nil {
		return err
	}
	var in app.ModerationInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.draft.Moderate(c.Request().Context(), currentUser(c), id, in); err != nil {
		return err
	}
	return s.apiCommentJSON(c, http.StatusOK, id)
}

// apiAssessmentInput is the body of PUT /comments/{id}/assessment, kept
// for scripts written before the workflow (issue 13): it saves a draft of
// AG INSEK. publish (default false) also submits it and publishes it, which
// the four-eyes rule refuses for the person who just wrote it; use
// /assessments/{number}/transitions with a second person instead.
type apiAssessmentInput struct {
	Status    string `json:"status"`
	Reasoning string `json:"reasoning"`
	Paragraph string `json:"paragraph"`
	Publish   bool   `json:"publish"`
}

func (s *Server) apiAssess(c echo.Context) error {
	id, err := s.apiCommentID(c)
	if err != nil {
		return err
	}
	var in apiAssessmentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	acc := access(c)
	version := 0
	if row, err := s.store.ContributionByID(ctx, id); err == nil {
		if r, err := s.store.QueueRowByNumber(ctx, row.Number); err == nil {
			version = r.Version
		}
	}
	a, err := s.abw.SaveDraft(ctx, acc, id, app.DraftInput{Version: version, Result: in.Status, Reasoning: in.Reasoning, Anchor: in.Paragraph}, abwaegung.SourceAPI)
	if err != nil {
		if e, ok := app.AsError(err); ok {
			for i, f := range e.Fields {
				if old, ok := legacyFields[f.Field]; ok {
					e.Fields[i].Field = old
				}
			}
		}
		return err
	}
	if in.Publish {
		if a.State == app.StateDrafted || a.State == app.StateCosigned {
			if _, err := s.abw.Transition(ctx, acc, id, app.TransitionInput{Action: app.ActSubmit}); err != nil {
				return err
			}
		}
		if _, err := s.abw.Transition(ctx, acc, id, app.TransitionInput{Action: app.ActPublish}); err != nil {
			return err
		}
	}
	return s.apiCommentJSON(c, http.StatusOK, id)
}

// legacyFields are the old names of the draft's fields in this endpoint.
var legacyFields = map[string]string{"result": "status", "anchor": "paragraph"}
