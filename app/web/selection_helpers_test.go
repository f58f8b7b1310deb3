package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// quotaEvent makes a selection event with capacity seats and applicants
// whose age bands are given (one applicant per entry).
func quotaEvent(t testing.TB, a *testenv.App, seats int, ages ...string) (*app.Event, []*app.User) {
	t.Helper()
	ev := createEvent(t, a, func(in *app.EventInput) {
		in.Allocation = string(app.AllocSelection)
		in.Capacity = app.N(seats)
		in.ConfirmHours = app.N(72)
	})
	var people []*app.User
	for i, age := range ages {
		u := a.CreateUser(t, fmt.Sprintf("quote-%d-%d@example.org", ev.ID, i), fmt.Sprintf("Bewerberin %d-%d Quote", ev.ID, i), app.RoleCitizen)
		in := app.RegistrationInput{AnswerAge: age, AnswersConsent: age != ""}
		if _, err := a.Platform.Events.Register(context.Background(), u, ev.ID, in); err != nil {
			t.Fatal(err)
		}
		people = append(people, u)
	}
	return ev, people
}

// addAgeQuotas adds the age band preset and sets its bounds (code → min, max).
func addAgeQuotas(t testing.TB, a *testenv.App, ev *app.Event, bounds map[string][2]int) *app.SelectionCategory {
	t.Helper()
	ctx := context.Background()
	label := func(id string) string { return id }
	if err := a.Platform.Events.AddCategory(ctx, eventAdmin(t, a), ev, app.SelectionCategoryInput{Source: app.SourceAge, Name: "Alter"}, label); err != nil {
		t.Fatal(err)
	}
	return setBounds(t, a, ev, "Alter", bounds)
}

func setBounds(t testing.TB, a *testenv.App, ev *app.Event, name string, bounds map[string][2]int) *app.SelectionCategory {
	t.Helper()
	cats, err := a.Store.SelectionCategories(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		if c.Name != name {
			continue
		}
		for _, v := range c.Values {
			b, ok := bounds[v.Code]
			if !ok {
				b = [2]int{0, 0}
			}
			v.MinSeats, v.MaxSeats = b[0], b[1]
		}
		if err := a.Store.SaveQuotas(context.Background(), eventAdmin(t, a), ev.ID, []*app.SelectionCategory{c}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Fatalf("no category %s", name)
	return nil
}

// waitForJob runs the draw computations until the event's job has ended.
func waitForJob(t testing.TB, a *testenv.App, ev *app.Event) *app.SelectionJob {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := a.Platform.Events.RunSelectionJobs(ctx); err != nil {
			t.Fatal(err)
		}
		j, err := a.Store.SelectionJobOf(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status == app.JobDone || j.Status == app.JobFailed {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("draw job still %s", j.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
