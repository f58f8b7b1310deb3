package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) contributionRoutes() {
	g := s.e.Group("/beitraege/:number")
	g.GET("", s.contributionPage)
	g.POST("/antworten", s.replyToContribution, requireVerified)
	g.POST("/zustimmung", s.supportContribution, requireVerified)
	g.GET("/melden", s.reportForm, requireLogin)
	g.POST("/melden", s.reportContribution, requireLogin)
	g.GET("/bearbeiten", s.editContributionForm, requireLogin)
	g.POST("/bearbeiten", s.editContribution, requireLogin)
	g.GET("/zurueckziehen", s.withdrawForm, requireLogin)
	g.POST("/zurueckziehen", s.withdrawContribution, requireLogin)
	s.e.GET("/profil/beitraege", s.myContributions, requireLogin)
}

// contributionNumber reads ":number" ("A-0042" or "42").
func contributionNumber(c echo.Context) (int64, error) {
	n, ok := app.ParseContributionNumber(c.Param("number"))
	if !ok {
		return 0, app.NotFound()
	}
	return n, nil
}

type contributionView struct {
	Page *draft.ContributionPage
}

// Back is the address of the contribution's own page.
func (d contributionView) Back() string { return draft.ContributionLink(&d.Page.Comment.Contribution) }

// Slug is the chapter's address part, or "".
func (d contributionView) Slug() string {
	if d.Page.Chapter == nil {
		return ""
	}
	return d.Page.Chapter.Slug
}

func (s *Server) loadContributionPage(c echo.Context) (*contributionView, error) {
	n, err := contributionNumber(c)
	if err != nil {
		return nil, err
	}
	p, err := s.draft.Contribution(c.Request().Context(), n, currentUser(c))
	if err != nil {
		return nil, err
	}
	return &contributionView{Page: p}, nil
}

func (s *Server) contributionTitle(c echo.Context, d *contributionView) string {
	return localizer(c).T("draft.contribution_title", "Number", d.Page.Comment.PublicNumber())
}

func (s *Server) contributionPage(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	return s.renderTitled(c, "draft/contribution", s.contributionTitle(c, d), d, nil)
}

func (s *Server) replyToContribution(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	var in draft.CommentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	reply, err := s.draft.Reply(c.Request().Context(), currentUser(c), d.Page.Comment.ID, in)
	if err != nil {
		return s.renderTitled(c, "draft/contribution", s.contributionTitle(c, d), d, err)
	}
	flash := "draft.comment_published"
	if reply.Status == app.StatusPending {
		flash = "draft.comment_pending"
	}
	return s.redirect(c, d.Back()+"#beitrag-"+numStr(reply.Number), flash)
}

type supportInput struct {
	On   bool   `form:"on"`
	Back string `form:"back"`
}

// supportContribution adds or takes back a support and returns to the page
// it came from (a chapter page or the contribution's page).
func (s *Server) supportContribution(c echo.Context) error {
	n, err := contributionNumber(c)
	if err != nil {
		return err
	}
	var in supportInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	contribution, err := s.store.ContributionByNumber(ctx, n)
	if err != nil {
		return err
	}
	back := safeNext(in.Back)
	if back == "/" {
		back = draft.ContributionLink(contribution)
	}
	if !strings.Contains(back, "#") {
		back += "#beitrag-" + numStr(n)
	}
	err = s.draft.Support(ctx, currentUser(c), contribution.ID, in.On)
	switch {
	case err == nil && in.On:
		return s.redirect(c, back, "draft.supported")
	case err == nil:
		return s.redirect(c, back, "draft.unsupported")
	case app.ErrorCode(err) == app.CodeConflict:
		e, _ := app.AsError(err)
		return s.redirect(c, back, e.Msg.ID)
	}
	return err
}

type reportView struct {
	Page *draft.ContributionPage
}

func (s *Server) reportForm(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	v := s.view(c, "", reportView{Page: d.Page})
	v.Title = localizer(c).T("draft.report_title", "Number", d.Page.Comment.PublicNumber())
	return s.render(c, 200, "draft/report", v)
}

func (s *Server) reportContribution(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	var in app.ReportInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.draft.Report(c.Request().Context(), currentUser(c), d.Page.Comment.ID, in); err != nil {
		title := localizer(c).T("draft.report_title", "Number", d.Page.Comment.PublicNumber())
		return s.renderTitled(c, "draft/report", title, reportView{Page: d.Page}, err)
	}
	return s.redirect(c, d.Back(), "draft.reported")
}

func (s *Server) editContributionForm(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	com := d.Page.Comment
	if !com.IsAuthor(currentUser(c)) {
		return app.Forbidden()
	}
	v := s.view(c, "", d)
	v.Title = localizer(c).T("draft.edit_title", "Number", com.PublicNumber())
	v.Form = &Form{Values: url.Values{"body": {com.Body}, "tags": com.Tags, "ortsteil": {com.Ortsteil()}, "place": {com.PlaceText}}, Errors: map[string]string{}}
	if com.HasPoint() {
		v.Form.Values.Set("lat", strconv.FormatFloat(*com.PointLat, 'f', app.PointDecimals, 64))
		v.Form.Values.Set("lon", strconv.FormatFloat(*com.PointLon, 'f', app.PointDecimals, 64))
	}
	if com.PointPublic {
		v.Form.Values.Set("point_public", "true")
	}
	return s.render(c, 200, "draft/edit", v)
}

func (s *Server) editContribution(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	var in draft.CommentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Points = pointsSent(c)
	edited, err := s.draft.Edit(c.Request().Context(), currentUser(c), d.Page.Comment.ID, in)
	if err != nil {
		title := localizer(c).T("draft.edit_title", "Number", d.Page.Comment.PublicNumber())
		return s.renderTitled(c, "draft/edit", title, d, err)
	}
	flash := "draft.edited"
	if edited.Status == app.StatusPending {
		flash = "draft.edited_pending"
	}
	return s.redirect(c, d.Back(), flash)
}

func (s *Server) withdrawForm(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	if !d.Page.Comment.IsAuthor(currentUser(c)) {
		return app.Forbidden()
	}
	v := s.view(c, "", d)
	v.Title = localizer(c).T("draft.withdraw_title", "Number", d.Page.Comment.PublicNumber())
	return s.render(c, 200, "draft/withdraw", v)
}

func (s *Server) withdrawContribution(c echo.Context) error {
	d, err := s.loadContributionPage(c)
	if err != nil {
		return err
	}
	if err := s.draft.Withdraw(c.Request().Context(), currentUser(c), d.Page.Comment.ID); err != nil {
		if app.ErrorCode(err) == app.CodeConflict {
			title := localizer(c).T("draft.withdraw_title", "Number", d.Page.Comment.PublicNumber())
			return s.renderTitled(c, "draft/withdraw", title, d, err)
		}
		return err
	}
	return s.redirect(c, "/profil/beitraege", "draft.withdrawn")
}

type myContributionsPage struct {
	Items []*store.ContributionView
}

func (s *Server) myContributions(c echo.Context) error {
	items, err := s.store.UserContributions(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.page(c, "draft/mine", "draft.mine_title", myContributionsPage{Items: items})
}

func numStr(n int64) string { return strconv.FormatInt(n, 10) }
