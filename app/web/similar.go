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
	// Merge offers, per item, to mark the current contribution as its
	// duplicate (moderation page).
	Merge bool
	// Reuse offers, per assessed item, to start the assessment form from
	// its result and reasoning (assessment page).
	Reuse bool
}

func (s *Server) similarSection(c echo.Context, current *store.ContributionView, base string) (*similarSection, error) {
	items, err := s.store.SimilarContributions(c.Request().Context(), current.ID, similarShown)
	if err != nil {
		return nil, err
	}
	return &similarSection{Current: current, Items: items, Base: base}, nil
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

// ShowsAssessment reports whether the viewer may read an item's assessment:
// published ones to every moderator, drafts to admins (as in the API).
func (v *View) ShowsAssessment(c *store.ContributionView) bool {
	return c.AssessmentStatus != "" && (c.AssessmentPublishedAt != nil || v.User.Is(app.RoleAdmin))
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
