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
	// Similar are the most similar other contributions.
	Similar *similarSection
	// Reused is the number whose Abwägung the form starts from ("?vorlage=").
	Reused string
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
	if d.Similar, err = s.abwSimilar(c, d); err != nil {
		return nil, nil, err
	}
	if err := s.abwReuse(c, d, values); err != nil {
		return nil, nil, err
	}
	return d, values, nil
}

// abwSimilar is the "Ähnliche Beiträge" section of the assessment page: the
// most similar others with their score, each linking to its assessment
// page (or, when the viewer may not open that, its public page), with the
// Abwägung the viewer may read, to reuse its result and reasoning or to
// join its duplicate group.
//
// Who reads which Abwägung: a published one was sent to its author and is
// public, so everyone working on the Abwägung sees it. An unpublished text
// is the working draft of the Fachämter it is assigned to and has not
// passed AG INSEK's review: it may still be returned or rewritten, and the
// issue gives Fachamt staff their own Fachämter's contributions only. So
// Fachamt staff see unpublished texts only where their Fachamt leads or
// co-signs; AG INSEK and admins, who review everything, see all.
func (s *Server) abwSimilar(c echo.Context, d *abwAssessmentPage) (*similarSection, error) {
	ctx := c.Request().Context()
	sec, err := s.similarSection(c, d.Page.Comment.ContributionView, "/abwaegung/")
	if err != nil {
		return nil, err
	}
	sec.Shown = map[int64]*shownAssessment{}
	sec.Links = map[int64]string{}
	sec.Reuse = d.Can.Edit
	// Joining a group moves the contribution under another's assessment:
	// AG INSEK decides, and only while no text has been written for it.
	sec.Merge = d.Access.Coordinator && (d.Assessment == nil || d.Assessment.TextNumber == 0)
	sec.MergeAction = "/abwaegung/" + d.Row.PublicNumber() + "/doppelung"
	if len(sec.Items) == 0 {
		return sec, nil
	}
	// A duplicate is assessed through its group's primary.
	primaries := make([]int64, 0, len(sec.Items))
	for _, it := range sec.Items {
		primaries = append(primaries, groupPrimary(it.ContributionView))
	}
	wf, err := s.store.AssessmentsByContributions(ctx, primaries)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(wf))
	for _, a := range wf {
		ids = append(ids, a.ID)
	}
	cos, err := s.store.CosignersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range sec.Items {
		a := wf[groupPrimary(it.ContributionView)]
		sees := d.Access.Coordinator || (a != nil && d.Access.CanSee(a.LeadFachamtID, cos[a.ID]))
		sec.Shown[it.ID] = shownFor(it.ContributionView, a, sees, d.Access.Coordinator)
		switch {
		case sees:
			sec.Links[it.ID] = "/abwaegung/" + it.PublicNumber()
		case it.Status == app.StatusPublished:
			sec.Links[it.ID] = "/beitraege/" + it.PublicNumber()
		default:
			sec.Links[it.ID] = ""
		}
		if sec.Shown[it.ID] == nil {
			delete(sec.Shown, it.ID)
		}
	}
	return sec, nil
}

// shownFor is the Abwägung of a contribution a viewer of the assessment
// page may read (see abwSimilar): the published one, else the workflow's
// unpublished text for those who see its assessment, else an older draft
// for coordinators; nil when none.
func shownFor(c *store.ContributionView, a *app.Assessment, sees, coordinator bool) *shownAssessment {
	if sh := publishedAssessment(c); sh != nil {
		return sh
	}
	if a != nil && a.TextNumber > 0 && a.Result != "" && sees {
		return &shownAssessment{Result: a.Result, Reasoning: a.Reasoning, State: a.State}
	}
	if c.AssessmentStatus != "" && coordinator {
		return &shownAssessment{Result: c.AssessmentStatus, Reasoning: c.AssessmentReasoning}
	}
	return nil
}

func groupPrimary(c *store.ContributionView) int64 {
	if c.DuplicateOf != nil {
		return *c.DuplicateOf
	}
	return c.ID
}

// abwReuse starts the draft form from the result and reasoning of a
// similar contribution ("?vorlage=A-0042"), if the viewer may read them
// (the same rule as the section); nothing is stored before the person
// checks, adapts and saves.
func (s *Server) abwReuse(c echo.Context, d *abwAssessmentPage, values url.Values) error {
	n, ok := app.ParseContributionNumber(c.QueryParam("vorlage"))
	if !ok || !d.Can.Edit {
		return nil
	}
	ctx := c.Request().Context()
	other, err := s.store.ContributionByNumber(ctx, n)
	if app.ErrorCode(err) == app.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	views, err := s.store.ContributionViews(ctx, []int64{other.ID})
	if err != nil || len(views) == 0 {
		return err
	}
	ov := views[0]
	var a *app.Assessment
	var cos []*store.Cosigner
	if a, err = s.store.AssessmentByContribution(ctx, groupPrimary(ov)); err == nil {
		m, err := s.store.CosignersOf(ctx, []int64{a.ID})
		if err != nil {
			return err
		}
		cos = m[a.ID]
	} else if app.ErrorCode(err) != app.CodeNotFound {
		return err
	}
	sees := d.Access.Coordinator || (a != nil && d.Access.CanSee(a.LeadFachamtID, cos))
	sh := shownFor(ov, a, sees, d.Access.Coordinator)
	if sh == nil {
		return nil
	}
	values.Set("result", sh.Result)
	values.Set("reasoning", sh.Reasoning)
	d.Reused = ov.PublicNumber()
	return nil
}

// abwMerge marks the contribution as a duplicate of a similar one (AG
// INSEK, while no text is written for it): the group's one assessment
// then answers it, and its author is told when that is published.
func (s *Server) abwMerge(c echo.Context) error {
	d, _, err := s.abwAssessmentData(c)
	if r, ok := err.(*redirectTo); ok {
		return c.Redirect(303, r.path)
	}
	if err != nil {
		return err
	}
	if d.Assessment != nil && d.Assessment.TextNumber > 0 {
		return s.abwFail(c, app.Errorf(app.CodeConflict, "abwaegung.merge_has_text"), nil)
	}
	n, ok := app.ParseContributionNumber(c.FormValue("primary"))
	if !ok {
		return s.abwFail(c, app.FieldInvalid("primary", "contribution.primary_unknown"), nil)
	}
	primary, err := s.store.MarkDuplicate(c.Request().Context(), currentUser(c), d.Row.ContributionID, n)
	if err != nil {
		return s.abwFail(c, err, nil)
	}
	// MarkDuplicate answers the group's primary.
	return s.redirect(c, "/abwaegung/"+primary.PublicNumber(), "abwaegung.merged")
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
