package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestOrganiserPagesAfterTheDraw: once the applications have been drawn
// they are offers and waiting places, no longer "applied". The organisers'
// quota and draw pages must not then claim that there are no applications:
// they show the frozen quotas and point to the public page with the pool.
func TestOrganiserPagesAfterTheDraw(t *testing.T) {
	ctx := context.Background()
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	de := a.Platform.I18n.Localizer("de")
	if err := seed.Demo(ctx, a.Store, seed.Options{Events: a.Platform.Events, T: func(id string) string { return de.T(id) }}); err != nil {
		t.Fatal(err)
	}
	admin, err := a.Store.UserByEmail(ctx, seed.DemoAdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	ev := demoDrawEvent(t, a)
	c := a.SessionClient(t, admin)
	base := "/admin/veranstaltungen/" + itoa(ev)

	quotas := c.Get(base + "/quoten")
	text := quotas.Doc.Find("main").Text()
	if !strings.Contains(text, de.T("selection.quotas_frozen_drawn")) {
		t.Errorf("quota page after the draw does not say that the quotas are frozen:\n%s", text)
	}
	if strings.Contains(text, "Derzeit 0 Bewerbungen") {
		t.Errorf("quota page after the draw claims there are no applications")
	}
	if quotas.Doc.Find(`main a[href="/veranstaltungen/`+itoa(ev)+`/auslosung"]`).Length() == 0 {
		t.Errorf("quota page after the draw has no link to the public draw page")
	}
	if n := quotas.Doc.Find(`main input[type=number]:not([disabled])`).Length(); n != 0 {
		t.Errorf("%d quota fields can still be edited after the draw", n)
	}

	draw := c.Get(base + "/auslosung")
	if text := draw.Doc.Find("main").Text(); strings.Contains(text, "0 Bewerbungen für") {
		t.Errorf("draw page after the draw claims there are no applications:\n%s", text)
	}
}

func demoDrawEvent(t *testing.T, a *testenv.App) int64 {
	t.Helper()
	var id int64
	if err := a.Store.Gorm().Table("events").Select("id").Where("title = ?", "Werkstattgespräch Stadtklima – Auswahl per Los").Scan(&id).Error; err != nil || id == 0 {
		t.Fatalf("demo draw event not found (%v)", err)
	}
	return id
}
