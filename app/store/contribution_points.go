package store

import (
	"context"

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

// ChapterPoints lists the points of a chapter's published contributions
// whose authors made them public, oldest first.
func (s *Store) ChapterPoints(ctx context.Context, chapterID int64) ([]ContributionPoint, error) {
	var out []ContributionPoint
	err := s.q(ctx).Table("contributions").
		Select("number, COALESCE(ortsteil_code, '') AS ortsteil_code, place_text, point_lat AS lat, point_lon AS lon").
		Where("chapter_id = ? AND status = ? AND point_public = ? AND point_lat IS NOT NULL AND point_lon IS NOT NULL",
			chapterID, app.StatusPublished, true).
		Order("number").Limit(MaxChapterPoints).Scan(&out).Error
	return out, s.err(err)
}
