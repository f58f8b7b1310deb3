package web_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// The maps of issue 14 in the accessibility crawl: the choropleth with its
// filters and table, its filter errors, an Ortsteil page and the admin's
// population import.
func init() {
	withContributions := func(path string) func(t *testing.T, a *testenv.App, _ *app.User) string {
		return func(t *testing.T, a *testenv.App, _ *app.User) string {
			ctx := context.Background()
			if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			if err := seed.Contributions(ctx, a.Store, 30, nil); err != nil {
				t.Fatal(err)
			}
			return path
		}
	}
	a11yPages = append(a11yPages,
		a11yPage{name: "geo map", prepare: withContributions("/karte")},
		a11yPage{name: "geo map filter errors", path: "/karte?kanal=fax&von=gestern"},
		a11yPage{name: "geo ortsteil", prepare: withContributions("/ortsteile/40")},
		a11yPage{name: "geo population import", as: app.RoleAdmin, path: "/admin/bevoelkerung"},
	)
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "geo event with Stadtgebiet", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			var ev app.Event
			if err := a.Store.Gorm().Where("format = ? AND stadtgebiet_id IS NOT NULL", app.FormatForum).First(&ev).Error; err != nil {
				t.Fatal(err)
			}
			return "/veranstaltungen/" + strconv.FormatInt(ev.ID, 10)
		}},
		a11yPage{name: "geo report", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			return "/admin/bericht"
		}},
	)
}

// Points on contributions: a chapter and a contribution with a public
// point (the viewer's own), the chapter's comment form showing the map.
func withPublicPoint(path string) func(t *testing.T, a *testenv.App, u *app.User) string {
	return func(t *testing.T, a *testenv.App, u *app.User) string {
		t.Helper()
		if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		ch, err := a.Store.ChapterBySlug(ctx, "wohnen")
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.Platform.Draft.Comment(ctx, u, ch.ID, draft.CommentInput{Body: "Ein Ort für die Prüfung " + a.Store.Now().String(),
			Lat: "51.3406", Lon: "12.3747", Place: "Am Markt", PointPublic: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == app.StatusPending {
			mod, err := a.Store.UserByEmail(ctx, seed.DemoModeratorEmail)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Platform.Draft.Moderate(ctx, mod, c.ID, app.ModerationInput{Action: app.ActionApprove}); err != nil {
				t.Fatal(err)
			}
		}
		return fmt.Sprintf(path, c.PublicNumber())
	}
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "geo chapter with points", as: app.RoleCitizen, prepare: withPublicPoint("/entwurf/wohnen%.0s")},
		a11yPage{name: "geo contribution with point", as: app.RoleCitizen, prepare: withPublicPoint("/beitraege/%s")},
		a11yPage{name: "geo comment point errors", as: app.RoleCitizen, prepare: withPublicPoint("/entwurf/wohnen%.0s"),
			submit: "form#kommentar-formular button[type=submit]"},
	)
}

// Events on the map: the events map and an event page with its venue.
func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "geo events map", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			return "/veranstaltungen?ansicht=karte"
		}},
		a11yPage{name: "geo event venue", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			var ev app.Event
			if err := a.Store.Gorm().Where("venue_lat IS NOT NULL AND stadtgebiet_id IS NULL").First(&ev).Error; err != nil {
				t.Fatal(err)
			}
			return "/veranstaltungen/" + strconv.FormatInt(ev.ID, 10)
		}},
	)
}
