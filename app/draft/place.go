package draft

import (
	"github.com/mitwirken/mitwirken/app"
)

// place reads the point of a comment and checks it against the
// boundaries: one point at most, inside the city, and in the chosen
// Ortsteil; without a chosen Ortsteil the point's Ortsteil is taken.
// Replies carry no point. Every problem is named at its field at once.
func (s *Service) place(in CommentInput, c *app.Contribution) error {
	var v app.Validator
	v.Line("place", app.CleanLine(c.PlaceText), false, app.MaxPlaceText)
	switch {
	case in.Points > 1:
		v.Add("point", "contribution.point_one")
	case !c.SetPoint(in.Lat, in.Lon):
		v.Add("point", "contribution.point_invalid")
	case !c.HasPoint():
		c.PointPublic = false
	case c.ParentID != nil:
		v.Add("point", "contribution.point_reply")
	default:
		code, name, ok := "", "", false
		if s.Locate != nil {
			code, name, ok = s.Locate(*c.PointLon, *c.PointLat)
		}
		switch {
		case !ok:
			v.Add("point", "contribution.point_outside")
		case c.Ortsteil() == "":
			c.OrtsteilCode = &code
		case c.Ortsteil() != code:
			v.Add("point", "contribution.point_other_ortsteil", "Name", name)
		}
	}
	return v.Err()
}
