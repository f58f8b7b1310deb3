package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestDrawReplacementConcurrent: every drawn person declines at the same
// time, through two app instances on PostgreSQL (one on SQLite). Each seat
// goes to exactly one waiter, the seat count stays at the capacity, and the
// panel keeps its quotas (two seats per age band) – also while two
// instances computed a replacement at once. Both instances also race for
// the background computation of the draw; it runs once.
func TestDrawReplacementConcurrent(t *testing.T) {
	ctx := context.Background()
	first := testenv.StartApp(t, testenv.WithoutSMTP())
	apps := []*testenv.App{first}
	if testenv.Postgres() {
		apps = append(apps, testenv.StartApp(t, testenv.WithDatabase(first.DatabaseURL), testenv.WithoutSMTP(), testenv.WithClock(first.Clock)))
	}
	ages := []string{"16_29", "16_29", "16_29", "16_29", "16_29", "16_29", "16_29", "16_29", "30_44", "30_44", "30_44", "30_44", "30_44", "30_44", "30_44", "30_44"}
	ev, people := quotaEvent(t, first, 4, ages...)
	addAgeQuotas(t, first, ev, map[string][2]int{"16_29": {2, 2}, "30_44": {2, 2}})
	admin := eventAdmin(t, first)
	if err := first.Store.RequestDraw(ctx, admin, ev.ID, "Lottozahlen am Samstag"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, a := range apps {
		wg.Add(1)
		go func(a *testenv.App) {
			defer wg.Done()
			if _, err := a.Platform.Events.RunSelectionJobs(ctx); err != nil {
				t.Error(err)
			}
		}(a)
	}
	wg.Wait()
	if j := waitForJob(t, first, ev); j.Status != app.JobDone || j.Attempts != 1 {
		t.Fatalf("job: %+v", j)
	}
	if list, _, _ := first.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditEventAnnounce}); len(list) != 1 {
		t.Fatalf("%d announcements", len(list))
	}
	if _, err := first.Platform.Events.RunDraw(ctx, admin, ev.ID, app.DrawInput{Seed: "4 8 15 16 23 42"}); err != nil {
		t.Fatal(err)
	}
	d, _ := first.Store.DrawOf(ctx, ev.ID)
	doc, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		t.Fatal(err)
	}
	byPseudonym := map[string]*app.User{}
	for _, u := range people {
		byPseudonym[registrationOf(t, first, ev, u).Pseudonym] = u
	}
	for i, id := range doc.Selected {
		wg.Add(1)
		go func(a *testenv.App, u *app.User) {
			defer wg.Done()
			if err := a.Platform.Events.RespondOwnOffer(ctx, u, ev.ID, false); err != nil {
				t.Error(err)
			}
		}(apps[i%len(apps)], byPseudonym[id])
	}
	wg.Wait()
	holders, _ := first.Store.RegistrationsWithStatus(ctx, ev.ID, app.RegOffered, app.RegConfirmed)
	var ids []string
	for _, r := range holders {
		ids = append(ids, r.Pseudonym)
		for _, s := range doc.Selected {
			if s == r.Pseudonym {
				t.Fatalf("%s declined but holds a seat", s)
			}
		}
	}
	checkQuotasHeld(t, doc, ids)
	if e := reloadEvent(t, first, ev.ID); e.SeatsTaken != 4 {
		t.Fatalf("seats taken: %d", e.SeatsTaken)
	}
	if list, _, _ := first.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditSelectionReplacement}); len(list) != 4 {
		t.Fatalf("%d replacements, want 4", len(list))
	}
	checkWaitingCounter(t, first, ev.ID)
}
