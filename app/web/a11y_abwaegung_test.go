package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// abwDemo seeds the demo (Fachämter, rules, a round, assessments in
// several states) once per app and returns path.
func abwDemo(path string) func(t *testing.T, a *testenv.App, u *app.User) string {
	return func(t *testing.T, a *testenv.App, _ *app.User) string {
		if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// abwDemoAssessment is the page of a demo assessment in a state.
func abwDemoAssessment(state string) func(t *testing.T, a *testenv.App, u *app.User) string {
	return func(t *testing.T, a *testenv.App, u *app.User) string {
		abwDemo("")(t, a, u)
		rows, _, _, err := a.Store.AssessmentQueue(context.Background(), store.AssessmentFilter{State: state, PerPage: 1})
		if err != nil || len(rows) == 0 {
			t.Fatalf("no demo assessment %s: %v", state, err)
		}
		return "/abwaegung/" + rows[0].PublicNumber()
	}
}

// abwAsStaff makes the viewer staff of ASW and returns path.
func abwAsStaff(path string) func(t *testing.T, a *testenv.App, u *app.User) string {
	return func(t *testing.T, a *testenv.App, u *app.User) string {
		abwDemo("")(t, a, u)
		ctx := context.Background()
		f, err := a.Store.FachamtByShort(ctx, "ASW")
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Store.SetGrant(ctx, nil, u.ID, app.RoleFachamt, true); err != nil {
			t.Fatal(err)
		}
		if err := a.Store.SetMembership(ctx, nil, u.ID, f.ID, true); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

func init() {
	a11yPages = append(a11yPages,
		a11yPage{name: "abwaegung queue", as: app.RoleAdmin, prepare: abwDemo("/abwaegung?sortierung=zustimmung")},
		a11yPage{name: "abwaegung unassigned", as: app.RoleAdmin, prepare: abwDemo("/abwaegung/nicht-zugeordnet")},
		a11yPage{name: "abwaegung bulk errors", as: app.RoleAdmin, prepare: abwDemo("/abwaegung"), submit: "form.bulk-form button[type=submit]"},
		a11yPage{name: "abwaegung fachamt queue", as: app.RoleCitizen, prepare: abwAsStaff("/abwaegung/amt/ASW")},
		a11yPage{name: "abwaegung assessment open", as: app.RoleAdmin, prepare: abwDemoAssessment(app.StateOpen)},
		a11yPage{name: "abwaegung assessment errors", as: app.RoleAdmin, prepare: abwDemoAssessment(app.StateOpen), submit: "form[action$='/entwurf'] button[type=submit]"},
		a11yPage{name: "abwaegung assessment in review", as: app.RoleAdmin, prepare: abwDemoAssessment(app.StateInReview)},
		a11yPage{name: "abwaegung assessment published", as: app.RoleAdmin, prepare: abwDemoAssessment(app.StatePublished)},
		a11yPage{name: "abwaegung dashboard", as: app.RoleAdmin, prepare: abwDemo("/abwaegung/uebersicht")},
		a11yPage{name: "abwaegung rules", as: app.RoleAdmin, prepare: abwDemo("/abwaegung/regeln")},
		a11yPage{name: "abwaegung rules errors", as: app.RoleAdmin, prepare: abwDemo("/abwaegung/regeln"), submit: "form[action='/abwaegung/regeln'] button[type=submit]"},
		a11yPage{name: "abwaegung rounds", as: app.RoleAdmin, prepare: abwDemo("/abwaegung/runden")},
		a11yPage{name: "abwaegung round", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			abwDemo("")(t, a, u)
			rounds, err := a.Store.Rounds(context.Background())
			if err != nil || len(rounds) == 0 {
				t.Fatalf("no demo round: %v", err)
			}
			return "/abwaegung/runden/" + strconv.FormatInt(rounds[0].ID, 10)
		}},
		a11yPage{name: "abwaegung upload errors", as: app.RoleCitizen, prepare: abwAsStaff("/abwaegung/amt/ASW/hochladen"), submit: "form[enctype] button[type=submit]"},
		a11yPage{name: "abwaegung redline proposals", prepare: abwDemo("/entwurf/mobilitaet/fassungen")},
		a11yPage{name: "admin fachaemter", as: app.RoleAdmin, prepare: abwDemo("/admin/fachaemter")},
		a11yPage{name: "admin fachaemter errors", as: app.RoleAdmin, prepare: abwDemo("/admin/fachaemter"), submit: "form[action='/admin/fachaemter'] button[type=submit]"},
		a11yPage{name: "admin fachamt edit", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			abwDemo("")(t, a, u)
			f, err := a.Store.FachamtByShort(context.Background(), "VTA")
			if err != nil {
				t.Fatal(err)
			}
			return "/admin/fachaemter/" + strconv.FormatInt(f.ID, 10)
		}},
		a11yPage{name: "admin user access", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			abwDemo("")(t, a, u)
			return "/admin/nutzer/" + strconv.FormatInt(u.ID, 10)
		}},
	)
}
