package store

import (
	"cmp"
	"slices"

	"github.com/mitwirken/mitwirken/app"
)

// ContributionPoint is a public point of a published contribution.
type ContributionPoint struct {
	Number       int64
	OrtsteilCode string
	PlaceText    string
	Lat, Lon     float64
}

// PublicNumber is the contribution's number ("A-0042").
func (p ContributionPoint) PublicNumber() string { return app.FormatContributionNumber(p.Number) }

// MaxChapterPoints bounds the points one chapter map draws.
const MaxChapterPoints = 500

// PublicPoints picks from a chapter's outline (ChapterOutline) the points
// of published contributions whose authors made them public, oldest first.
func PublicPoints(outline []*ContributionView) []ContributionPoint {
	var out []ContributionPoint
	for _, r := range outline {
		c := &r.Contribution
		if c.Status != app.StatusPublished || !c.PointPublic || c.PointLat == nil || c.PointLon == nil {
			continue
		}
		out = append(out, ContributionPoint{Number: c.Number, OrtsteilCode: c.Ortsteil(), PlaceText: c.PlaceText, Lat: *c.PointLat, Lon: *c.PointLon})
	}
	slices.SortFunc(out, func(a, b ContributionPoint) int { return cmp.Compare(a.Number, b.Number) })
	if len(out) > MaxChapterPoints {
		out = out[:MaxChapterPoints]
	}
	return out
}
