package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/pagecache"
	"github.com/mitwirken/mitwirken/app/store"
)

// draftRoutes registers every route of the draft for comment: the public
// pages, the comment actions, moderation, the Abwägung, the admin pages of
// documents and chapters, and the JSON API.
func (s *Server) draftRoutes() {
	s.e.GET("/entwurf", s.draftIndex)
	s.cachedGET("/entwurf/:slug", s.chapterPage, pagecache.Draft)
	s.e.GET("/entwurf/:slug/kommentieren", s.commentFormPage)
	s.e.POST("/entwurf/:slug/kommentare", s.createComment, requireVerified)
	s.e.GET("/entwurf/:slug/fassungen", s.redlinePage)
	s.e.GET("/entwurf/:slug/ergebnisse", s.resultsPage)
	s.contributionRoutes()
	s.moderationRoutes()
	s.assessmentRoutes()
	s.draftAdminRoutes()
	s.draftAPIRoutes()
}

type draftIndexPage struct {
	Documents []draft.DocumentOverview
}

func (s *Server) draftIndex(c echo.Context) error {
	docs, err := s.draft.Documents(c.Request().Context(), false)
	if err != nil {
		return err
	}
	v := s.view(c, "draft.index_title", draftIndexPage{Documents: docs})
	if len(docs) == 1 {
		v.Title = docs[0].Document.Title
	}
	return s.render(c, 200, "draft/index", v)
}

// chapterView is the data of the chapter page and the paragraph form page.
type chapterView struct {
	Page *draft.ChapterPage
	// Back is this page's address, for returning after a support.
	Back  string
	Pager commentPager
	// Points are the public points of the chapter's contributions (issue 14).
	Points []store.ContributionPoint
	// Surveys are the open surveys on the chapter (issue 15).
	Surveys []app.Survey
}

// commentPager links the pages of a chapter's discussion.
type commentPager struct {
	// Base is the chapter's address with sort order and paragraph filter.
	Base  url.Values
	Path  string
	Page  int
	Pages int
	All   bool
}

// Link is the address of page n of the discussion (0: all on one page).
func (p commentPager) Link(n int) string {
	q := url.Values{}
	for k, v := range p.Base {
		q[k] = v
	}
	switch {
	case n == 0:
		q.Set("alle", "1")
	case n > 1:
		q.Set("seite", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return p.Path + "#kommentare"
	}
	return p.Path + "?" + q.Encode() + "#kommentare"
}

// Numbers lists the page numbers to link: first, last and two around the current.
func (p commentPager) Numbers() []int {
	return pageNumbers(pagination{Page: p.Page, PerPage: 1, Total: int64(p.Pages)})
}

func (s *Server) loadChapterPage(c echo.Context, paragraph string) (*chapterView, error) {
	u := currentUser(c)
	p, err := s.draft.ChapterPage(c.Request().Context(), c.Param("slug"), draft.ChapterPageOptions{
		Viewer: u, Preview: u.Is(app.RoleAdmin), Sort: c.QueryParam("sortierung"), Paragraph: paragraph,
		Page: queryInt(c, "seite", 1), All: c.QueryParam("alle") == "1",
	})
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if p.Sort != draft.SortParagraph {
		q.Set("sortierung", p.Sort)
	}
	if p.Paragraph != "" {
		q.Set("absatz", p.Paragraph)
	}
	pager := commentPager{Base: q, Path: "/entwurf/" + p.Chapter.Slug, Page: p.Page, Pages: p.Pages, All: p.All}
	back := strings.TrimSuffix(pager.Link(p.Page), "#kommentare")
	if p.All {
		back = strings.TrimSuffix(pager.Link(0), "#kommentare")
	}
	return &chapterView{Page: p, Back: back, Pager: pager}, nil
}

func (s *Server) chapterPage(c echo.Context) error {
	d, err := s.loadChapterPage(c, c.QueryParam("absatz"))
	if err != nil {
		return err
	}
	d.Points = d.Page.Points
	// The surveys table moves no page-cache version: a survey opens and
	// closes by the clock, which only the cache's TTL covers, so a change of
	// its settings shows within that TTL as well.
	if d.Surveys, err = s.store.OpenSurveysOfChapter(c.Request().Context(), d.Page.Chapter.ID, s.store.Now()); err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = d.Page.Chapter.Title
	v.Form = &Form{Values: url.Values{"paragraph": {d.Page.Paragraph}}, Errors: map[string]string{}}
	return s.render(c, 200, "draft/chapter", v)
}

// commentFormPage is the form for commenting on one paragraph: the target of
// the "kommentieren" link beside each paragraph, with the paragraph quoted.
func (s *Server) commentFormPage(c echo.Context) error {
	d, err := s.loadChapterPage(c, c.QueryParam("absatz"))
	if err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = commentFormTitle(c, d)
	v.Form = &Form{Values: url.Values{"paragraph": {d.Page.Paragraph}}, Errors: map[string]string{}}
	return s.render(c, 200, "draft/comment_form", v)
}

// commentFormTitle names the paragraph a comment form is about, so that
// the form of every paragraph has its own title and h1 (WCAG 2.4.2).
func commentFormTitle(c echo.Context, d *chapterView) string {
	if d.Page.Block != nil {
		return localizer(c).T("draft.comment_on_paragraph_title", "Paragraph", d.Page.Block.Number(), "Chapter", d.Page.Chapter.Title)
	}
	return localizer(c).T("draft.comment_on_title", "Chapter", d.Page.Chapter.Title)
}

func (s *Server) createComment(c echo.Context) error {
	var in draft.CommentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Points = pointsSent(c)
	ctx := c.Request().Context()
	u := currentUser(c)
	ch, _, err := s.draft.LoadChapter(ctx, c.Param("slug"), u.Is(app.RoleAdmin))
	if err != nil {
		return err
	}
	created, err := s.draft.Comment(ctx, u, ch.ID, in)
	if err != nil {
		fromParagraph := c.FormValue("from") == "absatz"
		paragraph := ""
		if fromParagraph {
			paragraph = in.Paragraph
		}
		d, derr := s.loadChapterPage(c, paragraph)
		if derr != nil {
			return derr
		}
		if fromParagraph && d.Page.Block != nil {
			return s.renderTitled(c, "draft/comment_form", commentFormTitle(c, d), d, err)
		}
		return s.renderTitled(c, "draft/chapter", ch.Title, d, err)
	}
	flash := "draft.comment_published"
	if created.Status == app.StatusPending {
		flash = "draft.comment_pending"
	}
	// Back to the page of the discussion that shows the new comment.
	target := "/entwurf/" + ch.Slug
	if p, err := s.draft.ChapterPage(ctx, ch.Slug, draft.ChapterPageOptions{Viewer: u, Preview: u.Is(app.RoleAdmin)}); err == nil {
		if n := p.PageOf(created.ID); n > 1 {
			target += "?seite=" + strconv.Itoa(n)
		}
	}
	return s.redirect(c, target+"#beitrag-"+numStr(created.Number), flash)
}

type redlineView struct {
	Page *draft.RedlinePage
}

func (s *Server) redlinePage(c echo.Context) error {
	u := currentUser(c)
	p, err := s.draft.Redline(c.Request().Context(), c.Param("slug"), queryInt(c, "von", 0), queryInt(c, "bis", 0), u.Is(app.RoleAdmin))
	if err != nil {
		return err
	}
	v := s.view(c, "", redlineView{Page: p})
	v.Title = localizer(c).T("draft.redline_title", "Chapter", p.Chapter.Title)
	return s.render(c, 200, "draft/redline", v)
}

func (s *Server) resultsPage(c echo.Context) error {
	u := currentUser(c)
	p, err := s.draft.Results(c.Request().Context(), c.Param("slug"), c.QueryParam("status"), u.Is(app.RoleAdmin))
	if err != nil {
		return err
	}
	v := s.view(c, "", p)
	v.Title = localizer(c).T("draft.results_title", "Chapter", p.Chapter.Title)
	return s.render(c, 200, "draft/results", v)
}
