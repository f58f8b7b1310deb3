package seed_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestDemoAbwaegung: the demo has Fachämter, rules, a round and
// assessments in several states, and seeding twice adds nothing.
func TestDemoAbwaegung(t *testing.T) {
	s := testenv.OpenStore(t, nil)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := seed.Demo(ctx, s, seed.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	amts, err := s.Fachaemter(ctx, true)
	if err != nil || len(amts) != 12 {
		t.Fatalf("%d Fachämter: %v", len(amts), err)
	}
	rounds, _ := s.Rounds(ctx)
	if len(rounds) != 1 {
		t.Fatalf("%d rounds", len(rounds))
	}
	_, _, counts, err := s.AssessmentQueue(ctx, store.AssessmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{app.StateOpen, app.StateDrafted, app.StateInReview, app.StatePublished} {
		if counts[st] == 0 {
			t.Errorf("no demo assessment %s: %v", st, counts)
		}
	}
}
