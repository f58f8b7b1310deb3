package events

import (
	"context"
	"math"
	"strconv"

	"github.com/mitwirken/mitwirken/app"
)

// AddCategory adds a quota category to a selection event: a preset
// (Stadtgebiet from the admin's grouping, age band, gender, first-time
// participant – the answers the application form asks anyway) or a free
// category with the organisers' values. Every category gets a value for
// applicants who gave no answer. The seats start proportional to the
// current applicants ± 1 (the reference data holds no population figures);
// the organisers then adjust them. label translates the preset names.
func (s *Service) AddCategory(ctx context.Context, actor *app.User, ev *app.Event, in app.SelectionCategoryInput, label func(id string) string) error {
	free, err := in.Validate()
	if err != nil {
		return err
	}
	if ev.Allocation != app.AllocSelection {
		return app.NotFound()
	}
	c := &app.SelectionCategory{EventID: ev.ID, Source: in.Source, Name: in.Name}
	if c.Name == "" {
		c.Name = label("selection.preset." + in.Source)
	}
	add := func(code, lbl string) {
		c.Values = append(c.Values, &app.SelectionValue{Code: code, Label: lbl})
	}
	switch in.Source {
	case app.SourceStadtgebiet:
		gebiete, err := s.Store.Stadtgebiete(ctx)
		if err != nil {
			return err
		}
		if len(gebiete) == 0 {
			return app.FieldInvalid("source", "selection.no_stadtgebiete")
		}
		for _, g := range gebiete {
			add(strconv.FormatInt(g.ID, 10), g.Name)
		}
	case app.SourceAge:
		for _, code := range app.AgeBands {
			add(code, label("events.age."+code))
		}
	case app.SourceGender:
		for _, code := range app.Genders {
			add(code, label("events.gender."+code))
		}
	case app.SourceFirstTime:
		for _, code := range app.FirstTimeValues {
			add(code, label("events.first_time."+code))
		}
	default:
		for _, v := range free {
			add(v, v)
		}
	}
	add("", label("selection.no_answer_value"))
	for _, v := range c.Values[:len(c.Values)-1] {
		if v.Label == c.Values[len(c.Values)-1].Label {
			return app.FieldInvalid("values", "selection.value_duplicate", "Value", v.Label)
		}
	}
	if err := s.proportionalSeats(ctx, ev, c); err != nil {
		return err
	}
	return s.Store.AddSelectionCategory(ctx, actor, c)
}

// proportionalSeats sets every value's seats to its share of the current
// applicants ± 1.
func (s *Service) proportionalSeats(ctx context.Context, ev *app.Event, c *app.SelectionCategory) error {
	applicants, err := s.Store.SelectionApplicants(ctx, ev.ID)
	if err != nil {
		return err
	}
	gebiete, err := s.Store.Stadtgebiete(ctx)
	if err != nil {
		return err
	}
	counts := map[*app.SelectionValue]int{}
	for _, a := range applicants {
		if v := valueFor(c, answerCode(c, a, gebiete)); v != nil {
			counts[v]++
		}
	}
	n := len(applicants)
	k := ev.Capacity
	if n > 0 && n < k {
		k = n
	}
	for _, v := range c.Values {
		if n == 0 {
			v.MinSeats, v.MaxSeats = 0, k
			continue
		}
		t := int(math.Round(float64(k) * float64(counts[v]) / float64(n)))
		v.MinSeats, v.MaxSeats = max(0, t-1), min(k, t+1)
	}
	return nil
}
