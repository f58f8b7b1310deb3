package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) assessmentRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/abwaegung", s.assessmentList, admin)
	g.GET("/abwaegung/:number", s.assessmentForm, admin)
	g.POST("/abwaegung/:number", s.assess, admin)
}

type assessmentListPage struct {
	Items      []*store.ContributionView
	Filter     store.QueueFilter
	Groups     []chapterGroup
	Pagination pagination
}

func (s *Server) assessmentList(c echo.Context) error {
	f, base := queueFilterFrom(c.QueryParams(), store.QueueAll)
	if f.Status == store.QueueOpen {
		f.Status = store.QueueAll
	}
	if c.QueryParam("stand") == "" && c.QueryParam("filter") == "" {
		f.Assessment = store.AssessmentOpen
		base.Set("stand", f.Assessment)
	}
	items, total, err := s.store.ModerationQueue(c.Request().Context(), f)
	if err != nil {
		return err
	}
	groups, err := s.chapterGroups(c)
	if err != nil {
		return err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	return s.page(c, "admin/assessment_list", "assessment.list_title", assessmentListPage{Items: items, Filter: f, Groups: groups,
		Pagination: pagination{Page: f.Page, PerPage: f.PerPage, Total: total, Base: base, Path: "/admin/abwaegung"}})
}

type assessmentPage struct {
	Page    *draft.ContributionPage
	Blocks  []*draft.BlockView
	Similar *similarSection
	// Reused is the number whose assessment the form starts from ("?vorlage=").
	Reused string
}

func (s *Server) assessmentData(c echo.Context) (*assessmentPage, url.Values, error) {
	cv, err := s.loadContributionPage(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	p := cv.Page
	d := &assessmentPage{Page: p}
	com := p.Comment
	values := url.Values{"status": {com.AssessmentStatus}, "reasoning": {com.AssessmentReasoning},
		"fachamt": {com.AssessmentFachamt}, "paragraph": {com.AssessmentAnchor}, "publish": {"true"}}
	if p.Chapter != nil {
		if values.Get("fachamt") == "" {
			values.Set("fachamt", p.Chapter.Fachamt)
		}
		if p.Chapter.CurrentVersionID != nil {
			blocks, err := s.store.VersionBlocks(ctx, *p.Chapter.CurrentVersionID)
			if err != nil {
				return nil, nil, err
			}
			for i := range blocks {
				d.Blocks = append(d.Blocks, &draft.BlockView{DraftBlock: blocks[i]})
			}
		}
	}
	if com.AssessmentStatus != "" && com.AssessmentPublishedAt == nil {
		values.Set("publish", "false")
	}
	if d.Similar, err = s.similarSection(c, com.ContributionView, "/admin/abwaegung/"); err != nil {
		return nil, nil, err
	}
	d.Similar.Reuse = true
	if err := s.reuseAssessment(c, d, values); err != nil {
		return nil, nil, err
	}
	return d, values, nil
}

// reuseAssessment starts the form from the result and reasoning of another
// contribution ("?vorlage=A-0042", offered by the similar contributions):
// the assessor reads, adapts and saves; nothing is stored before.
func (s *Server) reuseAssessment(c echo.Context, d *assessmentPage, values url.Values) error {
	n, ok := app.ParseContributionNumber(c.QueryParam("vorlage"))
	if !ok {
		return nil
	}
	other, err := s.store.ContributionByNumber(c.Request().Context(), n)
	if app.ErrorCode(err) == app.CodeNotFound || (err == nil && other.AssessmentStatus == "") {
		return nil
	}
	if err != nil {
		return err
	}
	values.Set("status", other.AssessmentStatus)
	values.Set("reasoning", other.AssessmentReasoning)
	d.Reused = other.PublicNumber()
	return nil
}

func (s *Server) assessmentTitle(c echo.Context, d *assessmentPage) string {
	return localizer(c).T("assessment.form_title", "Number", d.Page.Comment.PublicNumber())
}

func (s *Server) assessmentForm(c echo.Context) error {
	d, values, err := s.assessmentData(c)
	if err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = s.assessmentTitle(c, d)
	v.Form = &Form{Values: values, Errors: map[string]string{}}
	return s.render(c, 200, "admin/assessment_form", v)
}

func (s *Server) assess(c echo.Context) error {
	d, _, err := s.assessmentData(c)
	if err != nil {
		return err
	}
	var in app.AssessmentInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.draft.Assess(ctx, currentUser(c), d.Page.Comment.ID, in); err != nil {
		return s.renderTitled(c, "admin/assessment_form", s.assessmentTitle(c, d), d, err)
	}
	// On to the next contribution of the chapter that still needs its Abwägung.
	next := "/admin/abwaegung"
	if ch := d.Page.Chapter; ch != nil {
		next += "?kapitel=" + strconv.FormatInt(ch.ID, 10)
		items, _, err := s.store.ModerationQueue(ctx, store.QueueFilter{ChapterID: ch.ID, Status: store.QueueAll, Assessment: store.AssessmentOpen, PerPage: 1})
		if err != nil {
			return err
		}
		if len(items) > 0 {
			next = "/admin/abwaegung/" + items[0].PublicNumber()
		}
	}
	return s.redirect(c, next, "assessment.saved")
}
