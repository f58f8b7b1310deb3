package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// a11yExportJob queues an export; the page shows it waiting or done.
func a11yExportJob(t *testing.T, a *testenv.App, u *app.User) string {
	ctx := context.Background()
	if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	job, err := a.Platform.Exports.Enqueue(ctx, u, export.FilterInput{Kind: "assessment", Format: "xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	return "/admin/export/" + strconv.FormatInt(job.ID, 10)
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "results export form", as: app.RoleAdmin, path: "/admin/export"},
		a11yPage{name: "results export job", as: app.RoleAdmin, prepare: a11yExportJob},
		a11yPage{name: "results audit log", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			a11yExportJob(t, a, u)
			return "/admin/protokoll"
		}},
		a11yPage{name: "results report", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			if err := seed.Contributions(context.Background(), a.Store, 40, nil); err != nil {
				t.Fatal(err)
			}
			return "/admin/bericht"
		}},
		a11yPage{name: "results dashboard charts", as: app.RoleAdmin, path: "/admin"},
		a11yPage{name: "results audit log errors", as: app.RoleAdmin, path: "/admin/protokoll?akteur=abc&von=gestern"},
	)
}
