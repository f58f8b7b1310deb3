package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// BenchmarkDrawLeximin300 measures a leximin draw through the platform: 300
// applicants, 35 seats, four categories (age band, gender, first time and a
// free category), quotas proportional to the applicants ± 1 (the presets'
// default): pool from the database, leximin, rounding to 1,000 panels, and
// the announcement transaction. Answers are skewed as in self-selected pools.
//
//	go test ./app/web -run x -bench DrawLeximin300 -benchtime 1x
func BenchmarkDrawLeximin300(b *testing.B) {
	a := testenv.StartApp(b, testenv.WithoutSMTP())
	ctx := context.Background()
	admin := eventAdmin(b, a)
	rng := rand.New(rand.NewPCG(6, 300))
	pick := func(codes []string, weights ...float64) string {
		sum := 0.0
		for _, w := range weights {
			sum += w
		}
		x := rng.Float64() * sum
		for i, w := range weights {
			if x < w {
				return codes[i]
			}
			x -= w
		}
		return codes[len(codes)-1]
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ev := createEvent(b, a, func(in *app.EventInput) { in.Allocation = string(app.AllocSelection); in.Capacity = app.N(35) })
		label := func(id string) string { return id }
		if err := a.Platform.Events.AddCategory(ctx, admin, ev, app.SelectionCategoryInput{Source: app.SourceFree, Name: "Wohnsituation", Values: "Miete\nEigentum\nGenossenschaft"}, label); err != nil {
			b.Fatal(err)
		}
		cats, _ := a.Store.SelectionCategories(ctx, ev.ID)
		for j := 0; j < 300; j++ {
			u := a.CreateUser(b, fmt.Sprintf("bench-%d-%d@example.org", ev.ID, j), fmt.Sprintf("Bench %d-%d", ev.ID, j), app.RoleCitizen)
			in := app.RegistrationInput{AnswersConsent: true,
				AnswerAge:       pick(app.AgeBands, 2, 1.5, 1, 0.4),
				AnswerGender:    pick(app.Genders, 2, 1, 0.2),
				AnswerFirstTime: pick(app.FirstTimeValues, 2, 1),
				Selection:       map[int64]string{cats[0].ID: pick([]string{"Miete", "Eigentum", "Genossenschaft"}, 2, 1, 0.4)},
			}
			if _, err := a.Platform.Events.Register(ctx, u, ev.ID, in); err != nil {
				b.Fatal(err)
			}
		}
		for _, src := range []string{app.SourceAge, app.SourceGender, app.SourceFirstTime} {
			if err := a.Platform.Events.AddCategory(ctx, admin, ev, app.SelectionCategoryInput{Source: src}, label); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		d, err := a.Platform.Events.AnnounceDraw(ctx, admin, ev.ID, app.DrawAnnounceInput{SeedSource: "Lottozahlen"})
		if err != nil {
			b.Fatal(err)
		}
		if d.Algorithm != "leximin" {
			b.Fatalf("algorithm %s", d.Algorithm)
		}
	}
}
