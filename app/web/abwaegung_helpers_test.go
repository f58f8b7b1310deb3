package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// abwFix is a published draft chapter with two Fachämter, their staff and
// two people of AG INSEK.
type abwFix struct {
	*draftFix
	asw, vta           *app.Fachamt
	agA, agB           *app.User
	staffASW, staffVTA *app.User
}

func newAbwFix(t *testing.T, opts ...testenv.Option) *abwFix {
	t.Helper()
	f := &abwFix{draftFix: newDraftFix(t, app.ModerationPost, opts...)}
	f.asw = f.fachamt(t, "ASW", "Amt für Wohnungsbau und Stadterneuerung")
	f.vta = f.fachamt(t, "VTA", "Verkehrs- und Tiefbauamt")
	f.agA = f.person(t, "ag-a@example.org", "AG Prüferin", app.RoleAgInsek, nil)
	f.agB = f.person(t, "ag-b@example.org", "AG Prüfer", app.RoleAgInsek, nil)
	f.staffASW = f.person(t, "asw@example.org", "ASW Sachbearbeiterin", app.RoleFachamt, f.asw)
	f.staffVTA = f.person(t, "vta@example.org", "VTA Sachbearbeiter", app.RoleFachamt, f.vta)
	return f
}

func (f *abwFix) fachamt(t *testing.T, short, name string) *app.Fachamt {
	t.Helper()
	fa, err := f.a.Store.SaveFachamt(context.Background(), f.admin, 0, app.FachamtInput{Short: short, Name: name, Email: strings.ToLower(short) + "@leipzig.example", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return fa
}

// person creates a citizen account with a grantable role and, for Fachamt
// staff, the membership.
func (f *abwFix) person(t *testing.T, email, name string, role app.Role, fa *app.Fachamt) *app.User {
	t.Helper()
	u := f.a.CreateUser(t, email, name, app.RoleCitizen)
	ctx := context.Background()
	if err := f.a.Store.SetGrant(ctx, f.admin, u.ID, role, true); err != nil {
		t.Fatal(err)
	}
	if fa != nil {
		if err := f.a.Store.SetMembership(ctx, f.admin, u.ID, fa.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	u.Grants = []app.Role{role}
	return u
}

// rule adds an assignment rule through the store.
func (f *abwFix) rule(t *testing.T, kind, value, short, role string) {
	t.Helper()
	if _, err := f.a.Store.AddRule(context.Background(), f.admin, app.RuleInput{Kind: kind, Value: value, Fachamt: short, Role: role}); err != nil {
		t.Fatalf("rule %s %s: %v", kind, value, err)
	}
}

// tagged writes a comment with tags.
func (f *abwFix) tagged(t *testing.T, u *app.User, body string, tags ...string) *app.Contribution {
	t.Helper()
	c, err := f.a.Platform.Draft.Comment(context.Background(), u, f.ch.ID, draft.CommentInput{Body: body, Tags: tags})
	if err != nil {
		t.Fatalf("comment: %v", err)
	}
	return c
}

// assessment loads the assessment of a contribution.
func (f *abwFix) assessment(t *testing.T, c *app.Contribution) *app.Assessment {
	t.Helper()
	a, err := f.a.Store.AssessmentByContribution(context.Background(), c.ID)
	if err != nil {
		t.Fatalf("assessment of %s: %v", c.PublicNumber(), err)
	}
	return a
}
