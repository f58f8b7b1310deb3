package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// a11yQuotaEvent makes a selection event with an age quota (and a free
// category when free is set); infeasible asks for more people aged 65+
// than applied.
func a11yQuotaEvent(t *testing.T, a *testenv.App, infeasible, free bool) *app.Event {
	ev, _ := quotaEvent(t, a, 3, "16_29", "16_29", "30_44", "30_44", "65_plus", "")
	b := map[string][2]int{"16_29": {1, 2}, "30_44": {1, 2}, "45_64": {0, 1}, "65_plus": {0, 1}, "": {0, 1}}
	if infeasible {
		b["65_plus"] = [2]int{2, 2}
	}
	addAgeQuotas(t, a, ev, b)
	if free {
		if err := a.Platform.Events.AddCategory(context.Background(), eventAdmin(t, a), ev,
			app.SelectionCategoryInput{Source: app.SourceFree, Name: "Wohnsituation", Values: "Miete\nEigentum"}, func(id string) string { return id }); err != nil {
			t.Fatal(err)
		}
	}
	return ev
}

// a11yQuotaDraw makes a drawn selection event with quotas and returns it
// with the applicant number of one applicant.
func a11yQuotaDraw(t *testing.T, a *testenv.App) (*app.Event, string) {
	ctx := context.Background()
	ev := a11yQuotaEvent(t, a, false, false)
	admin := eventAdmin(t, a)
	if _, err := a.Platform.Events.AnnounceDraw(ctx, admin, ev.ID, app.DrawAnnounceInput{SeedSource: "Lottozahlen am Samstag"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.RunDraw(ctx, admin, ev.ID, app.DrawInput{Seed: "1 2 3 4 5 6", Witnesses: "Erika Muster"}); err != nil {
		t.Fatal(err)
	}
	ids, _ := a.Store.RegistrationsWithStatus(ctx, ev.ID, app.RegWaitlisted)
	return ev, ids[0].Pseudonym
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "selection quotas", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(a11yQuotaEvent(t, a, true, true)) + "/quoten"
		}},
		a11yPage{name: "selection quotas with errors", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(a11yQuotaEvent(t, a, false, false)) + "/quoten"
		}, submit: "main form[action$='/quoten/kategorien'] button[type=submit]"},
		a11yPage{name: "selection quotas empty", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(a11yDrawnEvent(t, a, false)) + "/quoten"
		}},
		a11yPage{name: "selection draw infeasible", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(a11yQuotaEvent(t, a, true, false)) + "/auslosung"
		}},
		a11yPage{name: "selection draw announce refused", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(a11yQuotaEvent(t, a, true, false)) + "/auslosung"
		}, submit: "main form[action$='/ankuendigen'] button[type=submit]"},
		a11yPage{name: "selection job status", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			ev := a11yQuotaEvent(t, a, false, false)
			if err := a.Store.RequestDraw(context.Background(), eventAdmin(t, a), ev.ID, "Lottozahlen am Samstag"); err != nil {
				t.Fatal(err)
			}
			return eventAdminURL(ev) + "/auslosung/status"
		}},
		a11yPage{name: "selection public draw with lookup", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			ev, id := a11yQuotaDraw(t, a)
			return eventURL(ev) + "/auslosung?kennung=" + id
		}},
		a11yPage{name: "selection public draw lookup error", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			ev, _ := a11yQuotaDraw(t, a)
			return eventURL(ev) + "/auslosung?kennung=" + strings.Repeat("x", 5)
		}},
		a11yPage{name: "selection application with free category", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventURL(a11yQuotaEvent(t, a, false, true))
		}},
	)
}
