package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestDrawStadtgebietAndHousehold: the Stadtgebiet preset sorts applicants
// by their Ortsteil into the admin's Stadtgebiete, and with the household
// rule two applicants with the same e-mail domain and surname are never in
// the same listed panel.
func TestDrawStadtgebietAndHousehold(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	nord, err := a.Store.SaveStadtgebiet(ctx, 0, app.StadtgebietInput{Name: "Nord", Bezirke: []string{"1", "8", "9"}})
	if err != nil {
		t.Fatal(err)
	}
	sued, err := a.Store.SaveStadtgebiet(ctx, 0, app.StadtgebietInput{Name: "Süd", Bezirke: []string{"3", "4", "5"}})
	if err != nil {
		t.Fatal(err)
	}
	ev := createEvent(t, a, func(in *app.EventInput) { in.Allocation = string(app.AllocSelection); in.Capacity = app.N(2) })
	applicants := []struct{ email, name, ortsteil string }{
		{"anna.mueller@web.de", "Anna Müller", "91"}, {"bernd.mueller@web.de", "Bernd Müller", "92"},
		{"clara@posteo.de", "Clara Schulz", "41"}, {"dora@gmx.de", "Dora Weber", "31"}, {"emil@web.de", "Emil Roth", ""},
	}
	pseudonym := map[string]string{}
	for _, p := range applicants {
		u := a.CreateUser(t, p.email, p.name, app.RoleCitizen)
		res, err := a.Platform.Events.Register(ctx, u, ev.ID, app.RegistrationInput{AnswersConsent: p.ortsteil != "", AnswerOrtsteil: p.ortsteil})
		if err != nil {
			t.Fatal(err)
		}
		pseudonym[p.name] = res.Registration.Pseudonym
	}
	admin := eventAdmin(t, a)
	if err := a.Platform.Events.AddCategory(ctx, admin, ev, app.SelectionCategoryInput{Source: app.SourceStadtgebiet}, func(id string) string { return "Stadtgebiet" }); err != nil {
		t.Fatal(err)
	}
	f, err := a.Platform.Events.CheckQuotas(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	c := f.Pool.Categories[0]
	if len(c.Values) != 3 || c.Values[0].Code != strconv.FormatInt(nord.ID, 10) || c.Values[1].Label != "Süd" || c.Values[1].Code != strconv.FormatInt(sued.ID, 10) {
		t.Fatalf("Stadtgebiet values: %+v %+v %+v", c.Values[0], c.Values[1], c.Values[2])
	}
	if f.Pool.Counts[c.Values[0].ID] != 2 || f.Pool.Counts[c.Values[1].ID] != 2 || f.Pool.Counts[c.Values[2].ID] != 1 {
		t.Fatalf("applicants per Stadtgebiet: %v", f.Pool.Counts)
	}
	setBounds(t, a, ev, "Stadtgebiet", map[string][2]int{c.Values[0].Code: {0, 2}, c.Values[1].Code: {0, 2}, "": {0, 0}})
	if err := a.Store.SaveSelectionSettings(ctx, admin, &app.SelectionSettings{EventID: ev.ID, Algorithm: "leximin", Household: app.HouseholdEmailSurname}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.AnnounceDraw(ctx, admin, ev.ID, app.DrawAnnounceInput{SeedSource: "Lottozahlen"}); err != nil {
		t.Fatal(err)
	}
	d, _ := a.Store.DrawOf(ctx, ev.ID)
	doc, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		t.Fatal(err)
	}
	if err := selection.Verify(doc); err != nil {
		t.Fatal(err)
	}
	anna, bernd := pseudonym["Anna Müller"], pseudonym["Bernd Müller"]
	for _, panel := range doc.Panels {
		has := map[string]bool{}
		for _, id := range panel {
			has[id] = true
		}
		if has[anna] && has[bernd] {
			t.Fatalf("one household twice in a panel: %v", panel)
		}
	}
	for _, p := range doc.Probabilities {
		if p.ID == pseudonym["Emil Roth"] && p.Probability != 0 {
			t.Fatalf("no-answer applicant with a zero maximum has probability %v", p.Probability)
		}
		if p.ID == anna && (p.Probability < 0.49 || p.Probability > 0.51) {
			t.Fatalf("Anna's probability %v, want 1/2", p.Probability)
		}
	}
}
