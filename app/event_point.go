package app

// validateVenuePoint reads the venue's point from the form (both or none,
// a coordinate on earth, rounded like the points of contributions).
// Whether it lies in the city is checked against the boundaries
// (events.Service).
func (in *EventInput) validateVenuePoint(v *Validator) {
	if in.VenueLatText == "" && in.VenueLonText == "" {
		if in.VenueLat != nil && in.VenueLon != nil { // the API sends numbers
			lat, lon := RoundPoint(*in.VenueLat), RoundPoint(*in.VenueLon)
			in.VenueLat, in.VenueLon = &lat, &lon
			return
		}
		in.VenueLat, in.VenueLon = nil, nil
		return
	}
	var c Contribution
	if in.VenueLatText == "" || in.VenueLonText == "" || !c.SetPoint(in.VenueLatText, in.VenueLonText) || !c.HasPoint() {
		v.Add("venue_lat", "events.venue_point_invalid")
		return
	}
	if *c.PointLat < -90 || *c.PointLat > 90 || *c.PointLon < -180 || *c.PointLon > 180 {
		v.Add("venue_lat", "contribution.point_outside")
		return
	}
	in.VenueLat, in.VenueLon = c.PointLat, c.PointLon
}
