package store_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestEraseUserClearsPrivatePoints: the data export names a person's
// points; erasing an account clears the points
// its author did not make public; public points stay with the public text.
func TestEraseUserClearsPrivatePoints(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	u := testenv.CreateUser(t, s, "punkt@example.org", "Punkt", app.RoleCitizen)
	lat, lon := 51.3406, 12.3747
	var ids []int64
	for _, public := range []bool{false, true} {
		c := &app.Contribution{Channel: app.ChannelWerkstatt, AuthorID: &u.ID, Body: "Am Markt " + map[bool]string{true: "öffentlich", false: "privat"}[public],
			PointLat: &lat, PointLon: &lon, PointPublic: public, PlaceText: "Markt"}
		if err := s.CreateContribution(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	// The person's data export has both points.
	data, err := s.PersonalData(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pc := range data.Contributions {
		if pc.PointLat == nil || *pc.PointLat != lat || pc.Place != "Markt" {
			t.Errorf("data export of %s lacks the point: %+v", pc.Number, pc)
		}
	}
	if err := s.EraseUser(ctx, u, u.ID); err != nil {
		t.Fatal(err)
	}
	private, err := s.ContributionByID(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	public, err := s.ContributionByID(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if private.HasPoint() {
		t.Error("the erasure kept a point that was never public")
	}
	if !public.HasPoint() || *public.PointLat != lat {
		t.Error("the erasure removed a public point")
	}
}
