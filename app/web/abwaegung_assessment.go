package web

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

// abwAssessmentPage is the drafting and review page of one assessment.
type abwAssessmentPage struct {
	Page        *draft.ContributionPage
	Row         *store.QueueRow
	Assessment  *app.Assessment
	Versions    []*store.VersionView
	Transitions []*store.TransitionView
	Blocks      []*draft.BlockView
	ChangeDiff  []draft.RedlinePart
	Access      *abwaegung.Access
	Can         abwCan
	Fachaemter  []*app.Fachamt
	// Conflict is the text saved meanwhile by someone else, shown beside
	// the text the person sent (which is kept in the form).
	Conflict *app.Assessment
	Today    string
}

// abwCan tells which actions the page offers (the service decides).
type abwCan struct {
	Edit, Cosign, Submit, Return, Publish, HandBack, Reopen, Assign bool
	// FourEyes: the viewer wrote a text and may not publish it.
	FourEyes bool
}

// IsCosigner reports whether the Fachamt co-signs (for the assign form).
func (p *abwAssessmentPage) IsCosigner(id int64) bool {
	for _, c := range p.Row.Cosigners {
		if c.FachamtID == id {
			return true
		}
	}
	return false
}

func (s *Server) abwAssessmentData(c echo.Context) (*abwAssessmentPage, url.Values, error) {
	n, err := contributionNumber(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	cv, err := s.draft.Contribution(ctx, n, currentUser(c))
	if err != nil {
		return nil, nil, err
	}
	if p := cv.Comment.DuplicateOf; p != nil {
		// The group is assessed through its primary.
		primary, err := s.store.ContributionByID(ctx, *p)
		if err != nil {
			return nil, nil, err
		}
		return nil, nil, &redirectTo{"/abwaegung/" + primary.PublicNumber()}
	}
	row, err := s.store.QueueRowByNumber(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	acc := access(c)
	if !acc.CanSee(row.LeadFachamtID, row.Cosigners) {
		return nil, nil, app.Forbidden()
	}
	d := &abwAssessmentPage{Page: cv, Row: row, Access: acc, Today: abwaegung.Today(s.store.Now())}
	if row.AssessmentID != 0 {
		if d.Assessment, err = s.store.AssessmentByContribution(ctx, row.ContributionID); err != nil {
			return nil, nil, err
		}
		if d.Versions, err = s.store.AssessmentVersions(ctx, row.AssessmentID); err != nil {
			return nil, nil, err
		}
		if d.Transitions, err = s.store.AssessmentTransitions(ctx, row.AssessmentID); err != nil {
			return nil, nil, err
		}
	}
	if ch := cv.Chapter; ch != nil && ch.CurrentVersionID != nil {
		blocks, err := s.store.VersionBlocks(ctx, *ch.CurrentVersionID)
		if err != nil {
			return nil, nil, err
		}
		for i := range blocks {
			d.Blocks = append(d.Blocks, &draft.BlockView{DraftBlock: blocks[i]})
		}
	}
	if d.Fachaemter, err = s.store.Fachaemter(ctx, false); err != nil {
		return nil, nil, err
	}
	a := d.Assessment
	if a == nil {
		a = &app.Assessment{State: app.StateOpen}
	}
	d.Can = s.abwCan(c, d, a)
	if a.ChangeAnchor != "" {
		for _, b := range d.Blocks {
			if b.Anchor == a.ChangeAnchor {
				d.ChangeDiff = draft.WordDiff(b.Text, a.ChangeText)
			}
		}
	}
	values := url.Values{"version": {strconv.Itoa(a.Version)}, "result": {a.Result}, "reasoning": {a.Reasoning},
		"anchor": {a.Anchor}, "change_anchor": {a.ChangeAnchor}, "change_text": {a.ChangeText}, "lead": {row.LeadShort}}
	return d, values, nil
}

func (s *Server) abwCan(c echo.Context, d *abwAssessmentPage, a *app.Assessment) abwCan {
	acc := d.Access
	u := currentUser(c)
	lead := acc.Member(a.LeadFachamtID) && u.Holds(app.RoleFachamt)
	st := a.State
	var can abwCan
	can.Edit = st != app.StatePublished && (acc.Coordinator || (lead && st != app.StateInReview))
	for _, co := range d.Row.Cosigners {
		if acc.Member(&co.FachamtID) && u.Holds(app.RoleFachamt) && (st == app.StateDrafted || st == app.StateCosigned) && !co.Signed(a.TextNumber) {
			can.Cosign = true
		}
	}
	can.Submit = (lead || acc.Coordinator) && (st == app.StateDrafted || st == app.StateCosigned) && a.TextNumber > 0
	can.Return = acc.Coordinator && st == app.StateInReview
	can.Publish = acc.Coordinator && st == app.StateInReview
	for _, v := range d.Versions {
		if v.AuthorID != nil && *v.AuthorID == u.ID {
			can.FourEyes = can.Publish
			can.Publish = false
		}
	}
	can.HandBack = lead && st != app.StateInReview && st != app.StatePublished
	can.Reopen = acc.Coordinator && st == app.StatePublished
	can.Assign = acc.Coordinator && st != app.StatePublished
	return can
}

// redirectTo is an answer that sends the browser elsewhere (a duplicate's
// assessment is its primary's).
type redirectTo struct{ path string }

func (r *redirectTo) Error() string { return "redirect to " + r.path }

func (s *Server) abwTitle(c echo.Context, d *abwAssessmentPage) string {
	return localizer(c).T("abwaegung.assessment_title", "Number", d.Row.PublicNumber())
}

func (s *Server) abwAssessment(c echo.Context) error {
	d, values, err := s.abwAssessmentData(c)
	if r, ok := err.(*redirectTo); ok {
		return c.Redirect(303, r.path)
	}
	if err != nil {
		return err
	}
	return s.formPageTitled(c, "abwaegung/assessment", s.abwTitle(c, d), values, d)
}

// formPageTitled is formPage with a title built by the handler.
func (s *Server) formPageTitled(c echo.Context, page, title string, values url.Values, data any) error {
	v := s.view(c, "", data)
	v.Title = title
	v.Form = &Form{Values: values, Errors: map[string]string{}}
	return s.render(c, 200, page, v)
}

// abwFail re-renders the assessment page after a refused action, with the
// sent values and the errors; on a version conflict the text saved
// meanwhile is shown beside the sent one.
func (s *Server) abwFail(c echo.Context, err error, rename map[string]string) error {
	d, current, derr := s.abwAssessmentData(c)
	if derr != nil {
		return derr
	}
	if e, ok := app.AsError(err); ok {
		if e.Code == app.CodeConflict && e.Msg.ID == "abwaegung.conflict" {
			d.Conflict = d.Assessment
		}
		for i, f := range e.Fields {
			if to, ok := rename[f.Field]; ok {
				e.Fields[i].Field = to
			}
		}
	}
	// The form carries the new version, so that saving again is a choice
	// made after seeing both texts.
	return s.renderTitled(c, "abwaegung/assessment", s.abwTitle(c, d), d, err, url.Values{"version": current["version"]}, current)
}

func (s *Server) abwContributionID(c echo.Context) (int64, error) {
	n, err := contributionNumber(c)
	if err != nil {
		return 0, err
	}
	com, err := s.store.ContributionByNumber(c.Request().Context(), n)
	if err != nil {
		return 0, err
	}
	return com.ID, nil
}

func (s *Server) abwSaveDraft(c echo.Context) error {
	id, err := s.abwContributionID(c)
	if err != nil {
		return err
	}
	var in app.DraftInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.abw.SaveDraft(c.Request().Context(), access(c), id, in, abwaegung.SourceWeb); err != nil {
		if form := c.Request().Form; form != nil {
			form.Del("version")
		}
		return s.abwFail(c, err, nil)
	}
	return s.redirect(c, c.Request().URL.Path[:len(c.Request().URL.Path)-len("/entwurf")], "abwaegung.saved")
}

// transitionFields are the comment fields of the step forms, one per
// action so that their ids differ on the page.
var transitionFields = map[string]string{app.ActReturn: "return_comment", app.ActHandBack: "handback_reason"}

func (s *Server) abwTransition(c echo.Context) error {
	id, err := s.abwContributionID(c)
	if err != nil {
		return err
	}
	var in app.TransitionInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if field, ok := transitionFields[in.Action]; ok {
		in.Comment = c.FormValue(field)
	}
	if _, err := s.abw.Transition(c.Request().Context(), access(c), id, in); err != nil {
		return s.abwFail(c, err, map[string]string{"comment": transitionFields[in.Action]})
	}
	path := c.Request().URL.Path
	return s.redirect(c, path[:len(path)-len("/schritt")], "abwaegung.flash."+in.Action)
}

func (s *Server) abwAssign(c echo.Context) error {
	id, err := s.abwContributionID(c)
	if err != nil {
		return err
	}
	var in abwaegung.AssignInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.abw.Assign(c.Request().Context(), access(c), id, in); err != nil {
		return s.abwFail(c, err, nil)
	}
	path := c.Request().URL.Path
	return s.redirect(c, path[:len(path)-len("/zuordnung")], "abwaegung.assigned")
}
