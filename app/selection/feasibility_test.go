package selection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestInfeasibleSingleValue(t *testing.T) {
	pool := Pool{Categories: []Category{{Name: "Stadtgebiet", Values: []Quota{{"Nord", 5, 6}, {"Süd", 0, 10}}}}}
	for i := 0; i < 3; i++ {
		pool.People = append(pool.People, Person{ID: fmt.Sprintf("n%d", i), Values: map[string]string{"Stadtgebiet": "Nord"}})
	}
	for i := 0; i < 10; i++ {
		pool.People = append(pool.People, Person{ID: fmt.Sprintf("s%d", i), Values: map[string]string{"Stadtgebiet": "Süd"}})
	}
	inf, err := CheckFeasible(context.Background(), pool, 8)
	if err != nil {
		t.Fatal(err)
	}
	if inf == nil || len(inf.Changes) != 1 {
		t.Fatalf("want one change, got %+v", inf)
	}
	c := inf.Changes[0]
	if c.Category != "Stadtgebiet" || c.Value != "Nord" || c.Kind != "min" || c.Current != 5 || c.Suggested != 3 || c.Available != 3 {
		t.Fatalf("change %+v", c)
	}
	want := "Kategorie »Stadtgebiet«, Wert »Nord«: Mindestens 5 verlangt, aber nur 3 Bewerbungen – Minimum auf 3 senken"
	if c.Message != want {
		t.Fatalf("message %q", c.Message)
	}
	// Compute refuses with the same structured error.
	_, err = Compute(context.Background(), pool, 8, Options{})
	var ie *Infeasibility
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "Nord") {
		t.Fatalf("Compute error %v", err)
	}
}

func TestInfeasibleInteractingCategories(t *testing.T) {
	// Each quota alone can be met, but all applicants of age »jung« live in
	// »Nord«: at least 3 jung and at most 1 Nord cannot hold together.
	pool := Pool{Categories: []Category{
		{Name: "Stadtgebiet", Values: []Quota{{"Nord", 0, 1}, {"Süd", 0, 4}}},
		{Name: "Alter", Values: []Quota{{"jung", 3, 4}, {"alt", 0, 4}}},
	}}
	for i := 0; i < 5; i++ {
		pool.People = append(pool.People, Person{ID: fmt.Sprintf("j%d", i), Values: map[string]string{"Stadtgebiet": "Nord", "Alter": "jung"}})
		pool.People = append(pool.People, Person{ID: fmt.Sprintf("a%d", i), Values: map[string]string{"Stadtgebiet": "Süd", "Alter": "alt"}})
	}
	inf, err := CheckFeasible(context.Background(), pool, 4)
	if err != nil {
		t.Fatal(err)
	}
	if inf == nil {
		t.Fatal("infeasibility not detected")
	}
	// The smallest repair changes bounds by 2 seats in total: either lower
	// jung's minimum to 1 or raise Nord's maximum to 3 (or one of each).
	total := 0
	for _, c := range inf.Changes {
		if c.Kind == "min" {
			total += c.Current - c.Suggested
		} else {
			total += c.Suggested - c.Current
		}
		if !strings.Contains(c.Message, "Zusammenspiel") || c.Category == "" {
			t.Errorf("message %q", c.Message)
		}
	}
	if total != 2 {
		t.Fatalf("total relaxation %d, want 2: %+v", total, inf.Changes)
	}
	// Applying the suggestion makes the pool feasible.
	fixed := applyChanges(pool, inf.Changes)
	if again, err := CheckFeasible(context.Background(), fixed, 4); err != nil || again != nil {
		t.Fatalf("after applying suggestions: %+v %v", again, err)
	}
}

func applyChanges(pool Pool, changes []QuotaChange) Pool {
	out := Pool{People: pool.People}
	for _, c := range pool.Categories {
		nc := Category{Name: c.Name}
		for _, q := range c.Values {
			for _, ch := range changes {
				if ch.Category == c.Name && ch.Value == q.Value {
					if ch.Kind == "min" {
						q.Min = ch.Suggested
					} else if ch.Kind == "max" {
						q.Max = ch.Suggested
					}
				}
			}
			nc.Values = append(nc.Values, q)
		}
		out.Categories = append(out.Categories, nc)
	}
	return out
}

func TestInfeasibleMinSumAndMaxSum(t *testing.T) {
	pool := onePool(map[string]int{"A": 5, "B": 5}, Quota{"A", 3, 5}, Quota{"B", 3, 5})
	inf, err := CheckFeasible(context.Background(), pool, 4)
	if err != nil || inf == nil || len(inf.Changes) != 1 || !strings.Contains(inf.Changes[0].Message, "summieren sich auf 6") {
		t.Fatalf("min sum: %+v %v", inf, err)
	}
	pool = onePool(map[string]int{"A": 5, "B": 5}, Quota{"A", 0, 1}, Quota{"B", 0, 1})
	inf, err = CheckFeasible(context.Background(), pool, 4)
	if err != nil || inf == nil || inf.Changes[0].Kind != "max" || !strings.Contains(inf.Changes[0].Message, "Maximum auf") {
		t.Fatalf("max sum: %+v %v", inf, err)
	}
	pool = onePool(map[string]int{"A": 5}, Quota{"A", 3, 2})
	inf, err = CheckFeasible(context.Background(), pool, 2)
	if err != nil || inf == nil || inf.Changes[0].Kind != "min_above_max" {
		t.Fatalf("min above max: %+v %v", inf, err)
	}
}

func TestInfeasibleHouseholds(t *testing.T) {
	pool := Pool{}
	for i := 0; i < 4; i++ {
		pool.People = append(pool.People, Person{ID: fmt.Sprintf("p%d", i), Household: fmt.Sprintf("h%d", i/2)})
	}
	inf, err := CheckFeasible(context.Background(), pool, 3)
	if err != nil || inf == nil || inf.Changes[0].Kind != "panel_size" || inf.Changes[0].Suggested != 2 {
		t.Fatalf("households: %+v %v", inf, err)
	}
}

func TestInvalidPool(t *testing.T) {
	pool := onePool(map[string]int{"A": 2}, Quota{"A", 0, 2})
	pool.People = append(pool.People, Person{ID: "A00", Values: map[string]string{"G": "A"}})
	if _, err := CheckFeasible(context.Background(), pool, 1); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("duplicate id: %v", err)
	}
	pool = onePool(map[string]int{"A": 2}, Quota{"A", 0, 2})
	pool.People[0].Values["G"] = "Z"
	if _, err := CheckFeasible(context.Background(), pool, 1); err == nil {
		t.Fatal("unknown value accepted")
	}
}
