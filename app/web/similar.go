package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/similar"
	"github.com/mitwirken/mitwirken/app/store"
)

// How many similar contributions pages show, and the API at most.
const (
	similarShown    = 5
	maxSimilarLimit = 20
	// similarExcerpt is how many characters of each text the section shows.
	similarExcerpt = 300
)

func (s *Server) similarRoutes() {
	s.apiGroup().GET("/contributions/:number/similar", s.apiSimilar, requireRole(app.RoleModerator))
}

// similarSection is the "Ähnliche Beiträge" section of the moderation and
// assessment pages (views/partials/similar.html).
type similarSection struct {
	Current *store.ContributionView
	Items   []store.SimilarContribution
	// Base is the address items link to, followed by their number: the
	// same kind of page the viewer works on.
	Base string
	// Links overrides Base per item id ("" : no link, the viewer may not
	// open that page).
	Links map[int64]string
	// Shown is, per item id, the Abwägung the viewer may read.
	Shown map[int64]*shownAssessment
	// Merge offers, per item, to mark the current contribution as its
	// duplicate; the form posts to MergeAction.
	Merge       bool
	MergeAction string
	// Reuse offers, per assessed item, to start the assessment form from
	// its result and reasoning (assessment page).
	Reuse bool
}

// shownAssessment is what the section shows of a suggestion's Abwägung.
type shownAssessment struct {
	Result, Reasoning string
	Published         bool
	// State is the workflow state of an unpublished text ("" for a draft
	// made before the workflow existed).
	State string
}

// similarSection loads the suggestions with what a moderator may read of
// their Abwägung: published ones, drafts only for admins (as in the API).
func (s *Server) similarSection(c echo.Context, current *store.ContributionView, base string) (*similarSection, error) {
	items, err := s.store.SimilarContributions(c.Request().Context(), current.ID, similarShown)
	if err != nil {
		return nil, err
	}
	d := &similarSection{Current: current, Items: items, Base: base, Shown: map[int64]*shownAssessment{},
		MergeAction: "/admin/moderation/" + current.PublicNumber() + "/doppelung"}
	admin := currentUser(c).Is(app.RoleAdmin)
	for _, it := range items {
		if sh := publishedAssessment(it.ContributionView); sh != nil {
			d.Shown[it.ID] = sh
		} else if it.AssessmentStatus != "" && admin {
			d.Shown[it.ID] = &shownAssessment{Result: it.AssessmentStatus, Reasoning: it.AssessmentReasoning}
		}
	}
	return d, nil
}

// publishedAssessment is the Abwägung the author was sent, nil before
// publication.
func publishedAssessment(c *store.ContributionView) *shownAssessment {
	if c.AssessmentStatus == "" || c.AssessmentPublishedAt == nil {
		return nil
	}
	return &shownAssessment{Result: c.AssessmentStatus, Reasoning: c.AssessmentReasoning, Published: true}
}

// Assessment is the Abwägung of an item the viewer may read, or nil.
func (d *similarSection) Assessment(item store.SimilarContribution) *shownAssessment {
	return d.Shown[item.ID]
}

// Link is the address of an item for the viewer, "" when none.
func (d *similarSection) Link(item store.SimilarContribution) string {
	if l, ok := d.Links[item.ID]; ok {
		return l
	}
	return d.Base + item.PublicNumber()
}

// Grouped reports whether an item is already in the current contribution's
// duplicate group (nothing to merge).
func (d *similarSection) Grouped(item store.SimilarContribution) bool {
	cur := d.Current
	return sameID(item.DuplicateOf, &cur.ID) || sameID(cur.DuplicateOf, &item.ID) || sameID(cur.DuplicateOf, item.DuplicateOf)
}

func sameID(a, b *int64) bool { return a != nil && b != nil && *a == *b }

// Excerpt is the start of a text, cut at a character boundary.
func (d *similarSection) Excerpt(s string) string {
	r := []rune(s)
	if len(r) <= similarExcerpt {
		return s
	}
	return string(r[:similarExcerpt]) + "…"
}

type apiSimilarItem struct {
	Score           float64    `json:"score"`
	LikelyDuplicate bool       `json:"likely_duplicate"`
	Contribution    apiComment `json:"contribution"`
}

func (s *Server) apiSimilar(c echo.Context) error {
	n, ok := app.ParseContributionNumber(c.Param("number"))
	if !ok {
		return app.NotFound()
	}
	limit := similarShown
	if raw := c.QueryParam("limit"); raw != "" {
		l, err := strconv.Atoi(raw)
		if err != nil || l < 1 || l > maxSimilarLimit {
			return app.FieldInvalid("limit", "similar.limit_invalid")
		}
		limit = l
	}
	ctx := c.Request().Context()
	com, err := s.store.ContributionByNumber(ctx, n)
	if err != nil {
		return err
	}
	items, err := s.store.SimilarContributions(ctx, com.ID, limit)
	if err != nil {
		return err
	}
	v, u := s.view(c, "", nil), currentUser(c)
	out := struct {
		Number    string           `json:"number"`
		Threshold float64          `json:"threshold"`
		Similar   []apiSimilarItem `json:"similar"`
	}{Number: com.PublicNumber(), Threshold: similar.Threshold, Similar: make([]apiSimilarItem, 0, len(items))}
	for _, it := range items {
		out.Similar = append(out.Similar, apiSimilarItem{Score: roundScore(it.Score), LikelyDuplicate: it.Likely,
			Contribution: toAPIComment(v, it.ContributionView, false, u)})
	}
	return c.JSON(http.StatusOK, out)
}

// roundScore keeps three decimals: more would suggest a precision the
// method does not have.
func roundScore(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
