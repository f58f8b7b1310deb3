package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestDrawGolden: a fixed pool with quotas and a fixed seed give the same
// pool hash, list and panel on SQLite and on PostgreSQL (the suite runs on
// both), through the whole platform path: applications, quotas, leximin,
// rounding, announcement, seed.
func TestDrawGolden(t *testing.T) {
	const (
		wantPoolHash = "9e06feaf08280ef2fc1fdfdae0d0e5b1f14e1138e54230c7e75f742fc5bcea91"
		wantPanels   = "6b0f7df9fc2a8a9a6f1b9e503481f5cc101d9ce35f34ad7fa2b32cbac6655aad"
		wantIndex    = 425
		wantSelected = "B-golden02 B-golden05 B-golden08 B-golden10 B-golden12"
		wantWaiting  = "B-golden11 B-golden01 B-golden09 B-golden04 B-golden03 B-golden06 B-golden07"
	)
	a := testenv.StartApp(t)
	ctx := context.Background()
	ages := []string{"16_29", "16_29", "16_29", "16_29", "30_44", "30_44", "30_44", "45_64", "45_64", "65_plus", "65_plus", ""}
	ev, people := quotaEvent(t, a, 5, ages...)
	for i, u := range people { // fixed applicant numbers instead of random ones
		r := registrationOf(t, a, ev, u)
		if err := a.Store.Gorm().Exec("UPDATE event_registrations SET pseudonym = ? WHERE id = ?", fmt.Sprintf("B-golden%02d", i+1), r.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	addAgeQuotas(t, a, ev, map[string][2]int{"16_29": {1, 2}, "30_44": {1, 2}, "45_64": {1, 1}, "65_plus": {1, 2}, "": {0, 1}})
	admin := eventAdmin(t, a)
	if _, err := a.Platform.Events.AnnounceDraw(ctx, admin, ev.ID, app.DrawAnnounceInput{SeedSource: "Lottozahlen vom Samstag"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.RunDraw(ctx, admin, ev.ID, app.DrawInput{Seed: "2 9 17 23 31 44 / 5", Witnesses: "Erika Muster"}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Store.DrawOf(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := selection.ReadDraw(strings.NewReader(d.Document))
	if err != nil {
		t.Fatal(err)
	}
	if err := selection.Verify(doc); err != nil {
		t.Fatal(err)
	}
	got := []string{doc.PoolHash, doc.PanelsHash, fmt.Sprint(*doc.ChosenIndex), strings.Join(doc.Selected, " "), strings.Join(doc.WaitingList, " ")}
	want := []string{wantPoolHash, wantPanels, fmt.Sprint(wantIndex), wantSelected, wantWaiting}
	names := []string{"pool hash", "panels hash", "chosen index", "selected", "waiting list"}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s on %s:\n got %s\nwant %s", names[i], a.Store.Dialect(), got[i], want[i])
		}
	}
}
