package seed_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// demoSnapshot is what a second seed run must leave unchanged.
type demoSnapshot struct {
	Users, Events, Registrations, Categories, Jobs, Audit, Outbox int64
	PoolHash, PanelsHash, Seed, Document                          string
	ChosenIndex                                                   int
}

func snapshot(t *testing.T, a *testenv.App, eventID int64) demoSnapshot {
	t.Helper()
	var s demoSnapshot
	db := a.Store.Gorm()
	for table, n := range map[string]*int64{"users": &s.Users, "events": &s.Events, "event_registrations": &s.Registrations,
		"selection_categories": &s.Categories, "selection_jobs": &s.Jobs, "audit_log": &s.Audit, "outbox": &s.Outbox} {
		if err := db.Table(table).Count(n).Error; err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
	}
	d, err := a.Store.DrawOf(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	s.PoolHash, s.PanelsHash, s.Document = d.PoolHash, d.PanelsHash, d.Document
	if d.Seed != nil {
		s.Seed = *d.Seed
	}
	if d.ChosenIndex != nil {
		s.ChosenIndex = *d.ChosenIndex
	}
	return s
}

// TestDemoDraw: the demo has a Werkstattgespräch whose seats were drawn
// with quotas through the platform's flow (80 synthetic applicants, 20
// seats, leximin, published list, seed with witnesses); the chosen panel
// keeps the quotas, the waiting list holds everybody else, the public draw
// page shows it, and seeding twice changes nothing.
func TestDemoDraw(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	de := a.Platform.I18n.Localizer("de")
	opts := seed.Options{Events: a.Platform.Events, T: func(id string) string { return de.T(id) }}
	var out strings.Builder
	opts.Out = &out
	if err := seed.Demo(ctx, a.Store, opts); err != nil {
		t.Fatalf("first seed run: %v", err)
	}
	t.Logf("first demo seed run on %s:\n%s", a.Store.Dialect(), out.String())
	opts.Out = nil

	var found []*app.Event
	if err := a.Store.Gorm().Where("title = ?", seed.DemoDrawTitle).Find(&found).Error; err != nil || len(found) != 1 {
		t.Fatalf("%d demo draw events: %v", len(found), err)
	}
	ev := found[0]
	if ev.DrawStatus != app.DrawDone || ev.Capacity != seed.DemoDrawSeats || ev.Format != app.FormatWorkshop {
		t.Fatalf("demo draw event: status %q, %d seats, format %s", ev.DrawStatus, ev.Capacity, ev.Format)
	}
	if ev.RegistrationClosesAt.After(a.Store.Now()) {
		t.Errorf("applications still open until %v", ev.RegistrationClosesAt)
	}
	if days := ev.StartsAt.Sub(a.Store.Now()).Hours() / 24; days < 19 || days > 23 {
		t.Errorf("demo draw event starts in %.1f days", days)
	}
	before := snapshot(t, a, ev.ID)
	if err := seed.Demo(ctx, a.Store, opts); err != nil {
		t.Fatalf("second seed run: %v", err)
	}
	if after := snapshot(t, a, ev.ID); after != before {
		t.Fatalf("second seed run changed the demo:\nbefore %+v\nafter  %+v", before, after)
	}

	d, err := a.Store.DrawOf(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.PoolHash) != 64 || len(d.PanelsHash) != 64 || d.ChosenIndex == nil || *d.ChosenIndex < 0 || *d.ChosenIndex >= 1000 {
		t.Fatalf("draw record: pool hash %q, panels hash %q, index %v", d.PoolHash, d.PanelsHash, d.ChosenIndex)
	}
	if d.Seed == nil || *d.Seed != seed.DemoDrawSeed || d.SeedSource != seed.DemoDrawSeedSource || d.Witnesses != seed.DemoDrawWitnesses {
		t.Fatalf("seed %v, source %q, witnesses %q", d.Seed, d.SeedSource, d.Witnesses)
	}
	if d.PoolSize != seed.DemoDrawApplicants || d.Seats != seed.DemoDrawSeats || d.Algorithm != string(selection.Leximin) {
		t.Fatalf("pool %d, seats %d, algorithm %s", d.PoolSize, d.Seats, d.Algorithm)
	}
	doc, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		t.Fatal(err)
	}
	if err := selection.Verify(doc); err != nil {
		t.Fatalf("published draw does not verify: %v", err)
	}
	if len(doc.Panels) != 1000 || len(doc.Selected) != seed.DemoDrawSeats || len(doc.WaitingList) != seed.DemoDrawApplicants-seed.DemoDrawSeats {
		t.Fatalf("%d panels, %d selected, %d waiting", len(doc.Panels), len(doc.Selected), len(doc.WaitingList))
	}

	// Seats: exactly the selected panel holds offers, everybody else waits
	// in the draw's order.
	var regs []*app.Registration
	if err := a.Store.Gorm().Where("event_id = ?", ev.ID).Find(&regs).Error; err != nil {
		t.Fatal(err)
	}
	selected := map[string]bool{}
	for _, id := range doc.Selected {
		selected[id] = true
	}
	waitPos := map[string]int{}
	for i, id := range doc.WaitingList {
		waitPos[id] = i + 1
	}
	seats, waiting := 0, 0
	for _, r := range regs {
		switch r.Status {
		case app.RegOffered, app.RegConfirmed:
			seats++
			if !selected[r.Pseudonym] {
				t.Errorf("%s holds a seat but is not in the chosen panel", r.Pseudonym)
			}
		case app.RegWaitlisted:
			waiting++
			if int(r.WaitSeq) != waitPos[r.Pseudonym] {
				t.Errorf("%s: waiting-list place %d, draw says %d", r.Pseudonym, r.WaitSeq, waitPos[r.Pseudonym])
			}
		default:
			t.Errorf("%s: status %s after the draw", r.Pseudonym, r.Status)
		}
	}
	if seats != seed.DemoDrawSeats || waiting != seed.DemoDrawApplicants-seed.DemoDrawSeats {
		t.Fatalf("%d seats offered/confirmed, %d on the waiting list", seats, waiting)
	}

	// Quotas: Stadtgebiet, Altersgruppe and Geschlecht, each bound kept by
	// the chosen panel.
	cats, err := a.Store.SelectionCategories(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]bool{}
	for _, c := range cats {
		sources[c.Source] = true
	}
	if len(cats) != 3 || !sources[app.SourceStadtgebiet] || !sources[app.SourceAge] || !sources[app.SourceGender] {
		t.Fatalf("quota categories: %v", sources)
	}
	values := map[string]map[string]string{}
	for _, p := range doc.Pool {
		values[p.ID] = p.Values
	}
	for _, c := range cats {
		count := map[string]int{}
		for _, id := range doc.Selected {
			count[values[id][c.Name]]++
		}
		t.Logf("%s: %v", c.Name, quotaLine(c, count))
		bounded := false
		for _, v := range c.Values {
			if n := count[v.Label]; n < v.MinSeats || n > v.MaxSeats {
				t.Errorf("quota %s/%s: %d seats, bounds %d–%d", c.Name, v.Label, n, v.MinSeats, v.MaxSeats)
			}
			if v.MaxSeats < seed.DemoDrawSeats {
				bounded = true
			}
		}
		if !bounded {
			t.Errorf("category %s has no real bound", c.Name)
		}
	}

	t.Logf("index %d, probabilities min %.3f max %.3f Gini %.3f", *d.ChosenIndex, doc.Stats.Min, doc.Stats.Max, doc.Stats.Gini)

	// The public draw page, and the applicant lookup of a waiting and a
	// drawn applicant.
	c := a.Client(t)
	page := c.Get(fmt.Sprintf("/veranstaltungen/%d/auslosung", ev.ID))
	if page.Status != 200 || !strings.Contains(page.Body, d.PoolHash) || !strings.Contains(page.Text(), seed.DemoDrawSeedSource) ||
		!strings.Contains(page.Text(), "Demo-Zeugin A") {
		t.Fatalf("public draw page: %d %s", page.Status, page.Text())
	}
	for _, id := range []string{doc.Selected[0], doc.WaitingList[0]} {
		if r := c.Get(fmt.Sprintf("/veranstaltungen/%d/auslosung?kennung=%s", ev.ID, id)); r.Status != 200 {
			t.Fatalf("lookup %s: %d %s", id, r.Status, r.Text())
		}
	}
}

func quotaLine(c *app.SelectionCategory, count map[string]int) string {
	var parts []string
	for _, v := range c.Values {
		parts = append(parts, fmt.Sprintf("%s %d (%d–%d)", v.Label, count[v.Label], v.MinSeats, v.MaxSeats))
	}
	return strings.Join(parts, ", ")
}
