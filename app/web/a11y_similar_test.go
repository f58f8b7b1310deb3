package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// similarPair seeds the demo plus three transcribed paraphrases (one
// assessed and published, one a duplicate), so that the section "Ähnliche
// Beiträge" has every kind of entry; path gets the first one's number
// (twice for "?vorlage=").
func similarPair(path string) func(t *testing.T, a *testenv.App, u *app.User) string {
	return func(t *testing.T, a *testenv.App, u *app.User) string {
		t.Helper()
		demoPath("")(t, a, u)
		ctx := context.Background()
		admin, err := a.Store.UserByEmail(ctx, seed.DemoAdminEmail)
		if err != nil {
			t.Fatal(err)
		}
		var made []*app.Contribution
		for _, body := range []string{
			"In der Eisenbahnstraße sollten neue Straßenbäume gepflanzt werden. Im Sommer gibt es dort kaum Schatten.",
			"Mehr Grün für die Eisenbahnstraße! Bäume würden Schatten spenden und die Hitze erträglicher machen.",
			"Die Eisenbahnstrasse ist eine Hitzeinsel ohne Schatten. Bitte Bäume pflanzen.",
		} {
			c := &app.Contribution{Channel: app.ChannelStadtgebietsforum, AuthorLabel: "Stadtgebietsforum Ost", EnteredBy: &admin.ID, Body: body}
			if err := a.Store.CreateContribution(ctx, c); err != nil {
				t.Fatal(err)
			}
			made = append(made, c)
		}
		if _, err := a.Platform.Draft.Assess(ctx, admin, made[1].ID, app.AssessmentInput{Status: app.AssessPartly, Reasoning: "Baumpflanzungen sind im Fachkonzept Freiraum vorgesehen.", Publish: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Store.MarkDuplicate(ctx, admin, made[2].ID, made[1].Number); err != nil {
			t.Fatal(err)
		}
		n := made[0].PublicNumber()
		return fmt.Sprintf(path, n, made[1].PublicNumber())
	}
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "moderation detail with similar contributions", as: app.RoleModerator, prepare: similarPair("/admin/moderation/%s%.0s")},
		a11yPage{name: "moderation detail with similar contributions english", as: app.RoleModerator, prepare: similarPair("/admin/moderation/%s?lang=en%.0s")},
		a11yPage{name: "assessment form with similar contributions", as: app.RoleAdmin, prepare: similarPair("/abwaegung/%s%.0s")},
		a11yPage{name: "assessment form reusing a reasoning", as: app.RoleAdmin, prepare: similarPair("/abwaegung/%s?vorlage=%s")},
	)
}
