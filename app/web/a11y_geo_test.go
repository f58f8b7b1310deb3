package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/mitwirken/mitwirken/app"
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
