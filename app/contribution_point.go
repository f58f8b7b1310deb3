package app

import (
	"math"
	"strconv"
	"strings"
)

// Limits of the place of a contribution (issue 14).
const (
	MaxPlaceText = 200
	// PointDecimals is how many decimals of a degree a point keeps: 4 is
	// about 11 m north-south and 7 m east-west in Leipzig (51.3° N), enough
	// to find a crossing and too coarse to single out a house.
	PointDecimals = 4
)

// RoundPoint rounds a coordinate to PointDecimals decimals.
func RoundPoint(deg float64) float64 {
	const f = 1e4 // 10^PointDecimals
	return math.Round(deg*f) / f
}

// HasPoint reports whether the contribution carries a point.
func (c *Contribution) HasPoint() bool { return c.PointLat != nil && c.PointLon != nil }

// PublicPoint reports whether everyone may see the point: only with the
// author's consent.
func (c *Contribution) PublicPoint() bool { return c.HasPoint() && c.PointPublic }

// SetPoint reads a point from the text of a form or the API ("" and ""
// for none). It reports false when the text is no coordinate; the point
// is rounded to PointDecimals.
func (c *Contribution) SetPoint(lat, lon string) bool {
	lat, lon = strings.TrimSpace(lat), strings.TrimSpace(lon)
	c.PointLat, c.PointLon = nil, nil
	if lat == "" && lon == "" {
		return true
	}
	if len(lat) > 30 || len(lon) > 30 {
		return false
	}
	la, err1 := strconv.ParseFloat(strings.Replace(lat, ",", ".", 1), 64)
	lo, err2 := strconv.ParseFloat(strings.Replace(lon, ",", ".", 1), 64)
	if err1 != nil || err2 != nil || math.IsNaN(la) || math.IsNaN(lo) || math.IsInf(la, 0) || math.IsInf(lo, 0) {
		return false
	}
	la, lo = RoundPoint(la), RoundPoint(lo)
	c.PointLat, c.PointLon = &la, &lo
	return true
}

// validatePoint checks what needs no map: the description's length and a
// coordinate on earth. Whether the point lies in the city and in the
// chosen Ortsteil is checked against the boundaries (draft.Service).
func (c *Contribution) validatePoint(v *Validator) {
	v.Line("place", c.PlaceText, false, MaxPlaceText)
	if (c.PointLat == nil) != (c.PointLon == nil) {
		v.Add("point", "contribution.point_invalid")
		return
	}
	if c.HasPoint() && (*c.PointLat < -90 || *c.PointLat > 90 || *c.PointLon < -180 || *c.PointLon > 180) {
		v.Add("point", "contribution.point_outside")
	}
	if !c.HasPoint() {
		c.PointPublic = false
	}
}
